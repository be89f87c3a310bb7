using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

public sealed class DeviceApiTests
{
    private ServerHarness _server = null!;
    private EnrolmentResponse _device = null!;
    private EnrolmentResponse _sameSchoolDevice = null!;
    private EnrolmentResponse _otherSchoolDevice = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _device = await _server.EnrolAsync();
        _sameSchoolDevice = await _server.EnrolAsync(machineName: "LAB-PC-08");
        var (_, otherCode) = await _server.Service<Admin.Provisioning>().AddSchoolAsync("Other School", "test", CancellationToken.None);
        _otherSchoolDevice = await _server.EnrolAsync(otherCode);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Enrolment_with_the_code_gives_identity_token_and_server_key_and_never_a_user_id_key()
    {
        var enrolment = await _server.DeviceApi().EnrolAsync(
            new EnrolmentRequest(_server.Demo!.EnrolmentCode.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), "LAB-PC-09", "0.1.0"),
            CancellationToken.None);

        enrolment.SchoolId.Should().Be(_server.Demo.SchoolId);
        enrolment.DeviceId.Should().MatchRegex("^dev-[0-9a-z]{24}$").And.NotBe(_device.DeviceId);
        enrolment.DeviceToken.Should().StartWith(enrolment.DeviceId + ".");
        enrolment.ServerKey.KeyId.Should().Be("k1");
        JsonSerializer.Serialize(enrolment, ContractsJson.Default.EnrolmentResponse).Should().NotContainEquivalentOf("userIdKey");
        using var key = ECDiffieHellman.Create();
        key.ImportSubjectPublicKeyInfo(enrolment.ServerKey.PublicKey, out _);
        key.KeySize.Should().Be(256);

