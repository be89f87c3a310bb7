using BenchmarkDotNet.Reports;
using eSafe.Benchmarks.Benchmarks;
using eSafe.Benchmarks.Workload;

namespace eSafe.Benchmarks.Reporting;

/// <summary>After a BenchmarkDotNet run: the figures from the summaries, in one table.</summary>
internal static class FinalTable
{
    public static Figures From(IEnumerable<Summary> summaries)
    {
        var figures = new Figures { Source = "BenchmarkDotNet run (authoritative)" };
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var mean = report.ResultStatistics?.Mean;
                if (mean is null)
                {
                    continue;
                }

                var method = benchmark.Descriptor.WorkloadMethod.Name;
                var phrases = benchmark.HasParameters && benchmark.Parameters.Items.Any(p => p.Name == nameof(ThroughputBenchmarks.Phrases))
                    ? (int)benchmark.Parameters[nameof(ThroughputBenchmarks.Phrases)]
                    : 0;
                var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                switch (method)
                {
                    case nameof(ThroughputBenchmarks.ThreatMatcherScan):
                        figures.MatcherMBps[phrases] = MegabytesPerSecondColumn.Of(summary, benchmark) ?? 0;
                        break;
                    case nameof(ThroughputBenchmarks.SearchValuesIndexOfAny):
                        figures.SearchValuesMBps[phrases] = MegabytesPerSecondColumn.Of(summary, benchmark) ?? 0;
                        break;
                    case nameof(BreakdownBenchmarks.SkeletonBuild):
                        figures.SkeletonMBps = MegabytesPerSecondColumn.Of(summary, benchmark);
                        break;
                    case nameof(LatencyBenchmarks.KeystrokeBatch):
                        figures.BatchMicroseconds[phrases] = mean.Value / 1e3;
                        if (allocated is { } batchBytes)
                        {
                            figures.BatchAllocated[phrases] = batchBytes;
                        }

                        break;
                    case nameof(LoadBenchmarks.Read):
                        figures.LoadMilliseconds[phrases] = mean.Value / 1e6;
                        if (allocated is { } loadBytes)
                        {
                            figures.LoadAllocated[phrases] = loadBytes;
                        }

                        break;
                    case nameof(CompileBenchmarks.Compile):
                        figures.CompileSeconds[phrases] = mean.Value / 1e9;
                        break;
                    default:
                        break;
                }
            }
        }

        // Memory kept is not something BenchmarkDotNet measures: load each library measured above here, in this process.
        foreach (var phrases in figures.LoadMilliseconds.Keys)
        {
            var path = LibraryFile.Write(CompiledSet.Build(phrases));
            figures.FileBytes[phrases] = (int)new FileInfo(path).Length;
            figures.Retained[phrases] = Figures.MeasureRetained(path);
        }

        return figures;
    }
}
