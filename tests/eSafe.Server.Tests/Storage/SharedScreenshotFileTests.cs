using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Files;
using eSafe.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using eSafe.Incidents;
using eSafe.Server.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// PostgreSQL servers keeping screenshots in a folder of segment files they share (<c>--screenshots</c>): two stores stand
/// for two server processes (each its own data folder and segments, one database, one folder, the same keys). The database
/// keeps where each screenshot is, the folder its ciphertext; retries, retention and a wrong folder are covered.
/// </summary>
public sealed class SharedScreenshotFileTests
{
    private readonly DataFolders _folders = new();
    private string _root = null!;
    private string _database = null!;

    private string Keys => Path.Combine(_root, "keys");
    private string Shots => Path.Combine(_root, "shots");

    [SetUp]
    public async Task SetUp()
    {
        _root = _folders.New();
        _database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
    }

    [TearDown]
    public void TearDown() => _folders.DeleteAll();

    /// <summary>A server process's stores: a data folder of its own (deleted when disposed), the database, the keys and a folder of screenshots.</summary>
    private Stores Process(string? screenshots, string? database = null) =>
        Stores.Open(Path.Combine(_root, "process-" + Guid.NewGuid().ToString("N")), database ?? _database, keysDirectory: Keys, screenshotsDirectory: screenshots);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (StoredIncident Incident, byte[] Screenshot) Make(int minute, DateTimeOffset? receivedAt = null, string school = "sch-a")
    {
        var (incident, _) = IncidentStoreContractTests.Make(school, minute);
        return (receivedAt is { } at ? incident with { ReceivedAt = at } : incident, TestIncidents.NewJpeg(20_000 + minute));
    }

    private static ScreenshotSegments Segments(string folder) => new(folder);

