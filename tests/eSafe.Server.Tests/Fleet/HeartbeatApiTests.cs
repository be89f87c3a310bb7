using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using eSafe.Contracts.Http;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Fleet;

/// <summary>POST /api/v1/devices/heartbeat on a real server: the device's token, every field checked, the last one kept and shown.</summary>
public sealed class HeartbeatApiTests
{
    private const string Valid =
        """{"mode":"native","extensionVersion":"0.1.0","hostVersion":"0.2.0","globalLibraryVersion":"2026.11.1","schoolLibraryVersion":3,"backlog":2,"hostMissing":false}""";

    private ServerHarness _server = null!;
    private EnrolmentResponse _device = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _device = await _server.EnrolAsync(machineName: "HEART-PC-01");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string body, string? token)
    {
        using var http = _server.HttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/devices/heartbeat", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string With(string field, JsonNode? value)
    {
        var body = JsonNode.Parse(Valid)!.AsObject();
        if (value is null && field.StartsWith('-'))
        {
            body.Remove(field[1..]);
        }
        else
        {
            body[field] = value;
        }

        return body.ToJsonString();
    }

    [Test]
    public async Task A_valid_heartbeat_is_kept_and_shown_in_the_schools_fleet()
    {
        var (status, body) = await PostAsync(Valid, _device.DeviceToken);

        status.Should().Be(HttpStatusCode.OK);
        body!["nextInSeconds"]!.GetValue<int>().Should().Be(300, "the deployment's default: every 5 minutes");
        var view = await (await _server.SignedInAsync()).GetFleetAsync(_device.SchoolId, CancellationToken.None);
        var device = view.Devices.Should().ContainSingle(d => d.DeviceId == _device.DeviceId).Subject;
        (device.Mode, device.ExtensionVersion, device.HostVersion, device.GlobalLibraryVersion, device.SchoolLibraryVersion, device.Backlog)
            .Should().Be(("native", "0.1.0", "0.2.0", "2026.11.1", 3, 2));
        device.MachineName.Should().Be("HEART-PC-01");
        device.LastSeen.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        device.Flags.Should().NotContain(FleetFlags.HostMissing);
    }

    [Test]
    public async Task A_direct_mode_heartbeat_without_libraries_or_host_is_taken()
    {
        var device = await _server.EnrolAsync(machineName: "CHROMEBOOK-3");
        var (status, _) = await PostAsync(
            """{"mode":"direct","extensionVersion":"0.1.0","hostVersion":null,"globalLibraryVersion":null,"schoolLibraryVersion":null,"backlog":0,"hostMissing":false}""",
            device.DeviceToken);
        status.Should().Be(HttpStatusCode.OK);
        (await _server.Service<IFleetStore>().GetAsync(device.DeviceId, CancellationToken.None))!.Mode.Should().Be("direct");
    }

    [TestCase(null)]
    [TestCase("dev-nosuchdevice.secret")]
    public async Task Without_a_valid_device_token_it_is_refused(string? token)
    {
        var (status, _) = await PostAsync(Valid, token);
        status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_revoked_device_is_refused()
    {
        var device = await _server.EnrolAsync(machineName: "GONE-PC");
        await (await _server.SignedInAsync()).RevokeDeviceAsync(device.DeviceId, new RevokeDeviceRequest("lost"), CancellationToken.None);
        (await PostAsync(Valid, device.DeviceToken)).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static readonly object[] Invalid =
    [
        new object[] { With("mode", "hybrid"), "mode" },
        new object[] { With("-mode", null), "mode" },
        new object[] { With("extensionVersion", ""), "extensionVersion" },
        new object[] { With("extensionVersion", new string('1', 65)), "extensionVersion" },
        new object[] { With("extensionVersion", "0.1\u202E0"), "extensionVersion" },
        new object[] { With("extensionVersion", "0.1 0"), "extensionVersion" },
        new object[] { With("-extensionVersion", null), "extensionVersion" },
        new object[] { With("hostVersion", null), "hostVersion" },
        new object[] { With("mode", "direct"), "hostVersion" },
        new object[] { With("globalLibraryVersion", "2026\n11"), "globalLibraryVersion" },
        new object[] { With("schoolLibraryVersion", -1), "schoolLibraryVersion" },
        new object[] { With("backlog", -1), "backlog" },
        new object[] { With("backlog", 10_000_001), "backlog" },
        new object[] { With("-backlog", null), "backlog" },
        new object[] { With("-hostMissing", null), "hostMissing" },
        new object[] { With("hostMissing", true), "hostMissing" },
    ];

    [TestCaseSource(nameof(Invalid))]
    public async Task Each_invalid_field_is_named_and_nothing_is_stored(string body, string field)
    {
        var store = _server.Service<IFleetStore>();
        await PostAsync(Valid, _device.DeviceToken);
        var before = await store.GetAsync(_device.DeviceId, CancellationToken.None);

        var (status, problem) = await PostAsync(body, _device.DeviceToken);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem!["errors"]!.AsObject().Select(p => p.Key).Should().Equal(field);
        (await store.GetAsync(_device.DeviceId, CancellationToken.None)).Should().Be(before);
    }

    [TestCase("not json", HttpStatusCode.BadRequest)]
    [TestCase("""{"mode":"native","backlog":"many"}""", HttpStatusCode.BadRequest)]
    [TestCase("[]", HttpStatusCode.BadRequest)]
    public async Task A_body_that_is_not_a_heartbeat_is_refused(string body, HttpStatusCode expected) =>
        (await PostAsync(body, _device.DeviceToken)).Status.Should().Be(expected);

    [Test]
    public async Task A_body_over_4_KB_is_refused_with_413() =>
        (await PostAsync(With("extensionVersion", new string('x', 5000)), _device.DeviceToken)).Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);

    [Test]
    public async Task A_schools_contact_sees_only_their_own_schools_fleet()
    {
        var provisioning = _server.Service<Provisioning>();
        var (other, _) = await provisioning.AddSchoolAsync("Fleet Other School", "test", CancellationToken.None);
        var (account, password) = await provisioning.AddAccountAsync("it.fleet", "IT", Roles.SchoolContact, other.Id, "test", CancellationToken.None);
        var contact = await _server.SignedInAsync(account.Username, password);

        var refused = await FluentActions.Awaiting(() => contact.GetFleetAsync(_device.SchoolId, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await contact.GetFleetAsync(other.Id, CancellationToken.None)).Devices.Should().BeEmpty();
        (await contact.GetFleetAlertsAsync(CancellationToken.None)).Should().NotContain(a => a.SchoolId == _device.SchoolId);
    }
}
