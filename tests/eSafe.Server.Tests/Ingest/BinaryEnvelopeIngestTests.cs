using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Ingest;

/// <summary>
/// Envelope version 2 (docs/PROTOCOL.md §2): the binary body and its binary plaintext, taken beside version 1's JSON at
/// both incident paths; every malformed form refused with its own problem, nothing stored.
/// </summary>
public sealed class BinaryEnvelopeIngestTests
{
    private ServerHarness _server = null!;
    private EnrolmentResponse _device = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _device = await _server.EnrolAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase(1, "/api/v1/incidents")]
    [TestCase(2, "/api/v1/incidents")]
    [TestCase(1, "/api/v1/devices/incidents")]
    [TestCase(2, "/api/v1/devices/incidents")]
    public async Task Either_version_is_stored_with_a_byte_identical_screenshot(int version, string path)
    {
        var incident = TestIncidents.New(_device) with { Screenshot = TestIncidents.NewJpeg(100 * 1024) };

        using var response = await PostAsync(path, Body(version, incident));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var receipt = await response.Content.ReadFromJsonAsync(ContractsJson.Default.IngestReceipt);
        receipt.Should().Be(new IngestReceipt(incident.Id, false));
        var store = _server.Service<IIncidentStore>();
        var stored = await store.GetAsync(incident.Id, CancellationToken.None);
        stored!.Incident.Should().BeEquivalentTo(incident with { Screenshot = null });
        (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
    }

    [Test]
    public async Task A_version_2_incident_without_a_screenshot_keeps_its_reason()
    {
        var incident = TestIncidents.New(_device, screenshot: false);

        using var response = await PostAsync("/api/v1/incidents", Body(2, incident));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await _server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None);
        stored!.HasScreenshot.Should().BeFalse();
        stored.Incident.ScreenshotMissingReason.Should().Be("the tab was not visible");
    }

    [Test]
    public async Task A_screenshot_of_the_largest_size_fits_the_binary_limit()
    {
        var incident = TestIncidents.New(_device) with { Screenshot = TestIncidents.NewJpeg(Incident.MaxScreenshotBytes) };

        using var response = await PostAsync("/api/v1/incidents", Body(2, incident));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await _server.Service<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
    }

    [Test]
    public async Task A_version_2_incident_delivered_again_is_a_duplicate_in_either_form()
    {
        var incident = TestIncidents.New(_device);
        using (var first = await PostAsync("/api/v1/incidents", Body(2, incident)))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        foreach (var version in new[] { 2, 1 })
        {
            using var again = await PostAsync("/api/v1/incidents", Body(version, incident));
            (await again.Content.ReadFromJsonAsync(ContractsJson.Default.IngestReceipt)).Should().Be(new IngestReceipt(incident.Id, true));
        }
    }

    public sealed record Malformed(string Name, HttpStatusCode Status, string Says, Func<BinaryEnvelopeIngestTests, Incident, HttpContent> Make)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Malformed> MalformedBodies() =>
    [
        new("empty body", HttpStatusCode.BadRequest, "shorter than the 16-byte header", (t, i) => TestIncidents.BinaryBody([])),
        new("truncated header", HttpStatusCode.BadRequest, "shorter than the 16-byte header", (t, i) => Changed(t.Encoded(i), b => b[..10])),
        new("wrong magic", HttpStatusCode.BadRequest, "magic", (t, i) => Changed(t.Encoded(i), b => Set(b, 0, (byte)'X'))),
        new("unknown version", HttpStatusCode.BadRequest, "version 3 is not supported", (t, i) => Changed(t.Encoded(i), b => Set(b, 4, 3))),
        new("version 1 in the binary form", HttpStatusCode.BadRequest, "version 1 is not supported", (t, i) => Changed(t.Encoded(i), b => Set(b, 4, 1))),
        new("a reserved byte set", HttpStatusCode.BadRequest, "reserved bytes", (t, i) => Changed(t.Encoded(i), b => Set(b, 5, 1))),
        new("incident ID length", HttpStatusCode.BadRequest, "incident ID's length is 25", (t, i) => Changed(t.Encoded(i), b => Set(b, 6, 25))),
        new("key ID length 0", HttpStatusCode.BadRequest, "key ID's length is 0", (t, i) => Changed(t.Encoded(i), b => Set(b, 7, 0))),
        new("ephemeral key length 0", HttpStatusCode.BadRequest, "ephemeral key's length is 0", (t, i) => Changed(t.Encoded(i), b => U16(b, 8, 0))),
        new("ephemeral key length too large", HttpStatusCode.BadRequest, "ephemeral key's length is 60000", (t, i) => Changed(t.Encoded(i), b => U16(b, 8, 60000))),
        new("nonce length", HttpStatusCode.BadRequest, "nonce's length is 16", (t, i) => Changed(t.Encoded(i), b => Set(b, 10, 16))),
        new("ciphertext shorter than its tag", HttpStatusCode.BadRequest, "shorter than its 16-byte tag", (t, i) => Changed(t.Encoded(i), b => U32(b, 12, 15))),
        new("cut short by a byte", HttpStatusCode.BadRequest, "past the end", (t, i) => Changed(t.Encoded(i), b => b[..^1])),
        new("ciphertext length past the end", HttpStatusCode.BadRequest, "past the end", (t, i) =>
            Changed(t.Encoded(i), b => U32(b, 12, BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(12)) + 1000))),
        new("largest ciphertext length", HttpStatusCode.BadRequest, "past the end", (t, i) => Changed(t.Encoded(i), b => U32(b, 12, uint.MaxValue))),
        new("trailing bytes", HttpStatusCode.BadRequest, "3 bytes follow the envelope", (t, i) => Changed(t.Encoded(i), b => [.. b, 0, 0, 0])),
        new("incident ID not an ID", HttpStatusCode.BadRequest, "not a 26-character incident ID", (t, i) => Changed(t.Encoded(i), b => Set(b, 16, (byte)'u'))),
        new("key ID with a control character", HttpStatusCode.BadRequest, "key ID is not printable ASCII", (t, i) => Changed(t.Encoded(i), b => Set(b, 16 + 26, 1))),
        new("body over the limit", HttpStatusCode.RequestEntityTooLarge, "larger than", (t, i) => TestIncidents.BinaryBody(new byte[DeviceLimits.MaxBinaryIncidentBytes + 1])),
        new("JSON sent as the binary type", HttpStatusCode.BadRequest, "magic", (t, i) =>
            TestIncidents.BinaryBody(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(TestIncidents.Seal(i, t._device.ServerKey), ContractsJson.Default.SealedIncident)))),
        new("binary sent as JSON", HttpStatusCode.BadRequest, "not the JSON object expected", (t, i) =>
            new ByteArrayContent(t.Encoded(i)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }),
        new("unknown key ID", HttpStatusCode.BadRequest, "does not have", (t, i) =>
            TestIncidents.BinaryBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(i, t._device.ServerKey with { KeyId = "k9" })))),
        new("sealed to another server's key under this key ID", HttpStatusCode.BadRequest, "not sealed to this server's key", (t, i) =>
        {
            using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var otherKey = new ServerSealingKey(t._device.ServerKey.KeyId, other.ExportSubjectPublicKeyInfo());
            return TestIncidents.BinaryBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(i, otherKey)));
        }),
        new("tampered ciphertext", HttpStatusCode.BadRequest, "cannot be opened", (t, i) => Changed(t.Encoded(i), b => Set(b, b.Length / 2, (byte)(b[b.Length / 2] ^ 1)))),
        new("envelope ID swapped", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
            TestIncidents.BinaryBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(i, t._device.ServerKey) with { IncidentId = IncidentId.New(DateTimeOffset.UtcNow) }))),
        new("a version 1 seal in the binary form", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
            TestIncidents.BinaryBody(BinaryEnvelope.Encode(IncidentSealer.Seal(IncidentPlaintext.Write(i), i.Id, t._device.ServerKey) with { Version = 2 }))),
        new("a version 2 seal in the JSON form", HttpStatusCode.BadRequest, "cannot be opened", (t, i) =>
            JsonContent.Create(IncidentSealer.Seal(TestIncidents.Json(i), i.Id, t._device.ServerKey, IncidentSealer.BinaryVersion) with { Version = 1 },
                ContractsJson.Default.SealedIncident)),
        new("plaintext: the JSON holds the screenshot", HttpStatusCode.BadRequest, "holds a screenshot", (t, i) =>
            t.SealedPlaintext(i, Plaintext(TestIncidents.Json(i), [], []))),
        new("plaintext: JSON length past the end", HttpStatusCode.BadRequest, "JSON length runs past its end", (t, i) =>
            t.SealedPlaintext(i, U32(Plaintext(TestIncidents.Json(i with { Screenshot = null }), i.Screenshot!, []), 0, 1_000_000))),
        new("plaintext: screenshot length past the end", HttpStatusCode.BadRequest, "screenshot length runs past its end", (t, i) =>
            t.SealedPlaintext(i, Plaintext(TestIncidents.Json(i with { Screenshot = null }), i.Screenshot!, [])[..^1])),
        new("plaintext: bytes after the screenshot", HttpStatusCode.BadRequest, "bytes follow the sealed content's screenshot", (t, i) =>
            t.SealedPlaintext(i, Plaintext(TestIncidents.Json(i with { Screenshot = null }), i.Screenshot!, [1, 2]))),
        new("plaintext: shorter than a length", HttpStatusCode.BadRequest, "shorter than its JSON's length", (t, i) => t.SealedPlaintext(i, [0, 0, 0, 0, 0])),
        new("plaintext: not an incident", HttpStatusCode.BadRequest, "not an incident", (t, i) => t.SealedPlaintext(i, Plaintext("{\"hello\":1}"u8.ToArray(), [], []))),
        new("invalid fields", HttpStatusCode.BadRequest, "not valid", (t, i) =>
            TestIncidents.BinaryBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(i with { Category = "nope", Severity = 9 }, t._device.ServerKey)))),
        new("screenshot not a JPEG", HttpStatusCode.BadRequest, "screenshot is not a JPEG", (t, i) =>
            TestIncidents.BinaryBody(BinaryEnvelope.Encode(TestIncidents.SealBinary(i with { Screenshot = [1, 2, 3, 4, 5, 6] }, t._device.ServerKey)))),
    ];

    [TestCaseSource(nameof(MalformedBodies))]
    public async Task A_malformed_binary_envelope_gets_its_problem_and_stores_nothing(Malformed bad)
    {
        var incidents = _server.Service<IIncidentStore>();
        var count = await incidents.CountAsync(CancellationToken.None);
        var incident = TestIncidents.New(_device);

        using var response = await PostAsync("/api/v1/devices/incidents", bad.Make(this, incident));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(bad.Status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        text.Should().Contain(bad.Says);
        text.Should().NotContain(incident.Context);
        (await incidents.CountAsync(CancellationToken.None)).Should().Be(count);
        (await incidents.GetAsync(incident.Id, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task The_libraries_answer_names_both_envelope_versions()
    {
        var versions = await _server.DeviceApi().GetLibraryVersionsAsync(_device.DeviceToken, CancellationToken.None);
        versions.EnvelopeVersions.Should().Equal(IncidentSealer.CurrentVersion, IncidentSealer.BinaryVersion);
    }

    private byte[] Encoded(Incident incident) => BinaryEnvelope.Encode(TestIncidents.SealBinary(incident, _device.ServerKey));

    private HttpContent Body(int version, Incident incident) => version == 1
        ? JsonContent.Create(TestIncidents.Seal(incident, _device.ServerKey), ContractsJson.Default.SealedIncident)
        : TestIncidents.BinaryBody(Encoded(incident));

    private ByteArrayContent SealedPlaintext(Incident incident, byte[] plaintext) =>
        TestIncidents.BinaryBody(BinaryEnvelope.Encode(IncidentSealer.Seal(plaintext, incident.Id, _device.ServerKey, IncidentSealer.BinaryVersion)));

    private async Task<HttpResponseMessage> PostAsync(string path, HttpContent body)
    {
        using var http = _server.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _device.DeviceToken);
        return await http.SendAsync(request);
    }

    private static byte[] Plaintext(byte[] json, byte[] jpeg, byte[] after)
    {
        var bytes = new byte[4 + json.Length + 4 + jpeg.Length + after.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)json.Length);
        json.CopyTo(bytes, 4);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + json.Length), (uint)jpeg.Length);
        jpeg.CopyTo(bytes, 8 + json.Length);
        after.CopyTo(bytes, 8 + json.Length + jpeg.Length);
        return bytes;
    }

    private static ByteArrayContent Changed(byte[] body, Func<byte[], byte[]> change) => TestIncidents.BinaryBody(change(body));

    private static byte[] Set(byte[] bytes, int at, byte value)
    {
        bytes[at] = value;
        return bytes;
    }

    private static byte[] U16(byte[] bytes, int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), value);
        return bytes;
    }

    private static byte[] U32(byte[] bytes, int at, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
        return bytes;
    }
}
