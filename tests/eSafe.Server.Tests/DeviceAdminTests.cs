using System.Net;
using System.Net.Http.Headers;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

/// <summary>Devices listed and revoked, from the console and the CLI; a revoked device is refused everywhere (issue 9).</summary>
public sealed class DeviceAdminTests
{
    private ServerHarness _server = null!;
    private IAnalystApi _analyst = null!;
    private string _otherSchoolId = null!;
    private string _otherCode = null!;
    private (string Username, string Password) _contact;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _analyst = await _server.SignedInAsync();
        var provisioning = _server.Service<Provisioning>();
        var (other, code) = await provisioning.AddSchoolAsync("Other Device School", "test", CancellationToken.None);
        (_otherSchoolId, _otherCode) = (other.Id, code);
        var (account, password) = await provisioning.AddAccountAsync("dsl.devices", "DSL", Roles.SchoolContact, _server.Demo!.SchoolId, "test",
            CancellationToken.None);
        _contact = (account.Username, password);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> UploadStatusAsync(EnrolmentResponse device)
    {
        using var http = _server.HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        using var upload = await http.PostAsync("/api/v1/incidents",
            System.Net.Http.Json.JsonContent.Create(TestIncidents.Seal(TestIncidents.New(device), device.ServerKey), ContractsJson.Default.SealedIncident));
        return upload.StatusCode;
    }

    private async Task<HttpStatusCode[]> LibraryStatusesAsync(EnrolmentResponse device)
    {
        using var http = _server.HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.DeviceToken);
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/api/v1/devices/libraries", "/api/v1/devices/libraries/global", "/api/v1/devices/libraries/school" })
        {
            using var response = await http.GetAsync(path);
            statuses.Add(response.StatusCode);
        }

