using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>The audit log's chain, queries and anchors: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class AuditLogContractTests(StoreKind kind)
{
    private Stores _stores = null!;

    private IAuditLog Audit => _stores.Get<IAuditLog>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync(new ServerOptions { AuditAnchorInterval = 5 });

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    [Test]
    public async Task Lines_are_chained_in_order_and_read_back_as_written()
    {
        var first = await Audit.AppendAsync(new AuditEvent("sam", AuditActions.LoginSucceeded, RemoteAddress: "127.0.0.1"), CancellationToken.None);
        var second = await Audit.AppendAsync(new AuditEvent("sam", AuditActions.IncidentRead, "inc-1", "sch-1", "127.0.0.1", "opened"), CancellationToken.None);

        first.Sequence.Should().Be(1);
        first.PreviousHash.Should().Be(AuditChain.Genesis);
        second.Sequence.Should().Be(2);
        second.PreviousHash.Should().Be(first.Hash);
        (await Audit.ReadAsync(0, 10, CancellationToken.None)).Should().Equal(first, second);
        (await Audit.ReadAsync(1, 10, CancellationToken.None)).Should().Equal(second);
        (await Audit.FindBreakAsync(CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Queries_find_lines_by_action_actor_and_incident_including_queue_pages_that_showed_it()
    {
        await Audit.AppendAsync(new AuditEvent("sam", AuditActions.LoginSucceeded), CancellationToken.None);
        await Audit.AppendAsync(new AuditEvent("sam", AuditActions.QueueRead, Detail: "inc-7,inc-8"), CancellationToken.None);
        await Audit.AppendAsync(new AuditEvent("lee", AuditActions.IncidentRead, "inc-7"), CancellationToken.None);
        await Audit.AppendAsync(new AuditEvent("lee", AuditActions.IncidentRead, "inc-9"), CancellationToken.None);

        (await Audit.QueryAsync(new AuditQuery { Action = AuditActions.IncidentRead }, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(3, 4);
        (await Audit.QueryAsync(new AuditQuery { Actor = "sam" }, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(1, 2);
        (await Audit.QueryAsync(new AuditQuery { IncidentId = "inc-7" }, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(2, 3);
        (await Audit.QueryAsync(new AuditQuery { IncidentId = "inc-7", After = 2 }, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(3);
        (await Audit.QueryAsync(new AuditQuery { Limit = 1, After = 1 }, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(2);
    }

    [Test]
    public async Task Lines_appended_at_once_form_one_unbroken_chain_that_verifies_against_its_anchors()
    {
        var entries = await Task.WhenAll(Enumerable.Range(0, 20).Select(n =>
            Task.Run(() => Audit.AppendAsync(new AuditEvent($"user-{n}", AuditActions.QueueRead), CancellationToken.None))));

        // Lines asked for together share a write: each caller still gets its own line back, as stored.
        entries.Select(e => e.Actor).Should().BeEquivalentTo(Enumerable.Range(0, 20).Select(n => $"user-{n}"));
        (await Audit.ReadAsync(0, 100, CancellationToken.None)).Should().BeEquivalentTo(entries);

        (await Audit.ReadAsync(0, 100, CancellationToken.None)).Select(l => l.Sequence).Should().Equal(Enumerable.Range(1, 20).Select(n => (long)n));
        (await Audit.FindBreakAsync(CancellationToken.None)).Should().BeNull();
        var verification = await Audit.VerifyAsync(CancellationToken.None);
        verification.Problems.Should().BeEmpty();
        verification.Should().BeEquivalentTo(new { Entries = 20L, LastAnchoredCount = 20L });
    }
}
