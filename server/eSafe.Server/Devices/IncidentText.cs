using eSafe.Incidents;
using eSafe.Server.Web;

namespace eSafe.Server.Devices;

/// <summary>
/// How an incident's text fields meet <see cref="UntrustedText"/>: what the device's own software writes
/// (names, versions, the rule and its phrase) is refused when it holds an unsafe character; what came from
/// the pupil's keyboard or the page (the context, the matched text, the page's title and address) is
/// evidence and is kept, with each unsafe character neutralised, so an incident is never lost for it.
/// </summary>
public static class IncidentText
{
    /// <summary>The fields refused on an unsafe character, and whether they may hold lines.</summary>
    public static readonly IReadOnlyList<(string Field, Func<Incident, string?> Value)> Refused =
    [
        ("machineName", i => i.MachineName),
        ("hostVersion", i => i.HostVersion),
        ("libraryVersion", i => i.LibraryVersion),
        ("extensionVersion", i => i.ExtensionVersion),
        ("ruleId", i => i.RuleId),
        ("phrase", i => i.Phrase),
        ("screenshotMissingReason", i => i.ScreenshotMissingReason),
    ];

    /// <summary>One problem for each refused field that holds an unsafe character.</summary>
    public static IReadOnlyList<string> Problems(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return [.. Refused.Where(f => !UntrustedText.IsSafe(f.Value(incident)))
            .Select(f => f.Field + " holds a control or text-direction character")];
    }

    /// <summary>The incident with its pupil and page text neutralised: context and matched text keep tabs and newlines, the title does not, the URL is percent-encoded.</summary>
    public static Incident Neutralise(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident with
        {
            Context = incident.Context is null ? null! : UntrustedText.Neutralise(incident.Context, linesAllowed: true),
            MatchedText = incident.MatchedText is null ? null! : UntrustedText.Neutralise(incident.MatchedText, linesAllowed: true),
            PageTitle = incident.PageTitle is null ? null : UntrustedText.Neutralise(incident.PageTitle, linesAllowed: false),
            Url = incident.Url is null ? null! : UntrustedText.NeutraliseUrl(incident.Url),
        };
    }
}
