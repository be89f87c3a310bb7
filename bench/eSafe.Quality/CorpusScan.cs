using System.Globalization;
using System.Text;
using eSafe.Detection;
using eSafe.Detection.Quality;

namespace eSafe.Quality;

/// <summary>
/// The benign text's false hits (<see cref="BenignText"/>), per MB: 10^6 bytes of the UTF-8 file.
/// </summary>
internal sealed record CorpusScan(long Bytes, int Paragraphs, IReadOnlyList<(ThreatMatch Match, string Context)> Hits, TimeSpan Elapsed)
{
    public const double TargetPerTenMegabytes = 1.0;

    public double Megabytes => Bytes / 1e6;

    public double HitsPerMegabyte => Hits.Count / Megabytes;

    public static CorpusScan Run(IThreatMatcher matcher, string file)
    {
        var text = File.ReadAllText(file, Encoding.UTF8);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (hits, events) = BenignText.Scan(matcher, text);
        return new CorpusScan(new FileInfo(file).Length, events, hits, clock.Elapsed);
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

        if (details)
        {
            text.AppendLine("every false hit:");
            foreach (var (match, context) in Hits)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {match.Entry.Id,-14} …{context}…");
            }
        }

        return text.ToString();
    }
}
