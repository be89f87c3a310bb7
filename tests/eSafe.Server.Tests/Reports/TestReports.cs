using eSafe.Incidents;
using eSafe.Server.Reports;

namespace eSafe.Server.Tests.Reports;

/// <summary>Reports made from invented data, each field distinct so a test can find it in the PDF's text.</summary>
internal static class TestReports
{
    public static readonly string UserId = PseudonymousId.Compute(new byte[32], "test.pupil");

    public static InterventionReport Intervention(int severity = 4, bool urgent = false, string? site = "https://forum.example.net") => new(
        SchoolName: "Northfield Test School",
        Reference: IncidentId.New(new DateTimeOffset(2026, 11, 3, 22, 41, 5, TimeSpan.Zero)),
        UserId: UserId,
        MachineName: "SCI-LAB-07",
        DeviceId: "dev-testdevice0000000000000",
        OccurredAt: new DateTimeOffset(2026, 11, 3, 22, 41, 5, TimeSpan.Zero),
        LocalOffsetMinutes: 0,
        Category: "self-harm",
        Severity: severity,
        Urgent: urgent,
        Narrative: "Searches late in the evening about ways to hide injuries, then a forum post describing low mood over several weeks. " +
            "Reviewed with the page in view; the pattern suggests a current risk.",
        Reason: "A disclosure of hidden injuries with low mood: the school should speak with the pupil tomorrow morning.",
        Site: site,
        AnalystName: "Robin Reviewer",
        AnalystQualifications: "Enhanced DBS (2026); NPPV 2",
        DecidedAt: new DateTimeOffset(2026, 11, 3, 22, 55, 0, TimeSpan.Zero));

    /// <summary>A file in a fresh temporary folder that the test deletes.</summary>
    public static string TempFile(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "esafe-report-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public static string Write(byte[] pdf)
    {
        var file = TempFile("report.pdf");
        File.WriteAllBytes(file, pdf);
        return file;
    }

    public static void Delete(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
