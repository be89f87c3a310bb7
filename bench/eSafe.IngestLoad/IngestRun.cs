using System.Diagnostics;
using System.Globalization;
using eSafe.Contracts.Http;

namespace eSafe.IngestLoad;

/// <summary>
/// Closed loop: each device sends its next incident as soon as the last is answered; with several servers, each device
/// takes them in turn, as a load balancer without affinity would.
/// </summary>
public static class IngestRun
{
    public sealed record Result(string Setup, int Concurrency, TimeSpan Duration, int Stored, int Failed, double[] LatenciesMs, TimeSpan ServerCpu,
        TimeSpan? DatabaseCpu, TimeSpan LoadCpu)
    {
        public string Describe()
        {
            var sorted = LatenciesMs.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            double PerIncident(TimeSpan cpu) => cpu.TotalMilliseconds / Math.Max(1, Stored);
            var database = DatabaseCpu is { } db ? string.Create(CultureInfo.InvariantCulture, $", PostgreSQL {PerIncident(db):0.00} ms") : "";
            return string.Create(CultureInfo.InvariantCulture,
                $"{Setup}: {Stored / Duration.TotalSeconds:0} incidents/s over {Duration.TotalSeconds:0} s, {Concurrency} devices, " +
                $"p50 {At(0.50):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted.LastOrDefault():0.0} ms, failed {Failed}; " +
                $"CPU an incident: server {PerIncident(ServerCpu):0.00} ms{database}, load generator {PerIncident(LoadCpu):0.00} ms");
        }
    }

    public static async Task<Result> RunAsync(string setup, SealedIncidents client, IReadOnlyList<IngestServer> servers,
        IReadOnlyList<EnrolmentResponse> devices, TimeSpan warmUp, TimeSpan duration, Func<TimeSpan>? databaseCpu)
    {
        // Warm-up: JIT (tiering up takes tens of seconds on a busy machine), connections, pools; not counted.
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(devices.Select(async (device, i) =>
        {
            for (var k = 0; warm.Elapsed < warmUp; k++)
            {
                await Send(client, servers[(i + k) % servers.Count].Url, device);
            }
        }));

        var latencies = new List<double>[devices.Count];
        var failed = 0;
        TimeSpan ServerCpu() => servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime);
        var serverBefore = ServerCpu();
        var databaseBefore = databaseCpu?.Invoke();
        var loadBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(devices.Select(async (device, worker) =>
        {
            var mine = latencies[worker] = [];
            for (var k = 0; clock.Elapsed < duration; k++)
            {
                var started = Stopwatch.GetTimestamp();
                if (await Send(client, servers[(worker + k) % servers.Count].Url, device))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        return new Result(setup, devices.Count, elapsed, all.Length, failed, all, ServerCpu() - serverBefore, databaseCpu?.Invoke() - databaseBefore,
            Process.GetCurrentProcess().TotalProcessorTime - loadBefore);
    }

    private static async Task<bool> Send(SealedIncidents client, Uri server, EnrolmentResponse device)
    {
        try
        {
            return await client.SendAsync(server, device);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
