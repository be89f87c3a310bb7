using System.Text;
using eSafe.Contracts.Native;
using eSafe.Host.Messaging;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Messaging;

public sealed class NativeChannelTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    // Every message of docs/PROTOCOL.md, and its exact JSON on the wire: camelCase, "type" first, no nulls.
    private static IEnumerable<TestCaseData> Messages()
    {
        yield return Case("hello", new HelloMessage(1, "1.2.3", "pupil@school.example"),
            """{"type":"hello","protocol":1,"extensionVersion":"1.2.3","account":"pupil@school.example"}""");
        yield return Case("hello without an account", new HelloMessage(1, "1.2.3", null),
            """{"type":"hello","protocol":1,"extensionVersion":"1.2.3"}""");
        yield return Case("hello-reply ready", new HelloReply(1, "0.1.0", "starter-1", true, null),
            """{"type":"hello-reply","protocol":1,"hostVersion":"0.1.0","libraryVersion":"starter-1","ready":true}""");
        yield return Case("hello-reply not ready", new HelloReply(1, "0.1.0", "starter-1", false, "this device is not enrolled"),
            """{"type":"hello-reply","protocol":1,"hostVersion":"0.1.0","libraryVersion":"starter-1","ready":false,"problem":"this device is not enrolled"}""");
        yield return Case("text",
            new TextMessage(new TextEvent("e-1", 7, "f1", TextSources.Typed, "https://chat.example.org/room", "Chat", "hello there", At, 60)),
            """{"type":"text","event":{"eventId":"e-1","tabId":7,"fieldId":"f1","source":"typed","url":"https://chat.example.org/room","title":"Chat","text":"hello there","occurredAt":"2025-03-04T05:06:07+00:00","localOffsetMinutes":60}}""");
        yield return Case("text from a page, no field or title",
            new TextMessage(new TextEvent("e-2", 3, null, TextSources.Page, "http://news.example.org/", null, "read", At, -300)),
            """{"type":"text","event":{"eventId":"e-2","tabId":3,"source":"page","url":"http://news.example.org/","text":"read","occurredAt":"2025-03-04T05:06:07+00:00","localOffsetMinutes":-300}}""");
        yield return Case("ack", new AckMessage("e-1", 1),
            """{"type":"ack","eventId":"e-1","incidents":1}""");
        yield return Case("capture", new CaptureRequest("r-1", 7),
            """{"type":"capture","requestId":"r-1","tabId":7}""");
        yield return Case("capture-reply with a jpeg", new CaptureReply("r-1", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], null),
            """{"type":"capture-reply","requestId":"r-1","jpeg":"/9j/4AAQ"}""");
        yield return Case("capture-reply with an error", new CaptureReply("r-1", null, "the tab is not visible"),
            """{"type":"capture-reply","requestId":"r-1","error":"the tab is not visible"}""");
        yield return Case("error about an event", new ErrorMessage("text event refused: too long", "e-1"),
            """{"type":"error","message":"text event refused: too long","eventId":"e-1"}""");
        yield return Case("error", new ErrorMessage("message not understood", null),
            """{"type":"error","message":"message not understood"}""");

        static TestCaseData Case(string name, NativeMessage message, string json) => new TestCaseData(message, json).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(Messages))]
    public async Task A_message_goes_out_with_its_wire_names(NativeMessage message, string json)
    {
        using var output = new MemoryStream();
        using var channel = new NativeChannel(Stream.Null, output);

        await channel.SendAsync(message, CancellationToken.None);

        var frame = await new FrameReader(new MemoryStream(output.ToArray()), int.MaxValue).ReadAsync(CancellationToken.None);
        Encoding.UTF8.GetString(frame!).Should().Be(json);
    }

    [TestCaseSource(nameof(Messages))]
    public async Task A_message_comes_back_as_it_was_sent(NativeMessage message, string json)
    {
        using var channel = new NativeChannel(new MemoryStream(Frames.Of(json)), Stream.Null);

        var received = await channel.ReceiveAsync(CancellationToken.None);

        received.Should().BeOfType(message.GetType());
        received.Should().BeEquivalentTo(message, options => options.ComparingRecordsByMembers().RespectingRuntimeTypes());
    }

    [Test]
    public async Task A_jpeg_in_a_capture_reply_is_base64()
    {
        var jpeg = TestJpeg.Bytes();
        using var output = new MemoryStream();
        using var channel = new NativeChannel(Stream.Null, output);

        await channel.SendAsync(new CaptureReply("r-9", jpeg, null), CancellationToken.None);

        var json = Encoding.UTF8.GetString(output.ToArray()[4..]);
        json.Should().Contain($"\"jpeg\":\"{Convert.ToBase64String(jpeg)}\"");
    }

    // As the extension writes them: "type" anywhere, extra fields, times with milliseconds and Z.
    private static IEnumerable<TestCaseData> ExtensionMessages()
    {
        yield return new TestCaseData(
            """{"protocol":1,"extensionVersion":"1.2.3","account":"a@b.example","type":"hello"}""",
            new HelloMessage(1, "1.2.3", "a@b.example")).SetArgDisplayNames("type last");
        yield return new TestCaseData(
            """{"protocol":2,"type":"hello","extensionVersion":"9.0.0","account":null,"features":["x"]}""",
            new HelloMessage(2, "9.0.0", null)).SetArgDisplayNames("type in the middle, a field the host does not know");
        yield return new TestCaseData(
            """{"event":{"eventId":"e-3","tabId":12,"fieldId":"m","source":"typed","url":"https://x.example/","title":"X","text":"hi","occurredAt":"2025-03-04T05:06:07.123Z","localOffsetMinutes":330},"type":"text"}""",
            new TextMessage(new TextEvent("e-3", 12, "m", TextSources.Typed, "https://x.example/", "X", "hi", At.AddMilliseconds(123), 330)))
            .SetArgDisplayNames("text with type last");
        yield return new TestCaseData(
            """{"requestId":"r-2","jpeg":"/9j/4AAQ","type":"capture-reply"}""",
            new CaptureReply("r-2", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], null)).SetArgDisplayNames("capture-reply with type last");
    }

    [TestCaseSource(nameof(ExtensionMessages))]
    public async Task A_message_parses_wherever_its_type_is(string json, NativeMessage expected)
    {
        using var channel = new NativeChannel(new MemoryStream(Frames.Of(json)), Stream.Null);

        var received = await channel.ReceiveAsync(CancellationToken.None);

        received.Should().BeOfType(expected.GetType());
        received.Should().BeEquivalentTo(expected, options => options.ComparingRecordsByMembers().RespectingRuntimeTypes());
    }

    [TestCase("""{"type":"goodbye","protocol":1}""", TestName = "an unknown type")]
    [TestCase("""{"protocol":1}""", TestName = "no type")]
    [TestCase("""{"type":"hello",""", TestName = "truncated JSON")]
    [TestCase("hello", TestName = "not JSON")]
    [TestCase("", TestName = "an empty frame")]
    [TestCase("null", TestName = "JSON null")]
    [TestCase("[1,2]", TestName = "a JSON array")]
    [TestCase("\"hello\"", TestName = "a JSON string")]
    [TestCase("""{"type":"hello","protocol":"one"}""", TestName = "a field of the wrong kind")]
    [TestCase("""{"type":"capture-reply","requestId":"r","jpeg":"not base64!"}""", TestName = "a jpeg that is not base64")]
    [TestCase("""{"type":"text","event":{"eventId":"e","occurredAt":"yesterday"}}""", TestName = "a time that is not a time")]
    public async Task A_frame_that_is_no_message_is_unreadable_and_the_next_one_still_reads(string json)
    {
        var input = new MemoryStream([.. Frames.Of(json), .. Frames.Of("""{"type":"hello","protocol":1}""")]);
        using var channel = new NativeChannel(input, Stream.Null);

        var first = await channel.ReceiveAsync(CancellationToken.None);
        var second = await channel.ReceiveAsync(CancellationToken.None);

        first.Should().BeOfType<UnreadableMessage>().Which.Problem.Should().NotBeNullOrWhiteSpace();
        second.Should().Be(new HelloMessage(1, null, null));
        (await channel.ReceiveAsync(CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Invalid_utf8_is_unreadable()
    {
        var input = new MemoryStream(Frames.Of([(byte)'"', 0xC3, 0x28, (byte)'"']));
        using var channel = new NativeChannel(input, Stream.Null);

        (await channel.ReceiveAsync(CancellationToken.None)).Should().BeOfType<UnreadableMessage>();
    }

    [Test]
    public async Task A_message_too_large_for_the_browser_is_not_sent()
    {
        using var output = new MemoryStream();
        using var channel = new NativeChannel(Stream.Null, output);

        var send = () => channel.SendAsync(new ErrorMessage(new string('x', NativeProtocol.MaxOutgoingBytes), null), CancellationToken.None);

        await send.Should().ThrowAsync<FramingException>();
        output.Length.Should().Be(0);
    }

    [Test]
    public async Task An_unreadable_message_is_never_sent()
    {
        using var channel = new NativeChannel(Stream.Null, new MemoryStream());

        var send = () => channel.SendAsync(new UnreadableMessage("x"), CancellationToken.None);

        await send.Should().ThrowAsync<NotSupportedException>();
    }
}
