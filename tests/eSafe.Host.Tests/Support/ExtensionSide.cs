using System.IO.Pipelines;
using System.Text;
using eSafe.Contracts.Native;
using eSafe.Host.Configuration;
using eSafe.Host.Messaging;
using eSafe.Host.Session;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Tests.Support;

/// <summary>
/// A <see cref="HostSession"/> on in-memory pipes, and the extension's end of them: what the tests send is
/// framed as Chrome frames it, and what the host answers is read back as typed messages.
/// </summary>
internal sealed class ExtensionSide : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // Neither pipe ever blocks its writer: the tests decide when each side reads.
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0);

    private readonly Pipe _toHost = new(Unbounded);
    private readonly Pipe _fromHost = new(Unbounded);
    private readonly NativeChannel _hostChannel;
    private readonly NativeChannel _extension;
    private readonly FrameWriter _rawWriter;

    public ExtensionSide(IIncidentOutbox outbox, EnrolmentState? enrolment, TimeProvider clock, string? notReadyBecause = null,
        IRepeatStore? repeats = null, byte[]? userIdKey = null)
    {
        _hostChannel = new NativeChannel(_toHost.Reader.AsStream(), _fromHost.Writer.AsStream());
        var session = new HostSession(_hostChannel, TestLibrary.Matcher, outbox, enrolment, notReadyBecause,
            new HostLog(null), clock, repeats, userIdKey);
        var toHost = _toHost.Writer.AsStream();
        _extension = new NativeChannel(_fromHost.Reader.AsStream(), toHost);
        _rawWriter = new FrameWriter(toHost, int.MaxValue);
        Session = Task.Run(() => session.RunAsync(CancellationToken.None));
    }

    /// <summary>The host's side of the conversation; completes when it has finished.</summary>
    public Task Session { get; }

    public Task SendAsync(NativeMessage message) => _extension.SendAsync(message, CancellationToken.None);

    /// <summary>Sends a frame with this JSON as it is, for messages the typed contracts cannot express.</summary>
    public Task SendRawAsync(string json) => _rawWriter.WriteAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);

    /// <summary>Sends these bytes unframed: a header of the test's own making, say.</summary>
    public async Task SendBytesAsync(byte[] bytes)
    {
        await _toHost.Writer.WriteAsync(bytes);
    }

    /// <summary>The host's next message, which must come soon.</summary>
    public async Task<NativeMessage> ReceiveAsync()
    {
        var message = await _extension.ReceiveAsync(CancellationToken.None).WaitAsync(Patience);
        return message ?? throw new AssertionException("the host closed its output");
    }

    public async Task<T> ExpectAsync<T>() where T : NativeMessage
    {
        var message = await ReceiveAsync();
        return message.Should().BeOfType<T>().Subject;
    }

    /// <summary>The extension's hello; the host must answer that it is ready.</summary>
    public async Task HelloAsync(string? account, string extensionVersion = "1.0.0")
    {
        await SendAsync(new HelloMessage(NativeProtocol.Version, extensionVersion, account));
        (await ExpectAsync<HelloReply>()).Ready.Should().BeTrue();
    }

    /// <summary>Answers the host's next screenshot request with a small JPEG.</summary>
    public async Task ReplyToCaptureAsync()
    {
        var capture = await ExpectAsync<CaptureRequest>();
        await SendAsync(new CaptureReply(capture.RequestId, TestJpeg.Bytes(), null));
    }

    /// <summary>Chrome closes the port: the host's input ends.</summary>
    public async Task EndInputAsync() => await _toHost.Writer.CompleteAsync();

    /// <summary>Waits for the session to end, within <paramref name="within"/>.</summary>
    public async Task WaitForEndAsync(TimeSpan within)
    {
        try
        {
            await Session.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"the session did not end within {within.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// Ends the input, waits for the session to finish and returns every message the host sent that the
    /// test had not read yet.
    /// </summary>
    public async Task<IReadOnlyList<NativeMessage>> FinishAsync()
    {
        await EndInputAsync();
        await WaitForEndAsync(Patience);
        return await RemainingAsync();
    }

    /// <summary>Once the session has ended: what it sent that the test had not read yet.</summary>
    public async Task<IReadOnlyList<NativeMessage>> RemainingAsync()
    {
        Session.IsCompleted.Should().BeTrue("the rest is only known once the session has ended");
        await _fromHost.Writer.CompleteAsync();
        var rest = new List<NativeMessage>();
        while (await _extension.ReceiveAsync(CancellationToken.None).WaitAsync(Patience) is { } message)
        {
            rest.Add(message);
        }

        return rest;
    }

    public async ValueTask DisposeAsync()
    {
        await _toHost.Writer.CompleteAsync();
        await _fromHost.Writer.CompleteAsync();
        _hostChannel.Dispose();
        _extension.Dispose();
        _rawWriter.Dispose();
    }
}
