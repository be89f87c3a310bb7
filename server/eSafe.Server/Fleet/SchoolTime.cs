namespace eSafe.Server.Fleet;

/// <summary>The school week: which days, from when to when, in which time zone; counts the school hours within a span.</summary>
public sealed class SchoolTime(IReadOnlySet<DayOfWeek> days, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
{
    // Further back than this counts as this much: a device silent for a term is silent whatever the exact figure.
    private const int MaxDays = 400;

    /// <summary>"Mon–Fri 08:00–16:00 Europe/London", for the console.</summary>
    public string Describe() =>
        $"{string.Join(",", Enum.GetValues<DayOfWeek>().Where(days.Contains).Select(d => d.ToString()[..3]))} {start:HH\\:mm}–{end:HH\\:mm} {zone.Id}";

    /// <summary>The hours of school time between <paramref name="from"/> and <paramref name="until"/>.</summary>
    public double HoursBetween(DateTimeOffset from, DateTimeOffset until)
    {
        if (until <= from)
        {
            return 0;
        }

        if (until - from > TimeSpan.FromDays(MaxDays))
        {
            from = until - TimeSpan.FromDays(MaxDays);
        }

        var total = TimeSpan.Zero;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(until, zone).DateTime);
        for (; day <= last; day = day.AddDays(1))
        {
            if (!days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var opens = Utc(day, start);
            var closes = Utc(day, end);
            var overlapStart = opens > from ? opens : from;
            var overlapEnd = closes < until ? closes : until;
            if (overlapEnd > overlapStart)
            {
                total += overlapEnd - overlapStart;
            }
        }

        return total.TotalHours;
    }

    // A local time that does not exist (skipped by a clock change) is taken as the hour after.
    private DateTimeOffset Utc(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
