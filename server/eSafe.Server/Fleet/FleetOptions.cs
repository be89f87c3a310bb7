using System.Globalization;

namespace eSafe.Server.Fleet;

/// <summary>
/// Fleet health for this deployment (configuration section <c>Fleet</c>): when the schools are in, how many hours of
/// school time without a heartbeat make a device "silent", how often devices are asked to beat and the checks run.
/// </summary>
public sealed record FleetOptions
{
    public const string SectionName = "Fleet";

    /// <summary>School days, e.g. <c>Mon,Tue,Wed,Thu,Fri</c> (English day names or their first three letters).</summary>
    public string SchoolDays { get; init; } = "Mon,Tue,Wed,Thu,Fri";

    /// <summary>When the school day starts and ends, local time (HH:mm).</summary>
    public string SchoolDayStart { get; init; } = "08:00";
    public string SchoolDayEnd { get; init; } = "16:00";

    /// <summary>The schools' time zone (IANA name).</summary>
    public string TimeZone { get; init; } = "Europe/London";

    /// <summary>A device is silent once it has sent nothing for more than this many hours of school time.</summary>
    public double SilentAfterHours { get; init; } = 4;

    /// <summary>How often devices are asked to send a heartbeat.</summary>
    public int HeartbeatSeconds { get; init; } = 300;

    /// <summary>How often the fleet is checked for new flags (once across all server processes).</summary>
    public double CheckSeconds { get; init; } = 900;

    /// <summary>
    /// The analysts' shared addresses (comma-separated, e.g. a team mailbox) that each device alert is emailed to as well as
    /// the school's IT contact; empty: analysts see device alerts in the console only.
    /// </summary>
    public string AnalystEmails { get; init; } = "";

    /// <summary>The addresses in <see cref="AnalystEmails"/>; only valid options (see <see cref="Problems"/>) have them.</summary>
    public IReadOnlyList<string> AnalystAddresses() =>
        [.. (AnalystEmails ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ParseDays(SchoolDays) is null)
        {
            problems.Add("Fleet:SchoolDays must name one or more days, e.g. Mon,Tue,Wed,Thu,Fri.");
        }

        if (ParseTime(SchoolDayStart) is not { } start || ParseTime(SchoolDayEnd) is not { } end || end <= start)
        {
            problems.Add("Fleet:SchoolDayStart and Fleet:SchoolDayEnd must be times (HH:mm), the start before the end.");
        }

        if (FindZone(TimeZone) is null)
        {
            problems.Add($"Fleet:TimeZone '{TimeZone}' is not a time zone this machine knows (e.g. Europe/London).");
        }

        if (SilentAfterHours is < 0.001 or > 1000)
        {
            problems.Add("Fleet:SilentAfterHours must be between 0.001 and 1000.");
        }

        if (HeartbeatSeconds is < 10 or > 86_400)
        {
            problems.Add("Fleet:HeartbeatSeconds must be between 10 and 86400.");
        }

        if (CheckSeconds is < 0.05 or > 86_400)
        {
            problems.Add("Fleet:CheckSeconds must be between 0.05 and 86400.");
        }

        if ((AnalystEmails ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(a => !IsEmail(a)) is { } bad)
        {
            problems.Add($"Fleet:AnalystEmails must be email addresses separated by commas; '{bad}' is not one.");
        }

        return problems;
    }

    /// <summary>The school week as the checks use it; only valid options (see <see cref="Problems"/>) make one.</summary>
    public SchoolTime SchoolTime() => new(ParseDays(SchoolDays)!, ParseTime(SchoolDayStart)!.Value, ParseTime(SchoolDayEnd)!.Value, FindZone(TimeZone)!);

    private static HashSet<DayOfWeek>? ParseDays(string? text)
    {
        var days = new HashSet<DayOfWeek>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var day = Enum.GetValues<DayOfWeek>().Where(d => d.ToString().Equals(part, StringComparison.OrdinalIgnoreCase)
                || (part.Length == 3 && d.ToString().StartsWith(part, StringComparison.OrdinalIgnoreCase))).Cast<DayOfWeek?>().FirstOrDefault();
            if (day is null)
            {
                return null;
            }

            days.Add(day.Value);
        }

        return days.Count == 0 ? null : days;
    }

    private static bool IsEmail(string text) =>
        text.Length <= 254 && !text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && System.Net.Mail.MailAddress.TryCreate(text, out var parsed) && parsed.Address == text && parsed.Host.Contains('.', StringComparison.Ordinal);

    private static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    private static TimeZoneInfo? FindZone(string? id)
    {
        try
        {
            return string.IsNullOrWhiteSpace(id) ? null : TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
