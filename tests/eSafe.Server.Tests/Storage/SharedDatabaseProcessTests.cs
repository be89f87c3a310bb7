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

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// Two real <c>esafe-server serve</c> processes on one PostgreSQL database (one given it by <c>ESAFE_DATABASE</c>, the other by
/// <c>--database</c>), each with its own data folder and copy of the keys, used alternately as a load balancer without
/// session affinity would: a device enrolled on one uploads to the other, an analyst signed in on one reads the queue on the other.
/// </summary>
public sealed class SharedDatabaseProcessTests
{
    private static async Task<EnrolmentResponse> EnrolAsync(ServerProcess server, DemoCredentials demo)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings())
            .EnrolAsync(new EnrolmentRequest(demo.EnrolmentCode, "LAB-PC-07", "0.1.0"), CancellationToken.None);
    }

    private static async Task UploadAsync(ServerProcess server, EnrolmentResponse device, Incident incident)
    {
        using var upload = new HttpClient { BaseAddress = server.BaseAddress };
        upload.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var response = await upload.PostAsync("/api/v1/incidents", JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey),
            ContractsJson.Default.SealedIncident));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The console's API on one process, with a cookie jar the calls on every process share (no session affinity).</summary>
    private static IAnalystApi Console(ServerProcess server, CookieContainer cookies) => RestService.For<IAnalystApi>(
        new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress }, ContractsJson.RefitSettings());

    [Test]
    public async Task Two_server_processes_on_one_database_serve_the_same_devices_and_analysts()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            var first = Path.Combine(folder, "first");
            await using var one = await ServerProcess.StartAsync(["serve", "--data", first, "--urls", "http://127.0.0.1:0", "--demo"], database);
            var keys = ServerProcess.CopyKeys(Path.Combine(first, "keys"), Path.Combine(folder, "second-keys"));

            await using var two = await ServerProcess.StartAsync(
                ["serve", "--data", Path.Combine(folder, "second"), "--keys", keys, "--database", database, "--urls", "http://127.0.0.1:0"], null);
            var demo = DemoCredentials.Read(Path.Combine(first, DataFolder.DemoFileName))!;

            var device = await EnrolAsync(one, demo);
            var incident = TestIncidents.New(device);
            await UploadAsync(two, device, incident);

            var cookies = new CookieContainer();
            await Console(two, cookies).LoginAsync(new LoginRequest(demo.AnalystUsername, demo.AnalystPassword), CancellationToken.None);
            var queue = await Console(one, cookies).ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
            queue.Items.Select(i => i.Id).Should().Contain(incident.Id);
            (await Console(two, cookies).GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Two_server_processes_share_one_folder_of_screenshots_and_a_third_without_it_refuses_to_start()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            var first = Path.Combine(folder, "first");
            var screenshots = Path.Combine(folder, "shared-screenshots");
            await using var one = await ServerProcess.StartAsync(
                ["serve", "--data", first, "--urls", "http://127.0.0.1:0", "--demo", "--screenshots", screenshots], database);
            var keys = ServerProcess.CopyKeys(Path.Combine(first, "keys"), Path.Combine(folder, "second-keys"));
            await using var two = await ServerProcess.StartAsync(["serve", "--data", Path.Combine(folder, "second"), "--keys", keys, "--database", database,
                "--screenshots", screenshots, "--urls", "http://127.0.0.1:0"], null);
            var demo = DemoCredentials.Read(Path.Combine(first, DataFolder.DemoFileName))!;

            var device = await EnrolAsync(one, demo);
            var incidents = new[] { TestIncidents.New(device), TestIncidents.New(device) };
            await UploadAsync(one, device, incidents[0]);
            await UploadAsync(two, device, incidents[1]);

            // Each screenshot is read through the process that did not store it.
            var cookies = new CookieContainer();
            await Console(one, cookies).LoginAsync(new LoginRequest(demo.AnalystUsername, demo.AnalystPassword), CancellationToken.None);
            foreach (var (incident, other) in incidents.Zip(new[] { two, one }))
            {
                using var screenshot = await Console(other, cookies).GetScreenshotAsync(incident.Id, CancellationToken.None);
                (await screenshot.ReadAsByteArrayAsync()).Should().Equal(incident.Screenshot);
            }

            Directory.GetFiles(screenshots, "*.seg", SearchOption.AllDirectories).Should().HaveCount(2, "each process appends to a segment of its own");

            var refused = async () => await ServerProcess.StartAsync(["serve", "--data", Path.Combine(folder, "third"), "--keys", keys, "--database", database,
                "--urls", "http://127.0.0.1:0"], null);
            (await refused.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*keeps its screenshots in a folder of files*--screenshots*");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
