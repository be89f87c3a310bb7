using System.Net;
using System.Text.Json;
using eSafe.Host.Configuration;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Delivery;

/// <summary>
/// An outbox holding both envelope versions: version 1 JSON files an older host left, version 2 binary files
/// (docs/PROTOCOL.md §2); each delivered in its own form, and a version 2 file kept when the server has no version 2.
/// </summary>
public sealed class MixedOutboxTests
{
    private const string Token = "device-token";
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);
    private TemporaryFolder _folder = null!;
    private FileOutbox _outbox = null!;
    private FakeDeviceApi _api = null!;
    private SealedIncident _older = null!;
    private SealedIncident _newer = null!;

    [SetUp]
    public async Task SetUp()
    {
        _folder = new TemporaryFolder();
        _outbox = new FileOutbox(_folder.Sub("outbox"));
        _api = new FakeDeviceApi();
        _older = Envelopes.At(Start);
        _newer = Envelopes.BinaryAt(Start.AddSeconds(1));
        await _outbox.AddAsync(_newer, CancellationToken.None);
        // As a host before version 2 wrote it: the JSON envelope.
        await File.WriteAllBytesAsync(Path.Combine(_folder.Sub("outbox"), _older.IncidentId + ".json"),
            JsonSerializer.SerializeToUtf8Bytes(_older, IncidentJson.Default.SealedIncident));
    }

    [TearDown]
    public void TearDown()
    {
        _outbox.Dispose();
        _folder.Dispose();
    }

    [Test]
    public void A_version_2_incident_is_kept_as_its_binary_body_beside_the_older_json()
    {
        Directory.GetFiles(_folder.Sub("outbox")).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal(_older.IncidentId + ".json", _newer.IncidentId + ".esie");
        File.ReadAllBytes(Path.Combine(_folder.Sub("outbox"), _newer.IncidentId + ".esie")).Should().Equal(BinaryEnvelope.Encode(_newer));
        _outbox.Pending().Should().Equal(_older.IncidentId, _newer.IncidentId);
        _outbox.Read(_older.IncidentId).Should().BeEquivalentTo(_older, o => o.ComparingRecordsByMembers());
        _outbox.Read(_newer.IncidentId).Should().BeEquivalentTo(_newer, o => o.ComparingRecordsByMembers());
    }

    [Test]
    public async Task Each_is_delivered_in_its_own_form_oldest_first_and_removed()
    {
        (await Uploader().DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();

        _api.Uploads.Select(u => u.IncidentId).Should().Equal(_older.IncidentId, _newer.IncidentId);
        _api.BinaryUploads.Should().Equal(new Dictionary<string, string?> { [_newer.IncidentId] = BinaryEnvelope.MediaType });
        _outbox.Pending().Should().BeEmpty();
        Directory.GetFiles(_folder.Sub("outbox")).Should().BeEmpty();
    }

    [TestCase(HttpStatusCode.BadRequest, """{"title":"Bad Request","detail":"The request body is not the JSON object expected."}""")]
    [TestCase(HttpStatusCode.UnsupportedMediaType, """{"title":"Unsupported Media Type"}""")]
    public async Task A_server_without_version_2_keeps_the_binary_incident_and_says_so(HttpStatusCode status, string body)
    {
        var told = 0;
        _api.Answer(_newer.IncidentId, _ => FakeDeviceApi.Refuse(status, body));
        var uploader = new OutboxUploader(_outbox, _api, Token, new HostLog(null), new MovableClock(Start), () => told++);

        (await uploader.DeliverPendingAsync(CancellationToken.None)).Should().BeTrue();

        told.Should().Be(1);
        _outbox.Pending().Should().Equal(_newer.IncidentId);
        Directory.Exists(_outbox.RejectedDirectory).Should().BeFalse("the incident is good: only this server cannot read it yet");
    }

    [Test]
    public async Task A_damaged_binary_file_is_set_aside_and_the_json_is_still_delivered()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder.Sub("outbox"), _newer.IncidentId + ".esie"), "ESIE\u0002"u8.ToArray());

        await Uploader().DeliverPendingAsync(CancellationToken.None);

        _api.Uploads.Select(u => u.IncidentId).Should().Equal(_older.IncidentId);
        FileOutbox.SetAside(_outbox.DamagedDirectory).Should().ContainSingle().Which.Id.Should().Be(_newer.IncidentId);
        File.Exists(Path.Combine(_outbox.DamagedDirectory, _newer.IncidentId + ".esie")).Should().BeTrue();
    }

    [Test]
    public void A_rejected_binary_incident_keeps_its_form_in_rejected()
    {
        _outbox.Reject(_newer.IncidentId, "400: refused");

        File.ReadAllBytes(Path.Combine(_outbox.RejectedDirectory, _newer.IncidentId + ".esie")).Should().Equal(BinaryEnvelope.Encode(_newer));
        FileOutbox.SetAside(_outbox.RejectedDirectory).Should().Equal((_newer.IncidentId, "400: refused"));
    }

    [Test]
    public void The_envelope_version_follows_the_servers_answer_and_is_saved()
    {
        var paths = new HostPaths(_folder.Sub("state"), _folder.Sub("machine"));
        var enrolment = new EnrolmentState(new Uri("https://esafe.example.org"), "school-1", "dev-1", Token, "k1", [1, 2, 3]);
        var updates = new ServerKeyUpdates(paths, enrolment, new HostLog(null));
        updates.EnvelopeVersion.Should().Be(1, "until the server has said it opens version 2");

        updates.OfferEnvelopeVersions([1, 2]);
        updates.EnvelopeVersion.Should().Be(2);
        File.ReadAllText(paths.EnrolmentFile).Should().Contain("\"envelopeVersion\": 2");

        updates.ServerRefusedBinary();
        updates.EnvelopeVersion.Should().Be(1);
        updates.OfferEnvelopeVersions([1, 2]);
        updates.OfferEnvelopeVersions(null);
        updates.EnvelopeVersion.Should().Be(1, "a server without the field is older than version 2");
    }

    private OutboxUploader Uploader() => new(_outbox, _api, Token, new HostLog(null));
}
