using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>Schools' library layers, safeguarding records and library proposals: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class SchoolConfigurationStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    [Test]
    public async Task Every_change_to_a_layer_is_one_version_and_a_change_that_changes_nothing_is_none()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        (await layers.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(new SchoolLayerRecord("sch-1", 0, null, [], []));
        var word = new ThreatEntry("s-2", "walk home alone", "grooming", 3, "en-GB", ["with my mum"]);
        var other = new ThreatEntry("s-1", "the bridge", "self-harm", 4);

        (await layers.SaveEntryAsync("sch-1", word, At, CancellationToken.None)).Should().Be(1);
        (await layers.SaveEntryAsync("sch-1", other, At.AddMinutes(1), CancellationToken.None)).Should().Be(2);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", true, At.AddMinutes(2), CancellationToken.None)).Should().Be(3);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-1", true, At.AddMinutes(2), CancellationToken.None)).Should().Be(4);
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", true, At.AddMinutes(3), CancellationToken.None)).Should().BeNull();
        (await layers.RemoveEntryAsync("sch-1", "s-404", At.AddMinutes(3), CancellationToken.None)).Should().BeNull();
        (await layers.GetVersionAsync("sch-1", CancellationToken.None)).Should().Be(4);
        (await layers.GetVersionAsync("sch-2", CancellationToken.None)).Should().Be(0);

        (await layers.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(
            new SchoolLayerRecord("sch-1", 4, At.AddMinutes(2), [other, word], ["g-1", "g-9"]), o => o.WithStrictOrdering());
        (await layers.SetGlobalEntryOffAsync("sch-1", "g-9", false, At.AddMinutes(4), CancellationToken.None)).Should().Be(5);
        (await layers.GetAsync("sch-2", CancellationToken.None)).Entries.Should().BeEmpty("layers are each school's own");
    }

    [Test]
    public async Task An_entry_remembers_each_category_and_severity_it_had()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the bridge", "self-harm", 4), At, CancellationToken.None);
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the bridge", "self-harm", 5), At.AddMinutes(1), CancellationToken.None);
        await layers.SaveEntryAsync("sch-1", new ThreatEntry("s-1", "the old bridge", "self-harm", 5), At.AddMinutes(2), CancellationToken.None);
        (await layers.EntryHistoryAsync("sch-1", "s-1", CancellationToken.None)).Should().BeEquivalentTo(
            [new RuleFacts("self-harm", 5), new RuleFacts("self-harm", 4), new RuleFacts("self-harm", 5)]);

        (await layers.RemoveEntryAsync("sch-1", "s-1", At.AddMinutes(3), CancellationToken.None)).Should().Be(4);
        (await layers.EntryHistoryAsync("sch-1", "s-1", CancellationToken.None)).Should().BeEquivalentTo(
            [new RuleFacts("self-harm", 4), new RuleFacts("self-harm", 5)]);
        (await layers.EntryHistoryAsync("sch-2", "s-1", CancellationToken.None)).Should().BeEmpty();
    }

    [Test]
    public async Task Changes_to_one_layer_at_once_each_get_their_own_version()
    {
        var layers = _stores.Get<ISchoolLibraryStore>();
        var versions = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => Task.Run(() =>
            layers.SaveEntryAsync("sch-1", new ThreatEntry($"s-{n}", $"phrase {n}", "bullying", 2), At, CancellationToken.None))));
        versions.Should().BeEquivalentTo(Enumerable.Range(1, 10));
        (await layers.GetAsync("sch-1", CancellationToken.None)).Entries.Should().HaveCount(10);
    }

    [Test]
    public async Task A_safeguarding_record_is_saved_only_on_top_of_the_version_it_was_read_at()
    {
        var records = _stores.Get<ISafeguardingStore>();
        var empty = await records.GetAsync("sch-1", CancellationToken.None);
        empty.Version.Should().Be(0);
        empty.Contacts.Should().BeEmpty();

        var first = empty with
        {
            Version = 1, Contacts = [new Contact("c-1", "Dee Lead", ContactRoles.Dsl, "+447700900123", "dsl@school.example", 1)], ChangedAt = At,
        };
        (await records.SaveAsync(first, CancellationToken.None)).Should().BeTrue();
        (await records.SaveAsync(first with { ReportPassword = "other" }, CancellationToken.None)).Should().BeFalse();
        (await records.SaveAsync(first with { Version = 3 }, CancellationToken.None)).Should().BeFalse();
        var second = first with { Version = 2, ReportPassword = "correct horse battery" };
        (await records.SaveAsync(second, CancellationToken.None)).Should().BeTrue();
        (await records.GetAsync("sch-1", CancellationToken.None)).Should().BeEquivalentTo(second);
        (await records.GetAsync("sch-2", CancellationToken.None)).Version.Should().Be(0);
    }

    [Test]
    public async Task Proposals_are_listed_newest_first_by_state_and_decided_once()
    {
        var proposals = _stores.Get<IProposalStore>();
        Proposal Make(int n) => new($"prop-{n:D2}", "inc-1", "sch-1", "g-1", "hurt myself", $"hurt myself in the game {n}", "sam", At.AddMinutes(n),
            ProposalStates.Pending, null, null, null);
        for (var n = 0; n < 4; n++)
        {
            await proposals.AddAsync(Make(n), CancellationToken.None);
        }

        (await proposals.GetAsync("prop-02", CancellationToken.None)).Should().BeEquivalentTo(Make(2));
        var accepted = Make(1) with { State = ProposalStates.Accepted, DecidedBy = "lee", DecidedAt = At.AddHours(1), Target = "global" };
        (await proposals.DecideAsync(accepted, CancellationToken.None)).Should().BeTrue();
        (await proposals.DecideAsync(accepted with { State = ProposalStates.Rejected }, CancellationToken.None)).Should().BeFalse();
        (await proposals.GetAsync("prop-01", CancellationToken.None)).Should().BeEquivalentTo(accepted);
        (await proposals.ListAsync(ProposalStates.Pending, 2, CancellationToken.None)).Select(p => p.Id).Should().Equal("prop-03", "prop-02");
        (await proposals.ListAsync(null, 10, CancellationToken.None)).Select(p => p.Id).Should().Equal("prop-03", "prop-02", "prop-01", "prop-00");
        (await proposals.GetAsync("prop-99", CancellationToken.None)).Should().BeNull();
    }
}
