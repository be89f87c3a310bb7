using System.Net;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// <c>esafe-server migrate</c> end to end: a LiteDB server used for real, its data moved into PostgreSQL, and the server
/// started again on PostgreSQL with the same data folder: same sign-in, same incidents and screenshots, same device.
/// </summary>
public sealed class MigrateCommandTests
{
    private string _data = null!;

    [SetUp]
    public void SetUp() => _data = ServerHarness.NewDataDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    private static async Task UploadAsync(ServerHarness server, EnrolmentResponse device, Incident incident)
    {
        using var response = await server.UploadAsync(device, incident);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [TestCase(false, TestName = "A LiteDB server's data moves into PostgreSQL and the server goes on there")]
    [TestCase(true, TestName = "A LiteDB server's data moves into PostgreSQL with its screenshots into a shared folder, and the server goes on there")]
    public async Task A_LiteDB_servers_data_moves_into_PostgreSQL_and_the_server_goes_on_there(bool screenshotFiles)
    {
        var shots = screenshotFiles ? Path.Combine(_data, "shared-screenshots") : null;
        string[] filesOption = shots is null ? [] : ["--screenshots", shots];
        var incidents = new List<Incident>();
        EnrolmentResponse device;
        await using (var lite = await ServerHarness.StartAsync(_data))
        {
            device = await lite.EnrolAsync();
            for (var i = 0; i < 3; i++)
            {
                var incident = TestIncidents.New(device, DateTimeOffset.UtcNow.AddMinutes(-10 + i), context: $"message {i}: i want to hurt myself tonight");
                // One screenshot of 100 KB, as a host's usually is.
                incident = i == 2 ? incident with { Screenshot = TestIncidents.NewJpeg(100 * 1024) } : incident;
                await UploadAsync(lite, device, incident);
                incidents.Add(incident);
            }

            var analyst = await lite.SignedInAsync();
            (await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Should().HaveCount(3);
        }

        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var migrate = await ServerCli.RunAsync(["migrate", "--from", _data, "--to", database, .. filesOption]);

        migrate.ExitCode.Should().Be(0, migrate.Error + migrate.Output);
        migrate.Output.Should().Contain("incidents: 3 in LiteDB, 3 in PostgreSQL").And.Contain("screenshots: 3 in LiteDB, 3 in PostgreSQL")
            .And.Contain("devices: 1 in LiteDB, 1 in PostgreSQL").And.Contain("All ").And.NotContain("DIFFERENT").And.NotContain("MISMATCH");
        migrate.Output.Should().Contain($"incident {incidents[^1].Id} (text, URL, addresses, status): same");
        migrate.Output.Should().MatchRegex(@"audit lines: (\d+) in LiteDB, \1 in PostgreSQL");

        var again = await ServerCli.RunAsync(["migrate", "--from", _data, "--to", database, .. filesOption]);
        again.ExitCode.Should().Be(1);
        again.Error.Should().Contain("already holds eSafe data");

        if (shots is not null)
        {
            Directory.GetFiles(shots, "*.seg", SearchOption.AllDirectories).Should().ContainSingle("the three screenshots are one school's, one month's");
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var inRows = new Npgsql.NpgsqlCommand("SELECT count(*) FROM screenshots WHERE blob IS NOT NULL", connection);
            (await inRows.ExecuteScalarAsync()).Should().Be(0L, "the screenshots went to the folder, not the rows");
        }

        await using (var postgres = await ServerHarness.StartAsync(_data, configure: o => o with { Database = database, ScreenshotsDirectory = shots }))
        {
            var analyst = await postgres.SignedInAsync();
            var page = await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
            page.Items.Select(i => i.Id).Should().BeEquivalentTo(incidents.Select(i => i.Id));
            foreach (var incident in incidents)
            {
                var content = await analyst.GetScreenshotAsync(incident.Id, CancellationToken.None);
                (await content.ReadAsByteArrayAsync()).Should().Equal(incident.Screenshot);
            }

            (await analyst.GetIncidentAsync(incidents[1].Id, CancellationToken.None)).Context.Should().Be(incidents[1].Context);

            // The device enrolled on LiteDB goes on uploading to PostgreSQL with the token it has.
            var fourth = TestIncidents.New(device, context: "after the move: i want to hurt myself");
            await UploadAsync(postgres, device, fourth);
            (await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Select(i => i.Id).Should().Contain(fourth.Id).And.HaveCount(4);
        }

        var verify = await ServerCli.RunAsync(["audit", "verify", "--data", _data, "--database", database, .. filesOption]);
        verify.ExitCode.Should().Be(0, verify.Output + verify.Error);
        verify.Output.Should().StartWith("Audit log intact");
    }

    [Test]
    public async Task A_database_that_cannot_be_reached_is_a_clear_error_and_the_LiteDB_folder_is_left_as_it_was()
    {
        await using (var lite = await ServerHarness.StartAsync(_data))
        {
            await lite.EnrolAsync();
        }

        var before = File.ReadAllBytes(Path.Combine(_data, "esafe.db"));
        var migrate = await ServerCli.RunAsync("migrate", "--from", _data, "--to", "Host=127.0.0.1;Port=1;Database=none;Username=x;Password=y;Timeout=3");

        migrate.ExitCode.Should().Be(1);
        migrate.Error.Should().Contain("Cannot use the database PostgreSQL 127.0.0.1:1/none");
        File.ReadAllBytes(Path.Combine(_data, "esafe.db")).Should().Equal(before);
    }
}
