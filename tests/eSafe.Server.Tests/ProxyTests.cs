using System.Net;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>
/// Behind a TLS-terminating reverse proxy: the proxy's X-Forwarded-* headers are believed only when the request
/// comes from an address given with --trusted-proxy. The tests' requests come from 127.0.0.1 with those headers.
/// </summary>
public sealed class ProxyTests
{
    private const string Pupil = "203.0.113.9";
    private const string ConsoleHost = "console.school.example";

    private static void Forwarded(HttpRequestMessage request)
    {
        request.Headers.Add("X-Forwarded-For", Pupil);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", ConsoleHost);
        request.Headers.Add("Origin", "https://" + ConsoleHost);
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.0/8")]
    [TestCase("::1")]
    public async Task From_a_trusted_proxy_the_pupil_address_https_and_host_are_believed(string trusted)
    {
        await using var server = await ServerHarness.StartAsync(configure: o => o with { TrustedProxies = ["10.20.30.40", trusted] });
        using var http = server.HttpClient();
        var before = (await server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None)).Count;

        using var login = await Http.LoginAsync(http, server.Demo!.AnalystUsername, server.Demo.AnalystPassword, Forwarded);

        if (trusted == "::1")
        {
            // The test connects over IPv4, so a proxy on ::1 is not this one: nothing forwarded is believed.
            login.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the Origin is not this server's own");
            return;
        }

        login.StatusCode.Should().Be(HttpStatusCode.OK, "the Origin check sees the console's https origin");
        login.Headers.GetValues("Set-Cookie").Single().Should().Contain("secure");
        login.Headers.GetValues("Strict-Transport-Security").Should().ContainSingle();
        var audit = await server.Service<IAuditLog>().ReadAsync(before, 100, CancellationToken.None);
        audit.Should().Contain(e => e.Action == AuditActions.LoginSucceeded && e.RemoteAddress == Pupil);

        // A device behind the same proxy: its enrolment and incidents record the pupil's address, not the proxy's.
        using var enrol = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/enrol")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new EnrolmentRequest(server.Demo.EnrolmentCode, "LAB-PC-01", "0.1.0"),
                ContractsJson.Default.EnrolmentRequest),
        };
        enrol.Headers.Add("X-Forwarded-For", Pupil);
        using var enrolled = await http.SendAsync(enrol);
        enrolled.StatusCode.Should().Be(HttpStatusCode.OK);
        var device = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(enrolled.Content, ContractsJson.Default.EnrolmentResponse))!;
        (await server.Service<IDeviceStore>().GetAsync(device.DeviceId, CancellationToken.None))!.EnrolledFrom.Should().Be(Pupil);

        var incident = TestIncidents.New(device);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = System.Net.Http.Json.JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey), ContractsJson.Default.SealedIncident),
        };
        upload.Headers.Add("X-Forwarded-For", "192.0.2.1, " + Pupil);
        upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", device.DeviceToken);
        (await http.SendAsync(upload)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Service<IIncidentStore>().GetAsync(incident.Id, CancellationToken.None))!.ServerSeenAddress.Should()
            .Be(Pupil, "only the hop the trusted proxy added is believed, not what the client wrote before it");
    }

    [TestCase("")]
    [TestCase("10.20.30.40 192.168.0.0/16")]
    public async Task From_an_untrusted_address_the_forwarded_headers_are_ignored(string trusted)
    {
        await using var server = await ServerHarness.StartAsync(configure: o => o with
        {
            TrustedProxies = trusted.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        });
        using var http = server.HttpClient();

        using (var crossSite = await Http.LoginAsync(http, server.Demo!.AnalystUsername, server.Demo.AnalystPassword, Forwarded))
        {
            crossSite.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the forwarded host is not believed, so the Origin is another site");
        }

        var before = (await server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None)).Count;
        using var login = await Http.LoginAsync(http, server.Demo.AnalystUsername, server.Demo.AnalystPassword, request =>
        {
            request.Headers.Add("X-Forwarded-For", Pupil);
            request.Headers.Add("X-Forwarded-Proto", "https");
        });
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        login.Headers.GetValues("Set-Cookie").Single().Should().NotContain("secure");
        var audit = await server.Service<IAuditLog>().ReadAsync(before, 100, CancellationToken.None);
        audit.Should().Contain(e => e.Action == AuditActions.LoginSucceeded && e.RemoteAddress == "127.0.0.1");
    }

    [TestCase("10.0.0.300")]
    [TestCase("10.0.0.0/40")]
    [TestCase("proxy.example")]
    public void A_bad_trusted_proxy_is_refused_at_start(string given)
    {
        var data = ServerHarness.NewDataDirectory();
        try
        {
            FluentActions.Invoking(() => ServerApp.Build(new ServerOptions { DataDirectory = data, TrustedProxies = [given] }))
                .Should().Throw<Security.ServerSetupException>().WithMessage($"*{given}*");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
