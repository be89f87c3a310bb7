using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using eSafe.Benchmarks.Benchmarks;
using eSafe.Benchmarks.Workload;

namespace eSafe.Benchmarks.Reporting;

/// <summary>Throughput of a benchmark marked <see cref="ScansAttribute"/>: MB (10^6 bytes of UTF-16) a second, from the mean.</summary>
public sealed class MegabytesPerSecondColumn : IColumn
{
    public string Id => nameof(MegabytesPerSecondColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Text scanned a second: 10^6 bytes of UTF-16 (2 bytes a character)";

    public static double? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var scans = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ScansAttribute>();
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return scans is null || mean is not > 0 ? null : ScansAttribute.Bytes(scans.Size) / (mean.Value / 1e9) / 1e6;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Of(summary, benchmarkCase)?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>ThreatMatcher throughput over SearchValues throughput at the same phrase count (above 1: the matcher is faster).</summary>
public sealed class MatcherOverSearchValuesColumn : IColumn
{
    public string Id => nameof(MatcherOverSearchValuesColumn);

    public string ColumnName => "vs SearchValues";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "ThreatMatcher MB/s ÷ SearchValues MB/s at the same phrase count";

    public static double? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(ThroughputBenchmarks.ThreatMatcherScan))
        {
            return null;
        }

        var phrases = benchmarkCase.Parameters[nameof(ThroughputBenchmarks.Phrases)];
        var baseline = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Descriptor.WorkloadMethod.Name == nameof(ThroughputBenchmarks.SearchValuesIndexOfAny)
            && Equals(c.Parameters[nameof(ThroughputBenchmarks.Phrases)], phrases));
        var matcher = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var searchValues = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
        return matcher is > 0 && searchValues is > 0 ? searchValues / matcher : null;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Of(summary, benchmarkCase) is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
