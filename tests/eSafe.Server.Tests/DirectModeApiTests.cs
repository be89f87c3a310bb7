using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Direct;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace eSafe.Server.Tests;

/// <summary>
/// Chromebooks' direct mode on a real Kestrel: sealed text in, the shared device pipeline on the server, a screenshot
/// asked for and completed through IncidentIngest.
/// </summary>
public sealed class DirectModeApiTests
{
    private const string Threat = "honestly i just want to kill myself tonight";
    private static readonly string UserId = PseudonymousId.Compute(TestIncidents.SchoolKey, "pupil@school.example");
    private SettableClock _clock = null!;
    private ServerHarness _server = null!;
    private EnrolmentResponse _device = null!;
    private EnrolmentResponse _otherDevice = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _clock = new SettableClock(DateTimeOffset.UtcNow);
        _server = await ServerHarness.StartAsync(clock: _clock);
        _device = await _server.EnrolAsync(machineName: "CHROMEBOOK-01");
        _otherDevice = await _server.EnrolAsync(machineName: "CHROMEBOOK-02");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_threat_is_acked_and_asks_for_its_screenshot_which_completes_the_incident()
    {
        var textEvent = Event(Threat);
        var reply = await SendAsync(_device, Batch(textEvent));

        reply.Acked.Should().Equal(textEvent.EventId);
        reply.Refused.Should().BeEmpty();
        var wanted = reply.Screenshots.Should().ContainSingle().Subject;
        wanted.TabId.Should().Be(textEvent.TabId);
        reply.GlobalLibraryVersion.Should().NotBeNullOrWhiteSpace();
        (await _server.Service<IIncidentStore>().FindDeviceAsync(wanted.IncidentId, CancellationToken.None))
            .Should().BeNull("the incident waits for its screenshot");

        var jpeg = TestIncidents.NewJpeg();
        using var response = await SendScreenshotAsync(_device, wanted.IncidentId, new DirectScreenshot(jpeg, null));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync(ContractsJson.Default.IngestReceipt)).Should().Be(new IngestReceipt(wanted.IncidentId, false));

        var analyst = await _server.SignedInAsync();
        var detail = await analyst.GetIncidentAsync(wanted.IncidentId, CancellationToken.None);
        detail.Should().BeEquivalentTo(new
        {
            _device.SchoolId,
            _device.DeviceId,
            UserId,
            MachineName = "CHROMEBOOK-01",
            textEvent.Url,
            PageTitle = textEvent.Title,
            Source = "typed",
            MatchedText = "kill myself",
            Category = "suicide",
            Severity = 5,
            HasScreenshot = true,
            ScreenshotMissingReason = (string?)null,
            ExtensionVersion = "0.1.0",
            ServerSeenAddress = "127.0.0.1",
        }, o => o.ExcludingMissingMembers());
        detail.Context.Should().Contain(Threat);
        (await (await analyst.GetScreenshotAsync(wanted.IncidentId, CancellationToken.None)).ReadAsByteArrayAsync()).Should().Equal(jpeg);

