using System.Security.Cryptography;
using System.Text;
using eSafe.Server.Cli;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using LiteDB;

namespace eSafe.Server.Tests;

/// <summary>Keys rotated, records re-encrypted, keys kept apart from the data, the database file itself encrypted (issue 9).</summary>
[NonParallelizable]
public sealed class KeysTests
{
    private readonly DataFolders _folders = new();

    [TearDown]
    public void TearDown() => _folders.DeleteAll();

    private string NewFolder() => _folders.New();

    // Incidents are encrypted with their school's month key: the data key a record depends on is the one that wraps that key.
    private static Dictionary<string, int> BlobKeys(ServerHarness server)
    {
        var db = server.Service<DataFolder>().Database;
        var keys = db.GetCollection("period_keys").FindAll().ToDictionary(d => d["_id"].AsString, d => AtRestCipher.KeyOf(d["wrapped"].AsBinary));
        return db.GetCollection("incidents").FindAll().ToDictionary(d => d["_id"].AsString,
            d => keys[d["schoolId"].AsString + "/" + RetentionPeriod.Of(DateTimeOffset.FromUnixTimeMilliseconds(d["receivedAt"].AsInt64))]);
    }

    [Test]
    public async Task The_data_key_rotates_old_records_stay_readable_and_re_encrypt_lets_the_old_key_go()
    {
        var data = NewFolder();
        eSafe.Incidents.Incident old, fresh;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            var device = await server.EnrolAsync();
            old = TestIncidents.New(device);
            await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(old, device.ServerKey), device.DeviceToken, CancellationToken.None);
            await server.SignedInAsync(); // a console session, its ticket under data key 1
        }

        var rotated = await ServerCli.RunAsync("keys", "rotate", "--which", "data", "--data", data);
        rotated.ExitCode.Should().Be(0, rotated.Error);
        rotated.Output.Should().Contain("New data key: 2");
        File.Exists(Path.Combine(data, "keys", "data-k2.key")).Should().BeTrue();
        SecureFiles.IsPrivate(Path.Combine(data, "keys", "data-k2.key")).Should().BeTrue();

        await using (var server = await ServerHarness.StartAsync(data))
        {
            var device = await server.EnrolAsync();
            fresh = TestIncidents.New(device);
            await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(fresh, device.ServerKey), device.DeviceToken, CancellationToken.None);
            BlobKeys(server).Should().Contain(old.Id, 1).And.Contain(fresh.Id, 1, "the month's key was made, and wrapped, before the rotation");
            var analyst = await server.SignedInAsync();
            (await analyst.GetIncidentAsync(old.Id, CancellationToken.None)).Context.Should().Be(old.Context, "records made with the old key stay readable");
            (await analyst.GetIncidentAsync(fresh.Id, CancellationToken.None)).Context.Should().Be(fresh.Context);
        }

        var moved = await ServerCli.RunAsync("keys", "re-encrypt", "--data", data);
        moved.ExitCode.Should().Be(0, moved.Error);
        moved.Output.Should().Contain("period keys: 1").And.Contain("incident contents: 0", "the records stay under their month key")
            .And.Contain("sessions: 1", "the session signed in before the rotation").And.Contain("now encrypted with data key 2");
        (await ServerCli.RunAsync("keys", "re-encrypt", "--data", data)).Output.Should().Contain("period keys: 0", "a second run has nothing left to move");

        // The old key can go: everything, the console's cookie keys included, opens with key 2 alone.
        File.Delete(Path.Combine(data, "keys", "data.key"));
        await using (var server = await ServerHarness.StartAsync(data))
        {
            BlobKeys(server).Values.Should().OnlyContain(k => k == 2);
            server.Service<DataFolder>().Database.GetCollection("sessions").FindAll().Select(d => AtRestCipher.KeyOf(d["ticket"].AsBinary))
                .Should().NotBeEmpty().And.OnlyContain(k => k == 2, "no one is signed out by the old key going");
            var analyst = await server.SignedInAsync();
            (await analyst.GetIncidentAsync(old.Id, CancellationToken.None)).Context.Should().Be(old.Context);
            (await server.Service<IIncidentStore>().GetScreenshotAsync(old.Id, CancellationToken.None)).Should().Equal(old.Screenshot);
        }
    }

    [Test]
    public async Task A_rotated_sealing_key_reaches_devices_at_enrolment_and_library_check_and_the_old_one_still_opens()
    {
        var data = NewFolder();
        eSafe.Contracts.Http.EnrolmentResponse before;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            before = await server.EnrolAsync();
        }

        (await ServerCli.RunAsync("keys", "rotate", "--which", "sealing", "--data", data)).Output.Should().Contain("New sealing key: k2");

        await using (var server = await ServerHarness.StartAsync(data))
        {
            var after = await server.EnrolAsync();
            after.ServerKey.KeyId.Should().Be("k2");
            after.ServerKey.PublicKey.Should().NotEqual(before.ServerKey.PublicKey);
            var versions = await server.DeviceApi().GetLibraryVersionsAsync(before.DeviceToken, CancellationToken.None);
            versions.ServerKey!.KeyId.Should().Be("k2", "a device enrolled before the rotation learns the new key at its next check");
            versions.ServerKey.PublicKey.Should().Equal(after.ServerKey.PublicKey);

            var api = server.DeviceApi();
            (await api.UploadIncidentAsync(TestIncidents.Seal(TestIncidents.New(before), before.ServerKey), before.DeviceToken, CancellationToken.None))
                .Duplicate.Should().BeFalse("an incident sealed to k1 before the device heard of k2 still opens");
            (await api.UploadIncidentAsync(TestIncidents.Seal(TestIncidents.New(before), versions.ServerKey), before.DeviceToken, CancellationToken.None))
                .Duplicate.Should().BeFalse();
        }
    }

    [Test]
    public async Task With_the_keys_kept_apart_a_copy_of_the_data_folder_alone_opens_nothing()
    {
        var data = NewFolder();
        var keys = NewFolder();
        const string secret = "orange-kestrel-lantern-5521";
        await using (var server = await ServerHarness.StartAsync(data, keysDirectory: keys))
        {
            var device = await server.EnrolAsync(machineName: "PC-" + secret);
            var incident = TestIncidents.New(device, context: "they said " + secret);
            await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);
        }

        Directory.Exists(Path.Combine(data, "keys")).Should().BeFalse("the keys are elsewhere");
        File.Exists(Path.Combine(keys, AtRestCipher.KeyFileName)).Should().BeTrue();
        File.Exists(Path.Combine(keys, DatabasePassword.FileName)).Should().BeTrue();

        var copy = NewFolder();
        foreach (var file in Directory.GetFiles(data).Where(f => !f.EndsWith(DataFolder.LockFileName, StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        // The server refuses it clearly, and so do the admin commands; it never makes new keys for it.
        FluentActions.Invoking(() => DataFolder.Open(copy)).Should().Throw<ServerSetupException>().WithMessage("*restore the keys folder*");
        var list = await ServerCli.RunAsync("school", "list", "--data", copy);
        list.ExitCode.Should().Be(1);
        list.Error.Should().Contain("restore the keys folder");
        File.Exists(Path.Combine(copy, "keys", AtRestCipher.KeyFileName)).Should().BeFalse();

        // LiteDB itself cannot read the file without the password, and nothing in it is readable.
        FluentActions.Invoking(() =>
        {
            using var plain = new LiteDatabase(new ConnectionString { Filename = Path.Combine(copy, "esafe.db"), Connection = ConnectionType.Direct, ReadOnly = true });
            _ = plain.GetCollectionNames().ToList();
        }).Should().Throw<Exception>();
        foreach (var file in Directory.GetFiles(copy))
        {
            File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).Should().Be(-1);
        }

        // With its keys folder (the option, or the environment variable) it opens.
        (await ServerCli.RunAsync("school", "list", "--data", copy, "--keys", keys)).ExitCode.Should().Be(0);
        Environment.SetEnvironmentVariable(ServerCommands.KeysEnvironmentVariable, keys);
        try
        {
            var fromEnvironment = await ServerCli.RunAsync("school", "list", "--data", copy);
            fromEnvironment.ExitCode.Should().Be(0, fromEnvironment.Error);
            fromEnvironment.Output.Should().Contain("Demo School");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ServerCommands.KeysEnvironmentVariable, null);
        }
    }

    [Test]
    public async Task A_database_from_before_it_had_a_password_is_given_one_on_first_start_without_loss()
    {
        var data = NewFolder();
        eSafe.Incidents.Incident incident;
        await using (var server = await ServerHarness.StartAsync(data))
        {
            var device = await server.EnrolAsync();
            incident = TestIncidents.New(device);
            await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);
        }

        // Make it as an earlier server left it: the same database without a password, and no password file.
        var path = Path.Combine(data, "esafe.db");
        var passwordFile = Path.Combine(data, "keys", DatabasePassword.FileName);
        var plainPath = Path.Combine(data, "plain.db");
        var collation = new Collation(System.Globalization.CultureInfo.InvariantCulture.LCID, System.Globalization.CompareOptions.Ordinal);
        using (var encrypted = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, Password = File.ReadAllText(passwordFile).Trim(), Collation = collation }))
        using (var plain = new LiteDatabase(new ConnectionString { Filename = plainPath, Connection = ConnectionType.Direct, Collation = collation }))
        {
            foreach (var name in encrypted.GetCollectionNames())
            {
                plain.GetCollection(name).InsertBulk(encrypted.GetCollection(name).FindAll());
            }
        }

        File.Move(plainPath, path, overwrite: true);
        foreach (var leftover in Directory.GetFiles(data, "*-log.db"))
        {
            File.Delete(leftover);
        }

        File.Delete(passwordFile);
        DatabasePassword.IsUnencrypted(path).Should().BeTrue();
        File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.UTF8.GetBytes(incident.Id)).Should().BeGreaterThan(-1, "in the clear before");

        await using (var server = await ServerHarness.StartAsync(data))
        {
            var analyst = await server.SignedInAsync();
            (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
            (await server.Service<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
        }

        DatabasePassword.IsUnencrypted(path).Should().BeFalse();
        File.Exists(passwordFile).Should().BeTrue();
        Directory.GetFiles(data).Should().NotContain(f => Path.GetFileName(f).Contains("backup", StringComparison.Ordinal), "no clear copy is left behind");
        foreach (var file in Directory.GetFiles(data, "esafe*.db"))
        {
            File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(incident.Id)).Should().Be(-1, Path.GetFileName(file));
        }
    }

    [Test]
    public async Task A_wrong_database_password_is_refused_clearly()
    {
        var data = NewFolder();
        await using (await ServerHarness.StartAsync(data))
        {
        }

        File.WriteAllText(Path.Combine(data, "keys", DatabasePassword.FileName), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var refused = await ServerCli.RunAsync("school", "list", "--data", data);
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("does not open with the password in the keys folder");
    }
}
