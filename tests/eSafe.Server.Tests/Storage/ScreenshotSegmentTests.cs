using System.Security.Cryptography;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Files;
using eSafe.Server.Tests.Support;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// The LiteDB server's screenshots in segment files (<see cref="ScreenshotSegments"/>): laid out per school and month, read
/// back byte for byte, zeroed and removed with their incidents, robust to a torn tail and to an interrupted move, moved out
/// of an older database, and re-encrypted by <c>keys re-encrypt</c>. Real files in a temporary data folder.
/// </summary>
[NonParallelizable]
public sealed class ScreenshotSegmentTests
{
    private const int MinutesAMonth = 31 * 24 * 60; // the contract tests' incidents start on 2 November 2026: +1 is December, +2 January
    private readonly DataFolders _folders = new();

    [TearDown]
    public void TearDown() => _folders.DeleteAll();

    /// <summary>Every store over a data folder that outlives them (the contract tests' <see cref="Stores"/> delete theirs).</summary>
    private static ServiceProvider Open(string directory) => new ServiceCollection().AddSingleton(TimeProvider.System)
        .AddSingleton(new ServerOptions()).AddStorage(DataFolder.Open(directory)).BuildServiceProvider();

    private static async Task CloseAsync(ServiceProvider services)
    {
        _ = services.GetRequiredService<DataFolder>(); // resolved, so that the container closes it
        await services.DisposeAsync();
    }

    private static (StoredIncident Incident, byte[] Screenshot) Make(string school, int minute, int screenshotBytes = 4096)
    {
        var (incident, _) = IncidentStoreContractTests.Make(school, minute);
        return (incident, TestIncidents.NewJpeg(screenshotBytes));
    }

    private static async Task AddAsync(IIncidentStore store, (StoredIncident Incident, byte[] Screenshot) made) =>
        (await store.AddAsync(made.Incident, made.Screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);

    private static BsonDocument Document(DataFolder folder, string id) => folder.Database.GetCollection("screenshots").FindById(id);

    private static ScreenshotLocation Location(BsonDocument d) => new(d["segment"].AsString, d["offset"].AsInt64, d["length"].AsInt32);

    private static byte[] Ciphertext(DataFolder folder, string id) => folder.ScreenshotFiles.Read(Location(Document(folder, id)), id)!;

    private static string Month(StoredIncident incident) => incident.Incident.SchoolId + "/" + RetentionPeriod.Of(incident.ReceivedAt);

    private static IReadOnlyList<string> LiveIds(ScreenshotSegments files, string segment, IEnumerable<string> known) =>
        [.. files.Scan(segment, known).Where(r => r.IncidentId is not null).Select(r => r.IncidentId!).Order(StringComparer.Ordinal)];

    [Test]
    public async Task Screenshots_of_many_schools_and_months_added_at_once_come_back_byte_for_byte_from_one_segment_per_school_and_month()
    {
        var directory = _folders.New();
        var services = Open(directory);
        var store = services.GetRequiredService<IIncidentStore>();
        var files = services.GetRequiredService<DataFolder>().ScreenshotFiles;
        var made = (from school in new[] { "sch-a", "sch-b", "sch-c" }
                    from month in Enumerable.Range(0, 3)
                    from n in Enumerable.Range(0, 8)
                    select Make(school, month * MinutesAMonth + n, n % 3 == 0 ? 100_000 : 3000 + n)).ToList();

        // Arrivals at the same moment: GroupCommit puts them in batches, each batch's screenshots in one write and one fsync a segment.
        await Task.WhenAll(made.Select(m => Task.Run(() => AddAsync(store, m))));

        foreach (var (incident, screenshot) in made)
        {
            (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot, incident.Id);
        }

        files.List().Should().BeEquivalentTo(made.Select(m => Month(m.Incident) + "/000001.seg").Distinct());
        foreach (var month in made.GroupBy(m => Month(m.Incident)))
        {
            LiveIds(files, month.Key + "/000001.seg", made.Select(m => m.Incident.Id)).Should().Equal(month.Select(m => m.Incident.Id).Order(StringComparer.Ordinal));
        }

        // A record names its incident by a hash: the files show no incident ID.
        foreach (var segment in files.List())
        {
            var bytes = File.ReadAllBytes(Path.Combine(files.Root, segment));
            foreach (var (incident, _) in made)
            {
                bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(incident.Id)).Should().Be(-1, segment);
            }
        }

        var folder = services.GetRequiredService<DataFolder>();
        folder.Database.GetCollection("screenshots").FindAll().Should().HaveCount(made.Count).And.OnlyContain(d => !d["blob"].IsBinary && d["segment"].IsString);
        if (!OperatingSystem.IsWindows())
        {
            var root = Path.Combine(directory, ScreenshotSegments.FolderName);
            foreach (var subfolder in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Append(root))
            {
                File.GetUnixFileMode(subfolder).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, subfolder);
            }

            Directory.GetFiles(root, "*", SearchOption.AllDirectories).Should().OnlyContain(f => SecureFiles.IsPrivate(f));
        }

