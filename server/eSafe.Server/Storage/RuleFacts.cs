namespace eSafe.Server.Storage;

/// <summary>What an incident must agree with about the rule it names.</summary>
public sealed record RuleFacts(string Category, int Severity);
