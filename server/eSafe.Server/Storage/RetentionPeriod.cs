using System.Globalization;

namespace eSafe.Server.Storage;

/// <summary>
/// The periods incidents are kept and shredded by: the calendar month (UTC) the server received them in, named "yyyy-MM".
/// The server's receipt time, not the device's: a device clock cannot put an incident into a period already shredded.
/// A period expires <c>months</c> after it ends, so an incident is kept at least that long and at most a month more.
/// </summary>
public static class RetentionPeriod
{
    /// <summary>Twelve months of a school year and one term of four: what a school is given until it chooses.</summary>
    public const int DefaultMonths = 16;
    public const int MinMonths = 1;
    public const int MaxMonths = 120;

    public static string Of(DateTimeOffset receivedAt)
    {
        var utc = receivedAt.UtcDateTime;
        return utc.Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + utc.Month.ToString("D2", CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Start(string period) =>
        DateTimeOffset.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            ? start.ToUniversalTime()
            : throw new FormatException($"\"{period}\" is not a period (yyyy-MM).");

    /// <summary>When a period's incidents are deleted and its key destroyed.</summary>
    public static DateTimeOffset ExpiresAt(string period, int months) => Start(period).AddMonths(1 + months);

    /// <summary>Incidents received before this are past a retention of <paramref name="months"/> at <paramref name="now"/>.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, int months)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-months);
    }

    public static bool IsValidMonths(int months) => months is >= MinMonths and <= MaxMonths;
}
