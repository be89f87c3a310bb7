using System.Globalization;
using System.Text;
using eSafe.Detection;

namespace eSafe.Quality;

/// <summary>
/// Scans the benign text paragraph by paragraph (as text events of at most 64 K characters, the largest the host
/// accepts) and counts the hits: every one is a false hit. MB is 10^6 bytes of the UTF-8 file.
/// </summary>
internal sealed record CorpusScan(long Bytes, int Paragraphs, IReadOnlyList<(ThreatMatch Match, string Context)> Hits, TimeSpan Elapsed)
{
    public const int MaxEvent = 64 * 1024;
    public const double TargetPerTenMegabytes = 1.0;

    public double Megabytes => Bytes / 1e6;

    public double HitsPerMegabyte => Hits.Count / Megabytes;

    public static CorpusScan Run(IThreatMatcher matcher, string file)
    {
        var text = File.ReadAllText(file, Encoding.UTF8);
        var hits = new List<(ThreatMatch, string)>();
        var paragraphs = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var paragraph in Events(text))
        {
            paragraphs++;
            foreach (var match in matcher.Scan(paragraph))
            {
                hits.Add((match, match.Context(paragraph, 40).ReplaceLineEndings(" ")));
            }
        }

        return new CorpusScan(new FileInfo(file).Length, paragraphs, hits, clock.Elapsed);
    }

    public string Render(bool details)
    {
        var text = new StringBuilder();
        var perTen = HitsPerMegabyte * 10;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"benign text: {Megabytes:0.0} MB, {Paragraphs} paragraphs, {Hits.Count} false hits = {HitsPerMegabyte:0.00} per MB ({perTen:0.0} per 10 MB; target <= {TargetPerTenMegabytes:0}: {(perTen <= TargetPerTenMegabytes ? "met" : "not met")}), scanned in {Elapsed.TotalSeconds:0.0} s");
        text.AppendLine("entries with the most false hits:");
        foreach (var group in Hits.GroupBy(h => h.Match.Entry.Id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(details ? 200 : 15))
        {
            var first = group.First();
            text.AppendLine(CultureInfo.InvariantCulture, $"{group.Count(),6}  {group.Key,-14} {first.Match.Entry.Phrase,-28} e.g. …{first.Context}…");
        }

        return text.ToString();
    }

    // Paragraphs (blank-line separated), long ones cut at the host's event size.
    private static IEnumerable<string> Events(string text)
    {
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            for (var at = 0; at < paragraph.Length; at += MaxEvent)
            {
                yield return paragraph.Substring(at, Math.Min(MaxEvent, paragraph.Length - at));
            }
        }
    }
}
