namespace eSafe.Server.Ingest;

/// <summary>What became of a delivered incident.</summary>
public enum IngestResult
{
    /// <summary>Stored now.</summary>
    Stored,

    /// <summary>This device delivered it before: nothing changed.</summary>
    Duplicate,

    /// <summary>The envelope or its content cannot be read (400).</summary>
    Unreadable,

    /// <summary>The incident's fields or rule are not valid (400, with every problem).</summary>
    Invalid,

    /// <summary>Another device delivered an incident with this ID (409).</summary>
    IdInUse,

    /// <summary>The incident names another school or device than the token's (403).</summary>
    NotThisDevice,
}

/// <summary>
/// What <see cref="IncidentIngest"/> did, for an endpoint to map to its result (<see cref="IngestResults"/>);
/// <see cref="Problem"/> says why in words safe to send back, <see cref="Problems"/> lists an invalid incident's faults.
/// </summary>
public sealed record IngestOutcome(IngestResult Result, string IncidentId, string? Problem = null, IReadOnlyList<string>? Problems = null)
{
    public bool Kept => Result is IngestResult.Stored or IngestResult.Duplicate;

    public static IngestOutcome Unreadable(string incidentId, string problem) => new(IngestResult.Unreadable, incidentId, problem);
}
