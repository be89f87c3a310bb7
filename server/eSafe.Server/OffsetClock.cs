using System.Globalization;
using eSafe.Server.Security;

namespace eSafe.Server;

/// <summary>
/// The server's clock moved by a fixed offset, for tests and demos of what time does (retention, escalation): the
/// <c>Clock:Offset</c> setting or <c>ESAFE_CLOCK_OFFSET</c>, as days ("400d") or a time span ("400.00:00:00"). Never for
/// a real deployment: every time the server writes (audit, incidents, sessions) is moved with it.
/// </summary>
public sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public const string Setting = "Clock:Offset";
    public const string EnvironmentVariable = "ESAFE_CLOCK_OFFSET";

    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>The clock the configuration asks for: <paramref name="clock"/> itself when no offset is set.</summary>
    public static TimeProvider Apply(TimeProvider clock, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting] is { Length: > 0 } set ? set : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return clock;
        }

        return new OffsetClock(clock, Parse(text.Trim()));
    }

    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.EndsWith('d') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days))
        {
            return TimeSpan.FromDays(days);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new ServerSetupException($"{Setting} ({EnvironmentVariable}) must be days (\"400d\") or a time span (\"400.00:00:00\"), not \"{text}\".");
    }
}
