using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Live;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using eSafe.Server.Tests.Workflow;

namespace eSafe.Server.Tests.Live;

/// <summary>The live stream with the embedded store: one process, the in-process feed.</summary>
public sealed class LiveFeedTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Without_a_session_the_stream_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        using var http = server.HttpClient();
        using var response = await http.GetAsync("/api/v1/live");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Console_users_hear_of_an_incident_its_decision_and_its_alert_with_no_content()
    {
        await using var server = await ServerHarness.StartAsync();
        server.Service<IChangeFeed>().Should().BeOfType<InProcessChangeFeed>();
        var analystCookies = new CookieContainer();
        await server.AnalystApi(analystCookies).LoginAsync(new LoginRequest(server.Demo!.AnalystUsername, server.Demo.AnalystPassword), CancellationToken.None);
        var contactCookies = new CookieContainer();
        await server.AnalystApi(contactCookies).LoginAsync(new LoginRequest(server.Demo.ContactUsername!, server.Demo.ContactPassword!), CancellationToken.None);
        await using var analyst = await LiveListener.StartAsync(server.BaseAddress, analystCookies);
        await using var contact = await LiveListener.StartAsync(server.BaseAddress, contactCookies);

        var device = await server.EnrolAsync();
        var incident = TestIncidents.New(device);
        using (var upload = server.HttpClient())
        {
            upload.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
            using var response = await upload.PostAsync("/api/v1/incidents", JsonContent.Create(TestIncidents.Seal(incident, device.ServerKey),
                ContractsJson.Default.SealedIncident));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var expected = new HeardChange(device.SchoolId, ChangeKinds.Incident, incident.Id, ["schoolId", "kind", "incidentId"]);
        (await analyst.NextChangeAsync(Soon)).Should().BeEquivalentTo(expected);
        (await contact.NextChangeAsync(Soon)).Should().BeEquivalentTo(expected);

        await RestApi(server, analystCookies).DecideAsync(incident.Id, WorkflowSchool.Intervention(urgent: true), CancellationToken.None);
        (await analyst.NextChangeAsync(Soon)).Should().BeEquivalentTo(expected with { Kind = ChangeKinds.Decision });
        (await analyst.NextChangeAsync(Soon)).Should().BeEquivalentTo(expected with { Kind = ChangeKinds.Alert });
        (await contact.NextChangeAsync(Soon))!.Kind.Should().Be(ChangeKinds.Decision);
    }

    [Test]
    public async Task A_change_of_a_school_goes_only_to_users_who_may_see_it()
    {
        await using var server = await ServerHarness.StartAsync();
        var subscribers = server.Service<LiveSubscribers>();
        using var everySchool = subscribers.Subscribe(Analysts.AccessScope.EverySchool)!;
        using var schoolX = subscribers.Subscribe(Analysts.AccessScope.OneSchool("sch-x"))!;
        await server.Service<IAuditLog>().AppendAsync(new AuditEvent("device:dev-y", AuditActions.IncidentReceived, "01JZ0000000000000000000000", "sch-y"),
            CancellationToken.None);
        await server.Service<IAuditLog>().AppendAsync(new AuditEvent("someone", AuditActions.IncidentRead, "01JZ0000000000000000000000", "sch-x"),
            CancellationToken.None);

        everySchool.Signals.TryRead(out var heard).Should().BeTrue();
        heard!.Change.Should().Be(new LiveChange("sch-y", ChangeKinds.Incident, "01JZ0000000000000000000000"));
        everySchool.Signals.TryRead(out _).Should().BeFalse("reading an incident changes nothing a console shows");
        schoolX.Signals.TryRead(out _).Should().BeFalse("school X may not hear of school Y");
    }

    private static IAnalystApi RestApi(ServerHarness server, CookieContainer cookies) => server.AnalystApi(cookies);
}
