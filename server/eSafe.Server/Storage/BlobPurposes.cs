using System.Globalization;
using eSafe.Server.Security;

namespace eSafe.Server.Storage;

/// <summary>
/// What each encrypted blob is bound to (the associated data of its AES-GCM), and the keyed tags that stand in for
/// values queries look up. Every store uses these, so a blob moves between LiteDB and PostgreSQL unchanged.
/// </summary>
public static class BlobPurposes
{
    // The clear fields that never change are bound into the encrypted contents: editing one in the database breaks the record.
    public static string IncidentContents(string id, string schoolId, string deviceId, string category, int severity, long occurredMs, long receivedMs) =>
        string.Join('\n', "incident", id, schoolId, deviceId, category, severity.ToString(CultureInfo.InvariantCulture),
            occurredMs.ToString(CultureInfo.InvariantCulture), receivedMs.ToString(CultureInfo.InvariantCulture));

    public static string Screenshot(string incidentId) => "screenshot\n" + incidentId;

    // Bound to the incident and the version its clear fields name, so an old blob put back does not open.
    public static string Workflow(string incidentId, int version) =>
        "workflow\n" + incidentId + "\n" + version.ToString(CultureInfo.InvariantCulture);

    public static string Device(string deviceId, string schoolId) => "device\n" + deviceId + "\n" + schoolId;

    public static string Proposal(string id) => "proposal\n" + id;

    public static string MissedSentence(string id) => "missed\n" + id;

    public static string Safeguarding(string schoolId, int version) =>
        "safeguarding\n" + schoolId + "\n" + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A pupil at a school, as the incidents' clear user tag: the timeline finds them without their ID in the clear.</summary>
    public static string UserTag(AtRestCipher cipher, string schoolId, string userId)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        return cipher.IndexTag("user", schoolId + "\n" + userId);
    }

    public static string AlertTag(AtRestCipher cipher, string token)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        return cipher.IndexTag("alert", token);
    }
}
