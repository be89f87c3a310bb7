using eSafe.Incidents;

namespace eSafe.Host.Tests.Support;

/// <summary>Sealed incidents as the outbox holds them; only the ID matters to the outbox and the uploader.</summary>
internal static class Envelopes
{
    public static SealedIncident At(DateTimeOffset at) =>
        new(IncidentSealer.CurrentVersion, IncidentId.New(at), "k1", [1, 2, 3], new byte[12], new byte[40]);

    /// <summary>A version 2 envelope, kept as its binary body.</summary>
    public static SealedIncident BinaryAt(DateTimeOffset at) =>
        new(IncidentSealer.BinaryVersion, IncidentId.New(at), "k1", [1, 2, 3], new byte[12], new byte[40]);
}
