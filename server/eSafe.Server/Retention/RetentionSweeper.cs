using eSafe.Server.Storage;

namespace eSafe.Server.Retention;

/// <summary>What one sweep removed, over every school.</summary>
public sealed record RetentionSweepResult(int Schools, int Incidents, int PendingIncidents, int KeysDestroyed, int MissedSentences = 0);

/// <summary>
/// Deletes each school's incidents past its retention (their screenshots, workflows, alerts and jobs with them; the sentences
/// analysts filed from them as missed; and Chromebook incidents still waiting for a screenshot) and destroys the keys of the expired months, so that any copy of
/// those records left anywhere opens nothing. The audit log keeps which incidents were removed, and when, never what
/// they held: it is written before the deletion, so a sweep stopped half-way is told again by the next, never lost.
/// </summary>
public sealed partial class RetentionSweeper(ISchoolStore schools, IIncidentStore incidents, IPendingIncidentStore pending, IMissedSentenceStore missed,
    IPeriodKeyStore keyStore, PeriodKeys keys, IAuditLog audit, TimeProvider clock, ILogger<RetentionSweeper> log) : IDisposable
{
    public const string Actor = "retention";

    // An audit line names at most this many incidents; a larger batch takes several lines.
    private const int IdsPerAuditLine = 100;

    // The timed job and a command or test in the same process take turns (processes take turns by the job's lease).
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<RetentionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await SweepOnceAsync(cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    private async Task<RetentionSweepResult> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var liveKeys = (await keyStore.ListAsync(cancellationToken)).Where(k => !k.Destroyed).ToLookup(k => k.SchoolId, StringComparer.Ordinal);
        int touched = 0, deleted = 0, pendingDeleted = 0, destroyed = 0, missedDeleted = 0;
        foreach (var school in await schools.ListAsync(cancellationToken))
        {
            var cutoff = RetentionPeriod.Cutoff(now, school.EffectiveRetentionMonths);
            var expiredKeys = liveKeys[school.Id].Where(k => RetentionPeriod.Start(k.Period) < cutoff).Select(k => k.Period).ToList();
            var expired = (await incidents.ListFactsAsync(new IncidentFilter { SchoolIds = [school.Id], Limit = int.MaxValue }, cancellationToken))
                .Where(f => f.ReceivedAt < cutoff).Select(f => f.Id).Order(StringComparer.Ordinal).ToList();
            var waiting = (await pending.ListOlderAsync(cutoff, int.MaxValue, cancellationToken)).Where(p => p.SchoolId == school.Id).ToList();
            if (expiredKeys.Count == 0 && expired.Count == 0 && waiting.Count == 0)
            {
                continue;
            }

            await AuditAsync(school.Id, cutoff, expiredKeys, expired, waiting.Select(p => p.IncidentId).ToList(), cancellationToken);
            var removed = await incidents.DeleteReceivedBeforeAsync(school.Id, cutoff, cancellationToken);
            var missedRemoved = await missed.DeleteExpiredAsync(school.Id, cutoff, [.. expired, .. removed], cancellationToken);
            foreach (var waitingIncident in waiting)
            {
                await pending.RemoveAsync(waitingIncident.IncidentId, cancellationToken);
            }

            // The keys go last: until the records are gone a key is still needed to tell the audit what it was removing.
            foreach (var period in expiredKeys)
            {
                if (await keys.DestroyAsync(school.Id, period, cancellationToken))
                {
                    destroyed++;
                }
            }

            touched++;
            deleted += removed.Count;
            pendingDeleted += waiting.Count;
            missedDeleted += missedRemoved;
            Swept(log, school.Id, removed.Count, waiting.Count, missedRemoved, expiredKeys.Count, cutoff);
        }

        return new RetentionSweepResult(touched, deleted, pendingDeleted, destroyed, missedDeleted);
    }

    private async Task AuditAsync(string schoolId, DateTimeOffset cutoff, List<string> periods, List<string> expired, List<string> waiting,
        CancellationToken cancellationToken)
    {
        var head = $"received before {cutoff.UtcDateTime:yyyy-MM-dd}; keys destroyed: {(periods.Count == 0 ? "none" : string.Join(' ', periods))}";
        var lines = expired.Chunk(IdsPerAuditLine).Select(ids => $"{head}; incidents: {string.Join(' ', ids)}")
            .Concat(waiting.Chunk(IdsPerAuditLine).Select(ids => $"{head}; incidents waiting for a screenshot: {string.Join(' ', ids)}"))
            .DefaultIfEmpty($"{head}; no incidents");
        foreach (var detail in lines)
        {
            await audit.AppendAsync(new AuditEvent(Actor, AuditActions.RetentionDeleted, SchoolId: schoolId, Detail: detail), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention at school {SchoolId}: {Incidents} incidents, {Pending} waiting ones and {Missed} missed sentences received before {Cutoff} deleted, {Keys} month keys destroyed")]
    private static partial void Swept(ILogger logger, string schoolId, int incidents, int pending, int missed, int keys, DateTimeOffset cutoff);
}