        await CloseAsync(services);
    }

    [Test]
    public void A_segment_that_fills_up_in_the_middle_of_a_batch_is_continued_in_a_new_one_and_every_record_reads_back()
    {
        var directory = _folders.New();
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var batches = Enumerable.Range(0, 3).Select(b => Enumerable.Range(0, 10)
            .Select(n => new ScreenshotToFile($"inc-{b}-{n}", "sch-a", at, RandomNumberGenerator.GetBytes(30_000 + n))).ToList()).ToList();
        using (var files = new ScreenshotSegments(directory, maxSegmentBytes: 100_000))
        {
            var written = batches.Select(batch => (batch, locations: files.Append(batch))).ToList();

            foreach (var (batch, locations) in written)
            {
                foreach (var (screenshot, location) in batch.Zip(locations))
                {
                    files.Read(location, screenshot.IncidentId).Should().Equal(screenshot.Blob, screenshot.IncidentId);
                }
            }

            // Three records of 30 KB fit in 100 KB: 30 records, 10 segments, filled one after the other.
            var segments = files.List();
            segments.Should().HaveCount(10).And.Equal(Enumerable.Range(1, 10).Select(n => $"sch-a/2026-11/{n:D6}.seg"));
            segments.SelectMany(s => files.Scan(s, batches.SelectMany(b => b).Select(f => f.IncidentId)).Select(r => r.IncidentId))
                .Should().Equal(batches.SelectMany(b => b).Select(f => f.IncidentId));
        }
    }

    [Test]
    public async Task Deleting_an_incident_zeroes_its_screenshot_and_a_segment_nothing_references_goes_with_its_folders()
    {
        var directory = _folders.New();
        var services = Open(directory);
        var store = services.GetRequiredService<IIncidentStore>();
        var folder = services.GetRequiredService<DataFolder>();
        var files = folder.ScreenshotFiles;
        var first = Make("sch-a", 0);
        var second = Make("sch-a", 60);
        var december = Make("sch-a", MinutesAMonth);
        var other = Make("sch-b", 0);
        foreach (var made in new[] { first, second, december, other })
        {
            await AddAsync(store, made);
        }

        var segment = Month(first.Incident) + "/000001.seg";
        var firstCiphertext = Ciphertext(folder, first.Incident.Id);
        File.ReadAllBytes(Path.Combine(files.Root, segment)).AsSpan().IndexOf(firstCiphertext).Should().BeGreaterThan(0);

        (await store.DeleteReceivedBeforeAsync("sch-a", second.Incident.ReceivedAt, CancellationToken.None)).Should().Equal(first.Incident.Id);

        File.ReadAllBytes(Path.Combine(files.Root, segment)).AsSpan().IndexOf(firstCiphertext.AsSpan(firstCiphertext.Length / 2, 64))
            .Should().Be(-1, "the deleted screenshot's bytes are zeroed in its segment");
        files.Scan(segment, [first.Incident.Id, second.Incident.Id]).Select(r => r.IncidentId).Should().Equal(new string?[] { null, second.Incident.Id });
        (await store.GetScreenshotAsync(first.Incident.Id, CancellationToken.None)).Should().BeNull();
        (await store.GetScreenshotAsync(second.Incident.Id, CancellationToken.None)).Should().Equal(second.Screenshot);

        (await store.DeleteReceivedBeforeAsync("sch-a", december.Incident.ReceivedAt, CancellationToken.None)).Should().Equal(second.Incident.Id);
        Directory.Exists(Path.Combine(files.Root, Month(first.Incident))).Should().BeFalse("a month's folder goes with its last screenshot");
        files.List().Should().BeEquivalentTo(Month(december.Incident) + "/000001.seg", Month(other.Incident) + "/000001.seg");

        (await store.DeleteReceivedBeforeAsync("sch-a", DateTimeOffset.MaxValue, CancellationToken.None)).Should().Equal(december.Incident.Id);
        Directory.Exists(Path.Combine(files.Root, "sch-a")).Should().BeFalse("a school's folder goes with its last month");
        (await store.GetScreenshotAsync(other.Incident.Id, CancellationToken.None)).Should().Equal(other.Screenshot, "another school's are untouched");
        await CloseAsync(services);
    }

    [Test]
    public async Task A_torn_tail_and_a_record_nothing_references_left_by_a_crash_are_ignored_and_the_store_goes_on()
    {
        var directory = _folders.New();
        var services = Open(directory);
        var kept = Enumerable.Range(0, 3).Select(n => Make("sch-a", n)).ToList();
        foreach (var made in kept)
        {
            await AddAsync(services.GetRequiredService<IIncidentStore>(), made);
        }

        await CloseAsync(services);

        // A crash after a batch's screenshots were fsynced but before its commit leaves a whole record nothing points at; one during
        // the write, half a record.
        var segment = Month(kept[0].Incident) + "/000001.seg";
        var path = Path.Combine(directory, ScreenshotSegments.FolderName, segment);
        await using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(SegmentRecord.Make("inc-never-committed", RandomNumberGenerator.GetBytes(5000)));
            file.Write(SegmentRecord.Make("inc-torn", RandomNumberGenerator.GetBytes(5000)).AsSpan(0, 2600));
        }

        services = Open(directory);
        var store = services.GetRequiredService<IIncidentStore>();
        var files = services.GetRequiredService<DataFolder>().ScreenshotFiles;
        foreach (var (incident, screenshot) in kept)
        {
            (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }

        files.Scan(segment, [.. kept.Select(k => k.Incident.Id), "inc-never-committed", "inc-torn"]).Select(r => r.IncidentId)
            .Should().Equal([.. kept.Select(k => k.Incident.Id), "inc-never-committed"], "the torn tail is not a record");
        var after = Make("sch-a", 10);
        await AddAsync(store, after);
        (await store.GetScreenshotAsync(after.Incident.Id, CancellationToken.None)).Should().Equal(after.Screenshot);
        files.List().Should().Equal(new[] { segment, Month(after.Incident) + "/000002.seg" }, "a process never appends after a tail another run left");

        (await store.DeleteReceivedBeforeAsync("sch-a", DateTimeOffset.MaxValue, CancellationToken.None)).Should().HaveCount(4);
        files.List().Should().BeEmpty("the torn segment went too: nothing referenced it");
        Directory.Exists(Path.Combine(files.Root, "sch-a")).Should().BeFalse();
        await CloseAsync(services);
    }

    [Test]
    public async Task Screenshots_an_older_server_kept_in_the_database_move_into_the_files_at_start_even_after_an_interrupted_move()
    {
        var directory = _folders.New();
        var services = Open(directory);
        var made = new[] { Make("sch-a", 0), Make("sch-a", 1, 100_000), Make("sch-b", MinutesAMonth), Make("sch-b", MinutesAMonth + 1) };
        foreach (var m in made)
        {
            await AddAsync(services.GetRequiredService<IIncidentStore>(), m);
        }

        var ciphertexts = made.ToDictionary(m => m.Incident.Id, m => Ciphertext(services.GetRequiredService<DataFolder>(), m.Incident.Id));
        await CloseAsync(services);

        // The database as the server before the screenshot files wrote it: the ciphertext in the screenshots document. sch-a's
        // records are left in their segment (a move stopped after its write, before its commit); sch-b's folder never was.
        using (var db = DataFolderDatabase.Open(directory))
        {
            var screenshots = db.GetCollection("screenshots");
            foreach (var (id, ciphertext) in ciphertexts)
            {
                screenshots.Update(new BsonDocument { ["_id"] = id, ["blob"] = ciphertext });
            }
        }

        Directory.Delete(Path.Combine(directory, ScreenshotSegments.FolderName, "sch-b"), recursive: true);

        services = Open(directory);
        var store = services.GetRequiredService<IIncidentStore>();
        var folder = services.GetRequiredService<DataFolder>();
        foreach (var (incident, screenshot) in made)
        {
            (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }

        folder.Database.GetCollection("screenshots").FindAll().Should().OnlyContain(d => !d["blob"].IsBinary, "every screenshot moved into the files");
        folder.ScreenshotFiles.List().Should().BeEquivalentTo(
            Month(made[0].Incident) + "/000001.seg", Month(made[0].Incident) + "/000002.seg", Month(made[2].Incident) + "/000001.seg");
        LiveIds(folder.ScreenshotFiles, Month(made[0].Incident) + "/000002.seg", made.Select(m => m.Incident.Id)).Should().BeEquivalentTo(made[0].Incident.Id, made[1].Incident.Id);

        (await store.DeleteReceivedBeforeAsync("sch-a", DateTimeOffset.MaxValue, CancellationToken.None)).Should().HaveCount(2);
        Directory.Exists(Path.Combine(folder.ScreenshotFiles.Root, "sch-a")).Should().BeFalse("the stopped move's copies went with their month");
        await CloseAsync(services);
    }

    [Test]
    public async Task A_data_key_screenshot_from_an_older_database_is_re_encrypted_in_its_file_and_opens_once_the_old_key_is_removed()
    {
        var directory = _folders.New();
        var services = Open(directory);
        var made = new[] { Make("sch-a", 0), Make("sch-a", 1) };
        foreach (var m in made)
        {
            await AddAsync(services.GetRequiredService<IIncidentStore>(), m);
        }

        await CloseAsync(services);

        // Before month keys, screenshots were encrypted with the data key itself, inside the database.
        var old = made[0].Incident.Id;
        var cipher = AtRestCipher.Load(Path.Combine(directory, "keys"), mayCreate: false);
        using (var db = DataFolderDatabase.Open(directory))
        {
            db.GetCollection("screenshots").Update(new BsonDocument { ["_id"] = old, ["blob"] = cipher.Encrypt(made[0].Screenshot, BlobPurposes.Screenshot(old)) });
        }

        services = Open(directory);
        (await services.GetRequiredService<IIncidentStore>().GetScreenshotAsync(old, CancellationToken.None)).Should().Equal(made[0].Screenshot);
        var moved = Document(services.GetRequiredService<DataFolder>(), old);
        AtRestCipher.KeyOf(Ciphertext(services.GetRequiredService<DataFolder>(), old)).Should().Be(1, "moved into the files as it was");
        await CloseAsync(services);

        (await ServerCli.RunAsync("keys", "rotate", "--which", "data", "--data", directory)).ExitCode.Should().Be(0);
        var reEncrypted = await ServerCli.RunAsync("keys", "re-encrypt", "--data", directory);
        reEncrypted.ExitCode.Should().Be(0, reEncrypted.Error);
        reEncrypted.Output.Should().Contain("screenshots: 1");
        (await ServerCli.RunAsync("keys", "re-encrypt", "--data", directory)).Output.Should().Contain("screenshots: 0", "a second run has nothing left to move");
        File.Delete(Path.Combine(directory, "keys", AtRestCipher.KeyFileName));

        services = Open(directory);
        var store = services.GetRequiredService<IIncidentStore>();
        var folder = services.GetRequiredService<DataFolder>();
        foreach (var (incident, screenshot) in made)
        {
            (await store.GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(screenshot);
        }

        AtRestCipher.KeyOf(Ciphertext(folder, old)).Should().Be(2);
        folder.ScreenshotFiles.Read(Location(moved), old).Should().BeNull("the record made with the old key was zeroed");
        await CloseAsync(services);
    }
}
