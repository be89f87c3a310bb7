using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Live;
using eSafe.Server.Security;
using eSafe.Server.Seeding;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Live;

/// <summary>
/// Two real server processes on one PostgreSQL database behind Debian's nginx (round robin, no session affinity), used only
/// through the proxy as browsers and devices would: a console session from one process is good on the other, a device
/// enrolled through one uploads through both, a console's live stream on one hears incidents the other stored, and a
/// login lockout counts failures made on both.
/// </summary>
public sealed class BehindNginxTests
{
    private const string Trusted = "127.0.0.1";

    [Test]
    public async Task Two_server_processes_behind_nginx_share_sessions_devices_live_changes_and_login_lockouts()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            var first = Path.Combine(folder, "first");
            await using var a = await ServerProcess.StartAsync(
                ["serve", "--data", first, "--urls", "http://127.0.0.1:0", "--demo", "--trusted-proxy", Trusted], database);
            var keys = ServerProcess.CopyKeys(Path.Combine(first, "keys"), Path.Combine(folder, "second-keys"));
            await using var b = await ServerProcess.StartAsync(["serve", "--data", Path.Combine(folder, "second"), "--keys", keys, "--database", database,
                "--urls", "http://127.0.0.1:0", "--trusted-proxy", Trusted], null);
            await using var proxy = await Nginx.StartAsync([a.BaseAddress, b.BaseAddress]);
            var demo = DemoCredentials.Read(Path.Combine(first, DataFolder.DemoFileName))!;
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = proxy.BaseAddress };

            // Signed in through the proxy on one process; the cookie then works on both.
            string cookie;
            using (var login = await Http.LoginAsync(http, demo.AnalystUsername, demo.AnalystPassword))
            {
                login.StatusCode.Should().Be(HttpStatusCode.OK);
                login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("esafe_session=", StringComparison.Ordinal))
                    .Should().Contain("secure", "the servers believe the trusted proxy that the request came over https");
                login.Headers.Contains("Strict-Transport-Security").Should().BeTrue();
                cookie = Http.SessionCookie(login);
            }

            var answeredBy = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, i % 2 == 0 ? "/api/v1/auth/me" : "/api/v1/incidents");
                request.Headers.Add("Cookie", "esafe_session=" + cookie);
                using var response = await http.SendAsync(request);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                answeredBy.Add(Upstream(response));
            }

            answeredBy.Should().BeEquivalentTo([Upstream(a.BaseAddress), Upstream(b.BaseAddress)], "round robin sends requests to both processes");

            // The console's live stream, through the proxy, on one process; a device's uploads through the proxy land on both.
            var cookies = new CookieContainer();
            cookies.Add(new Cookie("esafe_session", cookie, "/", proxy.BaseAddress.Host));
            await using var live = await LiveListener.StartAsync(proxy.BaseAddress, cookies);
            var streamOn = live.Headers!.GetValues(Nginx.UpstreamHeader).Single();
            using var deviceHttp = new HttpClient { BaseAddress = proxy.BaseAddress };
            var device = await RestService.For<IDeviceApi>(deviceHttp, ContractsJson.RefitSettings())
                .EnrolAsync(new EnrolmentRequest(demo.EnrolmentCode, "LAB-PC-07", "0.1.0"), CancellationToken.None);
            var uploadedOn = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < 2; i++)
            {
                var incident = TestIncidents.New(device);
                using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
                {
                    Content = JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey), ContractsJson.Default.SealedIncident),
                };
                upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
                using var response = await deviceHttp.SendAsync(upload);
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                uploadedOn[incident.Id] = Upstream(response);
            }

            uploadedOn.Values.Should().Contain(v => v != streamOn, "one upload went to the process the stream is not on");
            var heard = new List<string>();
            var clock = Stopwatch.StartNew();
            while (heard.Count < uploadedOn.Count && await live.NextChangeAsync(TimeSpan.FromSeconds(2)) is { } change)
            {
                change.Kind.Should().Be(ChangeKinds.Incident);
                heard.Add(change.IncidentId!);
            }

            heard.Should().BeEquivalentTo(uploadedOn.Keys, "the stream hears incidents stored by either process");
            TestContext.Out.WriteLine($"both uploads heard through the proxy within {clock.Elapsed.TotalMilliseconds:F0} ms of the second upload");

            // Wrong passwords through the proxy land on both processes; the lockout counts them all.
            var failedOn = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < LoginThrottle.MaxFailures; i++)
            {
                using var failed = await Http.LoginAsync(http, demo.ContactUsername!, "not the password " + i);
                failed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
                failedOn.Add(Upstream(failed));
            }

            failedOn.Should().HaveCount(2);
            using var locked = await Http.LoginAsync(http, demo.ContactUsername!, demo.ContactPassword!);
            locked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the right password is refused while the account is locked from this address");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Upstream(HttpResponseMessage response) => response.Headers.GetValues(Nginx.UpstreamHeader).Single();

    private static string Upstream(Uri server) => $"{server.Host}:{server.Port}";
}
