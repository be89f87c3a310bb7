namespace eSafe.Server.Storage;

/// <summary>Who did what, when and from where. Append-only: there is no way to change or remove a line, and a line changed in the file shows.</summary>
public interface IAuditLog
{
    Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Lines after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The sequence of the first line whose hash chain is broken, or null when the whole log is intact.</summary>
    Task<long?> FindBreakAsync(CancellationToken cancellationToken);

    /// <summary>Lines matching the query, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Checks every line's keyed hash and chain, and the log against its anchors (docs/SECURITY.md).</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}
