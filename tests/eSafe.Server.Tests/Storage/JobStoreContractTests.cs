using eSafe.Server.Storage;

namespace eSafe.Server.Tests.Storage;

/// <summary>Escalation jobs, their leases and unique keys: the same tests over LiteDB and PostgreSQL.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class JobStoreContractTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private Stores _stores = null!;

    private IJobStore Jobs => _stores.Get<IJobStore>();

    [SetUp]
    public async Task SetUp() => _stores = await kind.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _stores.DisposeAsync();

    private static EscalationJob Job(string id, int dueMinutes, string? key = null, string school = "sch-1", string? incident = "inc-1") =>
        new(id, JobKinds.ReportEmail, school, incident, 1, "contact-1", 0, key, At, At.AddMinutes(dueMinutes), JobStates.Pending, 0, null, null, null);

    [Test]
    public async Task A_unique_key_is_used_once_whatever_became_of_the_first_job()
    {
        (await Jobs.AddAsync(Job("job-1", 0, "report/inc-1/contact-1"), CancellationToken.None)).Should().BeTrue();
        (await Jobs.AddAsync(Job("job-2", 0, "report/inc-1/contact-1"), CancellationToken.None)).Should().BeFalse();
        var claimed = await Jobs.ClaimDueAsync(At, At.AddMinutes(5), "p1", 10, CancellationToken.None);
        await Jobs.CompleteAsync(claimed[0] with { State = JobStates.Done, CompletedAt = At }, "p1", CancellationToken.None);
        (await Jobs.AddAsync(Job("job-3", 0, "report/inc-1/contact-1"), CancellationToken.None)).Should().BeFalse();
        (await Jobs.AddAsync(Job("job-4", 0), CancellationToken.None)).Should().BeTrue("jobs without a key never clash");
        (await Jobs.AddAsync(Job("job-5", 0), CancellationToken.None)).Should().BeTrue();
        (await Jobs.ListForIncidentAsync("inc-1", CancellationToken.None)).Select(j => j.Id).Should().Equal("job-1", "job-4", "job-5");
    }

    [Test]
    public async Task Due_jobs_are_claimed_once_until_their_lease_runs_out()
    {
        await Jobs.AddAsync(Job("job-1", 0), CancellationToken.None);
        await Jobs.AddAsync(Job("job-2", 2), CancellationToken.None);
        await Jobs.AddAsync(Job("job-3", 60), CancellationToken.None);

        var first = await Jobs.ClaimDueAsync(At.AddMinutes(5), At.AddMinutes(10), "p1", 10, CancellationToken.None);
        first.Select(j => j.Id).Should().Equal("job-1", "job-2");
        first[0].Should().Be(Job("job-1", 0));
        (await Jobs.ClaimDueAsync(At.AddMinutes(6), At.AddMinutes(11), "p2", 10, CancellationToken.None)).Should().BeEmpty("both are leased to p1");
        var afterLease = await Jobs.ClaimDueAsync(At.AddMinutes(11), At.AddMinutes(16), "p2", 1, CancellationToken.None);
        afterLease.Select(j => j.Id).Should().Equal("job-1");

        (await Jobs.CompleteAsync(first[0] with { State = JobStates.Done }, "p1", CancellationToken.None)).Should().BeFalse("p1's lease was lost to p2");
        (await Jobs.CompleteAsync(afterLease[0] with { State = JobStates.Done, Outcome = "sent", CompletedAt = At.AddMinutes(12) }, "p2", CancellationToken.None))
            .Should().BeTrue();
        (await Jobs.ClaimDueAsync(At.AddMinutes(30), At.AddMinutes(35), "p3", 10, CancellationToken.None)).Select(j => j.Id).Should().Equal("job-2");
        (await Jobs.ListForIncidentAsync("inc-1", CancellationToken.None)).Single(j => j.Id == "job-1")
            .Should().Be(Job("job-1", 0) with { State = JobStates.Done, Outcome = "sent", CompletedAt = At.AddMinutes(12) });
    }

    [Test]
    public async Task Claims_at_once_share_out_the_due_jobs_without_overlap()
    {
        for (var i = 0; i < 30; i++)
        {
            await Jobs.AddAsync(Job($"job-{i:D2}", 0), CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(p =>
            Task.Run(() => Jobs.ClaimDueAsync(At, At.AddMinutes(5), $"p{p}", 10, CancellationToken.None))));
        var ids = claims.SelectMany(c => c.Select(j => j.Id)).ToList();
        ids.Should().OnlyHaveUniqueItems().And.HaveCount(30);
    }

    [Test]
    public async Task Troubled_jobs_are_the_failed_and_those_being_retried_newest_first_in_the_schools_asked_for()
    {
        await Jobs.AddAsync(Job("job-1", 0), CancellationToken.None);
        await Jobs.AddAsync(Job("job-2", 0, school: "sch-2"), CancellationToken.None);
        await Jobs.AddAsync(Job("job-3", 0), CancellationToken.None);
        await Jobs.AddAsync(Job("job-4", 0), CancellationToken.None);
        var claimed = await Jobs.ClaimDueAsync(At, At.AddMinutes(5), "p1", 10, CancellationToken.None);
        await Jobs.CompleteAsync(claimed.Single(j => j.Id == "job-1") with { State = JobStates.Failed, LastError = "no route" }, "p1", CancellationToken.None);
        await Jobs.CompleteAsync(claimed.Single(j => j.Id == "job-2") with { State = JobStates.Failed, LastError = "no route" }, "p1", CancellationToken.None);
        await Jobs.CompleteAsync(claimed.Single(j => j.Id == "job-3") with { Attempts = 1, LastError = "busy", DueAt = At.AddMinutes(2) }, "p1", CancellationToken.None);
        await Jobs.CompleteAsync(claimed.Single(j => j.Id == "job-4") with { State = JobStates.Done }, "p1", CancellationToken.None);

        (await Jobs.ListTroubledAsync(null, 10, CancellationToken.None)).Select(j => j.Id).Should().Equal("job-3", "job-2", "job-1");
        (await Jobs.ListTroubledAsync(["sch-1"], 10, CancellationToken.None)).Select(j => j.Id).Should().Equal("job-3", "job-1");
        (await Jobs.ListTroubledAsync(null, 1, CancellationToken.None)).Select(j => j.Id).Should().Equal("job-3");
    }
}
