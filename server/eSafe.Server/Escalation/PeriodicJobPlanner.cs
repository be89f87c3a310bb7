using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// Every period, adds that period's job (a fleet check, a retention sweep). Every process does so; the job's unique key lets
/// one in, and the job runner's lease lets one process run it.
/// </summary>
public abstract partial class PeriodicJobPlanner(IJobStore jobs, TimeProvider clock, ILogger log) : BackgroundService
{
    protected abstract TimeSpan Every { get; }

    /// <summary>The job of the period <paramref name="now"/> falls in, under a key unique to that period.</summary>
    protected abstract EscalationJob Plan(DateTimeOffset now);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await jobs.AddAsync(Plan(clock.GetUtcNow()), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, GetType().Name, e);
            }

            try
            {
                await Task.Delay(Every, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Planner} could not plan its job; tried again next period")]
    private static partial void Failed(ILogger logger, string planner, Exception exception);
}
