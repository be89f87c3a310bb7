using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Retention;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Storage.Files;
using eSafe.Server.Tests.Support;
using eSafe.Server.Tests.Workflow;
using LiteDB;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>
/// Retention on a real server: incidents past their school's retention are deleted with their month's key, the audit
/// keeps that they were, and a copy of the database made before opens nothing of that month with the server's keys
/// once the data key that wrapped the month key has been rotated out.
/// </summary>
public sealed class RetentionTests
{
    private readonly DataFolders _folders = new();

    [TearDown]
    public void TearDown() => _folders.DeleteAll();

    private string NewFolder() => _folders.New();


    [TestCase("0")]
    [TestCase("121")]
    [TestCase("-3")]
    [TestCase("twelve")]
    public async Task A_retention_outside_1_to_120_months_is_refused_and_changes_nothing(string months)
    {
        var data = NewFolder();
        string school;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            school = (await server.EnrolAsync()).SchoolId;
        }

        var refused = await ServerCli.RunAsync("school", "retention", "--school", school, "--months", months, "--data", data);
        refused.ExitCode.Should().NotBe(0);
        refused.Error.Should().Contain("months");
        (await ServerCli.RunAsync("school", "retention", "--school", school, "--data", data)).Output.Should().Contain("16 months after the month received (default)");
    }

    [Test]
    public async Task The_console_shows_a_schools_retention_to_its_staff_and_only_a_senior_analyst_changes_it()
    {
        await using var server = await ServerHarness.StartAsync();
        var school = await WorkflowSchool.AddAsync(server, "Retention School");
        var other = await WorkflowSchool.AddAsync(server, "Other School");
        var senior = await school.SignInAsync(Roles.SeniorAnalyst);
        var analyst = await school.SignInAsync(Roles.Analyst);
        var contact = await school.SignInAsync(Roles.SchoolContact);

        (await contact.GetRetentionAsync(school.SchoolId, CancellationToken.None)).Should().Be(new RetentionView(school.SchoolId, 16, true, 16, 1, 120));
        var elsewhere = await FluentActions.Awaiting(() => contact.GetRetentionAsync(other.SchoolId, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        elsewhere.Which.StatusCode.Should().Be(HttpStatusCode.NotFound, "a school contact sees only their own school");
        var notSenior = await FluentActions.Awaiting(() => analyst.SetRetentionAsync(school.SchoolId, new RetentionRequest(24), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        notSenior.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        foreach (var bad in new[] { 0, 121, -1 })
        {
            var refused = await FluentActions.Awaiting(() => senior.SetRetentionAsync(school.SchoolId, new RetentionRequest(bad), CancellationToken.None))
                .Should().ThrowAsync<ApiException>();
            refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        (await senior.SetRetentionAsync(school.SchoolId, new RetentionRequest(24), CancellationToken.None)).Should()
            .Be(new RetentionView(school.SchoolId, 24, false, 16, 1, 120));
        (await contact.GetRetentionAsync(school.SchoolId, CancellationToken.None)).Months.Should().Be(24, "the refused changes changed nothing");
        (await senior.SetRetentionAsync(school.SchoolId, new RetentionRequest(null), CancellationToken.None)).IsDefault.Should().BeTrue();

        var changes = (await server.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None)).Where(e => e.Action == AuditActions.RetentionChanged).ToList();
        changes.Select(e => (e.Actor, e.SchoolId, e.Detail)).Should().Equal(
            (school.Username(Roles.SeniorAnalyst), school.SchoolId, "16 -> 24 months"),
            (school.Username(Roles.SeniorAnalyst), school.SchoolId, "24 -> 16 months (default)"));
        changes.Should().OnlyContain(e => e.RemoteAddress == "127.0.0.1");
    }

    [Test]
    public async Task Expired_incidents_go_with_their_month_key_the_audit_names_them_and_an_old_backup_opens_nothing_once_the_data_key_is_rotated()
    {
        var data = NewFolder();
        var backup = NewFolder();
        string school;
        List<eSafe.Incidents.Incident> expired = [];
        List<byte[]> screenshotCiphertexts;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            var device = await server.EnrolAsync();
            school = device.SchoolId;
            for (var i = 0; i < 3; i++)
            {
                var incident = TestIncidents.New(device);
                await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);
                expired.Add(incident);
            }

            screenshotCiphertexts = [.. expired.Select(i => ScreenshotCiphertext(server.Service<DataFolder>(), i.Id))];

            // An analyst files a sentence of the first as missed by the library: it quotes the pupil, so it goes with the incident.
            var filer = await server.SignedInAsync();
            await filer.FileMissedAsync(expired[0].Id, new MissedSentenceRequest("bullying", "they all wait for me after school"),
                CancellationToken.None);
        }

        var set = await ServerCli.RunAsync("school", "retention", "--school", school, "--months", "1", "--data", data);
        set.ExitCode.Should().Be(0, set.Error);
        set.Output.Should().Contain("Retention: 1 months");

        // The backup: the database file as it was, taken while every incident was live.
        File.Copy(Path.Combine(data, DataFolder.DatabaseFileName), Path.Combine(backup, DataFolder.DatabaseFileName));
        var period = RetentionPeriod.Of(DateTimeOffset.UtcNow);

        // Seventy days on (by configuration) a month of retention has passed whatever day of the month it is now.
        var later = new Dictionary<string, string?> { [OffsetClock.Setting] = "70d" };
        eSafe.Incidents.Incident kept;
        await using (var server = await ServerHarness.StartAsync(data, settings: later))
        {
            var now = server.Service<TimeProvider>().GetUtcNow();
            now.Should().BeAfter(DateTimeOffset.UtcNow.AddDays(69));
            var device = await server.EnrolAsync();
            kept = TestIncidents.New(device, now.AddMinutes(-1));
            await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(kept, device.ServerKey), device.DeviceToken, CancellationToken.None);

            // The timed sweep (a job planned at start, run by whichever process claims it) does the work; a second finds none left.
            var audit = server.Service<IAuditLog>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(await audit.ReadAsync(0, 1000, CancellationToken.None)).Any(e => e.Action == AuditActions.RetentionDeleted) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            (await server.Service<RetentionSweeper>().SweepAsync(CancellationToken.None)).Should().Be(new RetentionSweepResult(0, 0, 0, 0));
            (await server.Service<IMissedSentenceStore>().ListAsync(null, CancellationToken.None)).Should().BeEmpty("the missed sentence went with its incident");

            var analyst = await server.SignedInAsync();
            foreach (var incident in expired)
            {
                var gone = await FluentActions.Awaiting(() => analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>();
                gone.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
            }

            (await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Select(i => i.Id).Should().Equal(kept.Id);
            (await analyst.GetIncidentAsync(kept.Id, CancellationToken.None)).Context.Should().Be(kept.Context);

            var removal = (await server.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None))
                .Where(e => e.Action == AuditActions.RetentionDeleted).Should().ContainSingle().Which;
            removal.SchoolId.Should().Be(school);
            removal.Actor.Should().Be(RetentionSweeper.Actor);
            removal.At.Should().BeCloseTo(now, TimeSpan.FromMinutes(2), "the audit says when, on the server's (moved) clock");
            removal.Detail.Should().Contain("keys destroyed: " + period).And.ContainAll(expired.Select(i => i.Id));
            removal.Detail.Should().NotContain(expired[0].Context).And.NotContain("hurt", "the audit keeps that they were, not what they said");
            (await server.Service<IAuditLog>().ReadAsync(0, 1000, CancellationToken.None)).Should().Contain(e =>
                e.Action == AuditActions.RetentionChanged && e.SchoolId == school && e.Detail == "16 -> 1 months");

            // The live server has no key for that month any more: the backup's records do not open with what it holds.
            var keys = server.Service<PeriodKeys>();
            var (clear, contents) = BackupIncident(backup, data, expired[0].Id);
            using (var copy = OpenBackup(backup, data))
            {
                PeriodKeys.IsPeriodBlob(copy.GetCollection("missed").FindAll().Should().ContainSingle().Which["blob"].AsBinary).Should()
                    .BeTrue("the backup's missed sentence is under the destroyed month key too");
            }

            await FluentActions.Awaiting(() => keys.DecryptAsync(school, Received(clear), contents, Purpose(clear), CancellationToken.None))
                .Should().ThrowAsync<CryptographicException>().WithMessage("*destroyed*");
        }

        // The screenshots' bytes went with them, not only their key: nothing in the data folder holds any part of them.
        Directory.Exists(Path.Combine(data, ScreenshotSegments.FolderName, school, period)).Should().BeFalse("the month's segments went with its incidents");
        foreach (var ciphertext in screenshotCiphertexts)
        {
            FilesHolding(data, ciphertext.AsSpan(ciphertext.Length / 2, 64).ToArray()).Should().BeEmpty();
        }

        // The backup still holds its own copy of the month key, wrapped with data key 1: that is what rotating the data key retires.
        var wrapped = BackupWrappedKey(backup, data, school, period);
        AtRestCipher.KeyOf(wrapped).Should().Be(1);
        (await ServerCli.RunAsync("keys", "rotate", "--which", "data", "--data", data)).ExitCode.Should().Be(0);
        var reEncrypt = await ServerCli.RunAsync("keys", "re-encrypt", "--data", data);
        reEncrypt.ExitCode.Should().Be(0, reEncrypt.Error);
        reEncrypt.Output.Should().Contain("period keys: 1", "the live month key is re-wrapped; the destroyed one has nothing to wrap");
        File.Delete(Path.Combine(data, "keys", AtRestCipher.KeyFileName));

        var remaining = AtRestCipher.Load(Path.Combine(data, "keys"), mayCreate: false);
        FluentActions.Invoking(() => remaining.Decrypt(wrapped, PeriodKeys.WrapPurpose(school, period)))
            .Should().Throw<CryptographicException>("the key that wrapped the backup's copy is gone");
        var (oldClear, oldContents) = BackupIncident(backup, data, expired[1].Id);
        foreach (var candidate in await LiveMonthKeysAsync(data, remaining))
        {
            FluentActions.Invoking(() => PeriodKeys.Open(candidate, school, period, oldContents, Purpose(oldClear)))
                .Should().Throw<CryptographicException>("no key the server still holds opens the backup's record");
        }

        await using (var server = await ServerHarness.StartAsync(data, settings: later))
        {
            var analyst = await server.SignedInAsync();
            (await analyst.GetIncidentAsync(kept.Id, CancellationToken.None)).Context.Should().Be(kept.Context, "what is kept outlives the rotation");
        }
    }

    // The ciphertext of an incident's screenshot where the server keeps it, in the screenshot files.
    private static byte[] ScreenshotCiphertext(DataFolder folder, string id)
    {
        var location = folder.Database.GetCollection("screenshots").FindById(id);
        return folder.ScreenshotFiles.Read(new ScreenshotLocation(location["segment"].AsString, location["offset"].AsInt64, location["length"].AsInt32), id)!;
    }

    private static List<string> FilesHolding(string folder, byte[] bytes) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(bytes) >= 0)];

    private static DateTimeOffset Received(BsonDocument clear) => DateTimeOffset.FromUnixTimeMilliseconds(clear["receivedAt"].AsInt64);

    private static string Purpose(BsonDocument d) => BlobPurposes.IncidentContents(d["_id"].AsString, d["schoolId"].AsString, d["deviceId"].AsString,
        d["category"].AsString, d["severity"].AsInt32, d["occurredAt"].AsInt64, d["receivedAt"].AsInt64);

    // The backup opens with the database password, as whoever holds both could open it.
    private static LiteDatabase OpenBackup(string backup, string data) => new(new ConnectionString
    {
        Filename = Path.Combine(backup, DataFolder.DatabaseFileName),
        Connection = ConnectionType.Direct,
        Password = File.ReadAllText(Path.Combine(data, "keys", DatabasePassword.FileName)).Trim(),
        Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
    });

    private static (BsonDocument Clear, byte[] Contents) BackupIncident(string backup, string data, string id)
    {
        using var db = OpenBackup(backup, data);
        var clear = db.GetCollection("incidents").FindById(id);
        (clear is not null).Should().BeTrue("the backup holds the incident");
        return (clear!, db.GetCollection("incident_contents").FindById(id)["blob"].AsBinary);
    }

    private static byte[] BackupWrappedKey(string backup, string data, string school, string period)
    {
        using var db = OpenBackup(backup, data);
        return db.GetCollection("period_keys").FindById(school + "/" + period)["wrapped"].AsBinary;
    }

    // Every month key the live database still holds, unwrapped with the keys left on file.
    private static Task<List<byte[]>> LiveMonthKeysAsync(string data, AtRestCipher cipher)
    {
        using var db = DataFolderDatabase.Open(data);
        var keys = db.GetCollection("period_keys").FindAll().Where(d => d["wrapped"].IsBinary)
            .Select(d => cipher.Decrypt(d["wrapped"].AsBinary, PeriodKeys.WrapPurpose(d["schoolId"].AsString, d["period"].AsString))).ToList();
        keys.Should().NotBeEmpty();
        return Task.FromResult(keys);
    }
}
