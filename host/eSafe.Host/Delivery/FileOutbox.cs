using System.Text;
using System.Text.Json;
using eSafe.Host.Configuration;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Delivery;

/// <summary>
/// The host's durable outbox: one file an incident, named by its sortable ID, flushed to disk before
/// <see cref="AddAsync"/> returns. Incidents are already sealed to the server's key, so what waits here
/// is encrypted: a version 2 envelope as its binary body (<c>&lt;id&gt;.esie</c>, the bytes the server is sent), a version 1
/// envelope as its JSON (<c>&lt;id&gt;.json</c>, as hosts before version 2 wrote them, delivered as they are). Refused incidents
/// move to <c>rejected/</c> and unreadable files to <c>damaged/</c>, each with a note saying why, rather than being lost or
/// blocking the rest.
/// </summary>
public sealed class FileOutbox : IIncidentOutbox, IDisposable
{
    private const string ReasonSuffix = ".reason.txt";
    private const string JsonExtension = ".json";
    private const string BinaryExtension = ".esie";
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

        var binary = incident.Version == IncidentSealer.BinaryVersion;
        StateFiles.WriteAtomically(PathOf(incident.IncidentId, binary),
            binary ? BinaryEnvelope.Encode(incident) : JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.SealedIncident));
        _added.Release();
        return Task.CompletedTask;
    }

    /// <summary>The IDs waiting, oldest first.</summary>
    public IReadOnlyList<string> Pending() =>
        [.. Directory.EnumerateFiles(_directory, "*" + JsonExtension).Concat(Directory.EnumerateFiles(_directory, "*" + BinaryExtension))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(IncidentId.IsValid)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The incident waiting under this ID; null when there is none, or when its file cannot be an incident
    /// (empty, cut short, not JSON, another ID): that file is moved to <c>damaged/</c> and <paramref name="damage"/> says why.
    /// </summary>
    public SealedIncident? Read(string incidentId, out string? damage)
    {
        damage = null;
        var binary = File.Exists(PathOf(incidentId, binary: true));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(incidentId, binary));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var incident = binary ? ReadBinary(bytes, out damage) : ReadJson(bytes, out damage);
        damage ??= incident is null ? "the file holds no incident"
            : IncidentSealer.Malformed(incident) is { } problem ? $"the envelope is malformed: {problem}"
            : incident.IncidentId != incidentId ? "the file's name is not its incident's ID"
            : binary != (incident.Version == IncidentSealer.BinaryVersion) ? $"the file's form is not its envelope version {incident.Version}'s"
            : null;
        if (damage is null)
        {
            return incident;
        }

        MoveAside(incidentId, binary, DamagedDirectory, damage);
        return null;
    }

    private static SealedIncident? ReadJson(byte[] bytes, out string? damage)
    {
        try
        {
            damage = null;
            return JsonSerializer.Deserialize(bytes, IncidentJson.Default.SealedIncident);
        }
        catch (JsonException e)
        {
            damage = bytes.Length == 0 ? "the file is empty" : $"the file is not an incident: {e.Message}";
            return null;
        }
    }

    private static SealedIncident? ReadBinary(byte[] bytes, out string? damage)
    {
        var envelope = BinaryEnvelope.Parse(bytes, bytes.Length, out var problem);
        damage = envelope is null ? (bytes.Length == 0 ? "the file is empty" : $"the file is not an incident: {problem}") : null;
        return envelope?.ToSealedIncident();
    }

    public SealedIncident? Read(string incidentId) => Read(incidentId, out _);

    public void Remove(string incidentId)
    {
        File.Delete(PathOf(incidentId, binary: true));
        File.Delete(PathOf(incidentId, binary: false));
    }

    /// <summary>The server will never take it: kept in <c>rejected/</c> with the server's reason.</summary>
    public void Reject(string incidentId, string reason = "refused by the server") =>
        MoveAside(incidentId, File.Exists(PathOf(incidentId, binary: true)), RejectedDirectory, reason);

    /// <summary>What lies in <c>rejected/</c> or <c>damaged/</c>: each file's ID and why it is there.</summary>
    public static IReadOnlyList<(string Id, string Reason)> SetAside(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*" + JsonExtension).Concat(Directory.EnumerateFiles(directory, "*" + BinaryExtension))
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

    private void MoveAside(string incidentId, bool binary, string directory, string reason)
    {
        StateFiles.CreatePrivateDirectory(directory);
        var target = Path.Combine(directory, Path.GetFileName(PathOf(incidentId, binary)));
        // The reason first: a crash between the two leaves the file in the outbox, to be set aside again.
        StateFiles.WriteAtomically(target + ReasonSuffix, Encoding.UTF8.GetBytes(reason.Length > 2000 ? reason[..2000] : reason));
        File.Move(PathOf(incidentId, binary), target, overwrite: true);
    }

    private string PathOf(string incidentId, bool binary) => Path.Combine(_directory, incidentId + (binary ? BinaryExtension : JsonExtension));
}
