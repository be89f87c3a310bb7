using eSafe.Server.Escalation;
using eSafe.Server.Storage;

namespace eSafe.Server.Retention;

/// <summary>The retention sweep as a job: one a sweep period however many processes add it, run by whichever claims it.</summary>
public sealed class RetentionSweepHandler(RetentionSweeper sweeper) : IJobHandler
{
    public const string JobKind = "retention-sweep";

    /// <summary>The school ID of a sweep job, which covers every school.</summary>
    public const string EverySchool = "*";

    public string Kind => JobKind;

    /// <summary>The sweep job of the period <paramref name="now"/> falls in.</summary>
    public static EscalationJob Plan(DateTimeOffset now, TimeSpan every)
    {
        var periodMs = Math.Max(1, (long)every.TotalMilliseconds);
        var start = now.ToUnixTimeMilliseconds() / periodMs * periodMs;
        return EscalationPlanner.New(JobKind, EverySchool, null, 0, null, 0, $"retention-sweep:{start}", now);
    }

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        var result = await sweeper.SweepAsync(cancellationToken);
        return JobResult.Done($"{result.Incidents} incidents, {result.PendingIncidents} waiting ones and {result.MissedSentences} missed sentences deleted at {result.Schools} schools; "
            + $"{result.KeysDestroyed} month keys destroyed.");
    }
}
