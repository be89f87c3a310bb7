namespace eSafe.Incidents;

/// <summary>Where a piece of text came from.</summary>
public static class TextSources
{
    public const string Typed = "typed";
    public const string Page = "page";
    public const string Search = "search";

    public static bool IsKnown(string? source) => source is Typed or Page or Search;
}

/// <summary>
/// Text seen in the browser, as the extension reports it. The pipeline's input, in host and server alike.
/// </summary>
/// <param name="EventId">The extension's ID for this event; it is acknowledged by this ID.</param>
/// <param name="TabId">Chrome's tab ID, so a screenshot can be asked for that tab.</param>
/// <param name="FieldId">Which field on the page (typed text), so repeats of one field are recognised.</param>
/// <param name="OccurredAt">When the pupil typed or read it: UTC.</param>
/// <param name="LocalOffsetMinutes">The device's UTC offset at that time, in minutes.</param>
public sealed record TextEvent(
    string EventId,
    int TabId,
    string? FieldId,
    string Source,
    string Url,
    string? Title,
    string Text,
    DateTimeOffset OccurredAt,
    int LocalOffsetMinutes)
{
    public const int MaxTextLength = 64 * 1024;
    public const int MaxUrlLength = 8 * 1024;
    public const int MaxTitleLength = 1024;
    public const int MaxFieldIdLength = 256;

    /// <summary>How far ahead of the receiver's clock a device's may run.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>Times before this are a device with no clock, or an event with no time.</summary>
    public static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Why this event cannot be used, or null when it can.</summary>
    public string? Problem(DateTimeOffset now) =>
        string.IsNullOrWhiteSpace(EventId) || EventId.Length > 64 ? "eventId is missing or longer than 64 characters"
        : TabId < 0 ? "tabId is negative"
        : FieldId is { Length: > MaxFieldIdLength } ? $"fieldId is longer than {MaxFieldIdLength} characters"
        : !TextSources.IsKnown(Source) ? $"source '{Shown(Source)}' is not typed, page or search"
        : Text is null ? "text is missing"
        : Text.Length > MaxTextLength ? $"text is longer than {MaxTextLength} characters"
        : !IsWebUrl(Url) ? "url is not an http(s) URL of at most 8 KB"
        : Title is { Length: > MaxTitleLength } ? $"title is longer than {MaxTitleLength} characters"
        : !IsPlausibleTime(OccurredAt, now) ? "occurredAt is missing, before 2020 or in the future"
        : LocalOffsetMinutes is < -14 * 60 or > 14 * 60 ? "localOffsetMinutes is outside ±14 hours"
        : null;

    // Quoted back in an error: a little of it is enough.
    private static string? Shown(string? value) => value is { Length: > 40 } ? value[..40] + "…" : value;

    public static bool IsPlausibleTime(DateTimeOffset at, DateTimeOffset now) => at > Earliest && at <= now + AllowedClockSkew;

    public static bool IsWebUrl(string? url) =>
        url is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
