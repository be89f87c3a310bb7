using System.Net;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Workflow;

/// <summary>The dashboard's figures from decided incidents, and proposed library exceptions reviewed by a senior analyst.</summary>
public sealed class DashboardAndProposalTests
{
    private ServerHarness _server = null!;
    private WorkflowSchool _school = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync(demo: false);
        _school = await WorkflowSchool.AddAsync(_server, "Dashboard School");
        await _school.AddContactsAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task The_dashboard_counts_by_day_category_and_severity_and_the_false_positive_rate_by_entry()
    {
        var school = await WorkflowSchool.AddAsync(_server, "Counted School");
        var today = DateTimeOffset.UtcNow;
        var a = await school.AddIncidentAsync(severity: 4, category: "self-harm", at: today.AddDays(-2), ruleId: "sh-0001");
        var b = await school.AddIncidentAsync(severity: 4, category: "self-harm", at: today.AddDays(-2).AddMinutes(1), ruleId: "sh-0001");
        await school.AddIncidentAsync(severity: 2, category: "bullying", at: today.AddDays(-1), ruleId: "bul-0001");
        var analyst = await school.SignInAsync(Roles.Analyst);
        await analyst.DecideAsync(a.Id, new DecisionRequest { Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive },
            CancellationToken.None);
        await analyst.DecideAsync(b.Id, WorkflowSchool.Intervention(), CancellationToken.None);

        var dashboard = await analyst.GetDashboardAsync(school.SchoolId, $"{today.AddDays(-6):yyyy-MM-dd}", $"{today:yyyy-MM-dd}",
            CancellationToken.None);

        dashboard.Days.Should().HaveCount(7);
        dashboard.Incidents.Should().Be(3);
        dashboard.Decided.Should().Be(2);
        var twoDaysAgo = dashboard.Days.Single(d => d.Day == DateOnly.FromDateTime(today.AddDays(-2).UtcDateTime));
        twoDaysAgo.ByCategory["self-harm"].Should().Be(2);
        twoDaysAgo.BySeverity["4"].Should().Be(2);
        dashboard.MedianMinutesToDecision.Should().BeGreaterThan(60 * 24, "decided about two days after they arrived");
        dashboard.FalsePositives.Should().ContainSingle().Which.Should().Be(new RuleFalsePositives("sh-0001", 2, 1));
    }

    [TestCase("from=2026-13-01", "from")]
    [TestCase("from=2026-12-10&to=2026-12-01", "from")]
    [TestCase("from=2020-01-01&to=2026-01-01", "from")]
    [TestCase("schoolId=not%20an%20id", "schoolId")]
    public async Task A_bad_dashboard_filter_is_400_naming_it(string query, string parameter)
    {
        var cookies = new CookieContainer();
        await _server.AnalystApi(cookies).LoginAsync(new LoginRequest(_school.Username(Roles.Analyst), _school.PasswordOf(Roles.Analyst)), CancellationToken.None);
        using var http = _server.HttpClient(cookies);

        using var response = await http.GetAsync(new Uri("/api/v1/dashboard?" + query, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain($"\"{parameter}\"");
    }

    [Test]
    public async Task A_false_positives_exception_accepted_into_the_school_replaces_the_global_entry_for_that_school_only()
    {
        var incident = await _school.AddIncidentAsync(ruleId: "sh-0001");
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var senior = await _school.SignInAsync(Roles.SeniorAnalyst);
        await analyst.DecideAsync(incident.Id, new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive, ProposedException = "in the play",
        }, CancellationToken.None);
        var proposal = (await analyst.ListProposalsAsync(CancellationToken.None)).Single(p => p.IncidentId == incident.Id);
        proposal.State.Should().Be(ProposalStates.Pending);

        var notSenior = await FluentActions.Awaiting(() => analyst.DecideProposalAsync(proposal.Id, new ProposalDecision("accept", "school"),
            CancellationToken.None)).Should().ThrowAsync<ApiException>();
        notSenior.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var noTarget = await FluentActions.Awaiting(() => senior.DecideProposalAsync(proposal.Id, new ProposalDecision("accept", null),
            CancellationToken.None)).Should().ThrowAsync<ApiException>();
        ProblemDocument.Of(noTarget.Which).Errors.Should().ContainKey("target");

        var accepted = await senior.DecideProposalAsync(proposal.Id, new ProposalDecision("accept", "school"), CancellationToken.None);

        accepted.State.Should().Be(ProposalStates.Accepted);
        var layer = await senior.GetSchoolLayerAsync(_school.SchoolId, CancellationToken.None);
        layer.Entries.Should().ContainSingle(e => e.Id == "g-sh-0001").Which.Exceptions.Should().Contain("in the play");
        layer.DisabledGlobalIds.Should().Contain("sh-0001");
        var twice = await FluentActions.Awaiting(() => senior.DecideProposalAsync(proposal.Id, new ProposalDecision("reject", null),
            CancellationToken.None)).Should().ThrowAsync<ApiException>();
        twice.Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
