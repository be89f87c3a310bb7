using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>Heartbeats, pending incidents, repeat-filter hits and missed sentences: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class DirectAndFleetStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    internal static DeviceHeartbeat Heartbeat(string deviceId, string schoolId, int minutes) =>
        new(deviceId, schoolId, At.AddMinutes(minutes), "direct", "1.4." + minutes, null, "2026.11", null, minutes, false, null);

    internal static PendingIncident Pending(string id, int minutes) =>
        new(id, "dev-" + id, "sch-a", At.AddMinutes(minutes), new SealedIncident(1, id, "key-1", [1, 2, (byte)minutes], [3, 4], [5, 6, 7]));

    internal static MissedSentence Missed(string id, string text) => new(id, "inc-" + id, "bullying", text, "analyst-1", At);

    [Test]
    public async Task A_heartbeat_replaces_its_devices_last_and_is_listed_only_for_its_school()
    {
        var fleet = _stores.Get<IFleetStore>();
        await fleet.SaveAsync(Heartbeat("d-1", "sch-a", 1), CancellationToken.None);
        await fleet.SaveAsync(Heartbeat("d-2", "sch-b", 2), CancellationToken.None);
        var missing = new DeviceHeartbeat("d-1", "sch-a", At.AddMinutes(5), "host", "1.5.0", "0.9.1", "2026.12", 7, 12, true, At.AddMinutes(4));
        await fleet.SaveAsync(missing, CancellationToken.None);
        await fleet.SaveAsync(Heartbeat("d-3", "sch-a", 3), CancellationToken.None);

        (await fleet.GetAsync("d-1", CancellationToken.None)).Should().Be(missing);
        (await fleet.GetAsync("d-9", CancellationToken.None)).Should().BeNull();
        (await fleet.ListAsync("sch-a", CancellationToken.None)).Should().BeEquivalentTo([missing, Heartbeat("d-3", "sch-a", 3)]);
        (await fleet.ListAsync("sch-b", CancellationToken.None)).Should().Equal(Heartbeat("d-2", "sch-b", 2));
        (await fleet.ListAsync("sch-c", CancellationToken.None)).Should().BeEmpty();
    }

    [Test]
    public async Task Pending_incidents_are_kept_replaced_removed_and_listed_oldest_first_up_to_the_limit()
    {
        var pending = _stores.Get<IPendingIncidentStore>();
        foreach (var (id, minutes) in new[] { ("p-3", 30), ("p-1", 10), ("p-4", 40), ("p-2", 20) })
        {
            await pending.AddAsync(Pending(id, minutes), CancellationToken.None);
        }

        var replaced = Pending("p-4", 5);
        await pending.AddAsync(replaced, CancellationToken.None);

        (await pending.GetAsync("p-4", CancellationToken.None)).Should().BeEquivalentTo(replaced);
        (await pending.ListOlderAsync(At.AddMinutes(30), 10, CancellationToken.None)).Select(p => p.IncidentId).Should().Equal("p-4", "p-1", "p-2");
        (await pending.ListOlderAsync(At.AddMinutes(60), 2, CancellationToken.None)).Select(p => p.IncidentId).Should().Equal("p-4", "p-1");

        await pending.RemoveAsync("p-1", CancellationToken.None);
        (await pending.GetAsync("p-1", CancellationToken.None)).Should().BeNull();
        (await pending.ListOlderAsync(At.AddMinutes(60), 10, CancellationToken.None)).Select(p => p.IncidentId).Should().Equal("p-4", "p-2", "p-3");
        await pending.RemoveAsync("p-9", CancellationToken.None);
    }

    [Test]
    public void A_devices_repeat_hits_are_replaced_whole_and_kept_apart_from_other_devices()
    {
        var repeats = _stores.Get<IDeviceRepeatStore>();
        repeats.Load("d-1").Should().BeEmpty();

        var first = new Dictionary<UInt128, DateTimeOffset> { [new UInt128(1, 2)] = At, [UInt128.MaxValue] = At.AddSeconds(90) };
        repeats.Save("d-1", first);
        repeats.Save("d-2", new Dictionary<UInt128, DateTimeOffset> { [7] = At.AddDays(1) });
        repeats.Load("d-1").Should().BeEquivalentTo(first);

        var second = new Dictionary<UInt128, DateTimeOffset> { [new UInt128(3, 4)] = At.AddHours(2) };
        repeats.Save("d-1", second);
        repeats.Load("d-1").Should().BeEquivalentTo(second, "a save replaces the device's hits, it does not add to them");
        repeats.Load("d-2").Should().BeEquivalentTo(new Dictionary<UInt128, DateTimeOffset> { [7] = At.AddDays(1) });
        repeats.Save("d-2", new Dictionary<UInt128, DateTimeOffset>());
        repeats.Load("d-2").Should().BeEmpty();
    }

    [Test]
    public async Task Missed_sentences_are_listed_oldest_first_in_the_schools_asked_for()
    {
        var missed = _stores.Get<IMissedSentenceStore>();
        await missed.AddAsync("sch-b", Missed("m-2", "they all laughed at me again"), CancellationToken.None);
        await missed.AddAsync("sch-a", Missed("m-1", "nobody would notice if i was gone"), CancellationToken.None);
        await missed.AddAsync("sch-c", Missed("m-3", "i keep the blade in my pencil case"), CancellationToken.None);

        (await missed.ListAsync(null, CancellationToken.None)).Select(m => m.Id).Should().Equal("m-1", "m-2", "m-3");
        (await missed.ListAsync(["sch-a", "sch-c"], CancellationToken.None)).Should().Equal(Missed("m-1", "nobody would notice if i was gone"),
            Missed("m-3", "i keep the blade in my pencil case"));
        (await missed.ListAsync([], CancellationToken.None)).Should().BeEmpty();

        var act = () => missed.AddAsync("sch-a", Missed("m-1", "a second sentence with the same ID"), CancellationToken.None);
        await act.Should().ThrowAsync<Exception>("an ID is filed once");
        (await missed.ListAsync(["sch-a"], CancellationToken.None)).Single().Text.Should().Be("nobody would notice if i was gone");
    }
}

