using System.Text.RegularExpressions;
using eSafe.Server.Reports;

namespace eSafe.Server.Tests.Reports;

public sealed class ReportPdfTests
{
    private const string Password = "Report-pass 42!";
    private readonly List<string> _files = [];

    [SetUp]
    public void SetUp() => PdfTools.RequireOrIgnore();

    [TearDown]
    public void TearDown() => _files.ForEach(TestReports.Delete);

    private string Render(InterventionReport report, string password = Password)
    {
        var file = TestReports.Write(ReportPdf.Render(report, password));
        _files.Add(file);
        return file;
    }

    [Test]
    public void The_report_is_AES_256_and_opens_only_with_the_schools_password()
    {
        var file = Render(TestReports.Intervention());

        PdfTools.Run("qpdf", "--requires-password", file).ExitCode.Should().Be(0, "qpdf exits 0 when a password is needed to open the file");
        var encryption = PdfTools.Encryption(file, Password);
        encryption.Should().Contain("R = 6").And.Contain("stream encryption method: AESv3").And.Contain("string encryption method: AESv3");
        encryption.Should().Contain("Supplied password is user password", "the owner password is a different, random one");
        encryption.Should().Contain("print high resolution: allowed").And.Contain("modify other: not allowed")
            .And.Contain("modify annotations: not allowed").And.Contain("modify document assembly: not allowed");

        PdfTools.Run("pdftotext", file, "-").ExitCode.Should().NotBe(0, "without the password the text cannot be read");
        PdfTools.Run("pdftotext", "-upw", "not-the-password", file, "-").ExitCode.Should().NotBe(0);
        PdfTools.Run("qpdf", "--check", "--password=" + Password.ToUpperInvariant(), file).ExitCode.Should().NotBe(0);
        var check = PdfTools.Run("qpdf", "--check", "--password=" + Password, file);
        check.ExitCode.Should().Be(0, "qpdf finds the file well formed and exits 0 only without warnings: " + check.Output + check.Error);
        File.ReadAllText(file).Should().NotContain(ReportPdf.Title, "strings and metadata are encrypted too, not merely locked");
        var decrypted = file + ".decrypted.pdf";
        PdfTools.Run("qpdf", "--decrypt", "--password=" + Password, file, decrypted).ExitCode.Should().Be(0);
        File.ReadAllText(decrypted).Should().Contain(ReportPdf.Title, "the title is there once decrypted");
    }

    [Test]
    public void The_report_holds_what_the_school_needs()
    {
        var report = TestReports.Intervention();
        var text = Flatten(PdfTools.Text(Render(report), Password));

        text.Should().Contain("eSafe safeguarding report").And.Contain(report.SchoolName).And.Contain("Reference " + report.Reference);
        text.Should().Contain("Severity 4 — risk of harm").And.Contain("self-harm");
        text.Should().Contain(report.UserId).And.Contain(report.MachineName).And.Contain(report.DeviceId).And.Contain("https://forum.example.net");
        text.Should().Contain("Tuesday 3 November 2026, 22:41:05 (UTC+00:00)").And.Contain("2026-11-03 22:41:05 UTC");
        text.Should().Contain(Flatten(report.Narrative)).And.Contain(Flatten(report.Reason));
        text.Should().Contain("Robin Reviewer").And.Contain("Enhanced DBS (2026); NPPV 2").And.Contain("2026-11-03 22:55:00 UTC");
        text.Should().Contain(Flatten(ReportPdf.Footer)).And.Contain("page 1 of 1");
        text.Should().NotContain("URGENT");
    }

