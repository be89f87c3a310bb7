using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Live;
using eSafe.Server.Seeding;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Npgsql;
using Refit;

namespace eSafe.Server.Tests.Live;

/// <summary>
/// The live stream with PostgreSQL: a change saved by one server process reaches console users connected to another
/// (NOTIFY on the database, one LISTEN connection per process), each user hearing only of schools they may see.
/// </summary>
public sealed class SharedLiveFeedTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(2);

    [Test]
    public async Task An_incident_posted_to_one_process_reaches_the_other_process_console_within_2_s_and_only_users_who_may_see_its_school()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            var first = Path.Combine(folder, "first");
            await using var a = await ServerProcess.StartAsync(["serve", "--data", first, "--urls", "http://127.0.0.1:0", "--demo"], database);
            var keys = ServerProcess.CopyKeys(Path.Combine(first, "keys"), Path.Combine(folder, "second-keys"));
            await using var b = await ServerProcess.StartAsync(
                ["serve", "--data", Path.Combine(folder, "second"), "--keys", keys, "--database", database, "--urls", "http://127.0.0.1:0"], null);
            var demo = DemoCredentials.Read(Path.Combine(first, DataFolder.DemoFileName))!;
            var added = await ServerProcess.RunAsync(
                ["school", "add", "--name", "Hillside Academy", "--data", Path.Combine(folder, "third"), "--keys", keys, "--database", database]);
            var otherSchoolCode = Line(added, "Enrolment code: ");

            var analystCookies = await SignInAsync(a, demo.AnalystUsername, demo.AnalystPassword);
            var contactCookies = await SignInAsync(a, demo.ContactUsername!, demo.ContactPassword!);
            await using var analyst = await LiveListener.StartAsync(a.BaseAddress, analystCookies);
            await using var contact = await LiveListener.StartAsync(a.BaseAddress, contactCookies);
            var ownDevice = await EnrolAsync(b, demo.EnrolmentCode);
            var otherDevice = await EnrolAsync(b, otherSchoolCode);

            var clock = Stopwatch.StartNew();
            var first1 = await PostAsync(b, ownDevice);
            var heard = await UntilAsync(analyst, first1);
            var latency = clock.Elapsed;
            heard.Should().BeEquivalentTo(new HeardChange(demo.SchoolId, ChangeKinds.Incident, first1, ["schoolId", "kind", "incidentId"]));
            (await UntilAsync(contact, first1)).SchoolId.Should().Be(demo.SchoolId);
            TestContext.Out.WriteLine($"from the POST to B to the event on A: {latency.TotalMilliseconds:F0} ms");

            var elsewhere = await PostAsync(b, otherDevice);
            (await UntilAsync(analyst, elsewhere)).SchoolId.Should().Be(otherDevice.SchoolId, "an analyst sees every school");
            var second = await PostAsync(b, ownDevice);
            // NOTIFYs arrive in commit order: everything the contact hears before the second incident came after the first.
            var contactHeard = new List<HeardChange>();
            while (await contact.NextChangeAsync(Soon) is { } change)
            {
                contactHeard.Add(change);
                if (change.IncidentId == second)
                {
                    break;
                }
            }

            contactHeard.Select(c => c.IncidentId).Should().Contain(second);
            contactHeard.Should().OnlyContain(c => c.SchoolId == demo.SchoolId, "a school contact hears only of their own school");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task After_its_connection_is_cut_the_listener_connects_again_tells_consoles_to_refresh_and_goes_on_hearing()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        await using var server = await ServerHarness.StartAsync(configure: o => o with { Database = database });
        server.Service<IChangeFeed>().Should().BeOfType<PostgresChangeFeed>();
        var cookies = new CookieContainer();
        await server.AnalystApi(cookies).LoginAsync(new LoginRequest(server.Demo!.AnalystUsername, server.Demo.AnalystPassword), CancellationToken.None);
        await using var analyst = await LiveListener.StartAsync(server.BaseAddress, cookies);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var cut = new NpgsqlCommand($"""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND query = 'LISTEN {PostgresChangeFeed.Channel}'
                """, connection);
            ((long)(await cut.ExecuteScalarAsync())!).Should().Be(1, "the process keeps one listening connection");
        }

        (await analyst.NextAsync(TimeSpan.FromSeconds(10), "resync")).Should().NotBeNull();
        server.Service<PostgresChangeListener>().Reconnections.Should().Be(1);
        var device = await server.EnrolAsync();
        var incident = TestIncidents.New(device);
        using var upload = server.HttpClient();
        upload.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var response = await upload.PostAsync("/api/v1/incidents", JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey),
            ContractsJson.Default.SealedIncident));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await UntilAsync(analyst, incident.Id)).Kind.Should().Be(ChangeKinds.Incident);
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    private static async Task<CookieContainer> SignInAsync(ServerProcess server, string username, string password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress };
        await RestService.For<IAnalystApi>(http, ContractsJson.RefitSettings()).LoginAsync(new LoginRequest(username, password), CancellationToken.None);
        return cookies;
    }

    private static async Task<EnrolmentResponse> EnrolAsync(ServerProcess server, string code)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await RestService.For<IDeviceApi>(http, ContractsJson.RefitSettings())
            .EnrolAsync(new EnrolmentRequest(code, "LAB-PC-07", "0.1.0"), CancellationToken.None);
    }

    private static async Task<string> PostAsync(ServerProcess server, EnrolmentResponse device)
    {
        var incident = TestIncidents.New(device);
        using var upload = new HttpClient { BaseAddress = server.BaseAddress };
        upload.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var response = await upload.PostAsync("/api/v1/incidents", JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey),
            ContractsJson.Default.SealedIncident));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return incident.Id;
    }

    // The change about this incident, within 2 s; changes the demo's own seeding made before are passed over.
    private static async Task<HeardChange> UntilAsync(LiveListener listener, string incidentId)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Soon && await listener.NextChangeAsync(Soon - deadline.Elapsed) is { } change)
        {
            if (change.IncidentId == incidentId)
            {
                return change;
            }
        }

        throw new AssertionException($"No change about incident {incidentId} was heard within {Soon.TotalSeconds} s.");
    }
}
