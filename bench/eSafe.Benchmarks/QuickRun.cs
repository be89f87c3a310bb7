using System.Diagnostics;
using System.Globalization;
using eSafe.Benchmarks.Reporting;
using eSafe.Benchmarks.Workload;
using eSafe.Detection.Normalisation;

namespace eSafe.Benchmarks;

/// <summary>
/// <c>-- quick</c>: the same figures as the BenchmarkDotNet run, measured with a Stopwatch in about half a
/// minute, in one table. A quick check, not a benchmark: the BenchmarkDotNet run is the authoritative one.
/// </summary>
internal static class QuickRun
{
    private static readonly int[] PhraseCounts = [1_000, 10_000, 100_000];

    public static void Run()
    {
        var total = Stopwatch.StartNew();
        var figures = new Figures { Source = "quick mode (Stopwatch, median of repeated passes; the BenchmarkDotNet run is authoritative)" };
        var setup = Stopwatch.StartNew();
        var documents = Corpus.Shared.Documents;
        var bytes = Corpus.Shared.Bytes;
        Log($"text generated in {setup.Elapsed.TotalSeconds:0.0} s: {documents.Length:N0} documents, {bytes / 1e6:0.00} MB");

        var skeleton = new Skeleton();
        figures.SkeletonMBps = bytes / Median(() =>
        {
            foreach (var document in documents)
            {
                skeleton.Build(document);
            }
        }) / 1e6;

        var batch = Corpus.KeystrokeBatch(withHit: false);
        foreach (var phrases in PhraseCounts)
        {
            var set = CompiledSet.Build(phrases);
            figures.CompileSeconds[phrases] = set.CompileTime.TotalSeconds;
            setup.Restart();
            var searchValues = Scans.CreateSearchValues(phrases);
            Log($"{phrases:N0} phrases: compiled in {set.CompileTime.TotalSeconds:0.00} s ({set.Compiled.StateCount:N0} states), SearchValues made in {setup.Elapsed.TotalSeconds:0.00} s");

            var matcherHits = Scans.ThreatMatcher(set.Matcher, documents);
            var baselineHits = Scans.SearchValues(searchValues, documents);
            figures.MatcherMBps[phrases] = bytes / Median(() => Scans.ThreatMatcher(set.Matcher, documents)) / 1e6;
            figures.SearchValuesMBps[phrases] = bytes / Median(() => Scans.SearchValues(searchValues, documents)) / 1e6;
            figures.Notes.Add(Invariant($"Hits over the text at {phrases:N0} phrases: ThreatMatcher {matcherHits}, SearchValues {baselineHits} ({Corpus.Shared.Planted.Count} planted, a quarter of them disguised)."));

            if (set.Matcher.Scan(batch).Count != 0)
            {
                throw new InvalidOperationException("the hit-free keystroke batch has a hit");
            }

            const int BatchScans = 20_000;
            for (var i = 0; i < 1_000; i++)
            {
                set.Matcher.Scan(batch);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < BatchScans; i++)
            {
                set.Matcher.Scan(batch);
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            figures.BatchAllocated[phrases] = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / BatchScans;
            figures.BatchMicroseconds[phrases] = elapsed.TotalMicroseconds / BatchScans;

            if (phrases >= 10_000)
            {
                var path = LibraryFile.Write(set);
                figures.FileBytes[phrases] = (int)new FileInfo(path).Length;
                LibraryFile.Load(path);
                var before = GC.GetAllocatedBytesForCurrentThread();
                LibraryFile.Load(path);
                figures.LoadAllocated[phrases] = GC.GetAllocatedBytesForCurrentThread() - before;
                figures.LoadMilliseconds[phrases] = Median(() => LibraryFile.Load(path), minimumPasses: 5) * 1e3;
                figures.Retained[phrases] = Figures.MeasureRetained(path);
            }
        }

        figures.Notes.Add(Invariant($"Quick mode took {total.Elapsed.TotalSeconds:0} s."));
        Console.WriteLine();
        Console.WriteLine(figures.Render());
    }

    /// <summary>Seconds one call takes: median of passes repeated for at least a second (after one warm-up pass).</summary>
    private static double Median(Action action, int minimumPasses = 3)
    {
        action();
        var times = new List<double>();
        var elapsed = Stopwatch.StartNew();
        while (times.Count < minimumPasses || elapsed.Elapsed.TotalSeconds < 1)
        {
            var pass = Stopwatch.StartNew();
            action();
            times.Add(pass.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static void Log(FormattableString message) => Console.WriteLine("// " + message.ToString(CultureInfo.InvariantCulture));

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
