using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace eSafe.Server.Tests.Support;

/// <summary>
/// Debian's nginx as a reverse proxy on a free loopback port, from a config file in a temporary folder (its pid, logs and
/// temp files there too), in the foreground as a single process so that stopping it is killing one process. Its upstream
/// takes the given servers round robin, with no session affinity; each response names the server that answered
/// (<see cref="UpstreamHeader"/>), so a test can see its requests alternate.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    public const string UpstreamHeader = "X-Upstream";
    private readonly Process _process;
    private readonly string _folder;

    private Nginx(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts nginx in front of <paramref name="servers"/>; ignores the test (with why) when Debian's nginx is not installed.</summary>
    public static async Task<Nginx> StartAsync(IReadOnlyList<Uri> servers)
    {
        if (!File.Exists(Binary))
        {
            Assert.Ignore($"Debian's nginx is not installed ({Binary} is missing): `apt-get install nginx`, as ./build.sh --target=Test does.");
        }

        var folder = Directory.CreateTempSubdirectory("esafe-nginx-").FullName;
        var port = FreePort();
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(folder, port, servers));
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var nginx = new Nginx(process, folder, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                var errors = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log")) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {await process.StandardError.ReadToEndAsync()} {errors}");
            }

            await Task.Delay(50);
        }

        return nginx;
    }

    // TLS would end at the proxy in production; here it speaks plain http on loopback but says https (X-Forwarded-Proto),
    // which the servers believe only from a trusted proxy. X-Forwarded-For is set, not appended to: the test's client sits on
    // 127.0.0.1 too, the trusted proxy's own address, so through an appended header it could name any address. Buffering
    // stays on: the live stream turns it off for itself (X-Accel-Buffering).
    private static string Config(string folder, int port, IReadOnlyList<Uri> servers) => string.Create(CultureInfo.InvariantCulture, $$"""
        master_process off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 256; }
        http {
            access_log {{folder}}/access.log;
            client_body_temp_path {{folder}}/client-body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            client_max_body_size 32m;
            upstream esafe {
        {{string.Concat(servers.Select(s => $"        server {s.Host}:{s.Port};\n"))}}    }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://esafe;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto https;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_read_timeout 1h;
                    add_header {{UpstreamHeader}} $upstream_addr always;
                }
            }
        }
        """);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
