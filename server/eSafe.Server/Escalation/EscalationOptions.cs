namespace eSafe.Server.Escalation;

/// <summary>
/// How the escalation keeps time (configuration section <c>Escalation</c>). <see cref="MinuteSeconds"/> is how long a
/// protocol minute lasts: 60 in service; tests shorten it so "the next contact after 10 minutes" takes seconds.
/// </summary>
public sealed record EscalationOptions
{
    public const string SectionName = "Escalation";

    public double MinuteSeconds { get; init; } = 60;

    /// <summary>How often a server process looks for due work.</summary>
    public double PollSeconds { get; init; } = 5;

    /// <summary>When each school's weekly summary goes out (UTC).</summary>
    public DayOfWeek WeeklySummaryDay { get; init; } = DayOfWeek.Monday;
    public int WeeklySummaryHour { get; init; } = 7;

    /// <summary>A job is retried this many times after transient failures before it is marked failed.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>
    /// Done and cancelled jobs are deleted this many days after they finished (failed ones stay). At least 15: the upkeep
    /// re-plans escalations of the last 14 days whose jobs it cannot find, so it must still find them.
    /// </summary>
    public int KeepFinishedJobsDays { get; init; } = 30;

    public TimeSpan Minutes(double minutes) => TimeSpan.FromSeconds(minutes * MinuteSeconds);

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MinuteSeconds is < 0.05 or > 3600)
        {
            problems.Add("Escalation:MinuteSeconds must be between 0.05 and 3600.");
        }

        if (PollSeconds is < 0.05 or > 300)
        {
            problems.Add("Escalation:PollSeconds must be between 0.05 and 300.");
        }

        if (WeeklySummaryHour is < 0 or > 23)
        {
            problems.Add("Escalation:WeeklySummaryHour must be 0 to 23.");
        }

        if (MaxAttempts is < 1 or > 50)
        {
            problems.Add("Escalation:MaxAttempts must be 1 to 50.");
        }

        if (KeepFinishedJobsDays is < 15 or > 3650)
        {
            problems.Add("Escalation:KeepFinishedJobsDays must be 15 to 3650.");
        }

        return problems;
    }
}