    [Test]
    public void The_time_is_shown_in_the_schools_local_time_and_in_UTC()
    {
        var report = TestReports.Intervention() with { OccurredAt = new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero), LocalOffsetMinutes = 60 };
        var text = Flatten(PdfTools.Text(Render(report), Password));
        text.Should().Contain("Thursday 2 July 2026, 00:30:00 (UTC+01:00)").And.Contain("2026-07-01 23:30:00 UTC");
    }

    [TestCase(1, "Severity 1 — low concern")]
    [TestCase(2, "Severity 2 — a concern")]
    [TestCase(3, "Severity 3 — likely needs a conversation")]
    [TestCase(4, "Severity 4 — risk of harm")]
    [TestCase(5, "Severity 5 — immediate risk / illegal")]
    public void Each_severity_is_named_in_words(int severity, string expected)
    {
        var text = Flatten(PdfTools.Text(Render(TestReports.Intervention(severity, urgent: severity == 5)), Password));
        text.Should().Contain(expected);
        if (severity == 5)
        {
            text.Should().Contain("URGENT");
        }
    }

    [Test]
    public void Nothing_that_names_the_pupil_reaches_the_report()
    {
        const string pageAddress = "https://forum.example.net/members/profile?name=jo.bloggs&email=jo.bloggs%40pupils.example.org#posts";
        var report = TestReports.Intervention(site: ReportSite.Of(pageAddress));
        var text = PdfTools.Text(Render(report), Password);

        text.Should().Contain("https://forum.example.net").And.NotContain("jo.bloggs").And.NotContain("profile").And.NotContain("?");
        Regex.IsMatch(text, @"[\w.+-]+@[\w-]+\.[\w.]+").Should().BeFalse("no email address is in the report");
        Regex.IsMatch(text, @"[?&]\w+=").Should().BeFalse("no URL query string is in the report");
    }

    [Test]
    public void The_full_address_appears_only_when_the_analyst_kept_it()
    {
        const string pageAddress = "https://video.example.net/watch/abc123?t=42";
        var text = Flatten(PdfTools.Text(Render(TestReports.Intervention(site: ReportSite.Of(pageAddress, keepFullAddress: true))), Password));
        text.Should().Contain("https://video.example.net/watch/abc123?t=42");
    }

    [Test]
    public void A_long_narrative_runs_onto_further_pages_with_nothing_lost()
    {
        var paragraphs = Enumerable.Range(1, 40).Select(i =>
            $"Paragraph {i:00}: the analyst describes what was seen on the page and in the searches that followed, in enough detail " +
            "for the school to understand the context without seeing the screenshot itself.");
        var report = TestReports.Intervention() with { Narrative = string.Join("\n\n", paragraphs) + "\n\nThe last sentence of the narrative." };
        var file = Render(report);

        var pages = PdfTools.Pages(file, Password);
        pages.Should().BeGreaterThan(1);
        var text = Flatten(PdfTools.Text(file, Password));
        for (var i = 1; i <= 40; i++)
        {
            text.Should().Contain($"Paragraph {i:00}:");
        }

        text.Should().Contain("The last sentence of the narrative.").And.Contain($"page {pages} of {pages}").And.Contain("(continued)");
        text.Should().Contain("Robin Reviewer", "the signature follows the narrative, whatever its length");
    }

    [Test]
    public void Control_and_direction_characters_are_dropped_from_what_is_drawn()
    {
        var report = TestReports.Intervention() with { Narrative = "Plain\u202Egnirts reversed\u200B and\ttabbed\u0007." };
        var text = Flatten(PdfTools.Text(Render(report), Password));
        text.Should().Contain("Plaingnirts reversed and tabbed.");
    }

    [Test]
    public void Every_render_is_encrypted_afresh()
    {
        var report = TestReports.Intervention();
        ReportPdf.Render(report, Password).Should().NotEqual(ReportPdf.Render(report, Password), "salts and the owner password are random per document");
    }

    private static IEnumerable<TestCaseData> BadReports()
    {
        var good = TestReports.Intervention();
        yield return new TestCaseData(good with { Severity = 0 }, Password, "severity 0").SetName("Severity 0");
        yield return new TestCaseData(good with { Severity = 6 }, Password, "severity 6").SetName("Severity 6");
        yield return new TestCaseData(good with { UserId = "jo.bloggs" }, Password, "pseudonymous").SetName("A name as the user ID");
        yield return new TestCaseData(good with { UserId = TestReports.UserId.ToUpperInvariant() }, Password, "pseudonymous").SetName("User ID not in its form");
        yield return new TestCaseData(good with { Narrative = " \n " }, Password, "narrative is empty").SetName("Empty narrative");
        yield return new TestCaseData(good with { Reason = "" }, Password, "reason for escalation is empty").SetName("Empty reason");
        yield return new TestCaseData(good with { SchoolName = "", MachineName = "" }, Password, "school's name is empty; the machine name is empty").SetName("Every problem named");
        yield return new TestCaseData(good with { LocalOffsetMinutes = 15 * 60 }, Password, "offset").SetName("Offset beyond 14 hours");
        yield return new TestCaseData(good with { Narrative = new string('x', 20_001) }, Password, "longer than 20000").SetName("Narrative too long");
        yield return new TestCaseData(good, "short", "8 to 127").SetName("Password too short");
        yield return new TestCaseData(good, new string('p', 128), "8 to 127").SetName("Password too long");
        yield return new TestCaseData(good, "pässwörter-lang", "printable ASCII").SetName("Password not ASCII");
    }

    [TestCaseSource(nameof(BadReports))]
    public void A_report_that_cannot_be_made_says_why(InterventionReport report, string password, string expected)
    {
        var render = () => ReportPdf.Render(report, password);
        render.Should().Throw<ArgumentException>().WithMessage($"*{expected}*");
    }

    [TestCase("https://chat.example.org/room/7?user=sam", false, "https://chat.example.org")]
    [TestCase("http://user:secret@intranet.example.org:8080/a?b=c", false, "http://intranet.example.org:8080")]
    [TestCase("http://user:secret@intranet.example.org:8080/a?b=c", true, "http://intranet.example.org:8080/a?b=c")]
    [TestCase("https://EXAMPLE.org", false, "https://example.org")]
    [TestCase("chrome://settings", false, null)]
    [TestCase("javascript:alert(1)", true, null)]
    [TestCase("not a url", false, null)]
    [TestCase("", false, null)]
    [TestCase(null, false, null)]
    public void The_site_is_scheme_and_host_unless_kept(string? url, bool keep, string? expected) =>
        ReportSite.Of(url, keep).Should().Be(expected);

    /// <summary>pdftotext lays text out in columns and lines; compare words, not layout.</summary>
    internal static string Flatten(string text) => Regex.Replace(text, @"\s+", " ");
}
