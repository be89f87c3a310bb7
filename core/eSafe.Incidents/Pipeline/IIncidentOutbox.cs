namespace eSafe.Incidents.Pipeline;

/// <summary>
/// Where sealed incidents go first. Once <see cref="AddAsync"/> returns the incident is durable: it stays
/// until the server has acknowledged it.
/// </summary>
public interface IIncidentOutbox
{
    Task AddAsync(SealedIncident incident, CancellationToken cancellationToken);
}
