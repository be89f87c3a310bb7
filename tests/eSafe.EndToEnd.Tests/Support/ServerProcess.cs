using System.Diagnostics;
using System.Net;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using Refit;

namespace eSafe.EndToEnd.Tests.Support;

/// <summary>What the server writes to demo.json on its first run.</summary>
public sealed record DemoSetup(string Url, string SchoolId, string SchoolName, string EnrolmentCode, string AnalystUsername, string AnalystPassword);

/// <summary>The real server, as a process on 127.0.0.1 with its own data folder.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Process _process;
    private readonly List<HttpClient> _clients = [];

    private ServerProcess(Process process, Uri url, DemoSetup demo)
    {
        _process = process;
        Url = url;
        Demo = demo;
    }

    public Uri Url { get; }

    public DemoSetup Demo { get; }

    /// <summary>With https: the SHA-256 of the self-signed certificate's public key (base64), as the banner prints it.</summary>
    public string? PublicKeyPin { get; private init; }

    /// <param name="https">Serve https with the self-signed certificate that --demo makes.</param>
    /// <param name="url">The address to serve on (a restart keeps its devices' URL); a free loopback port when null.</param>
    /// <param name="environment">Settings for this server (<c>Section__Key</c>), e.g. the fleet's silent hours or <c>Extension__CrxFile</c>.</param>
    /// <param name="assembly">Another build of the server (an older release); this repository's when null.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, TimeSpan timeout, bool https = false, Uri? url = null,
        IReadOnlyDictionary<string, string>? environment = null, string? assembly = null)
    {
        assembly ??= RepositoryLayout.Require(RepositoryLayout.ServerAssembly, "run ./build.sh --target=Test (it publishes the server first)");
        url ??= new Uri($"{(https ? "https" : "http")}://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The demo school and analyst, without the made-up demo incidents: each test counts the incidents it makes.
        start.Environment["Demo__Incidents"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var argument in new[] { assembly, "serve", "--data", dataDirectory, "--urls", url.ToString().TrimEnd('/'), "--demo" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => Record(e.Data, output, ready);
        process.ErrorDataReceived += (_, e) => Record(e.Data, output, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(timeout));
        if (finished != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                Assert.Fail($"the server did not start within {timeout.TotalSeconds} s:\n{string.Join('\n', output)}");
            }
        }

        var demo = JsonSerializer.Deserialize<DemoSetup>(await File.ReadAllTextAsync(Path.Combine(dataDirectory, "demo.json")), Json)!;
        const string pinLabel = "TLS public key (SubjectPublicKeyInfo) SHA-256, base64: ";
        string? pin;
        lock (output)
        {
            pin = output.FirstOrDefault(l => l.StartsWith(pinLabel, StringComparison.Ordinal))?[pinLabel.Length..].Trim();
        }

        return new ServerProcess(process, url, demo) { PublicKeyPin = pin };
    }

    /// <summary>Runs one of the server's admin commands on a data folder no server has open; its output.</summary>
    public static async Task<string> RunCommandAsync(string dataDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { RepositoryLayout.Require(RepositoryLayout.ServerAssembly, "run ./build.sh --target=Publish-Server"), "--data", dataDirectory }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await error);
        return await output;
    }

    /// <summary>An analyst's client, already logged in as the demo analyst.</summary>
    public async Task<IAnalystApi> LoginAsAnalystAsync()
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        var http = new HttpClient(handler) { BaseAddress = Url };
        _clients.Add(http);
        var api = RestService.For<IAnalystApi>(http, ContractsJson.RefitSettings());
        await api.LoginAsync(new LoginRequest(Demo.AnalystUsername, Demo.AnalystPassword), CancellationToken.None);
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Record(string? line, List<string> output, TaskCompletionSource? ready)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }

        // The banner's last line (the server always runs with --demo here): every line before it, the TLS pins included, is in.
        if (ready is not null && line.StartsWith("(also in ", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}
