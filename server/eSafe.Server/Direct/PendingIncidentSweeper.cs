using eSafe.Server.Storage;

namespace eSafe.Server.Direct;

/// <summary>
/// Stores, without a screenshot, every Chromebook incident whose screenshot has not come within
/// <see cref="DirectLimits.ScreenshotWait"/>: an incident is never lost for want of its image. Safe with
/// several server processes: a second store of the same incident is a duplicate.
/// </summary>
public sealed class PendingIncidentSweeper(IPendingIncidentStore pending, IDeviceStore devices, DirectScreenshots screenshots, TimeProvider clock,
    ILogger<PendingIncidentSweeper> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                DirectLog.SweepFailed(log, e.Message);
            }
        }
    }

    /// <summary>One pass; returns how many incidents were stored without their screenshot.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var waiting in await pending.ListOlderAsync(clock.GetUtcNow() - DirectLimits.ScreenshotWait, 100, cancellationToken))
        {
            if (await devices.GetAsync(waiting.DeviceId, cancellationToken) is not { } device)
            {
                await pending.RemoveAsync(waiting.IncidentId, cancellationToken);
                continue;
            }

            var outcome = await screenshots.CompleteWithoutAsync(device, waiting, cancellationToken);
            stored += outcome.Result == Ingest.IngestResult.Stored ? 1 : 0;
        }

        return stored;
    }
}