/// <summary><c>migrate</c> moves these four stores' records from a LiteDB folder into PostgreSQL, readable there with the same keys.</summary>
public sealed class DirectAndFleetMigrationTests
{
    [Test]
    public async Task Heartbeats_pending_incidents_repeat_hits_and_missed_sentences_are_migrated()
    {
        var liteDirectory = ServerHarness.NewDataDirectory();
        await using var lite = Stores.Open(liteDirectory, database: null);
        var heartbeat = DirectAndFleetStoreContractTests.Heartbeat("d-1", "sch-a", 3);
        var pending = DirectAndFleetStoreContractTests.Pending("p-1", 4);
        var sentence = DirectAndFleetStoreContractTests.Missed("m-1", "nobody would notice if i was gone");
        var hits = new Dictionary<UInt128, DateTimeOffset> { [new UInt128(9, 9)] = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero) };
        await lite.Get<IFleetStore>().SaveAsync(heartbeat, CancellationToken.None);
        await lite.Get<IPendingIncidentStore>().AddAsync(pending, CancellationToken.None);
        await lite.Get<IMissedSentenceStore>().AddAsync("sch-a", sentence, CancellationToken.None);
        lite.Get<IDeviceRepeatStore>().Save("d-1", hits);

        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        using (var target = PostgresDatabase.Open(database))
        {
            var counts = await LiteToPostgres.RunAsync(lite.Folder, target, CancellationToken.None);
            counts.Where(c => c.Store is "device heartbeats" or "pending incidents" or "device repeat filters" or "missed sentences")
                .Should().HaveCount(4).And.OnlyContain(c => c.Source == 1 && c.Target == 1);
        }

        await using var postgres = Stores.Open(ServerHarness.NewDataDirectory(), database, keysDirectory: Path.Combine(liteDirectory, "keys"));
        (await postgres.Get<IFleetStore>().GetAsync("d-1", CancellationToken.None)).Should().Be(heartbeat);
        (await postgres.Get<IPendingIncidentStore>().GetAsync("p-1", CancellationToken.None)).Should().BeEquivalentTo(pending);
        (await postgres.Get<IMissedSentenceStore>().ListAsync(["sch-a"], CancellationToken.None)).Should().Equal(sentence);
        postgres.Get<IDeviceRepeatStore>().Load("d-1").Should().BeEquivalentTo(hits);
    }
}
