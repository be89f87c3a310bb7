using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Benchmarks;

/// <summary>
/// Loading a compiled library as the host does at start-up: the file read from disk into a fresh array and
/// LibraryFormat.Read of it (target for 100,000 phrases: under 100 ms), and with the matcher on top.
/// Allocated is what a load allocates (the file's bytes are the library, so nearly all of it is kept);
/// the memory it keeps is measured in-process (see the final table).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class LoadBenchmarks
{
    private string _path = "";

    [Params(10_000, 100_000)]
    public int Phrases { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _path = LibraryFile.Write(CompiledSet.Build(Phrases));
        Console.WriteLine($"// compiled library of {Phrases} phrases: {new FileInfo(_path).Length / 1024} KB");
    }

    [Benchmark]
    public CompiledLibrary Read() => LibraryFile.Load(_path);

    [Benchmark]
    public ThreatMatcher ReadAndMakeMatcher() => new(LibraryFile.Load(_path));
}
