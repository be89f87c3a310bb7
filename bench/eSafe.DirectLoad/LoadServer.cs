using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;

namespace eSafe.DirectLoad;

/// <summary>The published server as a process on a free loopback port, with a demo school; removed with its data on dispose.</summary>
public sealed class LoadServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;
    private readonly string _code;

    private LoadServer(Process process, string data, Uri url, string code)
    {
        _process = process;
        _data = data;
        Url = url;
        _code = code;
    }

    public Uri Url { get; }

    /// <summary>The server process's CPU time so far (user and system): what a request costs, whatever else runs on the machine.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<LoadServer> StartAsync(string dll)
    {
        var data = Directory.CreateTempSubdirectory("esafe-direct-load-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Demo__Incidents"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var argument in new[] { dll, "serve", "--data", data, "--urls", url.ToString().TrimEnd('/'), "--demo" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var demo = Path.Combine(data, "demo.json");
        using var probe = new HttpClient { BaseAddress = url };
        for (var i = 0; i < 600 && !process.HasExited; i++)
        {
            if (File.Exists(demo))
            {
                try
                {
                    using var response = await probe.GetAsync("/api/v1/devices/libraries");
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        var code = JsonDocument.Parse(await File.ReadAllTextAsync(demo)).RootElement.GetProperty("enrolmentCode").GetString()!;
                        return new LoadServer(process, data, url, code);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(200);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the server did not start within 2 minutes");
    }

    public async Task<IReadOnlyList<EnrolmentResponse>> EnrolAsync(int count)
    {
        using var http = new HttpClient { BaseAddress = Url };
        List<EnrolmentResponse> devices = [];
        for (var i = 0; i < count; i++)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/devices/enrol",
                new EnrolmentRequest(_code, $"LOAD-{i:000}", "direct/bench"), ContractsJson.Default.EnrolmentRequest);
            response.EnsureSuccessStatusCode();
            devices.Add((await response.Content.ReadFromJsonAsync(ContractsJson.Default.EnrolmentResponse))!);
        }

        return devices;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
