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
