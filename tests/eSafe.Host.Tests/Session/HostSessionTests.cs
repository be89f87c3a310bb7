using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using eSafe.Contracts.Native;
using eSafe.Detection;
using eSafe.Host.Messaging;
using eSafe.Host.Session;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;

namespace eSafe.Host.Tests.Session;

/// <summary>The host's side of one connection, driven over in-memory pipes as the extension drives it.</summary>
public sealed class HostSessionTests : EnrolledDeviceTests
{
    private const string Account = "Pupil.One@School.example";
    private const string ExtensionVersion = "1.4.2";
    private const string Threat = "honestly i want to Kill Myself tonight";
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TypedAt = new(2025, 3, 4, 10, 6, 7, TimeSpan.FromMinutes(330));


    [TestCase(null, "this device is not enrolled")]
    [TestCase("the host is not configured: run esafe-host install", "the host is not configured: run esafe-host install")]
    public async Task Not_enrolled_it_says_it_is_not_ready_and_acks_nothing(string? problem, string expected)
    {
        await using var extension = new ExtensionSide(Outbox, enrolment: null, new FixedClock(Now), problem);

        await extension.SendAsync(new HelloMessage(NativeProtocol.Version, ExtensionVersion, Account));
        var reply = await extension.ExpectAsync<HelloReply>();
        await extension.SendAsync(Text("ev-1", Threat));
        await extension.SendAsync(Text("ev-2", "nothing to see"));
        var rest = await extension.FinishAsync();

        reply.Should().Be(new HelloReply(NativeProtocol.Version, HostInfo.Version, TestLibrary.Matcher.LibraryVersion, false, expected));
        rest.Should().BeEmpty("the extension keeps its events until a host that can report takes them");
        Outbox.Pending().Should().BeEmpty();
    }

