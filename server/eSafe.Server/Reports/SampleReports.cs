using System.Security.Cryptography;
using System.Text;
using eSafe.Incidents;
using eSafe.Server.Security;

namespace eSafe.Server.Reports;

/// <summary>
/// Reports from made-up data, to show a prospective school what it would receive (<c>esafe-server report sample</c>).
/// Every name, ID and event here is invented; the pages say SAMPLE.
/// </summary>
public static class SampleReports
{
    public const string SchoolName = "Sample Academy";
    public const string MachineName = "LIB-PC-12";

    // A British summer date, so the school's time (UTC+1) and UTC visibly differ.
    private static readonly DateTimeOffset Occurred = new(2026, 6, 16, 13, 7, 42, TimeSpan.Zero);
    private const int BritishSummerTime = 60;

    /// <summary>In the real format, from an invented pupil under an invented school key.</summary>
    public static string UserId(string pupil = "sample.pupil") =>
        PseudonymousId.Compute(SHA256.HashData(Encoding.UTF8.GetBytes("eSafe sample school key")), pupil);

    public static InterventionReport Intervention() => new(
        SchoolName,
        IncidentId.New(Occurred),
        UserId(),
        MachineName,
        Secrets.NewDeviceId(),
        Occurred,
        BritishSummerTime,
        "self-harm",
        4,
        Urgent: false,
        Narrative: "During a lesson in the library the pupil searched for information about self-harm and, a few minutes later, " +
            "wrote in a school chat that they felt they could not cope any more and had hurt themselves the night before. " +
            "The searches and the message read as the pupil's own situation, not research for schoolwork.\n\n" +
            "No earlier incidents are recorded for this user ID.\n\n" +
            "(SAMPLE: this incident, the school and the pupil are made up.)",
        Reason: "A present-tense statement of distress together with a disclosure of recent self-harm: a risk of harm that needs " +
            "a trusted adult to talk with the pupil today, following the school's self-harm and safeguarding procedures.",
        Site: "https://chat.example.org",
        AnalystName: "Alex Example",
        AnalystQualifications: "Enhanced DBS (2026); NPPV 2",
        DecidedAt: Occurred.AddMinutes(9));

    public static WeeklySummary Weekly()
    {
        var monday = new DateOnly(2026, 6, 15);
        var at = new DateTimeOffset(monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new WeeklySummary(SchoolName, monday, monday.AddDays(6),
        [
            new(IncidentId.New(at.AddHours(33.2)), UserId("sample.pupil.b"), "ICT-SUITE-03", at.AddHours(33.2), BritishSummerTime,
                "bullying", 2,
                "Unkind comments about a classmate's appearance in a shared document during a group task; no threats. " +
                "Worth a word with the group. (SAMPLE: made up.)"),
            new(IncidentId.New(at.AddHours(59.9)), UserId("sample.pupil.c"), MachineName, at.AddHours(59.9), BritishSummerTime,
                "gambling", 1,
                "Several visits to a betting odds page during a break; no sign of money being spent. (SAMPLE: made up.)"),
            new(IncidentId.New(at.AddHours(84.6)), UserId("sample.pupil.b"), "ICT-SUITE-03", at.AddHours(84.6), BritishSummerTime,
                "bullying", 2,
                "The same user ID as on Tuesday, again about the same classmate, this time in a class forum. A pattern is forming: " +
                "we suggest the school speaks with both pupils. (SAMPLE: made up.)"),
        ]);
    }

    public static byte[] InterventionPdf(string password) => ReportPdf.Render(Intervention(), password, sample: true);

    public static byte[] WeeklyPdf(string password) => WeeklySummaryPdf.Render(Weekly(), password, sample: true);
}
