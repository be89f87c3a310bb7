using System.Buffers;
using System.Diagnostics;
using eSafe.Detection;

namespace eSafe.Benchmarks.Workload;

/// <summary>What each benchmark runs, shared by the BenchmarkDotNet benchmarks and the quick mode.</summary>
internal static class Scans
{
    /// <summary>The matcher over every document, as the host scans them one text event at a time.</summary>
    public static int ThreatMatcher(ThreatMatcher matcher, string[] documents)
    {
        var hits = 0;
        foreach (var document in documents)
        {
            hits += matcher.Scan(document).Count;
        }

        return hits;
    }

    /// <summary>The baseline: every place a phrase starts, case-insensitively, no disguises, no word boundaries.</summary>
    public static int SearchValues(SearchValues<string> phrases, string[] documents)
    {
        var hits = 0;
        foreach (var document in documents)
        {
            var text = document.AsSpan();
            int at;
            while ((at = text.IndexOfAny(phrases)) >= 0)
            {
                hits++;
                text = text[(at + 1)..];
            }
        }

        return hits;
    }

    public static SearchValues<string> CreateSearchValues(int phrases) =>
        System.Buffers.SearchValues.Create(PhraseSets.Plain(phrases), StringComparison.OrdinalIgnoreCase);
}

/// <summary>A phrase set compiled into a matcher, and how long that took.</summary>
internal sealed class CompiledSet
{
    private CompiledSet(int phrases, ThreatLibrary library, CompiledLibrary compiled, TimeSpan compileTime)
    {
        Phrases = phrases;
        Library = library;
        Compiled = compiled;
        CompileTime = compileTime;
        Matcher = new ThreatMatcher(compiled);
    }

    public int Phrases { get; }

    public ThreatLibrary Library { get; }

    public CompiledLibrary Compiled { get; }

    public ThreatMatcher Matcher { get; }

    /// <summary>CompiledLibrary.Compile alone (the ThreatLibrary was made and checked before).</summary>
    public TimeSpan CompileTime { get; }

    public static CompiledSet Build(int phrases)
    {
        var library = PhraseSets.Library(phrases);
        var stopwatch = Stopwatch.StartNew();
        var compiled = CompiledLibrary.Compile(library);
        return new CompiledSet(phrases, library, compiled, stopwatch.Elapsed);
    }
}
