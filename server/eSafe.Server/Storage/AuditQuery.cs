namespace eSafe.Server.Storage;

/// <summary>
/// Which audit lines to read, oldest first after <see cref="After"/>; every filter optional. <see cref="IncidentId"/>
/// also finds the queue pages that showed the incident.
/// </summary>
public sealed record AuditQuery
{
    public long After { get; init; }
    public int Limit { get; init; } = 100;
    public string? Action { get; init; }
    public string? Actor { get; init; }
    public string? IncidentId { get; init; }
}

/// <summary>What <c>esafe-server audit verify</c> found: intact when there are no problems.</summary>
public sealed record AuditVerification(long Entries, int Anchors, long LastAnchoredCount, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
