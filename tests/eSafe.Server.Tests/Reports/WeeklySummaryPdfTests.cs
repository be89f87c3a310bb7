using eSafe.Incidents;
using eSafe.Server.Reports;

namespace eSafe.Server.Tests.Reports;

public sealed class WeeklySummaryPdfTests
{
    private const string Password = "weekly-pass-7";
    private readonly List<string> _files = [];

    [SetUp]
    public void SetUp() => PdfTools.RequireOrIgnore();

    [TearDown]
    public void TearDown() => _files.ForEach(TestReports.Delete);

    private string Render(WeeklySummary summary)
    {
        var file = TestReports.Write(WeeklySummaryPdf.Render(summary, Password));
        _files.Add(file);
        return file;
    }

    private static WeeklySummaryItem Item(int day, int severity, string machine, string narrative)
    {
        var at = new DateTimeOffset(2026, 11, 2 + day, 10, 15, 0, TimeSpan.Zero);
        return new WeeklySummaryItem(IncidentId.New(at), TestReports.UserId, machine, at, 0, "bullying", severity, narrative);
    }

    [Test]
    public void A_week_lists_each_concern_oldest_first_and_is_encrypted_like_a_report()
    {
        var later = Item(3, 2, "ART-PC-02", "Second concern: name-calling in a shared document.");
        var earlier = Item(0, 1, "ART-PC-01", "First concern: a visit to a gambling odds page.");
        var file = Render(new WeeklySummary("Northfield Test School", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 8), [later, earlier]));

        PdfTools.Encryption(file, Password).Should().Contain("R = 6").And.Contain("AESv3");
        PdfTools.Run("pdftotext", file, "-").ExitCode.Should().NotBe(0);
        var text = ReportPdfTests.Flatten(PdfTools.Text(file, Password));
        text.Should().Contain("eSafe weekly summary").And.Contain("Northfield Test School").And.Contain("2 concerns")
            .And.Contain("Monday 2 November 2026 to Sunday 8 November 2026");
        text.Should().Contain(earlier.Reference).And.Contain(later.Reference).And.Contain("ART-PC-01").And.Contain(TestReports.UserId);
        text.Should().Contain("Severity 1 — low concern").And.Contain("Severity 2 — a concern");
        text.IndexOf("First concern", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("Second concern", StringComparison.Ordinal));
    }

    [Test]
    public void An_empty_week_says_so()
    {
        var text = ReportPdfTests.Flatten(PdfTools.Text(Render(new WeeklySummary("Quiet Test School", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 8), [])), Password));
        text.Should().Contain("No concerns were recorded for Quiet Test School this week.");
    }

    [Test]
    public void A_long_week_runs_onto_further_pages()
    {
        var items = Enumerable.Range(0, 30).Select(i => Item(i % 7, 1 + (i % 2), $"PC-{i:00}", $"Concern number {i:00}: a short narrative written by the analyst.")).ToList();
        var file = Render(new WeeklySummary("Busy Test School", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 8), items));
        PdfTools.Pages(file, Password).Should().BeGreaterThan(1);
        var text = ReportPdfTests.Flatten(PdfTools.Text(file, Password));
        foreach (var i in Enumerable.Range(0, 30))
        {
            text.Should().Contain($"Concern number {i:00}:");
        }
    }

    [Test]
    public void A_summary_that_cannot_be_made_says_why()
    {
        var good = Item(0, 1, "PC-01", "Fine.");
        var render = () => WeeklySummaryPdf.Render(
            new WeeklySummary("School", new DateOnly(2026, 11, 8), new DateOnly(2026, 11, 2), [good, good with { UserId = "a.pupil", Severity = 9 }]), Password);
        render.Should().Throw<ArgumentException>().WithMessage("*week ends before it starts*concern 2: the user ID*concern 2: the severity 9*");
    }
}