    [Test]
    public async Task Enrolled_it_is_ready()
    {
        await using var extension = Enrolled();

        await extension.SendAsync(new HelloMessage(NativeProtocol.Version, ExtensionVersion, Account));

        (await extension.ExpectAsync<HelloReply>()).Should()
            .Be(new HelloReply(NativeProtocol.Version, HostInfo.Version, TestLibrary.Matcher.LibraryVersion, true, null));
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task A_threat_is_captured_sealed_stored_then_acked_with_every_field()
    {
        await using var extension = Enrolled();
        var jpeg = TestJpeg.Bytes();
        var textEvent = new TextEvent("ev-1", 42, "message-box", TextSources.Typed, "https://chat.example.org/room?id=5", "Chat",
            Threat, TypedAt, 330);

        await HelloAsync(extension);
        await extension.SendAsync(new TextMessage(textEvent));
        var capture = await extension.ExpectAsync<CaptureRequest>();
        capture.TabId.Should().Be(42);
        capture.RequestId.Should().NotBeNullOrWhiteSpace();
        Outbox.Pending().Should().BeEmpty("nothing is stored before the screenshot is in");
        await extension.SendAsync(new CaptureReply(capture.RequestId, jpeg, null));
        var ack = await extension.ExpectAsync<AckMessage>();

        ack.Should().Be(new AckMessage("ev-1", 1));
        var (envelope, incident) = SingleIncident();
        envelope.IncidentId.Should().Be(incident.Id);
        envelope.KeyId.Should().Be(TestEnrolment.KeyId);
        incident.Id.Should().Match(id => IncidentId.IsValid(id));
        incident.Id[..10].Should().Be(IncidentId.New(Now)[..10], "the ID starts with the time it was made");
        incident.SchoolId.Should().Be(TestEnrolment.SchoolId);
        incident.DeviceId.Should().Be(TestEnrolment.DeviceId);
        incident.UserId.Should().Be(PseudonymousId.Compute(Enrolment.UserIdKey, Account));
        incident.UserId.Should().Be(PseudonymousId.Compute(Enrolment.UserIdKey, "pupil.one@school.example"));
        incident.MachineName.Should().Be(Environment.MachineName);
        incident.DeviceAddresses.Should().BeEquivalentTo(DeviceAddresses.Current());
        incident.OccurredAt.Should().Be(TypedAt);
        incident.OccurredAt.Offset.Should().Be(TimeSpan.Zero, "times are kept in UTC");
        incident.LocalOffsetMinutes.Should().Be(330);
        incident.Url.Should().Be("https://chat.example.org/room?id=5");
        incident.PageTitle.Should().Be("Chat");
        incident.Source.Should().Be(TextSources.Typed);
        incident.RuleId.Should().Be("st-sui-001");
        incident.Phrase.Should().Be("kill myself");
        incident.MatchedText.Should().Be("Kill Myself", "the words are kept as the pupil wrote them");
        incident.Category.Should().Be(ThreatCategories.Suicide);
        incident.Severity.Should().Be(5);
        incident.Context.Should().Be(Threat);
        incident.Screenshot.Should().Equal(jpeg);
        incident.ScreenshotMissingReason.Should().BeNull();
        incident.HostVersion.Should().Be(HostInfo.Version);
        incident.LibraryVersion.Should().Be(TestLibrary.Matcher.LibraryVersion);
        incident.ExtensionVersion.Should().Be(ExtensionVersion);
        IncidentValidator.Problems(incident, Now).Should().BeEmpty("the server takes it as it is");
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [TestCase(Account, Account)]
    [TestCase("  PUPIL.one@school.EXAMPLE ", Account)]
    [TestCase(null, null)]
    [TestCase("   ", null)]
    public async Task The_user_is_the_account_or_else_the_operating_systems_user(string? account, string? identity)
    {
        await using var extension = Enrolled();

        await HelloAsync(extension, account);
        await extension.SendAsync(Text("ev-1", Threat));
        await extension.ReplyToCaptureAsync();
        await extension.ExpectAsync<AckMessage>();

        SingleIncident().Incident.UserId.Should().Be(PseudonymousId.Compute(Enrolment.UserIdKey, identity ?? "os:" + Environment.UserName));
    }

    [Test]
    public async Task Without_a_school_key_the_incident_is_still_made_with_the_unknown_ID_and_hello_says_why()
    {
        await using var extension = new ExtensionSide(Outbox, Enrolment.State, new FixedClock(Now));

        await extension.SendAsync(new HelloMessage(NativeProtocol.Version, ExtensionVersion, Account));
        var reply = await extension.ExpectAsync<HelloReply>();
        await extension.SendAsync(Text("ev-1", Threat));
        await extension.ReplyToCaptureAsync();
        await extension.ExpectAsync<AckMessage>();

        reply.Ready.Should().BeTrue("an incident must never be lost for want of a key");
        reply.Problem.Should().Be(HostSession.NoKeyProblem);
        SingleIncident().Incident.UserId.Should().Be(PseudonymousId.Unknown).And.Match(id => PseudonymousId.IsValid(id));
    }

    [TestCase(false, TestName = "The school key from Chrome policy makes the user ID when the install has none")]
    [TestCase(true, TestName = "The installed school key wins over the one from Chrome policy")]
    public async Task The_school_key_comes_from_the_install_or_else_from_policy_in_hello(bool installed)
    {
        var policyKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var extension = new ExtensionSide(Outbox, Enrolment.State, new FixedClock(Now), userIdKey: installed ? Enrolment.UserIdKey : null);

        await extension.SendAsync(new HelloMessage(NativeProtocol.Version, ExtensionVersion, Account, Convert.ToBase64String(policyKey)));
        (await extension.ExpectAsync<HelloReply>()).Problem.Should().BeNull();
        await extension.SendAsync(Text("ev-1", Threat));
        await extension.ReplyToCaptureAsync();
        await extension.ExpectAsync<AckMessage>();

        SingleIncident().Incident.UserId.Should().Be(PseudonymousId.Compute(installed ? Enrolment.UserIdKey : policyKey, Account));
    }

        [Test]
    public async Task Harmless_text_is_acked_with_no_incident_and_no_capture()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(Text("ev-1", "see you at football practice"));

        (await extension.ReceiveAsync()).Should().Be(new AckMessage("ev-1", 0));
        Outbox.Pending().Should().BeEmpty();
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    private static IEnumerable<TestCaseData> BadEvents()
    {
        yield return Bad("a javascript: URL", e => e["url"] = "javascript:alert(1)", "ev-bad", "url is not an http(s) URL");
        yield return Bad("a file: URL", e => e["url"] = "file:///etc/passwd", "ev-bad", "url is not an http(s) URL");
        yield return Bad("70 K of text", e => e["text"] = "kill myself " + new string('a', 70_000), "ev-bad", "text is longer than 65536 characters");
        yield return Bad("no eventId", e => e.Remove("eventId"), null, "eventId is missing");
        yield return Bad("an eventId of 65 characters", e => e["eventId"] = new string('e', 65), new string('e', 65), "eventId is missing or longer");
        yield return Bad("an unknown source", e => e["source"] = "clipboard", "ev-bad", "source 'clipboard' is not typed, page or search");
        yield return Bad("no text", e => e.Remove("text"), "ev-bad", "text is missing");
        yield return Bad("a title too long", e => e["title"] = new string('t', 1025), "ev-bad", "title is longer than 1024 characters");
        yield return Bad("no occurredAt", e => e.Remove("occurredAt"), "ev-bad", "occurredAt is missing, before 2020 or in the future");
        yield return Bad("an occurredAt a day ahead", e => e["occurredAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"), "ev-bad", "occurredAt is missing");
        yield return Bad("an offset of 15 hours", e => e["localOffsetMinutes"] = 900, "ev-bad", "localOffsetMinutes is outside");

        static TestCaseData Bad(string name, Action<JsonObject> spoil, string? eventId, string problem) =>
            new TestCaseData(spoil, eventId, problem).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(BadEvents))]
    public async Task A_bad_event_is_refused_by_its_ID_never_acked_and_nothing_is_stored(Action<JsonObject> spoil, string? eventId, string problem)
    {
        await using var extension = Enrolled();
        var json = JsonNode.Parse(JsonSerializer.Serialize(Text("ev-bad", Threat).Event, IncidentJson.Default.TextEvent))!.AsObject();
        spoil(json);

        await HelloAsync(extension);
        await extension.SendRawAsync(new JsonObject { ["type"] = "text", ["event"] = json }.ToJsonString());
        var error = await extension.ExpectAsync<ErrorMessage>();
        await extension.SendAsync(Text("ev-good", "fine thanks"));
        var next = await extension.ReceiveAsync();

        error.EventId.Should().Be(eventId);
        error.Message.Should().StartWith("text event refused: ").And.Contain(problem);
        next.Should().Be(new AckMessage("ev-good", 0), "the session goes on, and the bad event is never acked");
        Outbox.Pending().Should().BeEmpty();
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task A_text_message_without_an_event_is_refused()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendRawAsync("""{"type":"text","event":null}""");

        (await extension.ReceiveAsync()).Should().Be(new ErrorMessage("text event refused: the event is missing", null));
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [TestCase(null, "the tab is not visible", "the tab is not visible")]
    [TestCase(null, null, "the browser sent no image")]
    [TestCase(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, null, "the browser's image was not a JPEG")]
    public async Task Without_a_usable_screenshot_the_incident_says_why(byte[]? image, string? error, string reason)
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(Text("ev-1", Threat));
        var capture = await extension.ExpectAsync<CaptureRequest>();
        await extension.SendAsync(new CaptureReply(capture.RequestId, image, error));

        (await extension.ReceiveAsync()).Should().Be(new AckMessage("ev-1", 1));
        var incident = SingleIncident().Incident;
        incident.Screenshot.Should().BeNull();
        incident.ScreenshotMissingReason.Should().Be(reason);
        IncidentValidator.Problems(incident, Now).Should().BeEmpty();
    }

    [TestCase(false, TestName = "The same event sent again after its ack makes one incident")]
    [TestCase(true, TestName = "The same event sent again before its ack makes one incident")]
    public async Task The_same_event_sent_twice_is_acked_twice_but_makes_one_incident(bool resentBeforeAck)
    {
        await using var extension = Enrolled();
        var textEvent = Text("ev-1", Threat);

        await HelloAsync(extension);
        await extension.SendAsync(textEvent);
        if (resentBeforeAck)
        {
            await extension.SendAsync(textEvent);
        }

        await extension.ReplyToCaptureAsync();
        var first = await extension.ReceiveAsync();
        if (!resentBeforeAck)
        {
            await extension.SendAsync(textEvent);
        }

        var second = await extension.ReceiveAsync();

        first.Should().Be(new AckMessage("ev-1", 1));
        second.Should().Be(new AckMessage("ev-1", 0), "a repeat of the same hit in the same field is no new incident");
        Outbox.Pending().Should().ContainSingle();
        (await extension.FinishAsync()).Should().BeEmpty("no second capture was asked for");
    }

    [Test]
    public async Task Input_that_ends_while_a_capture_is_pending_ends_the_session_at_once_and_keeps_the_incident()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(Text("ev-1", Threat));
        await extension.ExpectAsync<CaptureRequest>();
        var clock = Stopwatch.StartNew();
        await extension.EndInputAsync();
        await extension.WaitForEndAsync(TimeSpan.FromSeconds(2));

        clock.Elapsed.Should().BeLessThan(DevicePipeline.ScreenshotTimeout / 2);
        (await extension.RemainingAsync()).Should().Equal(new AckMessage("ev-1", 1));
        var incident = SingleIncident().Incident;
        incident.Screenshot.Should().BeNull();
        incident.ScreenshotMissingReason.Should().Be("the browser closed the connection");
    }

