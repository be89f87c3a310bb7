using System.Globalization;
using System.Text;
using eSafe.Benchmarks.Workload;
using eSafe.Detection;

namespace eSafe.Benchmarks.Reporting;

/// <summary>The figures issue #3 asks for, from either the BenchmarkDotNet run or the quick mode, and the table that shows them.</summary>
internal sealed class Figures
{
    public const int TargetPhrases = 10_000;
    public const int LargestPhrases = 100_000;

    public required string Source { get; init; }

    /// <summary>MB/s (10^6 bytes of UTF-16 a second) by phrase count.</summary>
    public SortedDictionary<int, double> MatcherMBps { get; } = [];

    public SortedDictionary<int, double> SearchValuesMBps { get; } = [];

    public double? SkeletonMBps { get; set; }

    /// <summary>Microseconds a 2 KB hit-free keystroke batch takes, by phrase count.</summary>
    public SortedDictionary<int, double> BatchMicroseconds { get; } = [];

    /// <summary>Bytes allocated scanning the hit-free batch, by phrase count.</summary>
    public SortedDictionary<int, double> BatchAllocated { get; } = [];

    public SortedDictionary<int, double> LoadMilliseconds { get; } = [];

    public SortedDictionary<int, double> LoadAllocated { get; } = [];

    /// <summary>Managed bytes a loaded library keeps, and with its matcher, by phrase count.</summary>
    public SortedDictionary<int, (long Library, long WithMatcher)> Retained { get; } = [];

    public SortedDictionary<int, double> CompileSeconds { get; } = [];

    public SortedDictionary<int, int> FileBytes { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Managed memory a library loaded from its file keeps: GC.GetTotalMemory(true) before and after holding it.</summary>
    public static (long Library, long WithMatcher) MeasureRetained(string path)
    {
        _ = new ThreatMatcher(LibraryFile.Load(path));   // statics and code warm, not counted
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var library = LibraryFile.Load(path);
        var loaded = GC.GetTotalMemory(forceFullCollection: true);
        var matcher = new ThreatMatcher(library);
        var withMatcher = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(library);
        GC.KeepAlive(matcher);
        return (loaded - before, withMatcher - before);
    }

    public string Render()
    {
        var text = new StringBuilder();
        var corpus = Corpus.Shared;
        text.AppendLine(Invariant($"eSafe threat-phrase matcher, {Source}"));
        text.AppendLine(Invariant($"Text: {corpus.Documents.Length:N0} documents of about 2 KB, {corpus.Bytes / 1e6:0.00} MB (UTF-16: 2 bytes a character; MB = 10^6 bytes), {corpus.Planted.Count} planted phrases; one core."));
        text.AppendLine();
        text.AppendLine("| phrases | ThreatMatcher MB/s | SearchValues MB/s | ratio | target | met |");
        text.AppendLine("| ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var phrases in MatcherMBps.Keys.Union(SearchValuesMBps.Keys).Order())
        {
            var matcher = MatcherMBps.TryGetValue(phrases, out var m) ? m : (double?)null;
            var baseline = SearchValuesMBps.TryGetValue(phrases, out var s) ? s : (double?)null;
            var ratio = matcher / baseline;
            var (target, met) = phrases switch
            {
                TargetPhrases => ("ratio ≥ 1 (floor 0.75)", ratio is null ? "?" : ratio >= 1 ? "yes" : ratio >= 0.75 ? "floor only" : "NO"),
                LargestPhrases => ("≥ 100 MB/s", matcher is null ? "?" : matcher >= 100 ? "yes" : "NO"),
                _ => ("", ""),
            };
            text.AppendLine(Invariant($"| {phrases:N0} | {Number(matcher, "0")} | {Number(baseline, "0")} | {Number(ratio, "0.00")}× | {target} | {met} |"));
        }

        text.AppendLine();
        text.AppendLine("| figure | value | target | met |");
        text.AppendLine("| --- | ---: | --- | --- |");
        if (SkeletonMBps is { } skeleton)
        {
            text.AppendLine(Invariant($"| Skeleton.Build alone, same text | {skeleton:0} MB/s | (ceiling of the matcher) | |"));
        }

        foreach (var (phrases, micros) in BatchMicroseconds)
        {
            var target = phrases == TargetPhrases ? ("< 50 µs", micros < 50 ? "yes" : "NO") : ("", "");
            text.AppendLine(Invariant($"| 2 KB keystroke batch, no hit, {phrases:N0} phrases | {micros:0.0} µs | {target.Item1} | {target.Item2} |"));
        }

        foreach (var (phrases, bytes) in BatchAllocated)
        {
            text.AppendLine(Invariant($"| allocated scanning it, {phrases:N0} phrases | {bytes:0.###} B | 0 B | {(bytes == 0 ? "yes" : "NO")} |"));
        }

        foreach (var (phrases, seconds) in CompileSeconds)
        {
            text.AppendLine(Invariant($"| CompiledLibrary.Compile, {phrases:N0} phrases | {seconds:0.00} s | (no target) | |"));
        }

        foreach (var (phrases, bytes) in FileBytes)
        {
            text.AppendLine(Invariant($"| compiled file, {phrases:N0} phrases | {bytes / 1e6:0.0} MB | | |"));
        }

        foreach (var (phrases, ms) in LoadMilliseconds)
        {
            var target = phrases == LargestPhrases ? ("< 100 ms", ms < 100 ? "yes" : "NO") : ("", "");
            text.AppendLine(Invariant($"| LibraryFormat.Read of the file, {phrases:N0} phrases | {ms:0.0} ms | {target.Item1} | {target.Item2} |"));
        }

        foreach (var (phrases, bytes) in LoadAllocated)
        {
            text.AppendLine(Invariant($"| allocated by one load, {phrases:N0} phrases | {bytes / 1e6:0.0} MB | | |"));
        }

        foreach (var (phrases, (library, withMatcher)) in Retained)
        {
            var target = phrases == LargestPhrases ? ("< 60 MB", library < 60_000_000 ? "yes" : "NO") : ("", "");
            text.AppendLine(Invariant($"| kept by the loaded library, {phrases:N0} phrases | {library / 1e6:0.0} MB ({withMatcher / 1e6:0.0} MB with its ThreatMatcher) | {target.Item1} | {target.Item2} |"));
        }

        foreach (var note in Notes)
        {
            text.AppendLine().Append(note);
        }

        return text.ToString();
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
