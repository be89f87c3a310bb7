using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using Npgsql;

namespace eSafe.Server.Live;

/// <summary>
/// Keeps one connection of this process LISTENing on <see cref="PostgresChangeFeed.Channel"/> and hands each change it hears to
/// this process's console users. When the connection breaks (the database restarted, say) it connects again with back-off,
/// then tells every listener to refresh, since changes made meanwhile were not heard. An idle connection is checked now and
/// then, so a silently dropped one is noticed too.
/// </summary>
public sealed partial class PostgresChangeListener(DataFolder data, LiveSubscribers subscribers, ILogger<PostgresChangeListener> log)
    : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times the connection was made again after breaking.</summary>
    public int Reconnections { get; private set; }

    /// <summary>Starts listening before the server takes requests, so a change made right after start is heard (waits 10 s at most).</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(_listening.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var broken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _db.Source.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Heard(e.Payload);
                await connection.ExecuteAsync($"LISTEN {PostgresChangeFeed.Channel}", stoppingToken);
                _listening.TrySetResult();
                if (broken)
                {
                    Reconnections++;
                    Reconnected(log);
                    subscribers.Resync();
                }

                pause = FirstPause;
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheck, stoppingToken))
                    {
                        await connection.ExecuteAsync("SELECT 1", stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or StorageUnavailableException or TimeoutException or IOException
                or InvalidOperationException)
            {
                broken = true;
                Lost(log, pause.TotalSeconds, e.Message);
            }

            try
            {
                await Task.Delay(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private void Heard(string payload)
    {
        if (LiveChange.FromPayload(payload) is { } change)
        {
            subscribers.Deliver(change);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The live-change connection to the database is lost; trying again in {Seconds} s: {Reason}")]
    private static partial void Lost(ILogger logger, double seconds, string reason);

    [LoggerMessage(LogLevel.Information, "The live-change connection to the database is back; consoles were told to refresh")]
    private static partial void Reconnected(ILogger logger);
}
