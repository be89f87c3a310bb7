using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// Issue #3: the matcher against the SearchValues baseline over the same 10.3 MB of pupil-like text,
/// split into 2 KB documents, at 1,000, 10,000 and 100,000 phrases. One operation scans every document.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ThroughputBenchmarks
{
    private string[] _documents = [];
    private ThreatMatcher _matcher = null!;
    private SearchValues<string> _searchValues = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Phrases { get; set; }

    [GlobalSetup(Target = nameof(ThreatMatcherScan))]
    public void SetUpMatcher()
    {
        _documents = Corpus.Shared.Documents;
        var set = CompiledSet.Build(Phrases);
        _matcher = set.Matcher;
        Console.WriteLine($"// compiled {Phrases} phrases in {set.CompileTime.TotalMilliseconds:0} ms, {set.Compiled.StateCount} states");
    }

    [GlobalSetup(Target = nameof(SearchValuesIndexOfAny))]
    public void SetUpSearchValues()
    {
        _documents = Corpus.Shared.Documents;
        _searchValues = Scans.CreateSearchValues(Phrases);
    }

    [Benchmark]
    [Scans(TextSize.Corpus)]
    public int ThreatMatcherScan() => Scans.ThreatMatcher(_matcher, _documents);

    [Benchmark]
    [Scans(TextSize.Corpus)]
    public int SearchValuesIndexOfAny() => Scans.SearchValues(_searchValues, _documents);
}
