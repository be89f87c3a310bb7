using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>Does one kind of job (<see cref="JobKinds"/>).</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken);
}

/// <summary>
/// How a job went: done (with what happened), cancelled (no longer needed), to be retried after a transient failure, or failed
/// for good; <see cref="FollowUps"/> are jobs it schedules (the next call, next week's summary).
/// </summary>
public sealed record JobResult(string State, string? Outcome, string? Error, IReadOnlyList<EscalationJob> FollowUps)
{
    /// <summary>The contact the job reached (a call step learns whom it rang only when it runs).</summary>
    public string? ContactId { get; init; }

    public static JobResult Done(string outcome, params EscalationJob[] followUps) => new(JobStates.Done, outcome, null, followUps);

    public static JobResult Cancelled(string why) => new(JobStates.Cancelled, why, null, []);

    public static JobResult Retry(string error) => new(JobStates.Pending, null, error, []);

    public static JobResult Failed(string error) => new(JobStates.Failed, null, error, []);
}
