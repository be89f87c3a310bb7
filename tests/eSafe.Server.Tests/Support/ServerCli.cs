using System.CommandLine;
using eSafe.Server.Cli;

namespace eSafe.Server.Tests.Support;

/// <summary>Runs an <c>esafe-server</c> command in-process, as the command line would, and keeps what it printed.</summary>
public static class ServerCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ServerCommands.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The value a command printed on its "label: value" line.</summary>
    public static string Value(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith(label + ": ", StringComparison.Ordinal))[(label.Length + 2)..].Trim();
}
