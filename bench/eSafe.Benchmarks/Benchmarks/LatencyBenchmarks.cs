using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// One text event at a time, as typing produces them: a 2 KB keystroke batch with no hit (target:
/// under 50 µs at 10,000 phrases, and nothing allocated), the same with one hit, and the largest event
/// the host accepts (64 K characters) with no hit.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class LatencyBenchmarks
{
    private ThreatMatcher _matcher = null!;
    private string _batch = "";
    private string _batchWithHit = "";
    private string _largestEvent = "";

    [Params(1_000, 10_000, 100_000)]
    public int Phrases { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _matcher = CompiledSet.Build(Phrases).Matcher;
        _batch = Corpus.KeystrokeBatch(withHit: false);
        _batchWithHit = Corpus.KeystrokeBatch(withHit: true);
        _largestEvent = ScansAttribute.LargestEvent;
        if (_matcher.Scan(_batch).Count != 0 || _matcher.Scan(_largestEvent).Count != 0 || _matcher.Scan(_batchWithHit).Count == 0)
        {
            throw new InvalidOperationException("the hit-free texts have a hit, or the planted one is missed");
        }
    }

    [Benchmark]
    [Scans(TextSize.Batch)]
    public int KeystrokeBatch() => _matcher.Scan(_batch).Count;

    [Benchmark]
    [Scans(TextSize.Batch)]
    public int KeystrokeBatchWithHit() => _matcher.Scan(_batchWithHit).Count;

    [Benchmark]
    [Scans(TextSize.LargestEvent)]
    public int LargestEventNoHit() => _matcher.Scan(_largestEvent).Count;
}
