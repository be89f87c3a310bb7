using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Analysts;

/// <summary>Stored incidents as the console API shows them.</summary>
public static class IncidentViews
{
    /// <summary>How much of the text around the match a queue row shows.</summary>
    public const int SnippetLength = 140;

    public static IncidentSummary Summary(StoredIncident stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var i = stored.Incident;
        var (snippet, match) = Snippet(i.Context, i.MatchedText);
        return new IncidentSummary(i.Id, i.SchoolId, i.DeviceId, i.UserId, i.MachineName, i.OccurredAt, i.LocalOffsetMinutes,
            stored.ReceivedAt, i.Source, i.Category, i.Severity, stored.Status, i.MatchedText, i.Url, stored.HasScreenshot, i.PageTitle,
            snippet, match, stored.AlertOpen);
    }

    public static IncidentDetail Detail(StoredIncident stored, WorkflowView workflow, IReadOnlyList<TimelineItem> timeline)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var i = stored.Incident;
        return new IncidentDetail(i.Id, i.SchoolId, i.DeviceId, i.UserId, i.MachineName, i.DeviceAddresses, stored.ServerSeenAddress,
            i.OccurredAt, i.LocalOffsetMinutes, stored.ReceivedAt, i.Url, i.PageTitle, i.Source, i.RuleId, i.Phrase, i.MatchedText,
            i.Category, i.Severity, i.Context, stored.HasScreenshot, i.ScreenshotMissingReason, stored.Status, i.HostVersion,
            i.LibraryVersion, i.ExtensionVersion, Find(i.Context, i.MatchedText), workflow, timeline,
            stored.ClockSkewSeconds is not null, stored.ClockSkewSeconds);
    }

    public static TimelineItem TimelineItem(StoredIncident stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var i = stored.Incident;
        return new TimelineItem(i.Id, i.OccurredAt, i.Category, i.Severity, stored.Status, i.Source, i.MatchedText);
    }

    /// <summary>Where the matched words are in a text: exactly as written if they are there, otherwise ignoring case.</summary>
    public static TextSpan Find(string text, string matched)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrEmpty(matched))
        {
            return TextSpan.None;
        }

        var at = text.IndexOf(matched, StringComparison.Ordinal);
        if (at < 0)
        {
            at = text.IndexOf(matched, StringComparison.OrdinalIgnoreCase);
        }

        return at < 0 ? TextSpan.None : new TextSpan(at, matched.Length);
    }

    /// <summary>About <see cref="SnippetLength"/> characters of the context centred on the match, cut at spaces, with its place in the snippet.</summary>
    public static (string Snippet, TextSpan Match) Snippet(string context, string matched)
    {
        ArgumentNullException.ThrowIfNull(context);
        var flat = string.Join(' ', context.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var match = Find(flat, matched);
        if (flat.Length <= SnippetLength)
        {
            return (flat, match);
        }

        var centre = match.Start < 0 ? 0 : match.Start + (match.Length / 2);
        var start = Math.Clamp(centre - (SnippetLength / 2), 0, flat.Length - SnippetLength);
        var end = start + SnippetLength;
        if (match.Start >= 0)
        {
            start = Math.Min(start, match.Start);
            end = Math.Max(end, match.Start + match.Length);
        }

        // Whole words at both ends, moving at most 20 characters.
        for (var n = 0; start > 0 && flat[start - 1] != ' ' && n < 20; n++)
        {
            start--;
        }

        for (var n = 0; end < flat.Length && flat[end] != ' ' && n < 20; n++)
        {
            end++;
        }

        var prefix = start > 0 ? "…" : "";
        var snippet = prefix + flat[start..end] + (end < flat.Length ? "…" : "");
        var inSnippet = match.Start < 0 ? TextSpan.None : new TextSpan(match.Start - start + prefix.Length, match.Length);
        return (snippet, inSnippet);
    }
}
