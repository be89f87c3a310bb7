using eSafe.Server.Storage;

namespace eSafe.Server.Retention;

/// <summary>
/// Every sweep period, adds that period's sweep job. Every process does so; the job's unique key lets one in, and the job
/// runner's lease lets one process run it.
/// </summary>
public sealed partial class RetentionUpkeep(IJobStore jobs, RetentionOptions options, TimeProvider clock, ILogger<RetentionUpkeep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromMinutes(options.SweepMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await jobs.AddAsync(RetentionSweepHandler.Plan(clock.GetUtcNow(), every), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, e);
            }

            try
            {
                await Task.Delay(every, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning the retention sweep failed; tried again next period")]
    private static partial void Failed(ILogger logger, Exception exception);
}
