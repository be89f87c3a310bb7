namespace eSafe.Server.Escalation;

/// <summary>Which ways of reaching a school this server has configured: the console says so where one is missing.</summary>
public sealed record EscalationChannels(bool Phone, bool Email);
