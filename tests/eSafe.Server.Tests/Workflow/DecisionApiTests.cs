using System.Net;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Workflow;

/// <summary>Decisions, reopening, the school's response and acknowledgement through the console API of a real server.</summary>
public sealed class DecisionApiTests
{
    private ServerHarness _server = null!;
    private WorkflowSchool _school = null!;
    private WorkflowSchool _otherSchool = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHarness.StartAsync(demo: false);
        _school = await WorkflowSchool.AddAsync(_server, "Decision School");
        await _school.AddContactsAsync();
        _otherSchool = await WorkflowSchool.AddAsync(_server, "Other School");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> BadDecisions()
    {
        TestCaseData Case(string name, DecisionRequest request, string field) => new TestCaseData(request, field).SetArgDisplayNames(name);
        var intervention = WorkflowSchool.Intervention();
        yield return Case("unknown outcome", new DecisionRequest { Outcome = "maybe" }, "outcome");
        yield return Case("no action without a reason", new DecisionRequest { Outcome = DecisionOutcomes.NoAction }, "noActionReason");
        yield return Case("no action with an unknown reason",
            new DecisionRequest { Outcome = DecisionOutcomes.NoAction, NoActionReason = "bored" }, "noActionReason");
        yield return Case("no action marked urgent",
            new DecisionRequest { Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.NoRisk, Urgent = true }, "urgent");
        yield return Case("exception without a false positive", new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.NoRisk, ProposedException = "macbeth",
        }, "proposedException");
        yield return Case("exception not in phrase syntax", new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive, ProposedException = "Macbeth  Act",
        }, "proposedException");
        yield return Case("intervention without severity", intervention with { Severity = null }, "severity");
        yield return Case("intervention at severity 6", intervention with { Severity = 6 }, "severity");
        yield return Case("intervention without a narrative", intervention with { Narrative = null }, "narrative");
        yield return Case("intervention with a short narrative", intervention with { Narrative = "worrying" }, "narrative");
        yield return Case("intervention with a control character", intervention with { Narrative = "The pupil wrote \u0007 about hurting themselves." },
            "narrative");
        yield return Case("intervention without a reason", intervention with { EscalationReason = " " }, "escalationReason");
        yield return Case("intervention with a no-action reason", intervention with { NoActionReason = NoActionReasons.NoRisk }, "noActionReason");
    }

    [TestCaseSource(nameof(BadDecisions))]
    public async Task A_bad_decision_is_refused_with_the_field_named_and_nothing_changes(DecisionRequest request, string field)
    {
        var incident = await _school.AddIncidentAsync();
        var analyst = await _school.SignInAsync(Roles.Analyst);

        var refused = await FluentActions.Awaiting(() => analyst.DecideAsync(incident.Id, request, CancellationToken.None))
            .Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ProblemDocument.Of(refused.Which).Errors.Should().ContainKey(field);
        var detail = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
        detail.Status.Should().Be(IncidentStatuses.New);
        detail.Workflow.Version.Should().Be(0);
        detail.Workflow.Decisions.Should().BeEmpty();
    }

    [Test]
    public async Task No_action_is_recorded_with_who_and_when_then_a_second_decision_is_refused_until_reopened()
    {
        var incident = await _school.AddIncidentAsync();
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var before = DateTimeOffset.UtcNow;

        var decided = await analyst.DecideAsync(incident.Id, new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.AlreadyKnown, ExpectedVersion = 0,
        }, CancellationToken.None);

        decided.Status.Should().Be(IncidentStatuses.NoAction);
        decided.Version.Should().Be(1);
        var decision = decided.Decisions.Should().ContainSingle().Which;
        decision.DecidedBy.Should().Be(_school.Username(Roles.Analyst));
        decision.DecidedByQualifications.Should().Be("Enhanced DBS (2026); NPPV 2");
        decision.DecidedAt.Should().BeOnOrAfter(before.AddSeconds(-1));
        decided.Deliveries.Should().BeEmpty("no action tells nobody");

        var again = await FluentActions.Awaiting(() => analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        again.Which.StatusCode.Should().Be(HttpStatusCode.Conflict);

        var noReason = await FluentActions.Awaiting(() => analyst.ReopenAsync(incident.Id, new ReopenRequest(""), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        ProblemDocument.Of(noReason.Which).Errors.Should().ContainKey("reason");

        var reopened = await analyst.ReopenAsync(incident.Id, new ReopenRequest("New context from the school.", ExpectedVersion: 1), CancellationToken.None);
        reopened.Status.Should().Be(IncidentStatuses.New);
        reopened.Reopens.Should().ContainSingle().Which.Reason.Should().Be("New context from the school.");
        var lines = await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None);
        lines.Where(l => l.IncidentId == incident.Id).Select(l => l.Action).Should()
            .ContainInOrder(AuditActions.IncidentDecided, AuditActions.IncidentReopened);
    }

    [Test]
    public async Task A_decision_on_a_stale_view_is_refused()
    {
        var incident = await _school.AddIncidentAsync();
        var analyst = await _school.SignInAsync(Roles.Analyst);
        await analyst.DecideAsync(incident.Id, new DecisionRequest { Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.NoRisk },
            CancellationToken.None);
        await analyst.ReopenAsync(incident.Id, new ReopenRequest("Looked again."), CancellationToken.None);

        var stale = await FluentActions.Awaiting(() => analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention() with { ExpectedVersion = 0 },
            CancellationToken.None)).Should().ThrowAsync<ApiException>();

        stale.Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Workflow.Version.Should().Be(2);
    }

    [Test]
    public async Task An_intervention_plans_a_report_to_each_contact_of_the_protocols_roles_and_the_school_contact_closes_it()
    {
        var incident = await _school.AddIncidentAsync(severity: 4);
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var contact = await _school.SignInAsync(Roles.SchoolContact);
        (await contact.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Should().NotContain(i => i.Id == incident.Id,
            "a school's contact sees only what was escalated to the school");
        (await FluentActions.Awaiting(() => contact.GetIncidentAsync(incident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>())
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);

        var decided = await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(4), CancellationToken.None);

        decided.Status.Should().Be(IncidentStatuses.Escalated);
        decided.AlertOpen.Should().BeFalse("severity 4 is not urgent under the default protocol");
        decided.Deliveries.Where(d => d.Kind == "report-email").Select(d => d.ContactName).Should()
            .BeEquivalentTo(["Dana DSL", "Dev Deputy"], "the default protocol emails the DSL and deputy at severity 4");
        (await contact.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Items.Should().Contain(i => i.Id == incident.Id);
        var forbidden = await FluentActions.Awaiting(() => contact.DecideAsync(incident.Id, WorkflowSchool.Intervention(), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        forbidden.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var badResponse = await FluentActions.Awaiting(() => contact.RespondAsync(incident.Id,
            new SchoolResponseRequest("", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5), ""), CancellationToken.None))
            .Should().ThrowAsync<ApiException>();
        ProblemDocument.Of(badResponse.Which).Errors.Keys.Should().BeEquivalentTo(["actionTaken", "actionDate", "actionBy"]);

        var closed = await contact.RespondAsync(incident.Id, new SchoolResponseRequest("Met the pupil with a parent; referred to CAMHS.",
            DateOnly.FromDateTime(DateTime.UtcNow), "Dana DSL"), CancellationToken.None);

        closed.Status.Should().Be(IncidentStatuses.Closed);
        var seen = await analyst.GetIncidentAsync(incident.Id, CancellationToken.None);
        seen.Workflow.Response!.ActionTaken.Should().Be("Met the pupil with a parent; referred to CAMHS.");
        seen.Workflow.Response.RecordedBy.Should().Be(_school.Username(Roles.SchoolContact));
    }

    [Test]
    public async Task Severity_five_raises_an_alert_in_every_staff_console_until_the_school_acknowledges_it()
    {
        var incident = await _school.AddIncidentAsync(severity: 5, category: "suicide");
        var analyst = await _school.SignInAsync(Roles.Analyst);
        var contact = await _school.SignInAsync(Roles.SchoolContact);

        var decided = await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(5), CancellationToken.None);

        decided.AlertOpen.Should().BeTrue();
        decided.Deliveries.Should().Contain(d => d.Kind == "alert-call");
        var alerts = await analyst.ListOpenAlertsAsync(CancellationToken.None);
        alerts.Should().Contain(a => a.IncidentId == incident.Id && a.SchoolName == "Decision School");
        (await analyst.GetQueueCountsAsync(CancellationToken.None)).OpenAlerts.Should().BeGreaterThan(0);
        var staffCannot = await FluentActions.Awaiting(() => analyst.AcknowledgeAsync(incident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        staffCannot.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var acknowledged = await contact.AcknowledgeAsync(incident.Id, CancellationToken.None);

        acknowledged.AlertOpen.Should().BeFalse();
        acknowledged.Acknowledgement!.Channel.Should().Be("console");
        (await analyst.ListOpenAlertsAsync(CancellationToken.None)).Should().NotContain(a => a.IncidentId == incident.Id);
        var twice = await FluentActions.Awaiting(() => contact.AcknowledgeAsync(incident.Id, CancellationToken.None)).Should().ThrowAsync<ApiException>();
        twice.Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Another_schools_contact_and_incidents_are_out_of_reach_and_the_refusal_is_audited()
    {
        var incident = await _school.AddIncidentAsync();
        var analyst = await _school.SignInAsync(Roles.Analyst);
        await analyst.DecideAsync(incident.Id, WorkflowSchool.Intervention(), CancellationToken.None);
        var stranger = await _otherSchool.SignInAsync(Roles.SchoolContact);

        var respond = await FluentActions.Awaiting(() => stranger.RespondAsync(incident.Id,
            new SchoolResponseRequest("Nothing.", DateOnly.FromDateTime(DateTime.UtcNow), "Me"), CancellationToken.None)).Should().ThrowAsync<ApiException>();
        var read = await FluentActions.Awaiting(() => stranger.GetSafeguardingAsync(_school.SchoolId, CancellationToken.None)).Should().ThrowAsync<ApiException>();

        respond.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        read.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var lines = await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None);
        lines.Should().Contain(l => l.IncidentId == incident.Id && l.Action == AuditActions.IncidentRefused && l.Actor == _otherSchool.Username(Roles.SchoolContact));
        (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Status.Should().Be(IncidentStatuses.Escalated);
    }

    [Test]
    public async Task The_incident_page_shows_the_pupils_other_incidents_at_the_school_and_where_the_words_are()
    {
        var first = await _school.AddIncidentAsync(at: DateTimeOffset.UtcNow.AddDays(-3), pupil: "timeline@example.org");
        var second = await _school.AddIncidentAsync(at: DateTimeOffset.UtcNow.AddDays(-1), pupil: "timeline@example.org");
        await _school.AddIncidentAsync(pupil: "someone-else@example.org");
        var third = await _school.AddIncidentAsync(pupil: "timeline@example.org", context: "before the words I will hurt myself and after");
        var analyst = await _school.SignInAsync(Roles.Analyst);

        var detail = await analyst.GetIncidentAsync(third.Id, CancellationToken.None);

        detail.Timeline.Select(t => t.Id).Should().Equal(second.Id, first.Id);
        detail.ContextMatch.Should().Be(new TextSpan(detail.Context.IndexOf("hurt myself", StringComparison.Ordinal), "hurt myself".Length));
    }
}