        using var again = await SendScreenshotAsync(_device, wanted.IncidentId, new DirectScreenshot(jpeg, null));
        (await again.Content.ReadFromJsonAsync(ContractsJson.Default.IngestReceipt)).Should().Be(new IngestReceipt(wanted.IncidentId, true),
            "a screenshot sent again (its answer lost) gets the same receipt");
    }

    [Test]
    public async Task Batches_and_a_screenshot_sealed_in_one_session_each_open_and_a_changed_one_is_refused()
    {
        using var session = new SealingSession(_device.ServerKey, _clock);
        var quiet = Event("see you at football practice after school");
        var threat = Event(Threat);

        var first = await SendSealedAsync(_device, session.Seal(JsonSerializer.SerializeToUtf8Bytes(Batch(quiet), ContractsJson.Default.DirectBatch),
            IncidentId.New(_clock.GetUtcNow())));
        var second = await SendSealedAsync(_device, session.Seal(JsonSerializer.SerializeToUtf8Bytes(Batch(threat), ContractsJson.Default.DirectBatch),
            IncidentId.New(_clock.GetUtcNow())));
        var wanted = second.Screenshots.Should().ContainSingle().Subject;
        var shot = session.Seal(JsonSerializer.SerializeToUtf8Bytes(new DirectScreenshot(TestIncidents.NewJpeg(), null), ContractsJson.Default.DirectScreenshot),
            wanted.IncidentId);
        using var stored = await PostAsync(_device, $"/api/v1/devices/direct/screenshots/{wanted.IncidentId}", shot);
        var changed = session.Seal(JsonSerializer.SerializeToUtf8Bytes(Batch(Event("more")), ContractsJson.Default.DirectBatch), IncidentId.New(_clock.GetUtcNow()));
        changed.Ciphertext[0] ^= 1;
        using var refused = await PostAsync(_device, "/api/v1/devices/direct/batches", changed);

        first.Acked.Should().Equal(quiet.EventId);
        second.Acked.Should().Equal(threat.EventId);
        stored.StatusCode.Should().Be(HttpStatusCode.OK, await stored.Content.ReadAsStringAsync());
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("changed on the way");
    }

    [Test]
    public async Task The_same_words_in_the_same_field_again_make_no_second_incident_and_the_filter_state_is_in_the_store()
    {
        var first = await SendAsync(_device, Batch(Event(Threat, fieldId: "field-repeat")));
        var second = await SendAsync(_device, Batch(Event(Threat + " really", fieldId: "field-repeat")));

        first.Screenshots.Should().ContainSingle();
        second.Acked.Should().ContainSingle();
        second.Screenshots.Should().BeEmpty("the repeat filter, kept in the store between requests, knows the hit");
        _server.Service<IDeviceRepeatStore>().Load(_device.DeviceId).Should().NotBeEmpty();
        _server.Service<IDeviceRepeatStore>().Load(_otherDevice.DeviceId).Keys
            .Should().NotIntersectWith(_server.Service<IDeviceRepeatStore>().Load(_device.DeviceId).Keys, "each device has its own hits");
    }

    [Test]
    public async Task Harmless_text_is_acked_and_asks_for_nothing_and_a_bad_event_is_refused_by_its_id()
    {
        var harmless = Event("see you at football practice");
        var bad = Event("kill myself") with { Url = "javascript:alert(1)" };

        var reply = await SendAsync(_device, Batch(harmless, bad));

        reply.Acked.Should().Equal(harmless.EventId);
        reply.Refused.Should().ContainSingle().Which.Should().Be(new RefusedEvent(bad.EventId, "url is not an http(s) URL of at most 8 KB"));
        reply.Screenshots.Should().BeEmpty();
    }

    [TestCase("not-a-user-id")]
    [TestCase("0123456789ABCDEF0123456789ABCDEF")]
    [TestCase("pupil@school.example")]
    public async Task A_batch_whose_user_id_is_not_pseudonymous_is_refused_whole(string userId)
    {
        using var response = await PostBatchAsync(_device, Batch(Event(Threat)) with { UserId = userId });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("userId");
    }

    [Test]
    public async Task A_batch_without_a_token_or_sealed_to_another_key_is_refused_and_scans_nothing()
    {
        using var http = _server.HttpClient();
        var sealedBatch = Seal(Batch(Event(Threat)), _device.ServerKey);
        (await http.PostAsJsonAsync("/api/v1/devices/direct/batches", sealedBatch, ContractsJson.Default.SealedIncident)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);

        using var stranger = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var wrongKey = new ServerSealingKey(_device.ServerKey.KeyId, stranger.ExportSubjectPublicKeyInfo());
        using var refused = await PostAsync(_device, "/api/v1/devices/direct/batches", Seal(Batch(Event(Threat, fieldId: "wrong-key")), wrongKey));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("not sealed to this server's key");

        var later = await SendAsync(_device, Batch(Event(Threat, fieldId: "wrong-key")));
        later.Screenshots.Should().ContainSingle("the refused batch marked nothing as seen");
    }

    [Test]
    public async Task A_device_cannot_complete_another_devices_incident()
    {
        var reply = await SendAsync(_device, Batch(Event(Threat, fieldId: "not-yours")));
        var incidentId = reply.Screenshots.Single().IncidentId;

        using var response = await SendScreenshotAsync(_otherDevice, incidentId, new DirectScreenshot(TestIncidents.NewJpeg(), null));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _server.Service<IPendingIncidentStore>().GetAsync(incidentId, CancellationToken.None)).Should().NotBeNull();
    }

    [Test]
    public async Task The_browsers_reason_for_no_screenshot_is_kept_and_an_incident_whose_screenshot_never_comes_is_stored_without_it()
    {
        var refusedCapture = (await SendAsync(_device, Batch(Event(Threat, fieldId: "reason")))).Screenshots.Single().IncidentId;
        using (var response = await SendScreenshotAsync(_device, refusedCapture, new DirectScreenshot(null, "tab not visible")))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var analyst = await _server.SignedInAsync();
        (await analyst.GetIncidentAsync(refusedCapture, CancellationToken.None)).ScreenshotMissingReason.Should().Be("tab not visible");

        var neverSent = (await SendAsync(_device, Batch(Event(Threat, fieldId: "never")))).Screenshots.Single().IncidentId;
        var sweeper = new PendingIncidentSweeper(_server.Service<IPendingIncidentStore>(), _server.Service<IDeviceStore>(),
            _server.Service<DirectScreenshots>(), _clock, NullLogger<PendingIncidentSweeper>.Instance);
        (await _server.Service<IIncidentStore>().FindDeviceAsync(neverSent, CancellationToken.None)).Should().BeNull();
        _clock.Advance(DirectLimits.ScreenshotWait + TimeSpan.FromSeconds(1));
        (await sweeper.SweepAsync(CancellationToken.None)).Should().BeGreaterThanOrEqualTo(1);

        var stored = await analyst.GetIncidentAsync(neverSent, CancellationToken.None);
        stored.HasScreenshot.Should().BeFalse();
        stored.ScreenshotMissingReason.Should().Be("the device did not send the screenshot within 60 s");
        (await _server.Service<IPendingIncidentStore>().GetAsync(neverSent, CancellationToken.None)).Should().BeNull();
    }

    // Each test's own field IDs: the repeat filter keys on the field.
    private TextEvent Event(string text, string? fieldId = null) => new(Guid.NewGuid().ToString("N"), 7, fieldId ?? "field-" + Guid.NewGuid().ToString("N"),
        TextSources.Typed, "https://chat.example.org/room", "Class chat", text, _clock.GetUtcNow().AddSeconds(-1), 60);

    private static DirectBatch Batch(params TextEvent[] events) => new(UserId, "0.1.0", events, ["10.0.0.7"]);

    private SealedIncident Seal(DirectBatch batch, ServerSealingKey key) =>
        IncidentSealer.Seal(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.DirectBatch), IncidentId.New(_clock.GetUtcNow()), key);

    private async Task<DirectBatchReply> SendAsync(EnrolmentResponse device, DirectBatch batch)
    {
        using var response = await PostBatchAsync(device, batch);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ContractsJson.Default.DirectBatchReply))!;
    }

    private async Task<DirectBatchReply> SendSealedAsync(EnrolmentResponse device, SealedIncident envelope)
    {
        using var response = await PostAsync(device, "/api/v1/devices/direct/batches", envelope);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ContractsJson.Default.DirectBatchReply))!;
    }

    private Task<HttpResponseMessage> PostBatchAsync(EnrolmentResponse device, DirectBatch batch) =>
        PostAsync(device, "/api/v1/devices/direct/batches", Seal(batch, device.ServerKey));

    private Task<HttpResponseMessage> SendScreenshotAsync(EnrolmentResponse device, string incidentId, DirectScreenshot shot) =>
        PostAsync(device, $"/api/v1/devices/direct/screenshots/{incidentId}",
            IncidentSealer.Seal(JsonSerializer.SerializeToUtf8Bytes(shot, ContractsJson.Default.DirectScreenshot), incidentId, device.ServerKey));

    private async Task<HttpResponseMessage> PostAsync(EnrolmentResponse device, string path, SealedIncident envelope)
    {
        using var http = _server.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(envelope, ContractsJson.Default.SealedIncident),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        return await http.SendAsync(request);
    }
}
