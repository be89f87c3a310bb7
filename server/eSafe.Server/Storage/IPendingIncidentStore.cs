using eSafe.Incidents;

namespace eSafe.Server.Storage;

/// <summary>
/// A Chromebook's incident, built by the server and waiting for its screenshot. Sealed to the server's own key,
/// so the store holds nothing readable; it leaves the store only once the incident is stored.
/// </summary>
public sealed record PendingIncident(string IncidentId, string DeviceId, string SchoolId, DateTimeOffset CreatedAt, SealedIncident Sealed);

/// <summary>Incidents waiting for their screenshot (direct mode), shared by every server process.</summary>
public interface IPendingIncidentStore
{
    /// <summary>Durable when it returns.</summary>
    Task AddAsync(PendingIncident pending, CancellationToken cancellationToken);

    Task<PendingIncident?> GetAsync(string incidentId, CancellationToken cancellationToken);

    Task RemoveAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Those made before <paramref name="before"/>, oldest first: their screenshot is not coming.</summary>
    Task<IReadOnlyList<PendingIncident>> ListOlderAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);
}
