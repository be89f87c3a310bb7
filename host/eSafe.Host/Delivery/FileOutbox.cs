using System.Text.Json;
using eSafe.Host.Configuration;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Delivery;

/// <summary>
/// The host's durable outbox: one file an incident, named by its sortable ID, flushed to disk before
/// <see cref="AddAsync"/> returns. Incidents are already sealed to the server's key, so what waits here
/// is encrypted. Refused incidents move to <c>rejected/</c> rather than being lost.
/// </summary>
public sealed class FileOutbox : IIncidentOutbox, IDisposable
{
    private readonly string _directory;
    private readonly SemaphoreSlim _added = new(0);

    public FileOutbox(string directory)
    {
        _directory = directory;
        StateFiles.CreatePrivateDirectory(directory);
    }

    public string RejectedDirectory => Path.Combine(_directory, "rejected");

    public Task AddAsync(SealedIncident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (!IncidentId.IsValid(incident.IncidentId))
        {
            throw new ArgumentException("The incident has no valid ID.", nameof(incident));
        }

        StateFiles.WriteAtomically(PathOf(incident.IncidentId), JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.SealedIncident));
        _added.Release();
        return Task.CompletedTask;
    }

    /// <summary>The IDs waiting, oldest first.</summary>
    public IReadOnlyList<string> Pending() =>
        [.. Directory.EnumerateFiles(_directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(IncidentId.IsValid)
            .Order(StringComparer.Ordinal)];

    public SealedIncident? Read(string incidentId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(PathOf(incidentId)), IncidentJson.Default.SealedIncident);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Remove(string incidentId) => File.Delete(PathOf(incidentId));

    public void Reject(string incidentId)
    {
        StateFiles.CreatePrivateDirectory(RejectedDirectory);
        File.Move(PathOf(incidentId), Path.Combine(RejectedDirectory, incidentId + ".json"), overwrite: true);
    }

    /// <summary>Waits until something is added, or the timeout passes.</summary>
    public Task<bool> WaitForAdditionAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _added.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _added.Dispose();

    private string PathOf(string incidentId) => Path.Combine(_directory, incidentId + ".json");
}
