using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Reports;

public sealed class ReportCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.GetDirectoryName(TestReports.TempFile("unused"))!;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task The_sample_opens_with_the_password_printed_once()
    {
        PdfTools.RequireOrIgnore();
        var file = Path.Combine(_folder, "sample.pdf");

        var result = await ServerCli.RunAsync("report", "sample", "--output", file);

        result.ExitCode.Should().Be(0, result.Error);
        var passwordLine = result.Output.Split('\n').Single(l => l.StartsWith("Password: ", StringComparison.Ordinal));
        var password = passwordLine["Password: ".Length..].Trim();
        password.Should().MatchRegex("^[a-z0-9]{5}(-[a-z0-9]{5}){3}$");
        PdfTools.Encryption(file, password).Should().Contain("R = 6");
        PdfTools.Run("pdftotext", file, "-").ExitCode.Should().NotBe(0);
        ReportPdfTests.Flatten(PdfTools.Text(file, password)).Should().Contain("SAMPLE").And.Contain("Sample Academy").And.Contain("LIB-PC-12");
        Directory.GetFiles(_folder).Should().Equal(file);
    }

    [Test]
    public async Task A_given_password_is_used_and_not_echoed_and_weekly_gives_the_summary()
    {
        PdfTools.RequireOrIgnore();
        var file = Path.Combine(_folder, "weekly.pdf");

        var result = await ServerCli.RunAsync("report", "sample", "--output", file, "--password", "our school pass", "--weekly");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().NotContain("our school pass");
        ReportPdfTests.Flatten(PdfTools.Text(file, "our school pass")).Should().Contain("eSafe weekly summary — SAMPLE");
    }

    [Test]
    public async Task An_existing_file_is_kept_unless_forced()
    {
        var file = Path.Combine(_folder, "existing.pdf");
        await File.WriteAllTextAsync(file, "the school's own file");

        var refused = await ServerCli.RunAsync("report", "sample", "--output", file, "--password", "password-1");
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("already exists").And.Contain("--force");
        (await File.ReadAllTextAsync(file)).Should().Be("the school's own file");

        var forced = await ServerCli.RunAsync("report", "sample", "--output", file, "--password", "password-1", "--force");
        forced.ExitCode.Should().Be(0, forced.Error);
        (await File.ReadAllBytesAsync(file)).Take(5).Should().Equal("%PDF-"u8.ToArray());
        Directory.GetFiles(_folder).Should().Equal(new[] { file }, "no temporary file is left behind");
    }

    private static IEnumerable<TestCaseData> BadArguments()
    {
        yield return new TestCaseData(new[] { "report", "sample" }, "--output").SetName("No output");
        yield return new TestCaseData(new[] { "report", "sample", "--output", "{folder}/a.pdf", "--password", "short" }, "8 to 127").SetName("Short password");
        yield return new TestCaseData(new[] { "report", "sample", "--output", "{folder}/a.pdf", "--password", "zażółć-gęślą" }, "printable ASCII").SetName("Non-ASCII password");
        yield return new TestCaseData(new[] { "report", "sample", "--output", "{folder}/missing/a.pdf" }, "folder does not exist").SetName("Missing folder");
        yield return new TestCaseData(new[] { "report", "sample", "--output", "{folder}" }, "is a folder").SetName("Output is a folder");
        yield return new TestCaseData(new[] { "report", "sample", "--output", "{folder}/a.pdf", "--colour" }, "--colour").SetName("Unknown option");
        yield return new TestCaseData(new[] { "report", "draft", "--output", "{folder}/a.pdf" }, "draft").SetName("Unknown subcommand");
    }

    [TestCaseSource(nameof(BadArguments))]
    public async Task Bad_arguments_exit_1_with_a_message_and_write_nothing(string[] args, string expected)
    {
        var result = await ServerCli.RunAsync([.. args.Select(a => a.Replace("{folder}", _folder, StringComparison.Ordinal))]);
        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain(expected);
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
    }
}
