using System.CommandLine;

namespace eSafe.Host.Cli;

/// <summary>
/// <c>esafe-host</c>. Chrome starts it with the caller's origin as the only argument (and on Windows a
/// --parent-window handle), which runs the native messaging host.
/// </summary>
public static class HostCommandLine
{
    public static RootCommand Create()
    {
        var origin = new Argument<string?>("origin")
        {
            Description = "The calling extension's origin, as Chrome passes it",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var parentWindow = new Option<long?>("--parent-window") { Hidden = true };
        var root = new RootCommand("eSafe native messaging host") { origin, parentWindow };
        // Anything else in that place is a mistyped command, not a browser starting the host.
        root.Validators.Add(result =>
        {
            if (result.GetValue(origin) is { } given && !given.StartsWith("chrome-extension://", StringComparison.Ordinal))
            {
                result.AddError($"'{given}' is not a command of esafe-host (install, uninstall, status, run, scan, library, school-key, roster)");
            }
        });
        root.SetAction((_, cancellationToken) => Run(cancellationToken));

        var run = new Command("run", "Speak native messaging on standard input and output (what Chrome starts)");
        run.SetAction((_, cancellationToken) => Run(cancellationToken));
        root.Subcommands.Add(run);
        root.Subcommands.Add(InstallCommands.Install());
        root.Subcommands.Add(InstallCommands.Uninstall());
        root.Subcommands.Add(InstallerFilesCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(LibraryCommand.Create());
        root.Subcommands.Add(SchoolKeyCommands.SchoolKey());
        root.Subcommands.Add(SchoolKeyCommands.Roster());
        return root;
    }

    private static Task<int> Run(CancellationToken cancellationToken) =>
        RunCommand.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), cancellationToken);
}
