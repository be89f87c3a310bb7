using eSafe.Incidents;

namespace eSafe.Server.Reports;

/// <summary>What a report must hold before it is drawn; every problem is named at once.</summary>
internal static class ReportChecks
{
    public const int MaxNameLength = 200;
    public const int MaxNarrativeLength = 20_000;
    public const int MaxReasonLength = 5_000;
    public const int MaxSiteLength = 2_000;
    public const int MaxOffsetMinutes = 14 * 60;
    public const int MaxWeeklyItems = 1_000;

    public static void Check(InterventionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var problems = new List<string>();
        Text(problems, report.SchoolName, "the school's name", MaxNameLength);
        Text(problems, report.Reference, "the reference", MaxNameLength);
        UserId(problems, report.UserId);
        Text(problems, report.MachineName, "the machine name", MaxNameLength);
        Text(problems, report.DeviceId, "the device ID", MaxNameLength);
        Offset(problems, report.LocalOffsetMinutes);
        Text(problems, report.Category, "the category", MaxNameLength);
        Severity(problems, report.Severity);
        Text(problems, report.Narrative, "the narrative", MaxNarrativeLength);
        Text(problems, report.Reason, "the reason for escalation", MaxReasonLength);
        if (report.Site is not null)
        {
            Text(problems, report.Site, "the site", MaxSiteLength);
        }

        Text(problems, report.AnalystName, "the analyst's name", MaxNameLength);
        if (report.AnalystQualifications is not null && report.AnalystQualifications.Length > MaxNameLength)
        {
            problems.Add($"the analyst's qualifications are longer than {MaxNameLength} characters");
        }

        Throw(problems, nameof(report));
    }

    public static void Check(WeeklySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var problems = new List<string>();
        Text(problems, summary.SchoolName, "the school's name", MaxNameLength);
        if (summary.To < summary.From)
        {
            problems.Add("the week ends before it starts");
        }

        if (summary.Items is null)
        {
            problems.Add("the list of concerns is missing");
        }
        else if (summary.Items.Count > MaxWeeklyItems)
        {
            problems.Add($"more than {MaxWeeklyItems} concerns in one summary");
        }
        else
        {
            for (var i = 0; i < summary.Items.Count; i++)
            {
                var item = summary.Items[i];
                var itemProblems = new List<string>();
                if (item is null)
                {
                    itemProblems.Add("it is missing");
                }
                else
                {
                    Text(itemProblems, item.Reference, "the reference", MaxNameLength);
                    UserId(itemProblems, item.UserId);
                    Text(itemProblems, item.MachineName, "the machine name", MaxNameLength);
                    Offset(itemProblems, item.LocalOffsetMinutes);
                    Text(itemProblems, item.Category, "the category", MaxNameLength);
                    Severity(itemProblems, item.Severity);
                    Text(itemProblems, item.Narrative, "the narrative", MaxNarrativeLength);
                }

                problems.AddRange(itemProblems.Select(p => $"concern {i + 1}: {p}"));
            }
        }

        Throw(problems, nameof(summary));
    }

    private static void Text(List<string> problems, string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || ReportText.Clean(value).Length == 0)
        {
            problems.Add($"{what} is empty");
        }
        else if (value.Length > maxLength)
        {
            problems.Add($"{what} is longer than {maxLength} characters");
        }
    }

    // The user ID is the one thing that points at a pupil: only the pseudonymous form may appear, never a name.
    private static void UserId(List<string> problems, string? userId)
    {
        if (!PseudonymousId.IsValid(userId))
        {
            problems.Add($"the user ID is not a {PseudonymousId.Length}-character pseudonymous ID");
        }
    }

    private static void Offset(List<string> problems, int minutes)
    {
        if (Math.Abs(minutes) > MaxOffsetMinutes)
        {
            problems.Add("the local time offset is beyond ±14 hours");
        }
    }

    private static void Severity(List<string> problems, int severity)
    {
        if (!SeverityScale.IsValid(severity))
        {
            problems.Add($"the severity {severity} is not 1 to 5");
        }
    }

    private static void Throw(List<string> problems, string parameter)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException("The report cannot be made: " + string.Join("; ", problems) + ".", parameter);
        }
    }
}
