using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// Compiling a library (CompiledLibrary.Compile of an already checked ThreatLibrary): what
/// <c>esafe-host library compile</c> and the Compile-Library build target pay. Seconds, not
/// microseconds, so a few single runs rather than a throughput job.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CompileBenchmarks
{
    private ThreatLibrary _library = null!;

    [Params(10_000, 100_000)]
    public int Phrases { get; set; }

    [GlobalSetup]
    public void SetUp() => _library = PhraseSets.Library(Phrases);

    [Benchmark]
    public CompiledLibrary Compile() => CompiledLibrary.Compile(_library);
}