        return [.. statuses];
    }

    [Test]
    public async Task A_revoked_device_gets_401_for_uploads_and_library_fetches_while_its_neighbour_carries_on()
    {
        var revoked = await _server.EnrolAsync(machineName: "LAB-PC-41");
        var neighbour = await _server.EnrolAsync(machineName: "LAB-PC-42");
        (await UploadStatusAsync(revoked)).Should().Be(HttpStatusCode.OK);
        (await LibraryStatusesAsync(revoked)).Should().OnlyContain(s => s == HttpStatusCode.OK);

        var info = await _analyst.RevokeDeviceAsync(revoked.DeviceId, new RevokeDeviceRequest("stolen from lab 4"), CancellationToken.None);

        info.RevokedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        info.RevokedBy.Should().Be(_server.Demo!.AnalystUsername);
        info.RevokedReason.Should().Be("stolen from lab 4");
        (await UploadStatusAsync(revoked)).Should().Be(HttpStatusCode.Unauthorized);
        (await LibraryStatusesAsync(revoked)).Should().OnlyContain(s => s == HttpStatusCode.Unauthorized);
        (await UploadStatusAsync(neighbour)).Should().Be(HttpStatusCode.OK);

        var again = await _analyst.RevokeDeviceAsync(revoked.DeviceId, new RevokeDeviceRequest("second time"), CancellationToken.None);
        again.RevokedReason.Should().Be("stolen from lab 4", "the first revocation stands");

        var listed = await _analyst.ListDevicesAsync(_server.Demo.SchoolId, CancellationToken.None);
        listed.Should().Contain(d => d.Id == revoked.DeviceId && d.RevokedAt != null && d.MachineName == "LAB-PC-41");
        listed.Should().Contain(d => d.Id == neighbour.DeviceId && d.RevokedAt == null);

        var audit = await _server.Service<IAuditLog>().ReadAsync(0, 10_000, CancellationToken.None);
        audit.Should().ContainSingle(e => e.Action == AuditActions.DeviceRevoked && e.Detail == revoked.DeviceId + ": stolen from lab 4"
            && e.Actor == _server.Demo.AnalystUsername && e.SchoolId == _server.Demo.SchoolId);
        audit.Should().Contain(e => e.Action == AuditActions.DevicesListed && e.SchoolId == _server.Demo.SchoolId);
    }

    [Test]
    public async Task A_school_contact_lists_and_revokes_only_their_own_schools_devices()
    {
        var own = await _server.EnrolAsync(machineName: "LAB-PC-51");
        var other = await _server.EnrolAsync(_otherCode, "OTHER-PC-1");
        var contact = await _server.SignedInAsync(_contact.Username, _contact.Password);

        (await contact.ListDevicesAsync(_server.Demo!.SchoolId, CancellationToken.None)).Should().Contain(d => d.Id == own.DeviceId);
        var list = await FluentActions.Awaiting(() => contact.ListDevicesAsync(_otherSchoolId, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        list.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var revoke = await FluentActions.Awaiting(() => contact.RevokeDeviceAsync(other.DeviceId, new RevokeDeviceRequest(null), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        revoke.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await UploadStatusAsync(other)).Should().Be(HttpStatusCode.OK, "the other school's device was not touched");

        (await contact.RevokeDeviceAsync(own.DeviceId, new RevokeDeviceRequest(null), CancellationToken.None)).RevokedBy.Should().Be(_contact.Username);
        (await UploadStatusAsync(own)).Should().Be(HttpStatusCode.Unauthorized);

        var audit = await _server.Service<IAuditLog>().ReadAsync(0, 10_000, CancellationToken.None);
        audit.Where(e => e.Action == AuditActions.DeviceAccessRefused && e.Actor == _contact.Username).Select(e => e.SchoolId)
            .Should().Equal(_otherSchoolId, _otherSchoolId);
    }

    [TestCase("a reason\u202Ereversed")]
    [TestCase("two\nlines")]
    public async Task A_bad_reason_is_refused_and_nothing_changes(string reason)
    {
        var device = await _server.EnrolAsync(machineName: "LAB-PC-61");
        var refused = await FluentActions.Awaiting(() => _analyst.RevokeDeviceAsync(device.DeviceId, new RevokeDeviceRequest(reason), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await UploadStatusAsync(device)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Unknown_devices_and_schools_are_404_and_a_cross_site_revoke_is_refused()
    {
        var unknown = await FluentActions.Awaiting(() => _analyst.RevokeDeviceAsync("dev-nothing", new RevokeDeviceRequest(null), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        unknown.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var noSchool = await FluentActions.Awaiting(() => _analyst.ListDevicesAsync("sch-nothing", CancellationToken.None)).Should().ThrowAsync<ApiException>();
        noSchool.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);

        var device = await _server.EnrolAsync(machineName: "LAB-PC-71");
        var cookies = new CookieContainer();
        await _server.AnalystApi(cookies).LoginAsync(new LoginRequest(_server.Demo!.AnalystUsername, _server.Demo.AnalystPassword), CancellationToken.None);
        using var http = _server.HttpClient(cookies);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/devices/{device.DeviceId}/revoke") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await UploadStatusAsync(device)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_command_line_lists_and_revokes_and_the_server_then_refuses_the_device()
    {
        var data = ServerHarness.NewDataDirectory();
        try
        {
            EnrolmentResponse device;
            await using (var first = await ServerHarness.StartAsync(data))
            {
                device = await first.EnrolAsync(machineName: "CLI-PC-1");
            }

            var list = await ServerCli.RunAsync("device", "list", "--school", device.SchoolId, "--data", data);
            list.ExitCode.Should().Be(0, list.Error);
            list.Output.Should().Contain(device.DeviceId).And.Contain("CLI-PC-1").And.Contain("active").And.Contain("1 device.");

            var revoke = await ServerCli.RunAsync("device", "revoke", "--device", device.DeviceId, "--reason", "lost", "--data", data);
            revoke.ExitCode.Should().Be(0, revoke.Error);
            (await ServerCli.RunAsync("device", "list", "--school", device.SchoolId, "--data", data)).Output.Should().Contain("revoked").And.Contain("by cli: lost");
            var unknown = await ServerCli.RunAsync("device", "revoke", "--device", "dev-nothing", "--data", data);
            unknown.ExitCode.Should().Be(1);
            unknown.Error.Should().Contain("no device dev-nothing");

            await using var server = await ServerHarness.StartAsync(data);
            var refused = await FluentActions.Awaiting(() => server.DeviceApi().GetLibraryVersionsAsync(device.DeviceToken, CancellationToken.None))
                .Should().ThrowAsync<ApiException>();
            refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

}