        var stored = await _server.Service<IDeviceStore>().GetAsync(enrolment.DeviceId, CancellationToken.None);
        stored!.MachineName.Should().Be("LAB-PC-09");
        stored.TokenHash.Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes(enrolment.DeviceToken)), "only the token's hash is kept");
    }

    [TestCase("AAAA-AAAA-AAAA-AAAA-AAAA", HttpStatusCode.Unauthorized)]
    [TestCase("not a code", HttpStatusCode.Unauthorized)]
    [TestCase("", HttpStatusCode.BadRequest)]
    public async Task Enrolment_with_a_wrong_code_is_refused(string code, HttpStatusCode status)
    {
        var refused = await FluentActions.Awaiting(() =>
                _server.DeviceApi().EnrolAsync(new EnrolmentRequest(code, "LAB-PC-10", "0.1.0"), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(status);
    }

    [Test]
    public async Task Enrolment_with_bad_fields_lists_them()
    {
        using var http = _server.HttpClient();
        var response = await http.PostAsJsonAsync("/api/v1/devices/enrol", new { enrolmentCode = _server.Demo!.EnrolmentCode, machineName = "", hostVersion = new string('9', 65) });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.Should().Contain("machineName").And.Contain("hostVersion");
    }

    [Test]
    public async Task An_incident_is_stored_and_its_detail_has_every_field()
    {
        var incident = TestIncidents.New(_device);
        var receipt = await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, _device.ServerKey), _device.DeviceToken, CancellationToken.None);
        receipt.Should().Be(new IngestReceipt(incident.Id, Duplicate: false));

        var analyst = await _server.SignedInAsync();
        var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);

        detail.Should().BeEquivalentTo(new
        {
            incident.Id,
            incident.SchoolId,
            incident.DeviceId,
            incident.UserId,
            incident.MachineName,
            incident.DeviceAddresses,
            ServerSeenAddress = "127.0.0.1",
            incident.OccurredAt,
            incident.LocalOffsetMinutes,
            incident.Url,
            incident.PageTitle,
            incident.Source,
            incident.RuleId,
            incident.Phrase,
            incident.MatchedText,
            incident.Category,
            incident.Severity,
            incident.Context,
            HasScreenshot = true,
            ScreenshotMissingReason = (string?)null,
            Status = IncidentStatuses.New,
            incident.HostVersion,
            incident.LibraryVersion,
            incident.ExtensionVersion,
        });
        detail.ReceivedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

        using var screenshot = await analyst.GetScreenshotAsync(incident.Id, CancellationToken.None);
        screenshot.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        (await screenshot.ReadAsByteArrayAsync()).Should().Equal(incident.Screenshot);
    }

    [Test]
    public async Task Delivering_the_same_incident_again_is_acknowledged_and_changes_nothing()
    {
        var incident = TestIncidents.New(_device);
        var envelope = TestIncidents.Seal(incident, _device.ServerKey);
        var api = _server.DeviceApi();
        (await api.UploadIncidentAsync(envelope, _device.DeviceToken, CancellationToken.None)).Duplicate.Should().BeFalse();
        var before = await _server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None);
        var count = await _server.Service<IIncidentStore>().CountAsync(CancellationToken.None);

        // The same envelope, and a new seal of a changed incident with the same ID: both are repeats.
        var changed = TestIncidents.Seal(incident with { Context = "something else", Severity = 1 }, _device.ServerKey);
        (await api.UploadIncidentAsync(envelope, _device.DeviceToken, CancellationToken.None)).Should().Be(new IngestReceipt(incident.Id, true));
        (await api.UploadIncidentAsync(changed, _device.DeviceToken, CancellationToken.None)).Should().Be(new IngestReceipt(incident.Id, true));

        // A retry whose envelope no longer opens (sealed to a key since retired, say) is still the repeat it is, not a refusal.
        var garbled = envelope with { Ciphertext = [.. envelope.Ciphertext.Select(b => (byte)~b)] };
        (await api.UploadIncidentAsync(garbled, _device.DeviceToken, CancellationToken.None)).Should().Be(new IngestReceipt(incident.Id, true));

        (await _server.Service<IIncidentStore>().CountAsync(CancellationToken.None)).Should().Be(count);
        var after = await _server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None);
        after.Should().BeEquivalentTo(before);
    }

    [Test]
    public async Task An_incident_ID_delivered_by_another_device_is_a_conflict()
    {
        var incident = TestIncidents.New(_device);
        await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, _device.ServerKey), _device.DeviceToken, CancellationToken.None);
        var copy = incident with { DeviceId = _sameSchoolDevice.DeviceId };
        var refused = await FluentActions.Awaiting(() => _server.DeviceApi().UploadIncidentAsync(
                TestIncidents.Seal(copy, _sameSchoolDevice.ServerKey), _sameSchoolDevice.DeviceToken, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task An_incident_without_a_screenshot_says_why_and_has_none_to_fetch()
    {
        var incident = TestIncidents.New(_device, screenshot: false);
        await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, _device.ServerKey), _device.DeviceToken, CancellationToken.None);

        var analyst = await _server.SignedInAsync();
        var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
        detail.HasScreenshot.Should().BeFalse();
        detail.ScreenshotMissingReason.Should().Be("the tab was not visible");
        var missing = await FluentActions.Awaiting(() => analyst.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        missing.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Which.Content.Should().Contain("no screenshot");
    }

    /// <summary>A bad delivery: what to send (body and token) for the incident that must not be stored.</summary>
    public sealed record BadDelivery(string Name, HttpStatusCode Status, string Says, Func<DeviceApiTests, Incident, (HttpContent Body, string? Token)> Make)
    {
        public override string ToString() => Name;
    }

    private static JsonContent Body(SealedIncident envelope) => JsonContent.Create(envelope, ContractsJson.Default.SealedIncident);

    private static StringContent Body(JsonNode json) => new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonNode Node(SealedIncident envelope) => JsonSerializer.SerializeToNode(envelope, ContractsJson.Default.SealedIncident)!;

    private (HttpContent, string?) Sealed(Incident incident) => (Body(TestIncidents.Seal(incident, _device.ServerKey)), _device.DeviceToken);

    public static IEnumerable<BadDelivery> BadDeliveries() =>
    [
        new("no token", HttpStatusCode.Unauthorized, "device token", (t, i) => (Body(TestIncidents.Seal(i, t._device.ServerKey)), null)),
        new("wrong secret", HttpStatusCode.Unauthorized, "device token", (t, i) => (Body(TestIncidents.Seal(i, t._device.ServerKey)), t._device.DeviceId + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        new("unknown device", HttpStatusCode.Unauthorized, "device token", (t, i) => (Body(TestIncidents.Seal(i, t._device.ServerKey)), "dev-unknown." + t._device.DeviceToken.Split('.')[1])),
        new("token without device", HttpStatusCode.Unauthorized, "device token", (t, i) => (Body(TestIncidents.Seal(i, t._device.ServerKey)), t._device.DeviceToken.Split('.')[1])),
        new("not JSON", HttpStatusCode.BadRequest, "not the JSON object expected", (t, i) => (new StringContent("{not json", Encoding.UTF8, "application/json"), t._device.DeviceToken)),
        new("empty body", HttpStatusCode.BadRequest, "not the JSON object expected", (t, i) => (new StringContent("", Encoding.UTF8, "application/json"), t._device.DeviceToken)),
        new("sealed to another key", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
        {
            using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            return (Body(TestIncidents.Seal(i, new ServerSealingKey("k1", other.ExportSubjectPublicKeyInfo()))), t._device.DeviceToken);
        }),
        new("tampered ciphertext", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
        {
            var envelope = TestIncidents.Seal(i, t._device.ServerKey);
            envelope.Ciphertext[envelope.Ciphertext.Length / 2] ^= 1;
            return (Body(envelope), t._device.DeviceToken);
        }),
        new("tampered tag", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
        {
            var envelope = TestIncidents.Seal(i, t._device.ServerKey);
            envelope.Ciphertext[^1] ^= 0x80;
            return (Body(envelope), t._device.DeviceToken);
        }),
        new("envelope ID swapped", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
            (Body(TestIncidents.Seal(i, t._device.ServerKey) with { IncidentId = IncidentId.New(DateTimeOffset.UtcNow) }), t._device.DeviceToken)),
        new("incident ID is not the envelope's", HttpStatusCode.BadRequest, "not the envelope's incidentId", (t, i) =>
            (Body(IncidentSealer.Seal(TestIncidents.Json(i with { Id = IncidentId.New(DateTimeOffset.UtcNow) }), i.Id, t._device.ServerKey)), t._device.DeviceToken)),
        new("malformed envelope ID", HttpStatusCode.BadRequest, "incidentId is not", (t, i) =>
            (Body(IncidentSealer.Seal(TestIncidents.Json(i), "not-an-id", t._device.ServerKey)), t._device.DeviceToken)),
        new("unknown key ID", HttpStatusCode.BadRequest, "does not have", (t, i) =>
            (Body(TestIncidents.Seal(i, t._device.ServerKey with { KeyId = "k9" })), t._device.DeviceToken)),
        new("unknown envelope version", HttpStatusCode.BadRequest, "version 2 is not supported", (t, i) =>
            (Body(TestIncidents.Seal(i, t._device.ServerKey) with { Version = 2 }), t._device.DeviceToken)),
        new("envelope without nonce", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
        {
            var json = Node(TestIncidents.Seal(i, t._device.ServerKey)).AsObject();
            json.Remove("nonce");
            return (Body(json), t._device.DeviceToken);
        }),
        new("ephemeral key not a point", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
            (Body(TestIncidents.Seal(i, t._device.ServerKey) with { EphemeralPublicKey = RandomNumberGenerator.GetBytes(91) }), t._device.DeviceToken)),
        new("sealed content not an incident", HttpStatusCode.BadRequest, "not an incident", (t, i) =>
            (Body(IncidentSealer.Seal("{\"hello\":1}"u8, i.Id, t._device.ServerKey)), t._device.DeviceToken)),
        new("invalid fields", HttpStatusCode.BadRequest, "not valid", (t, i) =>
            t.Sealed(i with { Category = "nope", Severity = 9, Url = "ftp://x", UserId = "Pupil Name" })),
        new("a made-up rule", HttpStatusCode.BadRequest, "is not in the global library", (t, i) => t.Sealed(i with { RuleId = "gro-9999" })),
        new("a real rule, made graver", HttpStatusCode.BadRequest, "not those of rule", (t, i) => t.Sealed(i with { Category = "grooming", Severity = 5 })),
        new("a real rule, made milder", HttpStatusCode.BadRequest, "not those of rule", (t, i) => t.Sealed(i with { Severity = i.Severity - 1 })),
        new("another school's entry", HttpStatusCode.BadRequest, "is not in the global library", (t, i) => t.Sealed(i with { RuleId = t._otherSchoolDevice.SchoolId + ".words-1" })),
        new("an entry this school never had", HttpStatusCode.BadRequest, "is not an entry of this school's library", (t, i) => t.Sealed(i with { RuleId = t._device.SchoolId + ".never-1" })),
        new("a bidi override in the machine name", HttpStatusCode.BadRequest, "machineName holds a control", (t, i) => t.Sealed(i with { MachineName = "LAB\u202EPC" })),
        new("screenshot not a JPEG", HttpStatusCode.BadRequest, "screenshot is not a JPEG", (t, i) => t.Sealed(i with { Screenshot = [1, 2, 3, 4, 5, 6] })),
        new("no screenshot and no reason", HttpStatusCode.BadRequest, "needs a reason", (t, i) => t.Sealed(i with { Screenshot = null, ScreenshotMissingReason = null })),
        new("other school's IDs", HttpStatusCode.Forbidden, "must be those of the device", (t, i) =>
            t.Sealed(i with { SchoolId = t._otherSchoolDevice.SchoolId, DeviceId = t._otherSchoolDevice.DeviceId })),
        new("another device's ID", HttpStatusCode.Forbidden, "must be those of the device", (t, i) => t.Sealed(i with { DeviceId = t._sameSchoolDevice.DeviceId })),
        new("delivered with another school's token", HttpStatusCode.Forbidden, "must be those of the device", (t, i) =>
            (Body(TestIncidents.Seal(i, t._device.ServerKey)), t._otherSchoolDevice.DeviceToken)),
        new("body over 8 MB", HttpStatusCode.RequestEntityTooLarge, "larger than", (t, i) =>
        {
            var envelope = TestIncidents.Seal(i, t._device.ServerKey);
            return (Body(envelope with { Ciphertext = new byte[6_400_000] }), t._device.DeviceToken);
        }),
        new("declared length over 8 MB", HttpStatusCode.RequestEntityTooLarge, "larger than", (t, i) =>
        {
            var content = new ByteArrayContent(new byte[9 * 1024 * 1024]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return (content, t._device.DeviceToken);
        }),
    ];

    [TestCaseSource(nameof(BadDeliveries))]
    public async Task A_bad_delivery_gets_its_status_and_stores_nothing(BadDelivery bad)
    {
        var incidents = _server.Service<IIncidentStore>();
        var count = await incidents.CountAsync(CancellationToken.None);
        var incident = TestIncidents.New(_device);
        var (body, token) = bad.Make(this, incident);

        using var http = _server.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = body };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(bad.Status, text);
        text.Should().Contain(bad.Says);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        text.Should().NotContain(incident.Context);
        (await incidents.CountAsync(CancellationToken.None)).Should().Be(count);
        (await incidents.GetAsync(incident.Id, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Invalid_fields_are_each_named_in_the_problem()
    {
        using var http = _server.HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _device.DeviceToken);
        var incident = TestIncidents.New(_device) with { Category = "nope", Severity = 9 };
        using var response = await http.PostAsync("/api/v1/incidents", Body(TestIncidents.Seal(incident, _device.ServerKey)));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var errors = problem["errors"]!["incident"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        errors.Should().HaveCount(2).And.Contain(e => e.StartsWith("category", StringComparison.Ordinal))
            .And.Contain(e => e.StartsWith("severity", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_missing_token_is_answered_with_a_bearer_challenge()
    {
        using var http = _server.HttpClient();
        using var response = await http.PostAsync("/api/v1/incidents", Body(TestIncidents.Seal(TestIncidents.New(_device), _device.ServerKey)));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Test]
    public async Task A_large_screenshot_near_the_limit_is_accepted()
    {
        var incident = TestIncidents.New(_device) with { Screenshot = TestIncidents.NewJpeg(Incident.MaxScreenshotBytes) };
        var receipt = await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, _device.ServerKey), _device.DeviceToken, CancellationToken.None);
        receipt.Duplicate.Should().BeFalse();
        (await _server.Service<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
    }
}
