namespace eSafe.Server.Storage;

/// <summary>Incidents and their screenshots, kept encrypted; only the fields queries need are in the clear.</summary>
public interface IIncidentStore
{
    /// <summary>Adds an incident and its screenshot together; <see cref="AddOutcome.Duplicate"/> (and no change) when the ID is known.</summary>
    Task<AddOutcome> AddAsync(StoredIncident incident, byte[]? screenshot, CancellationToken cancellationToken);

    /// <summary>The device an incident came from, without opening it; null when the ID is unknown.</summary>
    Task<string?> FindDeviceAsync(string id, CancellationToken cancellationToken);

    Task<StoredIncident?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first (by ID) or by priority, at most <see cref="IncidentFilter.Limit"/>.</summary>
    Task<IReadOnlyList<StoredIncident>> ListAsync(IncidentFilter filter, CancellationToken cancellationToken);

    Task<byte[]?> GetScreenshotAsync(string id, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>How many incidents match (paging and limit ignored).</summary>
    Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the school's incidents received before <paramref name="before"/> (retention) with their screenshots, workflows
    /// (decisions, alerts) and escalation jobs, in one transaction; returns the IDs deleted.
    /// </summary>
    Task<IReadOnlyList<string>> DeleteReceivedBeforeAsync(string schoolId, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The clear fields of every matching incident (paging and limit ignored), without opening any.</summary>
    Task<IReadOnlyList<IncidentFacts>> ListFactsAsync(IncidentFilter filter, CancellationToken cancellationToken);
}
