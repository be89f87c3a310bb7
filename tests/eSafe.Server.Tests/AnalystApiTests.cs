using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Admin;
using eSafe.Server.Analysts;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests;

public sealed class AnalystApiTests
{
    private ServerHarness _server = null!;
    private EnrolmentResponse _demoDevice = null!;
    private Incident _demoIncident = null!;

    // A school of its own, so counts and pages are known.
    private string _schoolId = null!;
    private List<Incident> _schoolIncidents = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync();
        _demoDevice = await _server.EnrolAsync();
        _demoIncident = TestIncidents.New(_demoDevice);
        await UploadAsync(_demoDevice, _demoIncident);

        var (school, code) = await _server.Service<Provisioning>().AddSchoolAsync("Queue School", "test", CancellationToken.None);
        _schoolId = school.Id;
        var device = await _server.EnrolAsync(code);
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        string[] categories = ["bullying", "self-harm", "drugs", "bullying", "violence", "bullying", "self-harm"];
        _schoolIncidents = [.. categories.Select((category, n) => TestIncidents.New(device, start.AddMinutes(n), category, severity: n % 4 + 2))];
        foreach (var incident in _schoolIncidents)
        {
            await UploadAsync(device, incident);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task UploadAsync(EnrolmentResponse device, Incident incident) =>
        await _server.DeviceApi().UploadIncidentAsync(TestIncidents.Seal(incident, device.ServerKey), device.DeviceToken, CancellationToken.None);

    [Test]
    public async Task The_library_the_server_works_with_is_the_default_one_with_every_category()
    {
        var analyst = await _server.SignedInAsync();

        var library = await analyst.GetLibraryAsync(CancellationToken.None);

        library.Name.Should().Be("default");
        library.Entries.Should().BeGreaterThan(1500);
        library.ByCategory.Keys.Should().BeEquivalentTo(eSafe.Detection.ThreatCategories.All);
        library.ByLanguage.Should().ContainKey("en-GB");
    }

    [TestCase("GET", "/api/v1/auth/me")]
    [TestCase("GET", "/api/v1/schools")]
    [TestCase("GET", "/api/v1/library")]
    [TestCase("GET", "/api/v1/incidents")]
    [TestCase("GET", "/api/v1/incidents/01JD0000000000000000000000")]
    [TestCase("GET", "/api/v1/incidents/01JD0000000000000000000000/screenshot")]
    public async Task Without_a_session_the_console_API_answers_401_not_a_redirect(string method, string path)
    {
        using var http = _server.HttpClient();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.Location.Should().BeNull();
    }

    [Test]
    public async Task Without_a_session_the_refit_client_gets_401()
    {
        var refused = await FluentActions.Awaiting(() => _server.AnalystApi().GetIncidentAsync(_demoIncident.Id, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_forged_cookie_is_refused()
    {
        var cookies = new CookieContainer();
        cookies.Add(_server.BaseAddress, new Cookie("esafe_session", "CfDJ8forged"));
        var refused = await FluentActions.Awaiting(() => _server.AnalystApi(cookies).ListSchoolsAsync(CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Login_sets_an_http_only_strict_cookie_and_says_who_signed_in()
    {
        using var http = _server.HttpClient();
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = "ANALYST", password = _server.Demo!.AnalystPassword });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().StartWith("esafe_session=").And.Contain("httponly").And.Contain("samesite=strict");
        var info = await response.Content.ReadFromJsonAsync<AnalystInfo>();
        info.Should().Be(new AnalystInfo("analyst", "Demo analyst", Roles.SeniorAnalyst), "the demo analyst is a senior analyst, to try every part of the console");
    }

    [TestCase("analyst", "wrong-password")]
    [TestCase("nobody", "whatever")]
    public async Task A_failed_login_is_401_with_the_same_message_whatever_was_wrong(string username, string password)
    {
        var refused = await FluentActions.Awaiting(() => _server.AnalystApi().LoginAsync(new LoginRequest(username, password), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        refused.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Which.Content.Should().Contain("The username or password is not right.");
        var audit = await _server.Service<IAuditLog>().ReadAsync(0, 10_000, CancellationToken.None);
        audit.Should().Contain(e => e.Action == AuditActions.LoginFailed && e.Actor == username && e.RemoteAddress == "127.0.0.1");
    }

    [Test]
    public async Task Repeated_failures_lock_the_username_even_for_the_right_password()
    {
        var (account, password) = await _server.Service<Provisioning>().AddAccountAsync("guessed", null, Roles.Analyst, null, "test", CancellationToken.None);
        var api = _server.AnalystApi();
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            (await FluentActions.Awaiting(() => api.LoginAsync(new LoginRequest(account.Username, "wrong"), CancellationToken.None))
                .Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var locked = await FluentActions.Awaiting(() => api.LoginAsync(new LoginRequest(account.Username, password), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        locked.Which.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        locked.Which.Headers.RetryAfter.Should().NotBeNull();

        // Other usernames are not affected.
        await _server.SignedInAsync();
    }

    [Test]
    public async Task Logout_ends_the_session()
    {
        var api = await _server.SignedInAsync();
        (await api.ListSchoolsAsync(CancellationToken.None)).Should().NotBeEmpty();
        await api.LogoutAsync(CancellationToken.None);
        (await FluentActions.Awaiting(() => api.ListSchoolsAsync(CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_password_reset_ends_open_sessions()
    {
        var (account, password) = await _server.Service<Provisioning>().AddAccountAsync("reset-me", null, Roles.Analyst, null, "test", CancellationToken.None);
        var api = await _server.SignedInAsync(account.Username, password);
        await _server.Service<Provisioning>().ResetPasswordAsync(account.Username, "test", CancellationToken.None);
        (await FluentActions.Awaiting(() => api.ListSchoolsAsync(CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_cross_site_post_is_refused()
    {
        using var http = _server.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { username = "analyst", password = _server.Demo!.AnalystPassword }),
        };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Schools_are_listed()
    {
        var api = await _server.SignedInAsync();
        var schools = await api.ListSchoolsAsync(CancellationToken.None);
        schools.Should().Contain(new SchoolInfo(_server.Demo!.SchoolId, "Demo School")).And.Contain(new SchoolInfo(_schoolId, "Queue School"));
    }

    [Test]
    public async Task The_queue_is_newest_first_and_pages_with_next()
    {
        var api = await _server.SignedInAsync();
        var expected = _schoolIncidents.Select(i => i.Id).OrderDescending(StringComparer.Ordinal).ToList();
        var seen = new List<string>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await api.ListIncidentsAsync(new IncidentQuery { SchoolId = _schoolId, Limit = 3, Before = before }, CancellationToken.None);
            page.Items.Count.Should().BeLessThanOrEqualTo(3);
            seen.AddRange(page.Items.Select(i => i.Id));
            before = page.Next;
            pages++;
        }
        while (before is not null && pages < 10);

        seen.Should().Equal(expected);
        pages.Should().Be(3);
    }

    [Test]
    public async Task The_queue_summaries_carry_the_incident_fields()
    {
        var api = await _server.SignedInAsync();
        var page = await api.ListIncidentsAsync(new IncidentQuery { SchoolId = _demoIncident.SchoolId }, CancellationToken.None);
        var row = page.Items.Should().ContainSingle(i => i.Id == _demoIncident.Id).Subject;
        row.Should().BeEquivalentTo(new
        {
            _demoIncident.SchoolId,
            _demoIncident.DeviceId,
            _demoIncident.UserId,
            _demoIncident.MachineName,
            _demoIncident.OccurredAt,
            _demoIncident.LocalOffsetMinutes,
            _demoIncident.Source,
            _demoIncident.Category,
            _demoIncident.Severity,
            Status = IncidentStatuses.New,
            _demoIncident.MatchedText,
            _demoIncident.Url,
            HasScreenshot = true,
        });
    }

    public static IEnumerable<TestCaseData> Filters()
    {
        yield return new TestCaseData(new IncidentQuery { Category = "bullying" }, (Func<Incident, bool>)(i => i.Category == "bullying")).SetArgDisplayNames("category");
        yield return new TestCaseData(new IncidentQuery { Severity = 2 }, (Func<Incident, bool>)(i => i.Severity == 2)).SetArgDisplayNames("severity");
        yield return new TestCaseData(new IncidentQuery { MinSeverity = 4 }, (Func<Incident, bool>)(i => i.Severity >= 4)).SetArgDisplayNames("minSeverity");
        yield return new TestCaseData(new IncidentQuery { Category = "self-harm", MinSeverity = 3 }, (Func<Incident, bool>)(i => i.Category == "self-harm" && i.Severity >= 3))
            .SetArgDisplayNames("category and minSeverity");
        yield return new TestCaseData(new IncidentQuery { Status = IncidentStatuses.New }, (Func<Incident, bool>)(_ => true)).SetArgDisplayNames("status new");
        yield return new TestCaseData(new IncidentQuery { Status = IncidentStatuses.Escalated }, (Func<Incident, bool>)(_ => false)).SetArgDisplayNames("status escalated");
        yield return new TestCaseData(new IncidentQuery { Category = "gambling" }, (Func<Incident, bool>)(_ => false)).SetArgDisplayNames("no match");
    }

    [TestCaseSource(nameof(Filters))]
    public async Task The_queue_filters(IncidentQuery query, Func<Incident, bool> matches)
    {
        var api = await _server.SignedInAsync();
        var page = await api.ListIncidentsAsync(query with { SchoolId = _schoolId }, CancellationToken.None);
        page.Items.Select(i => i.Id).Should().Equal(_schoolIncidents.Where(matches).Select(i => i.Id).OrderDescending(StringComparer.Ordinal));
        page.Next.Should().BeNull();
    }

    [Test]
    public async Task Without_a_school_filter_every_school_is_listed()
    {
        var api = await _server.SignedInAsync();
        var page = await api.ListIncidentsAsync(new IncidentQuery { Limit = 200 }, CancellationToken.None);
        page.Items.Select(i => i.SchoolId).Should().Contain(_schoolId).And.Contain(_server.Demo!.SchoolId);
    }

    [TestCase("severity=0", "severity")]
    [TestCase("severity=high", "severity")]
    [TestCase("minSeverity=6", "minSeverity")]
    [TestCase("category=nope", "category")]
    [TestCase("status=archived", "status")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=0", "limit")]
    [TestCase("before=123", "before")]
    [TestCase("schoolId=a%20b", "schoolId")]
    [TestCase("category=drugs&category=bullying", "category")]
    public async Task A_bad_filter_is_400_naming_it(string queryString, string parameter)
    {
        var cookies = new CookieContainer();
        await _server.AnalystApi(cookies).LoginAsync(new LoginRequest(_server.Demo!.AnalystUsername, _server.Demo.AnalystPassword), CancellationToken.None);
        using var http = _server.HttpClient(cookies);
        using var response = await http.GetAsync("/api/v1/incidents?" + queryString);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var message = problem["errors"]![parameter]![0]!.GetValue<string>();
        message.Should().StartWith(parameter);
    }

    [Test]
    public async Task An_unknown_or_malformed_incident_ID_is_404_or_400()
    {
        var api = await _server.SignedInAsync();
        (await FluentActions.Awaiting(() => api.GetIncidentAsync(IncidentId.New(DateTimeOffset.UtcNow), CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FluentActions.Awaiting(() => api.GetIncidentAsync("nope", CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Reading_an_incident_and_its_screenshot_is_audited()
    {
        var audit = _server.Service<IAuditLog>();
        var earlier = await audit.ReadAsync(0, 100_000, CancellationToken.None);
        var last = earlier.Count > 0 ? earlier[^1].Sequence : 0;

        var api = await _server.SignedInAsync();
        await api.GetIncidentAsync(_demoIncident.Id, CancellationToken.None);
        using (await api.GetScreenshotAsync(_demoIncident.Id, CancellationToken.None))
        {
        }

        var entries = await audit.ReadAsync(last, 100, CancellationToken.None);
        entries.Select(e => e.Action).Should().ContainInOrder(AuditActions.LoginSucceeded, AuditActions.IncidentRead, AuditActions.ScreenshotRead);
        entries.Where(e => e.Action is AuditActions.IncidentRead or AuditActions.ScreenshotRead).Should().AllSatisfy(e =>
        {
            e.Actor.Should().Be("analyst");
            e.IncidentId.Should().Be(_demoIncident.Id);
            e.SchoolId.Should().Be(_demoIncident.SchoolId);
            e.RemoteAddress.Should().Be("127.0.0.1");
            e.At.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        });
        (await audit.FindBreakAsync(CancellationToken.None)).Should().BeNull("the audit log's hash chain is intact");
    }

    [Test]
    public async Task A_school_contact_sees_only_their_school()
    {
        var (contact, password) = await _server.Service<Provisioning>().AddAccountAsync("dsl@queue-school", "The DSL", Roles.SchoolContact, _schoolId,
            "test", CancellationToken.None);
        var api = await _server.SignedInAsync(contact.Username, password);

        (await api.ListSchoolsAsync(CancellationToken.None)).Should().Equal(new SchoolInfo(_schoolId, "Queue School"));
        (await api.ListIncidentsAsync(new IncidentQuery { Limit = 200 }, CancellationToken.None)).Items.Should()
            .BeEmpty("a school's contact sees only incidents escalated to the school, and none of these is decided yet");
        (await api.ListIncidentsAsync(new IncidentQuery { SchoolId = _server.Demo!.SchoolId }, CancellationToken.None)).Items.Should().BeEmpty();
        (await FluentActions.Awaiting(() => api.GetIncidentAsync(_demoIncident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FluentActions.Awaiting(() => api.GetScreenshotAsync(_demoIncident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FluentActions.Awaiting(() => api.GetIncidentAsync(_schoolIncidents[0].Id, CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound, "an undecided incident is the analysts' (Workflow tests: once escalated, the contact sees it)");

        var audit = await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None);
        audit.Should().Contain(e => e.Action == AuditActions.IncidentRefused && e.Actor == contact.Username && e.IncidentId == _demoIncident.Id);
    }
}
