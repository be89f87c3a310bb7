using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection.Normalisation;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// Where the matcher's time goes: Skeleton.Build alone over the same documents (the part that does not
/// depend on the library), against ThroughputBenchmarks.ThreatMatcherScan (skeleton plus automaton walk).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class BreakdownBenchmarks
{
    private readonly Skeleton _skeleton = new();
    private string[] _documents = [];

    [GlobalSetup]
    public void SetUp() => _documents = Corpus.Shared.Documents;

    [Benchmark]
    [Scans(TextSize.Corpus)]
    public int SkeletonBuild()
    {
        var symbols = 0;
        foreach (var document in _documents)
        {
            _skeleton.Build(document);
            symbols += _skeleton.Length;
        }

        return symbols;
    }
}
