using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Host.Session;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Tests.Session;

public sealed class NativeScreenshotSourceTests
{
    [Test]
    public async Task A_capture_asks_for_that_tab_and_takes_the_reply_to_its_request()
    {
        using var output = new MemoryStream();
        using var channel = new NativeChannel(Stream.Null, output);
        var source = new NativeScreenshotSource(channel);

        var capture = source.CaptureAsync(Request(42), CancellationToken.None);
        var request = (CaptureRequest)(await new NativeChannel(new MemoryStream(output.ToArray()), Stream.Null).ReceiveAsync(CancellationToken.None))!;
        source.Complete(new CaptureReply("someone-else", [0xFF, 0xD8, 0xFF, 0x00, 0x01], null)).Should().BeFalse();
        source.Complete(new CaptureReply(request.RequestId, TestJpeg.Bytes(), null)).Should().BeTrue();

        request.TabId.Should().Be(42);
        var result = await capture.WaitAsync(ExtensionSide.Patience);
        result.Jpeg.Should().Equal(TestJpeg.Bytes());
        result.MissingReason.Should().BeNull();
        source.Complete(new CaptureReply(request.RequestId, TestJpeg.Bytes(), null)).Should().BeFalse("a request is answered once");
    }

    [Test]
    public async Task Once_the_browser_has_gone_a_capture_answers_at_once_without_asking()
    {
        using var output = new MemoryStream();
        using var channel = new NativeChannel(Stream.Null, output);
        var source = new NativeScreenshotSource(channel);

        source.FailAll("the browser closed the connection");
        var result = await source.CaptureAsync(Request(42), CancellationToken.None).WaitAsync(ExtensionSide.Patience);

        result.Jpeg.Should().BeNull();
        result.MissingReason.Should().Be("the browser closed the connection");
        output.Length.Should().Be(0, "nobody is there to ask");
    }

    [Test]
    public async Task A_capture_gives_up_when_cancelled()
    {
        using var channel = new NativeChannel(Stream.Null, new MemoryStream());
        var source = new NativeScreenshotSource(channel);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var capture = () => source.CaptureAsync(Request(1), cancel.Token);

        await capture.Should().ThrowAsync<OperationCanceledException>();
    }

    private static ScreenshotRequest Request(int tabId) => new(IncidentId.New(DateTimeOffset.UtcNow), tabId);
}
