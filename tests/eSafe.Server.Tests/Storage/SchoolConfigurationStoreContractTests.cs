using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using eSafe.Server.Tests.Support;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>Schools' library layers, safeguarding records and library proposals: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class SchoolConfigurationStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    [Test]
    public async Task Every_change_to_a_layer_is_one_version_and_a_change_that_changes_nothing_is_none()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        (await layers.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(new SchoolLayerRecord("sch-1", 0, null, [], []));
        var word = new ThreatEntry("s-2", "walk home alone", "grooming", 3, "en-GB", ["with my mum"]);
        var other = new ThreatEntry("s-1", "the bridge", "self-harm", 4);

        (await layers.SaveEntryAsync("sch-1", word, At, CancellationToken.None)).Should().Be(1);
        (await layers.SaveEntryAsync("sch-1", other, At.AddMinutes(1), CancellationToken.None)).Should().Be(2);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", true, At.AddMinutes(2), CancellationToken.None)).Should().Be(3);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-1", true, At.AddMinutes(2), CancellationToken.None)).Should().Be(4);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", true, At.AddMinutes(3), CancellationToken.None)).Should().BeNull();
        (await layers.RemoveEntryAsync("sch-1", "s-404", At.AddMinutes(3), CancellationToken.None)).Should().BeNull();
        (await layers.GetVersionAsync("sch-1", CancellationToken.None)).Should().Be(4);
        (await layers.GetVersionAsync("sch-2", CancellationToken.None)).Should().Be(0);

        (await layers.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(
            new SchoolLayerRecord("sch-1", 4, At.AddMinutes(2), [other, word], ["g-1", "g-9"]), o => o.WithStrictOrdering());
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", false, At.AddMinutes(4), CancellationToken.None)).Should().Be(5);
        (await layers.GetAsync("sch-2", CancellationToken.None)).Entries.Should().BeEmpty("layers are each school's own");
    }

    [Test]
    public async Task An_entry_remembers_each_category_and_severity_it_had()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the bridge", "self-harm", 4), At, CancellationToken.None);
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the bridge", "self-harm", 5), At.AddMinutes(1), CancellationToken.None);
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the old bridge", "self-harm", 5), At.AddMinutes(2), CancellationToken.None);
        (await layers.EntryHistoryAsync("sch-1", "s-1", CancellationToken.None)).Should().BeEquivalentTo(
            [new RuleFacts("self-harm", 5), new RuleFacts("self-harm", 4), new RuleFacts("self-harm", 5)]);

        (await layers.RemoveEntryAsync("sch-1", "s-1", At.AddMinutes(3), CancellationToken.None)).Should().Be(4);
        (await layers.EntryHistoryAsync("sch-1", "s-1", CancellationToken.None)).Should().BeEquivalentTo(
            [new RuleFacts("self-harm", 4), new RuleFacts("self-harm", 5)]);
        (await layers.EntryHistoryAsync("sch-2", "s-1", CancellationToken.None)).Should().BeEmpty();
    }

    [Test]
    public async Task An_entry_keeps_its_context_and_a_replacement_without_one_has_none()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        var mascot = new ThreatEntry("s-1", "slash+", "violence", 3, "en-GB", ["slash fiction"], "unless 3: slashers|match|team; with 6: {him|her}");

        await layers.SaveEntryAsync("sch-1", mascot, At, CancellationToken.None);
        (await layers.GetAsync("sch-1", CancellationToken.None)).Entries.Should().ContainSingle().Which.Should().BeEquivalentTo(mascot);
        await layers.SaveEntryAsync("sch-1", mascot with { Context = "" }, At.AddMinutes(1), CancellationToken.None);

        (await layers.GetAsync("sch-1", CancellationToken.None)).Entries.Should().ContainSingle().Which.Context.Should().BeEmpty();
    }

    [Test]
    public async Task An_entry_saved_before_entries_had_a_context_reads_with_none()
    {
        // Written as the server before the context column wrote it: LiteDB without the field, PostgreSQL at the schema before it, then migrated.
        var old = kind == StoreKind.Postgres ? await OldPostgresAsync() : _stores;
        try
        {
            if (kind == StoreKind.LiteDb)
            {
                old.Folder.Database.GetCollection("school_entries").Insert(new LiteDB.BsonDocument
                {
                    ["_id"] = "sch-old/s-1", ["schoolId"] = "sch-old", ["id"] = "s-1", ["phrase"] = "the old quarry", ["category"] = "violence",
                    ["severity"] = 2, ["language"] = "en-GB", ["exceptions"] = new LiteDB.BsonArray(new LiteDB.BsonValue("quarry tour")),
                });
            }

            var layers = old.Get<ISchoolLibraryStore>();
            var entry = (await layers.GetAsync("sch-old", CancellationToken.None)).Entries.Should().ContainSingle().Subject;
            entry.Should().BeEquivalentTo(new ThreatEntry("s-1", "the old quarry", "violence", 2, "en-GB", ["quarry tour"]));
            entry.Context.Should().BeEmpty();

            // And it takes a context once it is saved again.
            await layers.SaveEntryAsync("sch-old", entry with { Context = "unless 4: tour|trip" }, At, CancellationToken.None);
            (await layers.GetAsync("sch-old", CancellationToken.None)).Entries.Single().Context.Should().Be("unless 4: tour|trip");
        }
        finally
        {
            if (old != _stores)
            {
                await old.DisposeAsync();
            }
        }
    }

    // A database made and filled by a server whose schema ended before the context column, then opened by this one (which migrates it).
    private static async Task<Stores> OldPostgresAsync()
    {
        var database = (await StoreKind.Postgres.NewDatabaseAsync())!;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            foreach (var migration in SchemaMigrations.All.TakeWhile(m => !m.Name.EndsWith("_school_entry_context", StringComparison.Ordinal)))
            {
                await ExecuteAsync(connection, migration.Sql);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", migration.Version, migration.Name);
            }

            await ExecuteAsync(connection, """
                INSERT INTO school_entries (school_id, entry_id, phrase, category, severity, language, exceptions)
                VALUES ('sch-old', 's-1', 'the old quarry', 'violence', 2, 'en-GB', '{"quarry tour"}')
                """);
        }

        return Stores.Open(ServerHarness.NewDataDirectory(), database);

        static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] args)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var arg in args)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = arg });
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task Changes_to_one_layer_at_once_each_get_their_own_version()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        var versions = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => Task.Run(() =>
            layers.SaveEntryAsync("sch-1", new ThreatEntry($"s-{n}", $"phrase {n}", "bullying", 2), At, CancellationToken.None))));
        versions.Should().BeEquivalentTo(Enumerable.Range(1, 10));
        (await layers.GetAsync("sch-1", CancellationToken.None)).Entries.Should().HaveCount(10);
    }

    [Test]
    public async Task A_safeguarding_record_is_saved_only_on_top_of_the_version_it_was_read_at()
    {
        var records = _stores.Get<ISafeguardingStore>();
        var empty = await records.GetAsync("sch-1", CancellationToken.None);
        empty.Version.Should().Be(0);
        empty.Contacts.Should().BeEmpty();

        var first = empty with
        {
            Version = 1, Contacts = [new Contact("c-1", "Dee Lead", ContactRoles.Dsl, "+447700900123", "dsl@school.example", 1)], ChangedAt = At,
        };
        (await records.SaveAsync(first, CancellationToken.None)).Should().BeTrue();
        (await records.SaveAsync(first with { ReportPassword = "other" }, CancellationToken.None)).Should().BeFalse();
        (await records.SaveAsync(first with { Version = 3 }, CancellationToken.None)).Should().BeFalse();
        var second = first with { Version = 2, ReportPassword = "correct horse battery" };
        (await records.SaveAsync(second, CancellationToken.None)).Should().BeTrue();
        (await records.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(second);
        (await records.GetAsync("sch-2", CancellationToken.None)).Version.Should().Be(0);
    }

    [Test]
    public async Task Proposals_are_listed_newest_first_by_state_and_decided_once()
    {
        var proposals = _stores.Get<IProposalStore>();
        Proposal Make(int n) => new($"prop-{n:D2}", "inc-1", "sch-1", "g-1", "hurt myself", $"hurt myself in the game {n}", "sam", At.AddMinutes(n),
            ProposalStates.Pending, null, null, null);
        for (var n = 0; n < 4; n++)
        {
            await proposals.AddAsync(Make(n), CancellationToken.None);
        }

        (await proposals.GetAsync("prop-02", CancellationToken.None)).Should().BeEquivalentTo(Make(2));
        var accepted = Make(1) with { State = ProposalStates.Accepted, DecidedBy = "lee", DecidedAt = At.AddHours(1), Target = "global" };
        (await proposals.DecideAsync(accepted, CancellationToken.None)).Should().BeTrue();
        (await proposals.DecideAsync(accepted with { State = ProposalStates.Rejected }, CancellationToken.None)).Should().BeFalse();
        (await proposals.GetAsync("prop-01", CancellationToken.None)).Should().BeEquivalentTo(accepted);
        (await proposals.ListAsync(ProposalStates.Pending, 2, CancellationToken.None)).Select(p => p.Id).Should().Equal("prop-03", "prop-02");
        (await proposals.ListAsync(null, 10, CancellationToken.None)).Select(p => p.Id).Should().Equal("prop-03", "prop-02", "prop-01", "prop-00");
        (await proposals.GetAsync("prop-99", CancellationToken.None)).Should().BeNull();
    }
}
