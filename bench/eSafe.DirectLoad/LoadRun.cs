using System.Diagnostics;
using System.Globalization;
using eSafe.Contracts.Http;

namespace eSafe.DirectLoad;

public enum Phase
{
    TextBatches,
    Incidents,
}

/// <summary>Closed loop: each worker sends its device's next request as soon as the last is answered.</summary>
public static class LoadRun
{
    public sealed record Result(Phase Phase, int Concurrency, TimeSpan Duration, int Succeeded, int Failed, double[] LatenciesMs, TimeSpan ServerCpu)
    {
        public string Describe()
        {
            var sorted = LatenciesMs.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            var what = Phase == Phase.TextBatches ? "text batches (2 KB, 2 events)" : "incidents (batch with a hit + 150 KB screenshot)";
            return string.Create(CultureInfo.InvariantCulture,
                $"{what}: {Succeeded / Duration.TotalSeconds:0}/s over {Duration.TotalSeconds:0} s, {Concurrency} concurrent, " +
                $"p50 {At(0.50):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted.LastOrDefault():0.0} ms, failed {Failed}; " +
                $"server CPU {ServerCpu.TotalMilliseconds / Math.Max(1, Succeeded):0.00} ms a request, so at most {Succeeded / Math.Max(0.001, ServerCpu.TotalSeconds) * Environment.ProcessorCount:0}/s on {Environment.ProcessorCount} idle cores");
        }
    }

    /// <summary>
    /// The same closed loop for <paramref name="warmUp"/> untimed first: the runtime compiles hot code again, optimised, only
    /// after it has run a while (tiered compilation), and on busy cores that takes many seconds; a server runs for days.
    /// </summary>
    public static async Task<Result> RunAsync(Phase phase, DirectClient client, IReadOnlyList<EnrolmentResponse> devices, int concurrency, TimeSpan duration,
        TimeSpan warmUp, Func<TimeSpan> serverCpu)
    {
        await LoopAsync(phase, client, devices, concurrency, warmUp);
        var cpuBefore = serverCpu();
        var (elapsed, latencies, failed) = await LoopAsync(phase, client, devices, concurrency, duration);
        return new Result(phase, concurrency, elapsed, latencies.Length, failed, latencies, serverCpu() - cpuBefore);
    }

    private static async Task<(TimeSpan Elapsed, double[] Latencies, int Failed)> LoopAsync(Phase phase, DirectClient client,
        IReadOnlyList<EnrolmentResponse> devices, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            var device = devices[worker % devices.Count];
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await Send(phase, client, device);
                if (ok)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return (clock.Elapsed, latencies.SelectMany(l => l).ToArray(), failed);
    }

    private static async Task<bool> Send(Phase phase, DirectClient client, EnrolmentResponse device)
    {
        try
        {
            return phase == Phase.TextBatches ? await client.SendTextAsync(device) : await client.SendIncidentAsync(device);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
