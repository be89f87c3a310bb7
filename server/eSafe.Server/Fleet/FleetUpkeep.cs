using eSafe.Server.Storage;

namespace eSafe.Server.Fleet;

/// <summary>
/// Every check period, adds that period's check job. Every process does so; the job's unique key lets one in, and the job
/// runner's lease lets one process run it.
/// </summary>
public sealed partial class FleetUpkeep(IJobStore jobs, FleetOptions options, TimeProvider clock, ILogger<FleetUpkeep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.CheckSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await jobs.AddAsync(FleetCheckHandler.Plan(clock.GetUtcNow(), options), stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning the fleet check failed; tried again next period")]
    private static partial void Failed(ILogger logger, Exception exception);
}
