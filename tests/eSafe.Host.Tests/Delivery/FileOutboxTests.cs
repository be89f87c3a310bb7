using System.Runtime.Versioning;
using System.Text.Json;
using eSafe.Host.Delivery;
using eSafe.Host.Tests.Support;
using eSafe.Incidents;

namespace eSafe.Host.Tests.Delivery;

public sealed class FileOutboxTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 0, 0, TimeSpan.Zero);
    private TemporaryFolder _folder = null!;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TemporaryFolder();
        _directory = _folder.Sub("outbox");
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task Incidents_wait_in_the_order_of_their_IDs_whatever_order_they_came_in()
    {
        using var outbox = new FileOutbox(_directory);
        var incidents = Enumerable.Range(0, 5).Select(i => Envelopes.At(Start.AddSeconds(i))).ToList();

        foreach (var i in new[] { 3, 0, 4, 1, 2 })
        {
            await outbox.AddAsync(incidents[i], CancellationToken.None);
        }

        outbox.Pending().Should().Equal(incidents.Select(i => i.IncidentId));
        outbox.Read(incidents[2].IncidentId).Should().BeEquivalentTo(incidents[2], o => o.ComparingRecordsByMembers());
    }

    [Test]
    public async Task A_stored_incident_is_the_sealed_envelope_as_json_and_leaves_no_temporary_file()
    {
        using var outbox = new FileOutbox(_directory);
        var incident = Envelopes.At(Start);

        await outbox.AddAsync(incident, CancellationToken.None);

        Directory.GetFiles(_directory).Select(Path.GetFileName).Should().Equal(incident.IncidentId + ".json");
        var stored = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(_directory, incident.IncidentId + ".json")),
            IncidentJson.Default.SealedIncident);
        stored.Should().BeEquivalentTo(incident, o => o.ComparingRecordsByMembers());
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public async Task Files_and_folders_are_readable_by_their_owner_only()
    {
        Assume.That(!OperatingSystem.IsWindows(), "Unix file modes");
        using var outbox = new FileOutbox(_directory);
        var incident = Envelopes.At(Start);

        await outbox.AddAsync(incident, CancellationToken.None);
        var second = Envelopes.At(Start.AddSeconds(1));
        await outbox.AddAsync(second, CancellationToken.None);
        outbox.Reject(second.IncidentId);

        File.GetUnixFileMode(Path.Combine(_directory, incident.IncidentId + ".json")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.Combine(outbox.RejectedDirectory, second.IncidentId + ".json")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.GetUnixFileMode(_directory).Should().Be(Private);
        File.GetUnixFileMode(outbox.RejectedDirectory).Should().Be(Private);
    }

    [Test]
    public async Task A_rejected_incident_moves_to_rejected_and_is_kept_as_it_was()
    {
        using var outbox = new FileOutbox(_directory);
        var kept = Envelopes.At(Start);
        var refused = Envelopes.At(Start.AddSeconds(1));
        await outbox.AddAsync(kept, CancellationToken.None);
        await outbox.AddAsync(refused, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_directory, refused.IncidentId + ".json"));

        outbox.Reject(refused.IncidentId);

        outbox.Pending().Should().Equal(kept.IncidentId);
        outbox.Read(refused.IncidentId).Should().BeNull();
        outbox.RejectedDirectory.Should().Be(Path.Combine(_directory, "rejected"));
        (await File.ReadAllBytesAsync(Path.Combine(outbox.RejectedDirectory, refused.IncidentId + ".json"))).Should().Equal(bytes);
    }

    private static IEnumerable<TestCaseData> DamagedFiles()
    {
        yield return new TestCaseData(Array.Empty<byte>(), "the file is empty").SetArgDisplayNames("empty");
        yield return new TestCaseData("{\"version\":1,\"incidentId\":"u8.ToArray(), "the file is not an incident").SetArgDisplayNames("cut short");
        yield return new TestCaseData("null"u8.ToArray(), "the file holds no incident").SetArgDisplayNames("null");
        yield return new TestCaseData(new byte[] { 0xFF, 0xFE, 0x00, 0x7B }, "the file is not an incident").SetArgDisplayNames("binary");
        yield return new TestCaseData("{\"version\":\"one\"}"u8.ToArray(), "the file is not an incident").SetArgDisplayNames("wrong type");
        yield return new TestCaseData("{}"u8.ToArray(), "the envelope is malformed").SetArgDisplayNames("no fields");
        yield return new TestCaseData(JsonSerializer.SerializeToUtf8Bytes(Envelopes.At(Start.AddDays(1)), IncidentJson.Default.SealedIncident),
            "the file's name is not its incident's ID").SetArgDisplayNames("another incident's ID");
        yield return new TestCaseData(JsonSerializer.SerializeToUtf8Bytes(Envelopes.At(Start) with { Nonce = new byte[3] }, IncidentJson.Default.SealedIncident),
            "the envelope is malformed: nonce").SetArgDisplayNames("a short nonce");
    }

    [TestCaseSource(nameof(DamagedFiles))]
    public async Task A_damaged_file_is_moved_to_damaged_with_its_reason_and_the_rest_stay_readable(byte[] content, string reason)
    {
        using var outbox = new FileOutbox(_directory);
        var before = Envelopes.At(Start.AddSeconds(-1));
        var after = Envelopes.At(Start.AddSeconds(1));
        await outbox.AddAsync(before, CancellationToken.None);
        await outbox.AddAsync(after, CancellationToken.None);
        var damagedId = IncidentId.New(Start);
        await File.WriteAllBytesAsync(Path.Combine(_directory, damagedId + ".json"), content);

        var read = outbox.Read(damagedId, out var damage);

        read.Should().BeNull();
        damage.Should().StartWith(reason);
        outbox.Pending().Should().Equal(before.IncidentId, after.IncidentId);
        (await File.ReadAllBytesAsync(Path.Combine(outbox.DamagedDirectory, damagedId + ".json"))).Should().Equal(content, "kept as it was, for a person to look at");
        FileOutbox.SetAside(outbox.DamagedDirectory).Should().ContainSingle().Which.Should().Be((damagedId, damage));
        outbox.Read(before.IncidentId, out var none).Should().NotBeNull();
        none.Should().BeNull();
    }

    [Test]
    public async Task A_rejected_incident_keeps_the_servers_reason()
    {
        using var outbox = new FileOutbox(_directory);
        var refused = Envelopes.At(Start);
        await outbox.AddAsync(refused, CancellationToken.None);

        outbox.Reject(refused.IncidentId, "400 BadRequest: category is not known");

        FileOutbox.SetAside(outbox.RejectedDirectory).Should().Equal((refused.IncidentId, "400 BadRequest: category is not known"));
        FileOutbox.SetAside(outbox.DamagedDirectory).Should().BeEmpty();
    }

    [Test]
    public async Task A_removed_incident_is_gone()
    {
        using var outbox = new FileOutbox(_directory);
        var incident = Envelopes.At(Start);
        await outbox.AddAsync(incident, CancellationToken.None);

        outbox.Remove(incident.IncidentId);

        outbox.Pending().Should().BeEmpty();
        outbox.Read(incident.IncidentId).Should().BeNull();
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [TestCase("notes.json")]
    [TestCase("01arz3ndektsv4rrffq69g5fav.json")]
    [TestCase("81ARZ3NDEKTSV4RRFFQ69G5FAV.json")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FA.json")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FAVX.json")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FAU.json")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FAV.json.tmp")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FAV.txt")]
    [TestCase("01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    public async Task A_file_not_named_by_an_incident_ID_is_ignored(string name)
    {
        using var outbox = new FileOutbox(_directory);
        var incident = Envelopes.At(Start);
        await outbox.AddAsync(incident, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_directory, name), "{}");

        outbox.Pending().Should().Equal(incident.IncidentId);
    }

    [TestCase("")]
    [TestCase("../escape")]
    [TestCase("not-an-id")]
    public async Task An_incident_without_a_valid_ID_is_refused(string id)
    {
        using var outbox = new FileOutbox(_directory);

        var add = () => outbox.AddAsync(Envelopes.At(Start) with { IncidentId = id }, CancellationToken.None);

        await add.Should().ThrowAsync<ArgumentException>();
        Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Should().BeEmpty();
        Directory.GetFiles(_folder.Path).Should().BeEmpty();
    }

    [Test]
    public async Task A_waiter_wakes_when_an_incident_is_added_and_otherwise_times_out()
    {
        using var outbox = new FileOutbox(_directory);

        (await outbox.WaitForAdditionAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None)).Should().BeFalse();
        var waiting = outbox.WaitForAdditionAsync(ExtensionSide.Patience, CancellationToken.None);
        await outbox.AddAsync(Envelopes.At(Start), CancellationToken.None);
        (await waiting).Should().BeTrue();
    }

    [Test]
    public async Task A_new_outbox_on_the_same_folder_sees_what_was_left()
    {
        var incident = Envelopes.At(Start);
        using (var first = new FileOutbox(_directory))
        {
            await first.AddAsync(incident, CancellationToken.None);
        }

        using var second = new FileOutbox(_directory);

        second.Pending().Should().Equal(incident.IncidentId);
    }
}
