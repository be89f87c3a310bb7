using System.Threading.Channels;
using eSafe.Contracts.Native;
using eSafe.Detection;
using eSafe.Host.Configuration;
using eSafe.Host.Messaging;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Session;

/// <summary>
/// One connection from the extension: answers hello, runs each text event through the device pipeline
/// in order, and acks it once every incident from it is in the outbox. Screenshot replies are read while
/// the pipeline waits for them, so events run on their own queue.
/// </summary>
public sealed class HostSession
{
    private readonly NativeChannel _channel;
    private readonly IThreatMatcher _matcher;
    private readonly EnrolmentState? _enrolment;
    private readonly string? _notReadyBecause;
    private readonly HostLog _log;
    private readonly TimeProvider _clock;
    private readonly NativeScreenshotSource _screenshots;
    private readonly DevicePipeline? _pipeline;
    // Unbounded: the reader must never wait for room here, or a capture reply behind a resent backlog
    // would go unread until the pipeline gave up on it. The extension caps its backlog (1000 events).
    private readonly Channel<TextEvent> _events = Channel.CreateUnbounded<TextEvent>(new UnboundedChannelOptions { SingleReader = true });
    private const int MaxEchoedEventId = 256;
    private const int MaxErrorMessage = 1000;
    private readonly byte[]? _installedUserIdKey;
    private BrowserSession? _browser;

    /// <param name="userIdKey">The school's user-ID key from the install; without it, the one Chrome policy sends in hello.</param>
    /// <param name="serverKey">The server's sealing key now (it can be rotated while the host runs); without it, the enrolment's.</param>
    /// <param name="envelopeVersion">The envelope version to seal as now (2 once the server takes it); without it, 1.</param>
    public HostSession(NativeChannel channel, IThreatMatcher matcher, IIncidentOutbox outbox, EnrolmentState? enrolment,
        string? notReadyBecause, HostLog log, TimeProvider clock, IRepeatStore? repeatStore = null, byte[]? userIdKey = null,
        Func<ServerSealingKey>? serverKey = null, Func<int>? envelopeVersion = null)
    {
        _installedUserIdKey = userIdKey;
        _channel = channel;
        _matcher = matcher;
        _enrolment = enrolment;
        _notReadyBecause = enrolment is null ? notReadyBecause ?? "this device is not enrolled" : null;
        _log = log;
        _clock = clock;
        _screenshots = new NativeScreenshotSource(channel);
        if (enrolment is not null)
        {
            var device = new DeviceProfile(enrolment.SchoolId, enrolment.DeviceId, Environment.MachineName, HostInfo.Version,
                new ServerSealingKey(enrolment.ServerKeyId, enrolment.ServerPublicKey));
            _pipeline = new DevicePipeline(matcher, _screenshots, outbox, device, DeviceAddresses.Current, clock, repeatStore, serverKey, envelopeVersion);
        }
    }

    /// <summary>The extension's version as its hello named it; null before the hello (the heartbeat reports it).</summary>
    public string? ExtensionVersion => Volatile.Read(ref _browser)?.ExtensionVersion;

    /// <summary>Talks until the browser closes the port; then finishes the events already received.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var worker = Task.Run(() => ProcessEventsAsync(cancellationToken), cancellationToken);
        try
        {
            while (await _channel.ReceiveAsync(cancellationToken) is { } message)
            {
                await HandleAsync(message, cancellationToken);
            }
        }
        catch (FramingException e)
        {
            _log.Error($"closing the connection: {e.Message}");
        }
        finally
        {
            _events.Writer.TryComplete();
            _screenshots.FailAll("the browser closed the connection");
        }

