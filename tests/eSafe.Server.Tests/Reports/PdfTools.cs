using System.Diagnostics;

namespace eSafe.Server.Tests.Reports;

/// <summary>Debian's qpdf and poppler-utils, the independent judges of what a report is.</summary>
internal static class PdfTools
{
    public const string InstallHint = "needs qpdf and poppler-utils (pdftotext, pdfinfo, pdftoppm): `apt-get install qpdf poppler-utils`, " +
        "or `./build.sh --target=Install-Test-Tools`";

    public static void RequireOrIgnore()
    {
        foreach (var tool in new[] { "qpdf", "pdftotext", "pdfinfo", "pdftoppm" })
        {
            if (Find(tool) is null)
            {
                Assert.Ignore($"{tool} is missing: this test {InstallHint}.");
            }
        }
    }

    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(tool) ?? tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{tool} did not finish within a minute.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The text of a PDF opened with <paramref name="password"/>; fails the test when it does not open.</summary>
    public static string Text(string file, string password)
    {
        var result = Run("pdftotext", "-upw", password, file, "-");
        result.ExitCode.Should().Be(0, $"pdftotext must open the report with its password: {result.Error}");
        return result.Output;
    }

    public static string Encryption(string file, string password)
    {
        var result = Run("qpdf", "--show-encryption", "--password=" + password, file);
        result.ExitCode.Should().Be(0, result.Error);
        return result.Output;
    }

    public static int Pages(string file, string password)
    {
        var info = Run("pdfinfo", "-upw", password, file);
        info.ExitCode.Should().Be(0, info.Error);
        var line = info.Output.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);
}