    [Test]
    public async Task Input_that_ends_with_threats_still_queued_ends_the_session_at_once_and_keeps_every_incident()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(Text("ev-1", Threat, fieldId: "a"));
        await extension.SendAsync(Text("ev-2", "i want to die", fieldId: "b"));
        await extension.SendAsync(Text("ev-3", "go kill yourself", fieldId: "c"));
        await extension.ExpectAsync<CaptureRequest>();
        var clock = Stopwatch.StartNew();
        await extension.EndInputAsync();
        await extension.WaitForEndAsync(TimeSpan.FromSeconds(2));

        clock.Elapsed.Should().BeLessThan(DevicePipeline.ScreenshotTimeout / 2, "nobody is left to ask for a screenshot");
        (await extension.RemainingAsync()).OfType<AckMessage>().Should()
            .Equal(new AckMessage("ev-1", 1), new AckMessage("ev-2", 1), new AckMessage("ev-3", 1));
        Outbox.Pending().Should().HaveCount(3);
    }

    [Test]
    public async Task A_backlog_resent_all_at_once_still_gets_its_screenshot()
    {
        // On reconnecting the extension sends its whole backlog (up to 1000 events) before it sees the
        // first capture request, so the reply comes after all of them.
        const int backlog = 400;
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(Text("ev-0", Threat));
        for (var i = 1; i < backlog; i++)
        {
            await extension.SendAsync(Text($"ev-{i}", $"note {i}", fieldId: $"f{i}"));
        }

        var clock = Stopwatch.StartNew();
        var capture = await extension.ExpectAsync<CaptureRequest>();
        await extension.SendAsync(new CaptureReply(capture.RequestId, TestJpeg.Bytes(), null));
        var acks = new List<NativeMessage>();
        for (var i = 0; i < backlog; i++)
        {
            acks.Add(await extension.ReceiveAsync());
        }

        clock.Elapsed.Should().BeLessThan(DevicePipeline.ScreenshotTimeout / 2);
        acks.Should().Equal(Enumerable.Range(0, backlog).Select(i => new AckMessage($"ev-{i}", i == 0 ? 1 : 0)));
        SingleIncident().Incident.Screenshot.Should().Equal(TestJpeg.Bytes());
    }

    [TestCase("""{"type":"goodbye"}""", "message not understood: ")]
    [TestCase("not json", "message not understood: ")]
    [TestCase("null", "message not understood: the message is null")]
    [TestCase("""{"type":"ack","eventId":"e","incidents":1}""", "a host does not take 'AckMessage' messages")]
    [TestCase("""{"type":"hello-reply","protocol":1,"hostVersion":"1","libraryVersion":"1","ready":true}""", "a host does not take 'HelloReply' messages")]
    [TestCase("""{"type":"capture","requestId":"r","tabId":1}""", "a host does not take 'CaptureRequest' messages")]
    public async Task A_message_the_host_does_not_take_is_answered_with_an_error_and_the_session_goes_on(string json, string message)
    {
        await using var extension = Enrolled();

        await extension.SendRawAsync(json);
        var error = await extension.ExpectAsync<ErrorMessage>();
        await HelloAsync(extension);

        error.Message.Should().StartWith(message);
        error.EventId.Should().BeNull();
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task A_capture_reply_nobody_asked_for_is_dropped_quietly()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendAsync(new CaptureReply("never-asked", TestJpeg.Bytes(), null));

        (await extension.FinishAsync()).Should().BeEmpty();
        Outbox.Pending().Should().BeEmpty();
    }

    [TestCase(0xFFFFFFFFu)]
    [TestCase(FrameReader.MaxSkippableBytes + 1u)]
    public async Task A_frame_longer_than_chrome_ever_sends_closes_the_connection(uint declared)
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendBytesAsync(Frames.Header(declared));

        await extension.WaitForEndAsync(TimeSpan.FromSeconds(2));
        (await extension.RemainingAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task A_frame_over_the_cap_but_one_chrome_could_send_is_skipped_with_an_error_and_the_session_goes_on()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendBytesAsync(Frames.Of(new byte[NativeProtocol.MaxIncomingBytes + 1]));
        await extension.SendAsync(Text("ev-after", "fine thanks"));

        (await extension.ExpectAsync<ErrorMessage>()).Message.Should()
            .Be($"message not understood: a frame of {NativeProtocol.MaxIncomingBytes + 1} bytes is over the limit of {NativeProtocol.MaxIncomingBytes}; it was skipped");
        (await extension.ReceiveAsync()).Should().Be(new AckMessage("ev-after", 0));
        (await extension.FinishAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task A_frame_cut_short_by_the_end_of_input_closes_the_connection()
    {
        await using var extension = Enrolled();

        await HelloAsync(extension);
        await extension.SendBytesAsync([.. Frames.Header(100), .. "{\"type\""u8.ToArray()]);

        (await extension.FinishAsync()).Should().BeEmpty();
    }

    private ExtensionSide Enrolled() => new(Outbox, Enrolment.State, new FixedClock(Now), userIdKey: Enrolment.UserIdKey);

    private static Task HelloAsync(ExtensionSide extension, string? account = Account) => extension.HelloAsync(account, ExtensionVersion);

    private static TextMessage Text(string eventId, string text, string fieldId = "message-box") =>
        new(new TextEvent(eventId, 42, fieldId, TextSources.Typed, "https://chat.example.org/room", "Chat", text, TypedAt, 330));

    /// <summary>The one incident in the outbox, opened with the server's private key.</summary>
    private (SealedIncident Envelope, Incident Incident) SingleIncident()
    {
        var id = Outbox.Pending().Should().ContainSingle().Subject;
        var envelope = Outbox.Read(id)!;
        var incident = JsonSerializer.Deserialize(IncidentSealer.Open(envelope, Enrolment.ServerKey), IncidentJson.Default.Incident)!;
        return (envelope, incident);
    }
}
