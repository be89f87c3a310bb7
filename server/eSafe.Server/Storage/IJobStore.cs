namespace eSafe.Server.Storage;

/// <summary>
/// The escalation's timed work. A job is claimed with a lease before it runs, so with several server processes each
/// due job runs once; a process that dies mid-job loses its lease and the job runs again after it expires.
/// </summary>
public interface IJobStore
{
    /// <summary>Adds a job; false (and no change) when any job, done or not, has the same <see cref="EscalationJob.UniqueKey"/>.</summary>
    Task<bool> AddAsync(EscalationJob job, CancellationToken cancellationToken);

    /// <summary>Pending jobs due by <paramref name="now"/> whose lease is free, leased to <paramref name="owner"/> until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<EscalationJob>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, string owner, int max, CancellationToken cancellationToken);

    /// <summary>Saves a claimed job's result and releases its lease; false when the lease was lost to another process.</summary>
    Task<bool> CompleteAsync(EscalationJob job, string owner, CancellationToken cancellationToken);

    Task<IReadOnlyList<EscalationJob>> ListForIncidentAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="max"/> finished jobs (done or cancelled) completed before <paramref name="completedBefore"/>;
    /// returns how many. Failed jobs stay, for someone to look at. Processes deleting at once each delete different jobs.
    /// </summary>
    Task<int> DeleteFinishedAsync(DateTimeOffset completedBefore, int max, CancellationToken cancellationToken);

    /// <summary>Jobs that failed for good or are still being retried after an error, newest first.</summary>
    Task<IReadOnlyList<EscalationJob>> ListTroubledAsync(IReadOnlyCollection<string>? schoolIds, int limit, CancellationToken cancellationToken);
}
