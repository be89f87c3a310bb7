using System.Net;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Analysts;
using eSafe.Server.Libraries;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Refit;

namespace eSafe.Server.Tests.Workflow;

/// <summary>
/// A false positive's proposed words accepted into the school's layer as context (<c>unless N: words</c>): the copy of the
/// global entry keeps the global entry's own context and gains the clause, and the compiled layer honours both.
/// </summary>
public sealed class SchoolLayerProposalTests
{
    // A global entry with a context of its own: "self harm+" unless 8: … awareness|lesson|…
    private const string GlobalId = "sh-0019";
    private ServerHarness _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ServerHarness.StartAsync(demo: false);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Words_accepted_as_context_cancel_hits_near_them_and_the_global_entrys_own_context_stays()
    {
        var school = await WorkflowSchool.AddAsync(_server, "Drama School");
        var proposal = await ProposeAsync(school, "drama");
        var senior = await school.SignInAsync(Roles.SeniorAnalyst);

        var accepted = await senior.DecideProposalAsync(proposal.Id, new ProposalDecision("accept", "school", Near: 6), CancellationToken.None);

        accepted.Should().BeEquivalentTo(proposal with
        {
            State = ProposalStates.Accepted, Target = "school", Near = 6, DecidedBy = accepted.DecidedBy, DecidedAt = accepted.DecidedAt,
        });
        var global = DefaultLibrary.Load().Entries.Single(e => e.Id == GlobalId);
        var layer = await senior.GetSchoolLayerAsync(school.SchoolId, CancellationToken.None);
        var copy = layer.Entries.Should().ContainSingle(e => e.Id == "g-" + GlobalId).Subject;
        copy.Context.Should().Be(global.Context + "; unless 6: drama");
        copy.Exceptions.Should().Equal(global.Exceptions, "the words went into the context, not the exceptions");
        layer.DisabledGlobalIds.Should().Equal(GlobalId);

        var matcher = await SchoolMatcherAsync(school.SchoolId);
        Hits(matcher, school.SchoolId, "i self harm when nobody is looking").Should().Equal("self harm");
        Hits(matcher, school.SchoolId, "our drama piece shows how people self harm").Should().BeEmpty("drama is 5 words before the hit");
        Hits(matcher, school.SchoolId, "in drama today we talked and then later on i self harm").Should().Equal(["self harm"], "drama is too far away");
        Hits(matcher, school.SchoolId, "we did a self harm awareness lesson").Should().BeEmpty("the global entry's own context went with the copy");
        (await _server.Service<IAuditLog>().ReadAsync(0, 100_000, CancellationToken.None))
            .Should().Contain(a => a.Action == AuditActions.ProposalDecided && a.Detail == $"{proposal.Id}: accepted into school as context within 6 words");
    }

    [Test]
    public async Task Accepting_as_an_exception_keeps_the_global_entrys_context_in_the_copy()
    {
        var school = await WorkflowSchool.AddAsync(_server, "Exception School");
        var proposal = await ProposeAsync(school, "self harm plan for my story");
        var senior = await school.SignInAsync(Roles.SeniorAnalyst);

        var accepted = await senior.DecideProposalAsync(proposal.Id, new ProposalDecision("accept", "school"), CancellationToken.None);

        accepted.Near.Should().BeNull();
        var global = DefaultLibrary.Load().Entries.Single(e => e.Id == GlobalId);
        var copy = (await senior.GetSchoolLayerAsync(school.SchoolId, CancellationToken.None)).Entries.Single(e => e.Id == "g-" + GlobalId);
        copy.Context.Should().Be(global.Context);
        copy.Exceptions.Should().Equal([.. global.Exceptions, "self harm plan for my story"]);
        var matcher = await SchoolMatcherAsync(school.SchoolId);
        Hits(matcher, school.SchoolId, "we did a self harm awareness lesson").Should().BeEmpty("a copy without the context would hit here");
        Hits(matcher, school.SchoolId, "i self harm when nobody is looking").Should().Equal("self harm");
    }

    private static IEnumerable<TestCaseData> BadNears()
    {
        yield return new TestCaseData(new ProposalDecision("accept", "global", Near: 5)).SetArgDisplayNames("into the global library");
        yield return new TestCaseData(new ProposalDecision("reject", null, Near: 5)).SetArgDisplayNames("with a rejection");
        yield return new TestCaseData(new ProposalDecision("accept", "school", Near: 0)).SetArgDisplayNames("0 words");
        yield return new TestCaseData(new ProposalDecision("accept", "school", Near: 51)).SetArgDisplayNames("51 words");
    }

    [TestCaseSource(nameof(BadNears))]
    public async Task Near_is_refused_where_it_has_no_meaning_and_nothing_changes(ProposalDecision decision)
    {
        var school = await WorkflowSchool.AddAsync(_server, "Refusing School " + Guid.NewGuid().ToString("N")[..8]);
        var proposal = await ProposeAsync(school, "drama");
        var senior = await school.SignInAsync(Roles.SeniorAnalyst);

        var refused = await senior.Invoking(s => s.DecideProposalAsync(proposal.Id, decision, CancellationToken.None)).Should().ThrowAsync<ApiException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ProblemDocument.Of(refused.Which).Errors.Should().ContainKey("near");
        (await senior.ListProposalsAsync(CancellationToken.None)).Single(p => p.Id == proposal.Id).State.Should().Be(ProposalStates.Pending);
        (await senior.GetSchoolLayerAsync(school.SchoolId, CancellationToken.None)).Version.Should().Be(0);
    }

    private static async Task<Proposal> ProposeAsync(WorkflowSchool school, string words)
    {
        var incident = await school.AddIncidentAsync(ruleId: GlobalId);
        var analyst = await school.SignInAsync(Roles.Analyst);
        await analyst.DecideAsync(incident.Id, new DecisionRequest
        {
            Outcome = DecisionOutcomes.NoAction, NoActionReason = NoActionReasons.FalsePositive, ProposedException = words,
        }, CancellationToken.None);
        return (await analyst.ListProposalsAsync(CancellationToken.None)).Single(p => p.IncidentId == incident.Id);
    }

    // As a device scans: the global library and the school's compiled layer, with the entries it switched off.
    private async Task<ThreatMatcher> SchoolMatcherAsync(string schoolId)
    {
        var packages = _server.Service<LibraryPackages>();
        var package = await packages.SchoolPackageAsync(schoolId, CancellationToken.None);
        return new ThreatMatcher([packages.Global, LibraryFormat.Read(package.Library!)], package.DisabledGlobalIds);
    }

    private static IEnumerable<string> Hits(ThreatMatcher matcher, string schoolId, string text) =>
        matcher.Scan(text).Where(m => m.Entry.Id == $"{schoolId}.g-{GlobalId}" || m.Entry.Id == GlobalId).Select(m => m.MatchedText(text));
}
