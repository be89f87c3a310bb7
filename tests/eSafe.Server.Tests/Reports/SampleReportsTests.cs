using eSafe.Incidents;
using eSafe.Server.Reports;

namespace eSafe.Server.Tests.Reports;

public sealed class SampleReportsTests
{
    private const string Password = "sample-pass-1";
    private readonly List<string> _files = [];

    [SetUp]
    public void SetUp() => PdfTools.RequireOrIgnore();

    [TearDown]
    public void TearDown() => _files.ForEach(TestReports.Delete);

    [Test]
    public void The_sample_report_is_marked_and_made_up()
    {
        var sample = SampleReports.Intervention();
        PseudonymousId.IsValid(sample.UserId).Should().BeTrue("the sample shows a user ID in the real format");
        IncidentId.IsValid(sample.Reference).Should().BeTrue();

        var file = TestReports.Write(SampleReports.InterventionPdf(Password));
        _files.Add(file);
        PdfTools.Encryption(file, Password).Should().Contain("R = 6");
        var text = ReportPdfTests.Flatten(PdfTools.Text(file, Password));
        text.Should().Contain("eSafe safeguarding report — SAMPLE").And.Contain("Sample Academy").And.Contain("LIB-PC-12").And.Contain(sample.UserId);
        text.Should().Contain("Tuesday 16 June 2026, 14:07:42 (UTC+01:00)").And.Contain("2026-06-16 13:07:42 UTC");
    }

    [Test]
    public void The_sample_weekly_summary_is_marked_and_renders_as_a_picture()
    {
        var file = TestReports.Write(SampleReports.WeeklyPdf(Password));
        _files.Add(file);
        var text = ReportPdfTests.Flatten(PdfTools.Text(file, Password));
        text.Should().Contain("eSafe weekly summary — SAMPLE").And.Contain("3 concerns");

        var prefix = Path.Combine(Path.GetDirectoryName(file)!, "page");
        var render = PdfTools.Run("pdftoppm", "-upw", Password, "-png", "-r", "50", "-f", "1", "-l", "1", file, prefix);
        render.ExitCode.Should().Be(0, render.Error);
        var png = Directory.GetFiles(Path.GetDirectoryName(file)!, "page*.png").Single();
        new FileInfo(png).Length.Should().BeGreaterThan(5_000, "a page with text and colour, not a blank one");
    }
}