        await worker;
    }

    private async Task HandleAsync(NativeMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case HelloMessage hello when IncomingChecks.Problem(hello) is { } helloProblem:
                await SendErrorAsync(helloProblem, null, cancellationToken);
                break;
            case HelloMessage hello:
                _browser = StartBrowserSession(hello, out var keyProblem);
                await _channel.SendAsync(new HelloReply(NativeProtocol.Version, HostInfo.Version, _matcher.LibraryVersion,
                    _pipeline is not null, _notReadyBecause ?? keyProblem), cancellationToken);
                break;
            case TextMessage { Event: var textEvent }:
                var problem = textEvent is null ? "the event is missing" : textEvent.Problem(_clock.GetUtcNow());
                if (problem is not null)
                {
                    // The event's ID only when it is one the extension could have made: the error names the event it drops.
                    var eventId = textEvent?.EventId is { Length: > 0 and <= MaxEchoedEventId } id ? id : null;
                    await SendErrorAsync($"text event refused: {problem}", eventId, cancellationToken);
                }
                else
                {
                    await _events.Writer.WriteAsync(textEvent!, cancellationToken);
                }

                break;
            case CaptureReply reply when IncomingChecks.Problem(reply) is { } replyProblem:
                // Whoever waits for this request hears at once that its screenshot will not come.
                if (IncomingChecks.IsRequestId(reply.RequestId))
                {
                    _screenshots.Complete(new CaptureReply(reply.RequestId, null, "the browser's reply was refused: " + replyProblem));
                }

                await SendErrorAsync(replyProblem, null, cancellationToken);
                break;
            case CaptureReply reply:
                _screenshots.Complete(reply);
                break;
            case UnreadableMessage unreadable:
                await SendErrorAsync($"message not understood: {unreadable.Problem}", null, cancellationToken);
                break;
            default:
                await SendErrorAsync($"a host does not take '{message.GetType().Name}' messages", null, cancellationToken);
                break;
        }
    }

    // An error frame stays small whatever the message quoted: the browser refuses frames over 1 MB.
    private Task SendErrorAsync(string message, string? eventId, CancellationToken cancellationToken) =>
        _channel.SendAsync(new ErrorMessage(message.Length > MaxErrorMessage ? message[..MaxErrorMessage] + "…" : message, eventId),
            cancellationToken);

    private async Task ProcessEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var textEvent in _events.Reader.ReadAllAsync(cancellationToken))
        {
            if (_pipeline is null || _browser is null)
            {
                // Not acked: the extension keeps it until a host that can report takes it.
                continue;
            }

            try
            {
                var incidents = await _pipeline.ProcessAsync(textEvent, _browser, cancellationToken);
                foreach (var incident in incidents)
                {
                    _log.Info($"incident {incident.Id}: {incident.Category}, severity {incident.Severity}, rule {incident.RuleId}");
                }

                await _channel.SendAsync(new AckMessage(textEvent.EventId, incidents.Count), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // No eventId in the error: the extension drops an event refused by its ID, and this one must be resent.
                _log.Error($"event {textEvent.EventId} not stored, left for the extension to resend: {e.Message}");
                await SendErrorAsync($"event {textEvent.EventId} could not be stored on this device ({e.Message}); keep it and send it again",
                    null, cancellationToken);
            }
        }
    }

    public const string NoKeyProblem =
        "no school user-ID key: incidents are reported with the user ID 000…0, which names no pupil; install with --user-id-key-file or set the userIdKey policy";

    private BrowserSession StartBrowserSession(HelloMessage hello, out string? keyProblem)
    {
        if (hello.Protocol != NativeProtocol.Version)
        {
            _log.Info($"the extension speaks protocol {hello.Protocol}, the host {NativeProtocol.Version}");
        }

        var identity = string.IsNullOrWhiteSpace(hello.Account) ? "os:" + Environment.UserName : hello.Account;
        // The install's key first: an admin who installed one meant it. A missing key never stops an incident.
        var key = _installedUserIdKey ?? SchoolKeyFile.Parse(hello.UserIdKey);
        keyProblem = key is null ? NoKeyProblem : null;
        if (key is null && _enrolment is not null)
        {
            _log.Error(NoKeyProblem);
        }

        var userId = key is null ? PseudonymousId.Unknown : PseudonymousId.Compute(key, identity);
        return new BrowserSession(userId, Truncate(hello.ExtensionVersion, 64));
    }

    private static string? Truncate(string? value, int length) => value is { Length: > 0 } v && v.Length > length ? v[..length] : value;
}
