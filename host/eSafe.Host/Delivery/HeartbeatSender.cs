using System.Text.Json;
using eSafe.Contracts.Http;
using eSafe.Host.Libraries;
using Refit;

namespace eSafe.Host.Delivery;

/// <summary>
/// Tells the server this device is alive (docs/PROTOCOL.md, "Heartbeat"): native mode, the host's and the extension's
/// versions (the extension's as its hello gave it), the libraries in use and how many incidents wait in the outbox. The
/// first goes once the extension has said hello (or after <see cref="HelloWait"/>), then as often as the server asks
/// (every 5 minutes by default); a failed one is tried again a minute later.
/// </summary>
public sealed class HeartbeatSender(IDeviceApi api, string deviceToken, FileOutbox outbox, LiveMatcher matcher, Func<string?> extensionVersion,
    HostLog log)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan HelloWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>What the extension's version is sent as when its hello named none.</summary>
    public const string UnknownExtension = "unknown";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            for (var waited = TimeSpan.Zero; extensionVersion() is null && waited < HelloWait; waited += TimeSpan.FromMilliseconds(200))
            {
                await Task.Delay(200, cancellationToken);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var next = await TrySendAsync(cancellationToken) ?? RetryAfterFailure;
                await Task.Delay(next, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the server notices the silence itself.
        }
    }

    /// <summary>The heartbeat as it stands now.</summary>
    public HeartbeatRequest Current()
    {
        var libraries = matcher.Libraries;
        var version = extensionVersion();
        return new HeartbeatRequest(DeviceModes.Native, string.IsNullOrWhiteSpace(version) ? UnknownExtension : version, HostInfo.Version,
            libraries.Global.Version, libraries.School?.Version, outbox.Pending().Count, HostMissing: false);
    }

    /// <summary>Sends one; the wait the server asks for before the next, or null when it did not arrive.</summary>
    public async Task<TimeSpan?> TrySendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var heartbeat = Current();
            var receipt = await api.SendHeartbeatAsync(heartbeat, deviceToken, cancellationToken);
            log.Info($"heartbeat sent (outbox {heartbeat.Backlog})");
            var asked = receipt.NextInSeconds > 0 ? TimeSpan.FromSeconds(receipt.NextInSeconds) : DefaultInterval;
            return asked < MinInterval ? MinInterval : asked > MaxInterval ? MaxInterval : asked;
        }
        // A failure while stopping is still a failure, not a crash; only our own cancellation ends the loop.
        catch (Exception e) when (e is ApiExceptionBase or HttpRequestException or JsonException or IOException or UnauthorizedAccessException
                                  || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.Error($"heartbeat not sent: {e.Message}");
            return null;
        }
    }
}
