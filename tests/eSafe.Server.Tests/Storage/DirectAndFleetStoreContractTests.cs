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
    public void A_devices_repeat_hits_are_merged_newer_time_winning_past_hits_dropped_and_kept_apart_from_other_devices()
    {
        var repeats = _stores.Get<IDeviceRepeatStore>();
        repeats.Load("d-1").Should().BeEmpty();

        var first = new Dictionary<UInt128, DateTimeOffset> { [new UInt128(1, 2)] = At, [UInt128.MaxValue] = At.AddSeconds(90) };
        repeats.Merge("d-1", first, At.AddDays(-1));
        repeats.Merge("d-2", new Dictionary<UInt128, DateTimeOffset> { [7] = At.AddDays(1) }, At.AddDays(-1));
        repeats.Load("d-1").Should().BeEquivalentTo(first);

        // Another process's save: its hit is added, a hash both hold keeps the newer time, an older time never wins.
        repeats.Merge("d-1", new Dictionary<UInt128, DateTimeOffset> { [new UInt128(3, 4)] = At.AddMinutes(2), [UInt128.MaxValue] = At.AddSeconds(30) },
            At.AddDays(-1));
        repeats.Load("d-1").Should().BeEquivalentTo(new Dictionary<UInt128, DateTimeOffset>
        {
            [new UInt128(1, 2)] = At, [UInt128.MaxValue] = At.AddSeconds(90), [new UInt128(3, 4)] = At.AddMinutes(2),
        });

        // Hits older than the window are dropped at the next merge, so a device's row does not grow without end.
        repeats.Merge("d-1", new Dictionary<UInt128, DateTimeOffset> { [new UInt128(5, 6)] = At.AddMinutes(20) }, At.AddMinutes(2));
        repeats.Load("d-1").Should().BeEquivalentTo(new Dictionary<UInt128, DateTimeOffset>
        {
            [new UInt128(3, 4)] = At.AddMinutes(2), [new UInt128(5, 6)] = At.AddMinutes(20),
        });
        repeats.Load("d-2").Should().BeEquivalentTo(new Dictionary<UInt128, DateTimeOffset> { [7] = At.AddDays(1) });
    }

    [Test]
    public async Task Merges_of_one_devices_hits_at_once_lose_none_of_them()
    {
        var repeats = _stores.Get<IDeviceRepeatStore>();
        // Sixteen savers at once (for PostgreSQL each on its own connection, as two server processes would be).
        await Task.WhenAll(Enumerable.Range(1, 16).Select(n => Task.Run(() =>
            repeats.Merge("d-1", new Dictionary<UInt128, DateTimeOffset> { [(UInt128)n] = At.AddSeconds(n) }, At.AddDays(-1)))));

        repeats.Load("d-1").Keys.Should().BeEquivalentTo(Enumerable.Range(1, 16).Select(n => (UInt128)n));
    }

    [Test]
    public async Task Missed_sentences_are_listed_oldest_first_in_the_schools_asked_for()
    {
        var missed = _stores.Get<IMissedSentenceStore>();
        await missed.AddAsync("sch-b", At, Missed("m-2", "they all laughed at me again"), CancellationToken.None);
        await missed.AddAsync("sch-a", At, Missed("m-1", "nobody would notice if i was gone"), CancellationToken.None);
        await missed.AddAsync("sch-c", At, Missed("m-3", "i keep the blade in my pencil case"), CancellationToken.None);

        (await missed.ListAsync(null, CancellationToken.None)).Select(m => m.Id).Should().Equal("m-1", "m-2", "m-3");
        (await missed.ListAsync(["sch-a", "sch-c"], CancellationToken.None)).Should().Equal(Missed("m-1", "nobody would notice if i was gone"),
            Missed("m-3", "i keep the blade in my pencil case"));
        (await missed.ListAsync([], CancellationToken.None)).Should().BeEmpty();

        var act = () => missed.AddAsync("sch-a", At, Missed("m-1", "a second sentence with the same ID"), CancellationToken.None);
        await act.Should().ThrowAsync<Exception>("an ID is filed once");
        (await missed.ListAsync(["sch-a"], CancellationToken.None)).Single().Text.Should().Be("nobody would notice if i was gone");
    }

    [Test]
    public async Task Retention_deletes_a_schools_missed_sentences_whose_incident_was_received_before_the_cutoff_and_no_others()
    {
        var missed = _stores.Get<IMissedSentenceStore>();
        await missed.AddAsync("sch-a", At.AddMonths(-3), Missed("m-1", "nobody would notice if i was gone"), CancellationToken.None);
        await missed.AddAsync("sch-a", At.AddMonths(-1), Missed("m-2", "they all laughed at me again"), CancellationToken.None);
        await missed.AddAsync("sch-b", At.AddMonths(-3), Missed("m-3", "i keep the blade in my pencil case"), CancellationToken.None);

        (await missed.DeleteExpiredAsync("sch-a", At.AddMonths(-2), [], CancellationToken.None)).Should().Be(1);
        (await missed.ListAsync(null, CancellationToken.None)).Select(m => m.Id).Should().Equal("m-2", "m-3");
        (await missed.DeleteExpiredAsync("sch-a", At.AddMonths(-2), [], CancellationToken.None)).Should().Be(0);
    }

    [Test]
    public async Task Missed_sentences_filed_before_month_keys_still_open_and_go_with_their_incident_or_their_filing_month()
    {
        var missed = _stores.Get<IMissedSentenceStore>();
        await AddAsDataKeyBlobAsync(Missed("m-1", "nobody would notice if i was gone"));
        await AddAsDataKeyBlobAsync(Missed("m-2", "they all laughed at me again"));
        (await missed.ListAsync(["sch-a"], CancellationToken.None)).Select(m => m.Text).Should()
            .Equal("nobody would notice if i was gone", "they all laughed at me again");

        (await missed.DeleteExpiredAsync("sch-a", At.AddDays(-1), ["inc-m-1"], CancellationToken.None)).Should().Be(1, "its incident was deleted");
        (await missed.ListAsync(null, CancellationToken.None)).Select(m => m.Id).Should().Equal("m-2");
        (await missed.DeleteExpiredAsync("sch-a", At.AddDays(1), [], CancellationToken.None)).Should().Be(1, "it was filed before the cutoff");
        (await missed.ListAsync(null, CancellationToken.None)).Should().BeEmpty();
    }

    // A sentence as the stores kept them before 3 December 2026: the data key's blob, no receipt time.
    private async Task AddAsDataKeyBlobAsync(MissedSentence sentence)
    {
        var blob = _stores.Folder.Cipher.Encrypt(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(sentence, StorageJson.Default.MissedSentence),
            BlobPurposes.MissedSentence(sentence.Id));
        if (kind == StoreKind.LiteDb)
        {
            _stores.Folder.Database.GetCollection("missed").Insert(new LiteDB.BsonDocument { ["_id"] = sentence.Id, ["school"] = "sch-a", ["blob"] = blob });
            return;
        }

        await using var connection = await _stores.Folder.RequirePostgres().OpenAsync(CancellationToken.None);
        await using var command = new Npgsql.NpgsqlCommand("INSERT INTO missed_sentences (id, school_id, blob) VALUES ($1, 'sch-a', $2)", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sentence.Id });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = blob });
        await command.ExecuteNonQueryAsync();
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
        await lite.Get<IMissedSentenceStore>().AddAsync("sch-a", sentence.FiledAt.AddHours(-1), sentence, CancellationToken.None);
        lite.Get<IDeviceRepeatStore>().Merge("d-1", hits, DateTimeOffset.MinValue);

        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var targetDirectory = ServerHarness.NewDataDirectory();
        using (var target = DataFolder.Open(targetDirectory, Path.Combine(liteDirectory, "keys"), database))
        {
            var counts = await LiteToPostgres.RunAsync(lite.Folder, target, CancellationToken.None);
            counts.Where(c => c.Store is "device heartbeats" or "pending incidents" or "device repeat filters" or "missed sentences")
                .Should().HaveCount(4).And.OnlyContain(c => c.Source == 1 && c.Target == 1);
        }

        Directory.Delete(targetDirectory, recursive: true);

        await using var postgres = Stores.Open(ServerHarness.NewDataDirectory(), database, keysDirectory: Path.Combine(liteDirectory, "keys"));
        (await postgres.Get<IFleetStore>().GetAsync("d-1", CancellationToken.None)).Should().Be(heartbeat);
        (await postgres.Get<IPendingIncidentStore>().GetAsync("p-1", CancellationToken.None)).Should().BeEquivalentTo(pending);
        (await postgres.Get<IMissedSentenceStore>().ListAsync(["sch-a"], CancellationToken.None)).Should().Equal(sentence);
        postgres.Get<IDeviceRepeatStore>().Load("d-1").Should().BeEquivalentTo(hits);
    }
}
