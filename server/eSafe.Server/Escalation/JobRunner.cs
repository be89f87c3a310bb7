using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// Runs due jobs in this server process: claims them with a lease (so another process does not run them too), hands each
/// to its kind's handler, and records the result; a transient failure is retried with back-off, in protocol minutes.
/// </summary>
public sealed partial class JobRunner(IJobStore jobs, IEnumerable<IJobHandler> handlers, EscalationOptions options, TimeProvider clock,
    ILogger<JobRunner> log) : BackgroundService
{
    private const int BatchSize = 20;
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Runs every job due now; returns how many ran. The background loop calls it; so can a test or a command.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claimed = await jobs.ClaimDueAsync(now, now + TimeSpan.FromMinutes(5), _owner, BatchSize, cancellationToken);
        foreach (var job in claimed)
        {
            await RunAsync(job, cancellationToken);
        }

        return claimed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unusable (a full disk); the jobs stay pending and are tried on the next round.
                RoundFailed(log, e);
            }

            try
            {
                await Task.Delay(pause, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        JobResult result;
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            result = JobResult.Failed($"No handler for jobs of kind {job.Kind}.");
        }
        else
        {
            try
            {
                result = await handler.RunAsync(job, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                JobCrashed(log, job.Id, job.Kind, e);
                result = JobResult.Retry("An internal error: see the server's log.");
            }
        }

        var now = clock.GetUtcNow();
        var attempts = job.Attempts + 1;
        job = job with { ContactId = result.ContactId ?? job.ContactId };
        var finished = result.State switch
        {
            JobStates.Pending when attempts >= options.MaxAttempts =>
                job with { State = JobStates.Failed, Attempts = attempts, LastError = result.Error, CompletedAt = now },
            JobStates.Pending => job with { Attempts = attempts, LastError = result.Error, DueAt = now + Backoff(attempts) },
            _ => job with { State = result.State, Attempts = attempts, LastError = result.Error, Outcome = result.Outcome, CompletedAt = now },
        };

        foreach (var followUp in result.FollowUps)
        {
            await jobs.AddAsync(followUp, cancellationToken);
        }

        if (!await jobs.CompleteAsync(finished, _owner, cancellationToken))
        {
            LeaseLost(log, job.Id);
        }
    }

    // 1, 2, 4, 8, 15, 15… protocol minutes: quick enough for a call, gentle with a mail server that is down.
    private TimeSpan Backoff(int attempts) => options.Minutes(Math.Min(Math.Pow(2, attempts - 1), 15));

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of escalation jobs failed; it is tried again on the next round")]
    private static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) failed with an internal error; it will be retried")]
    private static partial void JobCrashed(ILogger logger, string jobId, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ran past its lease; another process may run it again")]
    private static partial void LeaseLost(ILogger logger, string jobId);
}
