using System.CommandLine;
using eSafe.Server.Cli;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary><c>keys re-encrypt</c> on PostgreSQL: after it the old data key can go, and every record, month key and cookie key still opens.</summary>
public sealed class PostgresReEncryptionTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ServerCommands.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task The_data_key_rotates_re_encrypt_moves_every_row_and_the_old_key_can_go()
    {
        var database = await StoreKind.Postgres.NewDatabaseAsync();
        var data = ServerHarness.NewDataDirectory();
        try
        {
            eSafe.Incidents.Incident incident;
            await using (var server = await ServerHarness.StartAsync(data, configure: o => o with { Database = database }))
            {
                var device = await server.EnrolAsync();
                incident = TestIncidents.New(device);
                await server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);
                await server.SignedInAsync(); // makes the console's cookie keys
            }

            (await RunAsync("keys", "rotate", "--which", "data", "--data", data, "--database", database!)).ExitCode.Should().Be(0);
            var moved = await RunAsync("keys", "re-encrypt", "--data", data, "--database", database!);
            moved.ExitCode.Should().Be(0, moved.Error);
            moved.Output.Should().Contain("period keys: 1").And.Contain("devices: 1").And.Contain("key check: 1").And.Contain("incident contents: 0")
                .And.MatchRegex(@"cookie keys: [1-9]").And.Contain("now encrypted with data key 2");
            (await RunAsync("keys", "re-encrypt", "--data", data, "--database", database!)).Output.Should()
                .Contain("period keys: 0").And.Contain("devices: 0").And.Contain("cookie keys: 0", "a second run has nothing left to move");

            File.Delete(Path.Combine(data, "keys", AtRestCipher.KeyFileName));
            await using (var server = await ServerHarness.StartAsync(data, configure: o => o with { Database = database }))
            {
                var analyst = await server.SignedInAsync();
                (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
                (await server.Service<IIncidentStore>().GetScreenshotAsync(incident.Id, CancellationToken.None)).Should().Equal(incident.Screenshot);
                (await analyst.ListDevicesAsync((await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).SchoolId, CancellationToken.None))
                    .Should().ContainSingle().Which.MachineName.Should().Be("LAB-PC-07", "device records opened with the new key");
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
