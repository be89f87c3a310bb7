using System.CommandLine;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Cli;

/// <summary><c>esafe-server audit verify --data DIR</c>: checks the audit log's keyed chain and its anchors (server stopped).</summary>
public static class AuditCommands
{
    public const int Tampered = 2;

    public static Command Create(Option<string> data)
    {
        var verify = new Command("verify",
            "Check every audit line's keyed hash and chain, and the log against keys/audit-anchors.log. Exit 0: intact; 2: tampered; 1: cannot check.");
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var folder = ServerCommands.OpenDataFolder(parse, data);
                var services = new ServiceCollection().AddServerCore(folder, TimeProvider.System).BuildServiceProvider();
                await using (services)
                {
                    _ = services.GetRequiredService<DataFolder>();
                    var result = await services.GetRequiredService<IAuditLog>().VerifyAsync(cancellationToken);
                    if (result.Intact)
                    {
                        await output.WriteLineAsync(
                            $"Audit log intact: {result.Entries} entries, {result.Anchors} anchors, the last covering {result.LastAnchoredCount} entries.");
                        return 0;
                    }

                    await output.WriteLineAsync($"Audit log NOT intact ({result.Entries} entries, {result.Anchors} anchors):");
                    foreach (var problem in result.Problems)
                    {
                        await output.WriteLineAsync("  " + problem);
                    }

                    return Tampered;
                }
            }
            catch (ServerSetupException e)
            {
                await error.WriteLineAsync("esafe-server: " + e.Message);
                return 1;
            }
        });
        return new Command("audit", "The audit log.") { verify };
    }
}