    [Test]
    public async Task Two_processes_write_to_segments_of_their_own_in_the_shared_folder_and_each_reads_what_the_other_wrote()
    {
        await using var one = Process(Shots);
        await using var two = Process(Shots);
        var made = Enumerable.Range(0, 24).Select(n => Make(n)).ToList();

        var outcomes = await Task.WhenAll(made.Select((m, n) =>
            (n % 2 == 0 ? one : two).Get<IIncidentStore>().AddAsync(m.Incident, m.Screenshot, CancellationToken.None)));

        outcomes.Should().AllBeEquivalentTo(AddOutcome.Added);
        foreach (var (incident, screenshot) in made)
        {
            (await one.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
            (await two.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }

        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE blob IS NULL AND segment IS NOT NULL")).Should().Be(24, "the database keeps where, not what");
        var segments = Segments(Shots).List();
        segments.Should().HaveCount(2, "each process appends to a segment it made").And.OnlyContain(s => s.StartsWith("sch-a/", StringComparison.Ordinal));
        var inFiles = segments.SelectMany(s => Segments(Shots).Scan(s, made.Select(m => m.Incident.Id))).Select(r => r.IncidentId).ToList();
        inFiles.Should().BeEquivalentTo(made.Select(m => m.Incident.Id));
        var everything = string.Concat(Directory.GetFiles(Shots, "*", SearchOption.AllDirectories).Select(f => Convert.ToHexString(File.ReadAllBytes(f))));
        made.Select(m => Convert.ToHexString(m.Screenshot, 1000, 32)).Should().OnlyContain(slice => !everything.Contains(slice, StringComparison.Ordinal),
            "the files hold ciphertext");
        Directory.GetFiles(Shots, "*", SearchOption.AllDirectories).Should().OnlyContain(f => SecureFiles.IsPrivate(f));
    }

    [Test]
    public async Task A_retry_of_a_stored_incident_leaves_no_second_copy_of_its_screenshot()
    {
        await using var one = Process(Shots);
        var (incident, screenshot) = Make(1);
        (await one.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        (await one.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Duplicate);

        var records = Segments(Shots).List().SelectMany(s => Segments(Shots).Scan(s, [incident.Id])).ToList();
        records.Select(r => r.IncidentId).Should().Equal([incident.Id, null], "the retry's record was zeroed");
        (await one.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
    }

    [Test]
    public async Task Retention_zeroes_expired_screenshots_and_removes_their_months_but_leaves_the_months_processes_may_be_writing()
    {
        await using var one = Process(Shots);
        var now = TimeProvider.System.GetUtcNow();
        var expired = Make(1, new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero));
        var lastMonth = Make(2, now.AddMonths(-1));
        var current = Make(3, now);
        foreach (var (incident, screenshot) in new[] { expired, lastMonth, current })
        {
            (await one.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        }

        var thisMonthStarts = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        (await one.Get<IIncidentStore>().DeleteReceivedBeforeAsync("sch-a", thisMonthStarts, CancellationToken.None))
            .Should().BeEquivalentTo(expired.Incident.Id, lastMonth.Incident.Id);

        var segments = Segments(Shots).List();
        segments.Should().NotContain(s => s.StartsWith("sch-a/2025-03/", StringComparison.Ordinal), "an expired month's segments go");
        Directory.Exists(Path.Combine(Shots, "sch-a", "2025-03")).Should().BeFalse();
        var lastMonthSegment = segments.Should().ContainSingle(s => s.StartsWith("sch-a/" + RetentionPeriod.Of(now.AddMonths(-1)), StringComparison.Ordinal)).Which;
        Segments(Shots).Scan(lastMonthSegment, [lastMonth.Incident.Id]).Select(r => r.IncidentId).Should().Equal([null],
            "its record is zeroed, while the segment stays for a process that may still append to last month's");
        (await one.Get<IIncidentStore>().GetScreenshotAsync(current.Incident.Id, CancellationToken.None)).Should().Equal(current.Screenshot);
        (await ScalarAsync("SELECT count(*) FROM screenshots")).Should().Be(1);
    }

    [Test]
    public async Task Screenshots_kept_in_rows_before_a_folder_was_given_are_read_there_and_moved_into_it_by_processes_together_each_once()
    {
        // Three schools' incidents, interleaved in time: each batch moves one school's.
        var made = Enumerable.Range(0, 70).Select(n => Make(n, school: "sch-" + "abc"[n % 3])).ToList();
        await using (var inDatabase = Process(screenshots: null))
        {
            foreach (var (incident, screenshot) in made)
            {
                (await inDatabase.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
            }

            // One from before month keys, under the data key: it stays in its row, for keys re-encrypt.
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE screenshots SET blob = $1 WHERE incident_id = $2", connection);
            update.Parameters.Add(new NpgsqlParameter { Value = inDatabase.Folder.Cipher.Encrypt(made[0].Screenshot, BlobPurposes.Screenshot(made[0].Incident.Id)) });
            update.Parameters.Add(new NpgsqlParameter { Value = made[0].Incident.Id });
            await update.ExecuteNonQueryAsync();
        }

        await using var one = Process(Shots);
        await using var two = Process(Shots);
        (await one.Get<IIncidentStore>().GetScreenshotAsync(made[5].Incident.Id, CancellationToken.None)).Should().Equal(made[5].Screenshot, "read from its row");

        var movers = new[] { one, two }.Select(p => new ScreenshotMover(p.Folder, NullLogger<ScreenshotMover>.Instance)).ToList();
        var moved = 0;
        int[] batches;
        do
        {
            batches = await Task.WhenAll(movers.Select(m => m.MoveBatchAsync(CancellationToken.None)));
            moved += batches.Sum();
        }
        while (batches.Any(b => b > 0));

        moved.Should().Be(69);
        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE blob IS NOT NULL")).Should().Be(1, "the data-key screenshot stays in its row");
        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE segment IS NOT NULL")).Should().Be(69);
        var live = Segments(Shots).List().SelectMany(s => Segments(Shots).Scan(s, made.Select(m => m.Incident.Id))).Select(r => r.IncidentId).ToList();
        live.Should().OnlyHaveUniqueItems("no screenshot was moved twice").And.HaveCount(69);
        // A batch is one school's (up to 256): each mover takes at most one of each school here, so segments fill rather than
        // holding a record each (the two may split a school's rows between them, SKIP LOCKED).
        Segments(Shots).List().Should().HaveCountLessThanOrEqualTo(3 * movers.Count);
        foreach (var (incident, screenshot) in made)
        {
            (await two.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }
    }

    [Test]
    public async Task A_server_started_with_a_folder_moves_the_screenshots_its_database_held_by_itself()
    {
        var data = Path.Combine(_root, "server");
        Incident incident;
        await using (var before = await ServerHarness.StartAsync(data, configure: o => o with { Database = _database }))
        {
            var device = await before.EnrolAsync();
            incident = TestIncidents.New(device);
            (await before.UploadAsync(device, incident)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        await using var after = await ServerHarness.StartAsync(data, configure: o => o with { Database = _database, ScreenshotsDirectory = Shots });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ScalarAsync("SELECT count(*) FROM screenshots WHERE blob IS NOT NULL") > 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE segment IS NOT NULL")).Should().Be(1, "moved in the background");
        var analyst = await after.SignedInAsync();
        using var screenshot = await analyst.GetScreenshotAsync(incident.Id, CancellationToken.None);
        (await screenshot.ReadAsByteArrayAsync()).Should().Equal(incident.Screenshot);
    }

    private static IEnumerable<TestCaseData> WrongFolders()
    {
        yield return new TestCaseData("none", "*keeps its screenshots in a folder of files*--screenshots*").SetName("No folder given");
        yield return new TestCaseData("empty", "*is not the one the database*has no .esafe-database*").SetName("An empty folder");
        yield return new TestCaseData("other database's", "*belongs to another database*").SetName("Another database's folder");
        yield return new TestCaseData("damaged", "*is not an eSafe screenshot folder's ID*").SetName("A folder whose ID file is damaged");
    }

    [TestCaseSource(nameof(WrongFolders))]
    public async Task A_server_given_the_wrong_folder_of_screenshots_refuses_to_start_and_nothing_is_lost(string wrong, string message)
    {
        var (incident, screenshot) = Make(1);
        await using (var one = Process(Shots))
        {
            (await one.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        }

        var before = Directory.GetFiles(Shots, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var folder = wrong switch
        {
            "none" => null,
            "empty" => Path.Combine(_root, "empty"),
            "other database's" => await OtherDatabasesFolderAsync(),
            _ => Damaged(),
        };

        FluentActions.Invoking(() => Process(folder)).Should().Throw<ServerSetupException>().WithMessage(message);

        Directory.GetFiles(Shots, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes).Should().BeEquivalentTo(before);
        await using var again = Process(Shots);
        (await again.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
    }

    private async Task<string> OtherDatabasesFolderAsync()
    {
        var other = Path.Combine(_root, "other-shots");
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var keys = Path.Combine(_root, "other-keys");
        await using (Stores.Open(Path.Combine(_root, "other-process"), database, keysDirectory: keys, screenshotsDirectory: other))
        {
        }

        return other;
    }

    private string Damaged()
    {
        var damaged = Path.Combine(_root, "damaged");
        Directory.CreateDirectory(damaged);
        File.WriteAllText(Path.Combine(damaged, ".esafe-database"), "not an ID\n");
        return damaged;
    }

    [Test]
    public void A_folder_of_screenshots_is_refused_for_a_LiteDB_server()
    {
        FluentActions.Invoking(() => DataFolder.Open(Path.Combine(_root, "lite"), screenshotsDirectory: Shots)).Should().Throw<ServerSetupException>()
            .WithMessage("*is for servers sharing a PostgreSQL database (--database)*");
        Directory.Exists(Shots).Should().BeFalse();
    }

    [Test]
    public async Task A_migration_into_a_folder_keeps_data_key_screenshots_in_rows_where_keys_re_encrypt_finds_them()
    {
        // A LiteDB server with two screenshots, one from before month keys (under the data key itself).
        var lite = Path.Combine(_root, "lite");
        var made = new[] { Make(1), Make(2) };
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddSingleton(new ServerOptions()).AddStorage(DataFolder.Open(lite))
            .BuildServiceProvider();
        foreach (var (incident, screenshot) in made)
        {
            (await services.GetRequiredService<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        }

        _ = services.GetRequiredService<DataFolder>();
        await services.DisposeAsync();
        var old = made[0].Incident.Id;
        var cipher = AtRestCipher.Load(Path.Combine(lite, "keys"), mayCreate: false);
        using (var db = DataFolderDatabase.Open(lite))
        {
            db.GetCollection("screenshots").Update(new LiteDB.BsonDocument { ["_id"] = old, ["blob"] = cipher.Encrypt(made[0].Screenshot, BlobPurposes.Screenshot(old)) });
        }

        var migrate = await ServerCli.RunAsync("migrate", "--from", lite, "--to", _database, "--screenshots", Shots);
        migrate.ExitCode.Should().Be(0, migrate.Error + migrate.Output);
        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE blob IS NOT NULL")).Should().Be(1, "the data-key screenshot is kept in its row");
        (await ScalarAsync("SELECT count(*) FROM screenshots WHERE segment IS NOT NULL")).Should().Be(1, "the month-key one in the folder");

        (await ServerCli.RunAsync("keys", "rotate", "--which", "data", "--data", lite)).ExitCode.Should().Be(0);
        var reEncrypted = await ServerCli.RunAsync("keys", "re-encrypt", "--data", Path.Combine(_root, "keys-run"), "--keys", Path.Combine(lite, "keys"),
            "--database", _database, "--screenshots", Shots);
        reEncrypted.ExitCode.Should().Be(0, reEncrypted.Error);
        reEncrypted.Output.Should().Contain("screenshots: 1");
        File.Delete(Path.Combine(lite, "keys", AtRestCipher.KeyFileName));

        await using var postgres = Stores.Open(Path.Combine(_root, "after"), _database, keysDirectory: Path.Combine(lite, "keys"), screenshotsDirectory: Shots);
        foreach (var (incident, screenshot) in made)
        {
            (await postgres.Get<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }
    }
}
