namespace eSafe.Server.Storage;

/// <summary>Decisions, responses and alerts of incidents, saved with optimistic concurrency.</summary>
public interface IIncidentWorkflowStore
{
    /// <summary>The incident's workflow (version 0 when nothing has happened yet), or null when there is no such incident.</summary>
    Task<IncidentWorkflow?> GetAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="workflow"/> (whose version must be one more than the stored one) and the incident's status with it;
    /// false, and no change, when someone saved another version first.
    /// </summary>
    Task<bool> SaveAsync(string incidentId, IncidentWorkflow workflow, CancellationToken cancellationToken);

    /// <summary>The incident whose open or closed alert has this token; null when none has.</summary>
    Task<string?> FindByAlertTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Incidents with an alert nobody has acknowledged, in these schools (null: every school).</summary>
    Task<IReadOnlyList<string>> ListOpenAlertsAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken);
}
