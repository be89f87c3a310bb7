using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class WorkflowStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    private IIncidentWorkflowStore Workflows => _stores.Get<IIncidentWorkflowStore>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    private async Task<string> AddIncidentAsync(string school, int minute)
    {
        var (incident, screenshot) = IncidentStoreContractTests.Make(school, minute);
        await _stores.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None);
        return incident.Id;
    }

    private static Decision Escalate(DateTimeOffset at) =>
        new(DecisionOutcomes.Intervention, null, 5, "Clear intent to self-harm tonight.", "Immediate risk", true, false, null, "sam", "Sam Analyst",
            "Enhanced DBS 2026", at);

    [Test]
    public async Task A_new_incident_has_version_0_and_each_save_must_be_one_version_on()
    {
        var id = await AddIncidentAsync("sch-a", 1);
        var initial = await Workflows.GetAsync(id, CancellationToken.None);
        initial.Should().BeEquivalentTo(IncidentWorkflow.Initial(IncidentStatuses.New));

        var decided = initial! with { Version = 1, Status = IncidentStatuses.Escalated, Decisions = [Escalate(At)] };
        (await Workflows.SaveAsync(id, decided, CancellationToken.None)).Should().BeTrue();
        var second = decided with { Status = IncidentStatuses.Closed };
        (await Workflows.SaveAsync(id, second, CancellationToken.None)).Should().BeFalse("version 1 is stored already: a stale save loses");
        (await Workflows.SaveAsync(id, second with { Version = 3 }, CancellationToken.None)).Should().BeFalse("a version may not be skipped");

        var stored = await Workflows.GetAsync(id, CancellationToken.None);
        stored.Should().BeEquivalentTo(decided);
        (await _stores.Get<IIncidentStore>().GetAsync(id, CancellationToken.None))!.Status.Should().Be(IncidentStatuses.Escalated);
        (await Workflows.SaveAsync(id, second with { Version = 2 }, CancellationToken.None)).Should().BeTrue();
        (await Workflows.GetAsync(id, CancellationToken.None))!.Status.Should().Be(IncidentStatuses.Closed);
    }

    [Test]
    public async Task Unknown_incidents_have_no_workflow_and_cannot_be_saved()
    {
        (await Workflows.GetAsync("inc-unknown", CancellationToken.None)).Should().BeNull();
        (await Workflows.SaveAsync("inc-unknown", IncidentWorkflow.Initial(IncidentStatuses.New) with { Version = 1 }, CancellationToken.None)).Should().BeFalse();
    }

    [Test]
    public async Task Of_many_saves_of_the_same_version_at_once_exactly_one_wins()
    {
        var id = await AddIncidentAsync("sch-a", 1);
        var saves = Enumerable.Range(0, 12).Select(n => Task.Run(() => Workflows.SaveAsync(id,
            IncidentWorkflow.Initial(IncidentStatuses.New) with { Version = 1, Status = IncidentStatuses.InReview, Decisions = [Escalate(At.AddSeconds(n))] },
            CancellationToken.None)));
        (await Task.WhenAll(saves)).Count(won => won).Should().Be(1);
    }

    [Test]
    public async Task Alerts_are_found_by_token_and_listed_while_open_in_the_schools_asked_for()
    {
        var a = await AddIncidentAsync("sch-a", 1);
        var b = await AddIncidentAsync("sch-b", 2);
        var c = await AddIncidentAsync("sch-b", 3);
        async Task RaiseAsync(string id, string token, Acknowledgement? ack) =>
            (await Workflows.SaveAsync(id, IncidentWorkflow.Initial(IncidentStatuses.New) with
            {
                Version = 1,
                Status = IncidentStatuses.Escalated,
                Decisions = [Escalate(At)],
                Alert = new UrgentAlert(token, At, ack),
            }, CancellationToken.None)).Should().BeTrue();
        await RaiseAsync(a, "token-a", null);
        await RaiseAsync(b, "token-b", null);
        await RaiseAsync(c, "token-c", new Acknowledgement("Head", "phone", At.AddMinutes(4)));

        (await Workflows.FindByAlertTokenAsync("token-b", CancellationToken.None)).Should().Be(b);
        (await Workflows.FindByAlertTokenAsync("token-c", CancellationToken.None)).Should().Be(c, "an acknowledged alert's link still leads to its incident");
        (await Workflows.FindByAlertTokenAsync("token-x", CancellationToken.None)).Should().BeNull();
        (await Workflows.ListOpenAlertsAsync(null, CancellationToken.None)).Should().Equal(new[] { a, b }.Order(StringComparer.Ordinal));
        (await Workflows.ListOpenAlertsAsync(["sch-b"], CancellationToken.None)).Should().Equal(b);
        (await _stores.Get<IIncidentStore>().GetAsync(a, CancellationToken.None))!.AlertOpen.Should().BeTrue();
        var facts = await _stores.Get<IIncidentStore>().ListFactsAsync(new IncidentFilter { SchoolIds = ["sch-b"] }, CancellationToken.None);
        facts.Single(f => f.Id == c).Should().BeEquivalentTo(new
        {
            Outcome = DecisionOutcomes.Intervention, FirstDecidedAt = (DateTimeOffset?)At, AlertRaisedAt = (DateTimeOffset?)At,
            AcknowledgedAt = (DateTimeOffset?)At.AddMinutes(4),
        });
    }
}
