using System.Globalization;
using System.Text;

namespace eSafe.Server.Reports;

/// <summary>Text as a report draws it, and the times it shows.</summary>
internal static class ReportText
{
    /// <summary>
    /// Line breaks kept, tabs made spaces; other control and format characters (bidirectional overrides, zero-width
    /// marks) dropped, so what the reader sees is what was written.
    /// </summary>
    public static string Clean(string text)
    {
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\t', ' ');
        var builder = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == '\n' || (category is not (UnicodeCategory.Control or UnicodeCategory.Format) && !char.IsSurrogate(c)))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    /// <summary>"Tuesday 1 December 2026, 23:01:42 (UTC+01:00)": the school's local time.</summary>
    public static string LocalTime(DateTimeOffset at, int offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        var local = at.ToOffset(offset);
        return local.ToString("dddd d MMMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture) + $" ({Offset(offset)})";
    }

    /// <summary>"Tue 1 Dec 2026, 23:01 (UTC+01:00)": the school's local time, short.</summary>
    public static string ShortLocalTime(DateTimeOffset at, int offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return at.ToOffset(offset).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({Offset(offset)})";
    }

    /// <summary>"2026-12-01 22:01:42 UTC".</summary>
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"Monday 23 November 2026".</summary>
    public static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
