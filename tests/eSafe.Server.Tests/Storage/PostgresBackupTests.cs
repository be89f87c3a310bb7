using System.Net;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// A PostgreSQL server's backup as docs/SCALING.md has operators take it (<c>pg_dump</c>), restored into a new database with
/// <c>pg_restore</c>: the server goes on there with the keys folder kept beside it (incidents, screenshots, the device's
/// token, an audit log that verifies), and with any other keys folder it refuses to start: the backup alone opens nothing.
/// With the screenshots in a folder (<c>--screenshots</c>), the folder is copied after the dump, as the documentation says, and
/// the restored database is given the copy.
/// </summary>
public sealed class PostgresBackupTests
{
    private readonly DataFolders _folders = new();

    [TearDown]
    public void TearDown() => _folders.DeleteAll();

    [TestCase(false, TestName = "A restored pg_dump serves the same incidents with its keys folder and nothing without it")]
    [TestCase(true, TestName = "A restored pg_dump and a copy of the folder of screenshots taken after it serve the same incidents")]
    public async Task A_restored_pg_dump_serves_the_same_incidents_with_its_keys_folder_and_nothing_without_it(bool screenshotFiles)
    {
        var cluster = await PostgresCluster.SharedAsync();
        var database = await cluster.NewDatabaseAsync();
        var data = _folders.New();
        var shots = screenshotFiles ? Path.Combine(_folders.New(), "screenshots") : null;
        var shotsCopy = screenshotFiles ? Path.Combine(_folders.New(), "screenshots") : null;
        string[] filesOption = shotsCopy is null ? [] : ["--screenshots", shotsCopy];
        var incidents = new List<Incident>();
        EnrolmentResponse device;
        await using (var server = await ServerHarness.StartAsync(data, configure: o => o with { Database = database, ScreenshotsDirectory = shots }))
        {
            device = await server.EnrolAsync();
            for (var i = 0; i < 2; i++)
            {
                var incident = TestIncidents.New(device, DateTimeOffset.UtcNow.AddMinutes(-5 + i), context: $"note {i}: they said they would hurt me");
                using var response = await server.UploadAsync(device, incident);
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                incidents.Add(incident);
            }
        }

        var dump = await cluster.DumpAsync(database);
        if (shots is not null)
        {
            CopyFolder(shots, shotsCopy!);
        }

        var restored = await cluster.RestoreAsync(dump);

        await using (var server = await ServerHarness.StartAsync(data, configure: o => o with { Database = restored, ScreenshotsDirectory = shotsCopy }))
        {
            var analyst = await server.SignedInAsync();
            (await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Select(i => i.Id)
                .Should().BeEquivalentTo(incidents.Select(i => i.Id));
            (await analyst.GetIncidentAsync(incidents[1].Id, CancellationToken.None)).Context.Should().Be(incidents[1].Context);
            var screenshot = await analyst.GetScreenshotAsync(incidents[0].Id, CancellationToken.None);
            (await screenshot.ReadAsByteArrayAsync()).Should().Equal(incidents[0].Screenshot);

            var after = TestIncidents.New(device, context: "after the restore: they said they would hurt me");
            using var response = await server.UploadAsync(device, after);
            response.StatusCode.Should().Be(HttpStatusCode.OK, "the device's token is in the backup too");
        }

        var verify = await ServerCli.RunAsync(["audit", "verify", "--data", data, "--database", restored, .. filesOption]);
        verify.ExitCode.Should().Be(0, verify.Output + verify.Error);
        verify.Output.Should().StartWith("Audit log intact");

        var empty = await ServerCli.RunAsync(["audit", "verify", "--data", _folders.New(), "--database", restored, .. filesOption]);
        empty.ExitCode.Should().NotBe(0, "the backup without its keys folder opens nothing");
        empty.Error.Should().Contain("There is no data key (keys/data.key) but the database exists");

        var elsewhere = _folders.New();
        await using (await ServerHarness.StartAsync(elsewhere))
        {
            // A server of its own on LiteDB: its keys folder has keys, not the backup's.
        }

        var stranger = await ServerCli.RunAsync(["audit", "verify", "--data", elsewhere, "--database", restored, .. filesOption]);
        stranger.ExitCode.Should().NotBe(0, "another server's keys do not open the backup");
        stranger.Error.Should().Contain("keys/data.key is not the key the database");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
