using System.Text.Json.Serialization;

namespace eSafe.Server.Live;

/// <summary>
/// That something changed in a school, for consoles to refresh at once: which school, what kind of change and (maybe) which
/// incident. Never the incident's content: a console that hears of a change fetches what it may see through the API.
/// </summary>
public sealed record LiveChange(string SchoolId, string Kind, string? IncidentId)
{
    private const int MaxSchoolIdLength = 64;

    /// <summary>The text sent between processes (PostgreSQL NOTIFY): <c>schoolId:kind:incidentId</c>, the ID maybe empty.</summary>
    public string ToPayload() => $"{SchoolId}:{Kind}:{IncidentId}";

    /// <summary>A payload read back; null when it is not one this server writes (it is then ignored).</summary>
    public static LiveChange? FromPayload(string? payload)
    {
        var idStart = payload?.LastIndexOf(':') ?? -1;
        var kindStart = idStart > 0 ? payload!.LastIndexOf(':', idStart - 1) : -1;
        if (kindStart <= 0 || kindStart > MaxSchoolIdLength)
        {
            return null;
        }

        var (schoolId, kind, incidentId) = (payload![..kindStart], payload[(kindStart + 1)..idStart], payload[(idStart + 1)..]);
        return ChangeKinds.IsKnown(kind) && (incidentId.Length == 0 || Incidents.IncidentId.IsValid(incidentId)) && !schoolId.Any(char.IsControl)
            ? new LiveChange(schoolId, kind, incidentId.Length == 0 ? null : incidentId)
            : null;
    }
}

/// <summary>The kinds of change a console hears of.</summary>
public static class ChangeKinds
{
    /// <summary>An incident arrived (either transport) or was removed.</summary>
    public const string Incident = "incident";

    /// <summary>An incident was decided, reopened or answered by the school.</summary>
    public const string Decision = "decision";

    /// <summary>An urgent alert was raised or acknowledged.</summary>
    public const string Alert = "alert";

    public static bool IsKnown(string kind) => kind is Incident or Decision or Alert;
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LiveChange))]
internal sealed partial class LiveJson : JsonSerializerContext;
