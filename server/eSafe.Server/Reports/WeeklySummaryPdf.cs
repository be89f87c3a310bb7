using PdfSharp.Drawing;

namespace eSafe.Server.Reports;

/// <summary>A week's lower-severity concerns for one school, one entry each, encrypted as <see cref="ReportPdf"/> is.</summary>
public static class WeeklySummaryPdf
{
    public const string Title = "eSafe weekly summary";

    /// <exception cref="ArgumentException">The summary misses something, or the password cannot protect it.</exception>
    public static byte[] Render(WeeklySummary summary, string password) => Render(summary, password, sample: false);

    internal static byte[] Render(WeeklySummary summary, string password, bool sample)
    {
        ReportChecks.Check(summary);
        ReportFonts.EnsureInstalled();
        var school = ReportText.Clean(summary.SchoolName);
        var week = $"{ReportText.Day(summary.From)} to {ReportText.Day(summary.To)}";
        using var document = ReportDocument.New(sample ? Title + " (SAMPLE)" : Title, password);

        using (var flow = new PageFlow(document, f => ReportStyle.ContinuationLine(f, $"{Title} · {school} · {week} (continued)")))
        {
            ReportStyle.TitleBand(flow, sample ? Title + " — SAMPLE" : Title, sample);
            flow.Paragraph(school, ReportStyle.School, ReportStyle.Ink);
            flow.Gap(2);
            flow.Paragraph(week, ReportStyle.BodyBold, ReportStyle.Muted);
            flow.Gap(6);
            var items = summary.Items.OrderBy(i => i.OccurredAt).ToList();
            if (items.Count == 0)
            {
                flow.Gap(8);
                flow.Paragraph($"No concerns were recorded for {school} this week.", ReportStyle.BodyBold, ReportStyle.Ink);
            }
            else
            {
                flow.Paragraph(Count(items.Count) + " that needed no immediate action, oldest first. Each was reviewed by an eSafe analyst.",
                    ReportStyle.Body, ReportStyle.Ink);
                flow.Gap(8);
                foreach (var item in items)
                {
                    Entry(flow, item);
                }
            }

            flow.Finish(ReportPdf.Footer, $"{school} · {summary.From:yyyy-MM-dd}");
        }

        return ReportDocument.Save(document);
    }

    internal static string Count(int count) => count == 1 ? "1 concern" : $"{count} concerns";

    /// <summary>One concern: a line of facts marked with its severity's colour, its IDs, the analyst's narrative.</summary>
    private static void Entry(PageFlow flow, WeeklySummaryItem item)
    {
        const double indent = 12;
        var facts = $"{ReportText.ShortLocalTime(item.OccurredAt, item.LocalOffsetMinutes)} · {SeverityScale.Label(item.Severity)} · {ReportText.Clean(item.Category)}";
        var ids = $"User ID {item.UserId} · Machine {ReportText.Clean(item.MachineName)} · Reference {ReportText.Clean(item.Reference)}";
        var narrative = ReportText.Clean(item.Narrative);
        var bold = PageFlow.LineHeight(ReportStyle.BodyBold);
        var small = PageFlow.LineHeight(ReportStyle.Small);
        flow.EnsureRoom(bold + small + PageFlow.LineHeight(ReportStyle.Body) + 10); // never a lone heading line at a page's foot

        flow.Graphics.DrawRectangle(new XSolidBrush(SeverityScale.Colour(item.Severity)), PageFlow.Left, flow.Y + 1, 4, bold + small - 1);
        flow.Paragraph(facts, ReportStyle.BodyBold, ReportStyle.Ink, indent);
        flow.Paragraph(ids, ReportStyle.Small, ReportStyle.Muted, indent);
        flow.Gap(3);
        flow.Paragraph(narrative, ReportStyle.Body, ReportStyle.Ink, indent);
        flow.Gap(6);
        flow.Graphics.DrawLine(ReportStyle.Rule, PageFlow.Left, flow.Y, flow.Right, flow.Y);
        flow.Gap(8);
    }
}
