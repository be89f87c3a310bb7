using System.Net;
using eSafe.Detection;
using eSafe.Detection.Compilation;

namespace eSafe.Incidents;

/// <summary>Checks an incident received from a device before anything is stored.</summary>
public static class IncidentValidator
{
    /// <summary>Every problem found, empty when the incident is valid.</summary>
    /// <remarks>The device's clock is not judged here: an incident with a wrong device time is still an incident (the server flags it).</remarks>
    public static IReadOnlyList<string> Problems(Incident incident, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(IncidentId.IsValid(incident.Id), "id is not a 26-character sortable incident ID");
        Check(IsToken(incident.SchoolId), "schoolId is missing or malformed");
        Check(IsToken(incident.DeviceId), "deviceId is missing or malformed");
        Check(PseudonymousId.IsValid(incident.UserId), "userId is not a 32-character pseudonymous ID");
        Check(IsText(incident.MachineName, 255), "machineName is missing or longer than 255 characters");
        Check(incident.DeviceAddresses is { Count: <= 32 } a && a.All(x => IPAddress.TryParse(x, out _)),
            "deviceAddresses must be at most 32 IP addresses");
        Check(incident.LocalOffsetMinutes is >= -14 * 60 and <= 14 * 60, "localOffsetMinutes is outside ±14 hours");
        Check(TextEvent.IsWebUrl(incident.Url), "url is not an http(s) URL of at most 8 KB");
        Check(incident.PageTitle is null || incident.PageTitle.Length <= TextEvent.MaxTitleLength, "pageTitle is too long");
        Check(TextSources.IsKnown(incident.Source), "source is not typed, page or search");
        Check(IsText(incident.RuleId, 64), "ruleId is missing or too long");
        Check(IsText(incident.Phrase, PhraseSyntax.MaxLength), "phrase is missing or too long");
        Check(IsText(incident.MatchedText, 512), "matchedText is missing or too long");
        Check(ThreatCategories.IsKnown(incident.Category), $"category '{incident.Category}' is not known");
        Check(incident.Severity is >= ThreatEntry.MinSeverity and <= ThreatEntry.MaxSeverity, "severity must be 1 to 5");
        Check(IsText(incident.Context, Incident.MaxContextLength), "context is missing or too long");
        Check(IsText(incident.HostVersion, 64), "hostVersion is missing or too long");
        Check(IsText(incident.LibraryVersion, 64), "libraryVersion is missing or too long");
        Check(incident.ExtensionVersion is null || incident.ExtensionVersion.Length <= 64, "extensionVersion is too long");
        if (incident.Screenshot is { } image)
        {
            Check(image.Length <= Incident.MaxScreenshotBytes, "screenshot is larger than 4 MB");
            Check(IsJpeg(image), "screenshot is not a JPEG image");
        }
        else
        {
            Check(IsText(incident.ScreenshotMissingReason, 512), "a missing screenshot needs a reason");
        }

        return problems;
    }

    public static bool IsJpeg(ReadOnlySpan<byte> image) =>
        image.Length > 4 && image[0] == 0xFF && image[1] == 0xD8 && image[2] == 0xFF;

    private static bool IsText(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength;

    // IDs the server issues: letters, digits, '-' and '_'.
    private static bool IsToken(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
