using System.Text;
using System.Text.Json;
using eSafe.Host.Configuration;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Delivery;

/// <summary>
/// The host's durable outbox: one file an incident, named by its sortable ID, flushed to disk before
/// <see cref="AddAsync"/> returns. Incidents are already sealed to the server's key, so what waits here
/// is encrypted. Refused incidents move to <c>rejected/</c> and unreadable files to <c>damaged/</c>, each
/// with a note saying why, rather than being lost or blocking the rest.
/// </summary>
public sealed class FileOutbox : IIncidentOutbox, IDisposable
{
    private const string ReasonSuffix = ".reason.txt";
    private readonly string _directory;
    private readonly SemaphoreSlim _added = new(0);

    public FileOutbox(string directory)
    {
        _directory = directory;
        StateFiles.CreatePrivateDirectory(directory);
    }

    public string RejectedDirectory => Path.Combine(_directory, "rejected");

    public string DamagedDirectory => Path.Combine(_directory, "damaged");

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

    /// <summary>
    /// The incident waiting under this ID; null when there is none, or when its file cannot be an incident
    /// (empty, cut short, not JSON, another ID): that file is moved to <c>damaged/</c> and <paramref name="damage"/> says why.
    /// </summary>
    public SealedIncident? Read(string incidentId, out string? damage)
    {
        damage = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(incidentId));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        SealedIncident? incident;
        try
        {
            incident = JsonSerializer.Deserialize(bytes, IncidentJson.Default.SealedIncident);
            damage = incident is null ? "the file holds no incident"
                : IncidentSealer.Malformed(incident) is { } problem ? $"the envelope is malformed: {problem}"
                : incident.IncidentId != incidentId ? "the file's name is not its incident's ID"
                : null;
        }
        catch (JsonException e)
        {
            incident = null;
            damage = bytes.Length == 0 ? "the file is empty" : $"the file is not an incident: {e.Message}";
        }

        if (damage is null)
        {
            return incident;
        }

        MoveAside(incidentId, DamagedDirectory, damage);
        return null;
    }

    public SealedIncident? Read(string incidentId) => Read(incidentId, out _);

    public void Remove(string incidentId) => File.Delete(PathOf(incidentId));

    /// <summary>The server will never take it: kept in <c>rejected/</c> with the server's reason.</summary>
    public void Reject(string incidentId, string reason = "refused by the server") => MoveAside(incidentId, RejectedDirectory, reason);

    /// <summary>What lies in <c>rejected/</c> or <c>damaged/</c>: each file's ID and why it is there.</summary>
    public static IReadOnlyList<(string Id, string Reason)> SetAside(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(file => (Path.GetFileNameWithoutExtension(file), ReasonOf(file)))];

        static string ReasonOf(string file)
        {
            try
            {
                return File.ReadAllText(file + ReasonSuffix).Trim();
            }
            catch (IOException)
            {
                return "no reason recorded";
            }
        }
    }

    /// <summary>Waits until something is added, or the timeout passes.</summary>
    public Task<bool> WaitForAdditionAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _added.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _added.Dispose();

    private void MoveAside(string incidentId, string directory, string reason)
    {
        StateFiles.CreatePrivateDirectory(directory);
        var target = Path.Combine(directory, incidentId + ".json");
        // The reason first: a crash between the two leaves the file in the outbox, to be set aside again.
        StateFiles.WriteAtomically(target + ReasonSuffix, Encoding.UTF8.GetBytes(reason.Length > 2000 ? reason[..2000] : reason));
        File.Move(PathOf(incidentId), target, overwrite: true);
    }

    private string PathOf(string incidentId) => Path.Combine(_directory, incidentId + ".json");
}
