using eSafe.Server.Storage;

namespace eSafe.Server.Live;

/// <summary>
/// The audit log, publishing a <see cref="LiveChange"/> when it records one a console shows. Every such change (an incident
/// received by either transport, a decision, an alert) is audited with its school right after it was saved, whichever part of
/// the server made it, so this is the one place that sees them all without each writer having to remember the feed.
/// </summary>
public sealed class AuditedChanges(IAuditLog inner, IChangeFeed feed) : IAuditLog
{
    public async Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var entry = await inner.AppendAsync(auditEvent, cancellationToken);
        if (auditEvent.SchoolId is { } schoolId && KindOf(auditEvent.Action) is { } kind)
        {
            await feed.PublishAsync(new LiveChange(schoolId, kind, auditEvent.IncidentId), cancellationToken);
        }

        return entry;
    }

    /// <summary>The kind of change an audited action is, or null when consoles need not hear of it.</summary>
    public static string? KindOf(string action) => action switch
    {
        AuditActions.IncidentReceived or AuditActions.IncidentDeleted => ChangeKinds.Incident,
        AuditActions.IncidentDecided or AuditActions.IncidentReopened or AuditActions.SchoolResponded => ChangeKinds.Decision,
        AuditActions.AlertRaised or AuditActions.AlertAcknowledged => ChangeKinds.Alert,
        _ => null,
    };

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        inner.ReadAsync(afterSequence, limit, cancellationToken);

    public Task<long?> FindBreakAsync(CancellationToken cancellationToken) => inner.FindBreakAsync(cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => inner.VerifyAsync(cancellationToken);
}
