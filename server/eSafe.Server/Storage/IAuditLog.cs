namespace eSafe.Server.Storage;

/// <summary>Who did what, when and from where. Append-only: there is no way to change or remove a line.</summary>
public interface IAuditLog
{
    Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Lines after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The sequence of the first line whose hash chain is broken, or null when the whole log is intact.</summary>
    Task<long?> FindBreakAsync(CancellationToken cancellationToken);
}
