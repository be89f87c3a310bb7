using System.Net;
using System.Text.Json.Nodes;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests;

/// <summary>What is audited (incident arrival, queue pages with their incident IDs) and the senior analysts' audit view.</summary>
public sealed class AuditViewTests
{
    private ServerHarness _server = null!;
    private Incident _incident = null!;
    private HttpClient _senior = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        var device = await _server.EnrolAsync();
        _incident = TestIncidents.New(device);
        await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(_incident, device.ServerKey), device.DeviceToken, CancellationToken.None);

        // The role is the lead's to provision; the account is written to the store directly here.
        var passwords = _server.Service<eSafe.Server.Security.PasswordHashing>();
        await _server.Service<IAnalystStore>().AddAsync(new AnalystAccount("senior", "Senior analyst", Roles.SeniorAnalyst, null,
            passwords.Hash("senior", "senior-password-1"), Provisioning.NewStamp(), DateTimeOffset.UtcNow), CancellationToken.None);
        _senior = _server.HttpClient();
        (await Http.LoginAsync(_senior, "senior", "senior-password-1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _senior.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<JsonNode> AuditAsync(string query)
    {
        using var response = await _senior.GetAsync("/api/v1/audit?" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Test]
    public async Task Incident_arrival_is_audited_with_the_device_and_address()
    {
        var lines = await _server.Service<IAuditLog>().QueryAsync(new AuditQuery { Action = AuditActions.IncidentReceived }, CancellationToken.None);
        lines.Should().ContainSingle(e => e.IncidentId == _incident.Id).Which.Should().BeEquivalentTo(new
        {
            Actor = "device:" + _incident.DeviceId,
            _incident.SchoolId,
            RemoteAddress = "127.0.0.1",
        });
    }

    [Test]
    public async Task A_queue_page_is_audited_with_the_incident_IDs_it_showed_and_found_by_incident()
    {
        var analyst = await _server.SignedInAsync();
        var page = await analyst.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
        page.Items.Should().Contain(i => i.Id == _incident.Id);

        var found = await AuditAsync($"incidentId={_incident.Id}&action={AuditActions.QueueRead}&actor=analyst");
        var line = found["items"]!.AsArray().Should().NotBeEmpty().And.Subject.Last()!;
        line["detail"]!.GetValue<string>().Should().Contain(_incident.Id).And.StartWith($"{page.Items.Count} incidents");
        line["actor"]!.GetValue<string>().Should().Be("analyst");
    }

    [Test]
    public async Task The_view_filters_and_pages_oldest_first()
    {
        var first = await AuditAsync("limit=2");
        var items = first["items"]!.AsArray();
        items.Should().HaveCount(2);
        var sequences = items.Select(i => i!["sequence"]!.GetValue<long>()).ToList();
        sequences.Should().BeInAscendingOrder();
        var next = first["next"]!.GetValue<long>();
        next.Should().Be(sequences[^1]);
        var second = await AuditAsync($"after={next}&limit=2");
        second["items"]!.AsArray()[0]!["sequence"]!.GetValue<long>().Should().BeGreaterThan(next);

        var received = await AuditAsync($"action={AuditActions.IncidentReceived}");
        received["items"]!.AsArray().Should().OnlyContain(i => i!["action"]!.GetValue<string>() == AuditActions.IncidentReceived);

        var reads = await _server.Service<IAuditLog>().QueryAsync(new AuditQuery { Action = AuditActions.AuditRead, Actor = "senior" }, CancellationToken.None);
        reads.Should().NotBeEmpty("reading the audit log is audited too");
    }

    [TestCase("analyst")]
    [TestCase("contact")]
    [TestCase("nobody")]
    public async Task Only_senior_analysts_may_read_it(string who)
    {
        using var http = _server.HttpClient();
        if (who == "analyst")
        {
            var (analyst, password) = await _server.Service<Provisioning>().AddAccountAsync("analyst-" + Guid.NewGuid().ToString("N")[..6], null,
                Roles.Analyst, null, "test", CancellationToken.None);
            (await Http.LoginAsync(http, analyst.Username, password)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        else if (who == "contact")
        {
            var (contact, password) = await _server.Service<Provisioning>().AddAccountAsync("dsl-" + Guid.NewGuid().ToString("N")[..6], null,
                Roles.SchoolContact, _server.Demo!.SchoolId, "test", CancellationToken.None);
            (await Http.LoginAsync(http, contact.Username, password)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var response = await http.GetAsync("/api/v1/audit");
        response.StatusCode.Should().Be(who == "nobody" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
    }

    [TestCase("after=-1", "after")]
    [TestCase("limit=501", "limit")]
    [TestCase("action=Login%20Failed", "action")]
    [TestCase("incidentId=nope", "incidentId")]
    public async Task A_bad_filter_is_400_naming_it(string query, string parameter)
    {
        using var response = await _senior.GetAsync("/api/v1/audit?" + query);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![parameter].Should().NotBeNull();
    }
}
