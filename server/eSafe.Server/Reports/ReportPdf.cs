using PdfSharp.Drawing;

namespace eSafe.Server.Reports;

/// <summary>An intervention report as an A4 PDF encrypted with AES-256 under the school's report password.</summary>
public static class ReportPdf
{
    public const string Title = "eSafe safeguarding report";

    public const string Footer = "The user ID is pseudonymous: match it to a pupil from your school's own records (see the roster tool). " +
        "Keep this report confidential.";

    private const double LabelWidth = 118;

    /// <exception cref="ArgumentException">The report misses something, or the password cannot protect it.</exception>
    public static byte[] Render(InterventionReport report, string password) => Render(report, password, sample: false);

    internal static byte[] Render(InterventionReport report, string password, bool sample)
    {
        ReportChecks.Check(report);
        ReportFonts.EnsureInstalled();
        var reference = ReportText.Clean(report.Reference);
        using var document = ReportDocument.New(sample ? Title + " (SAMPLE)" : Title, password);

        using (var flow = new PageFlow(document, f => ReportStyle.ContinuationLine(f, $"{Title} · {reference} (continued)")))
        {
            ReportStyle.TitleBand(flow, sample ? Title + " — SAMPLE" : Title, sample);
            Heading(flow, report, reference);
            Facts(flow, report);
            flow.Heading("What happened");
            flow.Paragraph(ReportText.Clean(report.Narrative), ReportStyle.Body, ReportStyle.Ink);
            flow.Heading("Why this is escalated to you");
            flow.Paragraph(ReportText.Clean(report.Reason), ReportStyle.Body, ReportStyle.Ink);
            Signature(flow, report);
            flow.Finish(Footer, reference);
        }

        return ReportDocument.Save(document);
    }

    private static void Heading(PageFlow flow, InterventionReport report, string reference)
    {
        flow.Paragraph(ReportText.Clean(report.SchoolName), ReportStyle.School, ReportStyle.Ink);
        flow.Gap(2);
        flow.Paragraph("Reference " + reference, ReportStyle.BodyBold, ReportStyle.Muted);
        flow.Gap(10);
        SeverityBadge(flow, report.Severity, report.Urgent);
    }

    /// <summary>A full-width band in the severity's colour: the first thing the reader sees after the school.</summary>
    internal static void SeverityBadge(PageFlow flow, int severity, bool urgent)
    {
        const double height = 28;
        var g = flow.Graphics;
        g.DrawRoundedRectangle(new XSolidBrush(SeverityScale.Colour(severity)), PageFlow.Left, flow.Y, flow.Width, height, 8, 8);
        g.DrawString(SeverityScale.Label(severity), ReportStyle.Badge, ReportStyle.White, PageFlow.Left + 12, flow.Y + 6.5, XStringFormats.TopLeft);
        if (urgent)
        {
            const string mark = "URGENT";
            var width = g.MeasureString(mark, ReportStyle.Badge).Width + 18;
            g.DrawRoundedRectangle(ReportStyle.White, flow.Right - 6 - width, flow.Y + 4, width, height - 8, 6, 6);
            g.DrawString(mark, ReportStyle.Badge, new XSolidBrush(SeverityScale.Colour(severity)), flow.Right - 6 - (width / 2), flow.Y + 6.5, XStringFormats.TopCenter);
        }

        flow.Y += height + 12;
    }

    private static void Facts(PageFlow flow, InterventionReport report)
    {
        void Row(string label, string value) => flow.Row(label, ReportText.Clean(value), ReportStyle.Label, ReportStyle.Body, LabelWidth);

        Row("Category", report.Category);
        Row("When (school time)", ReportText.LocalTime(report.OccurredAt, report.LocalOffsetMinutes));
        Row("When (UTC)", ReportText.Utc(report.OccurredAt));
        Row("User ID", report.UserId);
        Row("Machine", report.MachineName);
        Row("Device ID", report.DeviceId);
        Row("Site", report.Site is null ? "none recorded" : report.Site);
    }

    private static void Signature(PageFlow flow, InterventionReport report)
    {
        flow.Heading("Decided by");
        var who = ReportText.Clean(report.AnalystName);
        var qualifications = report.AnalystQualifications is null ? "" : ReportText.Clean(report.AnalystQualifications);
        flow.Paragraph(who, ReportStyle.BodyBold, ReportStyle.Ink);
        flow.Paragraph(qualifications.Length == 0 ? "eSafe safeguarding analyst" : "eSafe safeguarding analyst · " + qualifications,
            ReportStyle.Body, ReportStyle.Muted);
        flow.Paragraph($"Decided {ReportText.LocalTime(report.DecidedAt, report.LocalOffsetMinutes)} · {ReportText.Utc(report.DecidedAt)}",
            ReportStyle.Body, ReportStyle.Muted);
    }
}
