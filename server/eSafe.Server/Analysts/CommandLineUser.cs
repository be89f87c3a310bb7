namespace eSafe.Server.Analysts;

/// <summary>The server's admin commands act as this user: a senior analyst's rights, audited as "cli".</summary>
public static class CommandLineUser
{
    public static ConsoleUser Instance { get; } = new("cli", "Server administrator", Roles.SeniorAnalyst, AccessScope.EverySchool);
}
