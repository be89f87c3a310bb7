using System.Diagnostics;
using eSafe.Server.Seeding;

namespace eSafe.Server.Tests.Support;

/// <summary>The built server run with <c>dotnet esafe-server.dll</c>; its address read from the line it prints when listening.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(IReadOnlyList<string> args, string? databaseFromEnvironment)
    {
        var process = Process.Start(Start(args, databaseFromEnvironment))!;
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string? line;
        do
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith(StartupAnnouncer.ListeningLine, StringComparison.Ordinal));

        if (line is null)
        {
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException("The server stopped before listening: " + await errors);
        }

        // Keep reading, so that a full pipe never blocks the server.
        _ = process.StandardOutput.ReadToEndAsync();
        return new ServerProcess(process, new Uri(line[StartupAnnouncer.ListeningLine.Length..]));
    }

    /// <summary>Ends the process at once (SIGKILL on Unix): no shutdown, no flush of its own, as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Runs a command of the server's CLI to its end; returns what it printed, or throws with its errors when it failed.</summary>
    public static async Task<string> RunAsync(IReadOnlyList<string> args)
    {
        using var process = Process.Start(Start(args, null))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"esafe-server {string.Join(' ', args)} failed ({process.ExitCode}): {await errors}");
    }

    /// <summary>A copy of a keys folder, as a second machine gets it.</summary>
    public static string CopyKeys(string keys, string copy)
    {
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(keys))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static ProcessStartInfo Start(IReadOnlyList<string> args, string? databaseFromEnvironment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "esafe-server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ESAFE_DATABASE"] = databaseFromEnvironment ?? "";
        start.Environment["ESAFE_SCREENSHOTS_DIR"] = "";
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
