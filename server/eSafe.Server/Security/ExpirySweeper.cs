namespace eSafe.Server.Security;

/// <summary>
/// Now and then removes what has expired: ended sessions and stale login counters. Expiry itself is enforced
/// when a session or counter is read; this only keeps the tables small. Safe to run in every process at once.
/// </summary>
public sealed partial class ExpirySweeper(ServerSessions sessions, LoginThrottle throttle, TimeProvider clock, ILogger<ExpirySweeper> log)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var ended = await sessions.RemoveExpiredAsync(cancellationToken);
        var stale = await throttle.RemoveStaleAsync(cancellationToken);
        if (ended + stale > 0)
        {
            Swept(log, ended, stale);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is IOException or LiteDB.LiteException)
                {
                    SweepFailed(log, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Sessions} expired sessions and {Counters} stale login counters")]
    private static partial void Swept(ILogger logger, int sessions, int counters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired sessions failed; trying again later")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
