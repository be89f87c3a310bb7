using System.CommandLine;
using eSafe.Server.Reports;
using eSafe.Server.Security;

namespace eSafe.Server.Cli;

/// <summary>
/// <c>esafe-server report sample --output FILE [--password TEXT] [--weekly] [--force]</c>: a report from made-up data
/// for a prospective school. Needs no data folder.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "The PDF to write.", Required = true };
        var password = new Option<string?>("--password")
        {
            Description = $"The password that opens it ({ReportEncryption.MinPasswordLength}–{ReportEncryption.MaxPasswordLength} printable ASCII characters); one is generated and printed when left out.",
        };
        var weekly = new Option<bool>("--weekly") { Description = "The weekly summary instead of an intervention report." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var sample = new Command("sample", "Write a sample anonymised, encrypted report made from made-up data.") { output, password, weekly, force };
        sample.SetAction((parse, cancellationToken) => WriteSampleAsync(parse, parse.GetValue(output)!, parse.GetValue(password),
            parse.GetValue(weekly), parse.GetValue(force), cancellationToken));
        return new Command("report", "Reports for schools.") { sample };
    }

    private static async Task<int> WriteSampleAsync(ParseResult parse, FileInfo file, string? given, bool weekly, bool force,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (given is not null && ReportEncryption.ProblemWith(given) is { } problem)
        {
            await error.WriteLineAsync("esafe-server: " + problem);
            return 1;
        }

        if (Directory.Exists(file.FullName))
        {
            await error.WriteLineAsync($"esafe-server: {file.FullName} is a folder; give the path of a file.");
            return 1;
        }

        if (!force && file.Exists)
        {
            await error.WriteLineAsync($"esafe-server: {file.FullName} already exists; choose another name or add --force to replace it.");
            return 1;
        }

        var password = given ?? Secrets.NewPassword();
        var pdf = weekly ? SampleReports.WeeklyPdf(password) : SampleReports.InterventionPdf(password);
        if (await TryWriteAsync(file, pdf, force, cancellationToken) is { } failure)
        {
            await error.WriteLineAsync($"esafe-server: cannot write {file.FullName}: {failure}");
            return 1;
        }

        await output.WriteLineAsync($"Sample {(weekly ? "weekly summary" : "report")} written to {file.FullName} ({pdf.Length / 1024} KB).");
        await output.WriteLineAsync(given is null
            ? $"Password: {password}\nThe password is shown only now. A school's real reports open with the report password it agrees with eSafe."
            : "It opens with the password you gave.");
        return 0;
    }

    /// <summary>Writes beside the target first, so a failure leaves any existing file as it was; null when written.</summary>
    private static async Task<string?> TryWriteAsync(FileInfo file, byte[] content, bool replace, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(file.DirectoryName ?? ".", $".{file.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            File.Move(temporary, file.FullName, overwrite: replace);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            TryDelete(temporary);
            return e is DirectoryNotFoundException ? "its folder does not exist" : e.Message;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the temporary file is hidden and named as such.
        }
    }
}
