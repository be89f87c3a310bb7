using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Seeding;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Ingest;

/// <summary>
/// A 200 for an incident means the device may delete its copy: the real server process is killed (SIGKILL, no shutdown)
/// the moment the last 200 arrives and started again on the same data, and every incident it answered is there. (A
/// power cut, which also loses what the OS had not written yet, cannot be made in a test; that part is the fsync of
/// <see cref="eSafe.Server.Storage.LiteDb.LiteLogFlush"/> and PostgreSQL's synchronous commit.)
/// </summary>
public sealed class DurableIngestTests
{
    [TestCase(false, TestName = "LiteDB")]
    [TestCase(true, TestName = "PostgreSQL")]
    public async Task Every_incident_answered_200_is_there_after_the_server_is_killed_and_started_again(bool postgres)
    {
        var database = postgres ? await (await PostgresCluster.SharedAsync()).NewDatabaseAsync() : null;
        var folder = ServerHarness.NewDataDirectory();
        string[] serve = ["serve", "--data", folder, "--urls", "http://127.0.0.1:0", "--demo"];
        try
        {
            List<Incident> acknowledged;
            await using (var server = await ServerProcess.StartAsync(serve, database))
            {
                var demo = DemoCredentials.Read(Path.Combine(folder, DataFolder.DemoFileName))!;
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                var device = await RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings())
                    .EnrolAsync(new EnrolmentRequest(demo.EnrolmentCode, "LAB-PC-11", "0.1.0"), CancellationToken.None);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
                // Many at once, so that several share one flush of the log.
                var incidents = Enumerable.Range(0, 24).Select(n => TestIncidents.New(device, context: $"i want to hurt myself tonight ({n})")).ToList();
                var answers = await Task.WhenAll(incidents.Select(async incident =>
                {
                    using var response = await http.PostAsync("/api/v1/incidents",
                        JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey), ContractsJson.Default.SealedIncident));
                    return response.StatusCode;
                }));
                await server.KillAsync();
                answers.Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.OK));
                acknowledged = incidents;
            }

            await using var again = await ServerProcess.StartAsync(serve, database);
            var credentials = DemoCredentials.Read(Path.Combine(folder, DataFolder.DemoFileName))!;
            using var console = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = again.BaseAddress };
            var analyst = RestService.For<IAnalystApi>(console, ContractsJson.RefitSettings());
            await analyst.LoginAsync(new LoginRequest(credentials.AnalystUsername, credentials.AnalystPassword), CancellationToken.None);
            foreach (var incident in acknowledged)
            {
                (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
