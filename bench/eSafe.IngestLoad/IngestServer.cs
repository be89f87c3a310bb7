using System.Diagnostics;

namespace eSafe.IngestLoad;

/// <summary>
/// One <c>esafe-server serve</c> process on a free loopback port, its address read from the line it prints when listening.
/// Its CPU time comes from /proc (user + system), whatever else the machine runs.
/// </summary>
public sealed class IngestServer : IAsyncDisposable
{
    private const string ListeningLine = "eSafe server listening on ";
    private readonly Process _process;
    private readonly CpuQuota? _quota;

    private IngestServer(Process process, Uri url, CpuQuota? quota)
    {
        _process = process;
        Url = url;
        _quota = quota;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="data">Its data folder (the LiteDB file is kept there when <paramref name="database"/> is null).</param>
    /// <param name="keys">A keys folder of its own (a copy of the first server's), or null for the data folder's.</param>
    /// <param name="screenshots">With a database: the folder of screenshot files the server processes share (<c>--screenshots</c>).</param>
    public static async Task<IngestServer> StartAsync(string dll, string data, string? keys, string? database, bool demo, string? screenshots = null)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Demo__Incidents"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ESAFE_DATABASE"] = database ?? "";
        start.Environment["ESAFE_SCREENSHOTS_DIR"] = screenshots ?? "";
        List<string> args = [dll, "serve", "--data", data, "--urls", "http://127.0.0.1:0"];
        if (keys is not null)
        {
            args.AddRange(["--keys", keys]);
        }

        if (demo)
        {
            args.Add("--demo");
        }

        args.ForEach(start.ArgumentList.Add);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var quota = CpuQuota.Apply(process.Id);
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string? line;
        do
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith(ListeningLine, StringComparison.Ordinal));

        if (line is null)
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException("The server stopped before listening: " + await errors);
        }

        // Keep reading, so that a full pipe never blocks the server.
        _ = process.StandardOutput.ReadToEndAsync();
        return new IngestServer(process, new Uri(line[ListeningLine.Length..]), quota);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _quota?.Dispose();
    }
}
