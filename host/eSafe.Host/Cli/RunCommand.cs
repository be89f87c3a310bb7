using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Libraries;
using eSafe.Host.Messaging;
using eSafe.Host.Session;

namespace eSafe.Host.Cli;

/// <summary>What Chrome starts: the native messaging conversation, with delivery to the server beside it.</summary>
public static class RunCommand
{
    private static readonly TimeSpan EnrolmentTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FinalDeliveryTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var paths = HostPaths.ForCurrentUser();
        StateFiles.CreatePrivateDirectory(paths.StateDirectory);
        var log = new HostLog(paths.LogFile);
        log.Info($"esafe-host {HostInfo.Version} started, state in {paths.StateDirectory}");

        var (config, enrolment, problem) = await TryEnrolAsync(paths, log, cancellationToken);
        using var outbox = new FileOutbox(paths.OutboxDirectory);
        using var channel = new NativeChannel(input, output);
        // The cached libraries first, so that a start without the network scans with the school's words too.
        var libraries = new LibraryCache(paths.LibraryDirectory, log);
        var matcher = new LiveMatcher(libraries.Load(enrolment?.SchoolId));
        log.Info($"libraries: {matcher.Libraries.Describe()}");
        var serverKeys = enrolment is null ? null : new ServerKeyUpdates(paths, enrolment, log);
        var session = new HostSession(channel, matcher, outbox, enrolment, problem, log, TimeProvider.System,
            new RepeatStateFile(paths.RepeatFile, paths.RepeatKeyFile, log), SchoolKeyFile.Parse(config?.UserIdKey),
            serverKeys is null ? null : () => serverKeys.Current, serverKeys is null ? null : () => serverKeys.EnvelopeVersion);

        using var client = enrolment is null ? null : new DeviceApiClient(enrolment.ServerUrl, config?.Pins());
        var uploader = client is null ? null : new OutboxUploader(outbox, client.Api, enrolment!.DeviceToken, log,
            serverWithoutBinary: serverKeys is null ? null : serverKeys.ServerRefusedBinary);
        var updater = client is null ? null : new LibraryUpdater(client.Api, enrolment!.DeviceToken, enrolment.SchoolId, libraries, matcher, log,
            serverKeys);
        var heartbeat = client is null ? null : new HeartbeatSender(client.Api, enrolment!.DeviceToken, outbox, matcher, () => session.ExtensionVersion, log);
        using var stopBackground = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploading = uploader?.RunAsync(stopBackground.Token) ?? Task.CompletedTask;
        var updating = updater?.RunAsync(stopBackground.Token) ?? Task.CompletedTask;
        var beating = heartbeat?.RunAsync(stopBackground.Token) ?? Task.CompletedTask;

        await session.RunAsync(cancellationToken);

        // The browser has gone; give what is waiting one last chance before exiting.
        await stopBackground.CancelAsync();
        await Task.WhenAll(uploading, updating, beating);
        if (uploader is not null)
        {
            using var last = new CancellationTokenSource(FinalDeliveryTimeout);
            await uploader.DeliverPendingAsync(last.Token);
        }

        log.Info("the browser closed the connection; exiting");
        return 0;
    }

    private static async Task<(HostConfig?, EnrolmentState?, string?)> TryEnrolAsync(HostPaths paths, HostLog log, CancellationToken cancellationToken)
    {
        HostConfig? config = null;
        try
        {
            config = DeviceEnrolment.ReadConfig(paths);
            if (config is null)
            {
                return (null, null, "the host is not configured: run esafe-host install --server URL --enrolment-code CODE");
            }

            // Pins set by Chrome policy count from the first byte, enrolment included.
            config = ChromePolicyPins.WithPolicyPins(config, ChromePolicyPins.ReadMachinePolicy());

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(EnrolmentTimeout);
            return (config, await DeviceEnrolment.EnsureAsync(paths, config, HostInfo.Version, timeout.Token), null);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or HttpRequestException
                                      or OperationCanceledException or Refit.ApiExceptionBase or IOException)
        {
            log.Error($"not ready to report: {e.Message}");
            return (config, null, e.Message);
        }
    }
}
