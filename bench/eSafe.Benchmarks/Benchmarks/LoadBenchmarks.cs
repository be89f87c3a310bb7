using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// Loading a compiled library as the host does at start-up: LibraryFormat.Read of the bytes that
/// LibraryFormat.Write made (target for 100,000 phrases: under 100 ms), and with the matcher on top.
/// Allocated is what a load allocates; the memory it keeps is measured in-process (see the final table).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class LoadBenchmarks
{
    private byte[] _file = [];

    [Params(10_000, 100_000)]
    public int Phrases { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _file = LibraryFormat.Write(CompiledSet.Build(Phrases).Compiled);
        Console.WriteLine($"// compiled library of {Phrases} phrases: {_file.Length / 1024} KB");
    }

    [Benchmark]
    public CompiledLibrary Read() => LibraryFormat.Read(_file);

    [Benchmark]
    public ThreatMatcher ReadAndMakeMatcher() => new(LibraryFormat.Read(_file));
}
