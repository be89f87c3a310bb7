using eSafe.Server.Escalation;
using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>Finished jobs are deleted once past their keep time, by the hourly upkeep; on both stores.</summary>
[TestFixtureSource(typeof(StoreKind), nameof(StoreKind.All))]
public sealed class FinishedJobCleanupTests(StoreKind kind)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static EscalationJob Job(string id, string state, DateTimeOffset? completedAt) =>
        new(id, JobKinds.ReportEmail, "sch-1", "inc-1", 1, "contact-1", 0, null, At.AddDays(-60), At.AddDays(-60), state, 1, null, null, completedAt);

    // Which jobs outlive a cleanup at the cut-off: finished (done, cancelled) before it go; failed, pending and newer stay.
    private static readonly (EscalationJob Job, bool Kept)[] Table =
    [
        (Job("done-old", JobStates.Done, At.AddDays(-1)), false),
        (Job("cancelled-old", JobStates.Cancelled, At.AddMinutes(-1)), false),
        (Job("done-new", JobStates.Done, At.AddMinutes(1)), true),
        (Job("cancelled-at-cut", JobStates.Cancelled, At), true),
        (Job("failed-old", JobStates.Failed, At.AddDays(-40)), true),
        (Job("pending", JobStates.Pending, null), true),
    ];

    [Test]
    public async Task Done_and_cancelled_jobs_finished_before_the_cut_off_are_deleted_once_and_no_others()
    {
        await using var stores = await kind.OpenAsync();
        var jobs = stores.Get<IJobStore>();
        foreach (var (job, _) in Table)
        {
            (await jobs.AddAsync(job, CancellationToken.None)).Should().BeTrue();
        }

        (await jobs.DeleteFinishedAsync(At, 100, CancellationToken.None)).Should().Be(Table.Count(t => !t.Kept));
        (await jobs.DeleteFinishedAsync(At, 100, CancellationToken.None)).Should().Be(0);
        (await jobs.ListForIncidentAsync("inc-1", CancellationToken.None)).Select(j => j.Id)
            .Should().BeEquivalentTo(Table.Where(t => t.Kept).Select(t => t.Job.Id));
    }

    [Test]
    public async Task At_most_the_batch_is_deleted_at_a_time()
    {
        await using var stores = await kind.OpenAsync();
        var jobs = stores.Get<IJobStore>();
        for (var i = 0; i < 5; i++)
        {
            await jobs.AddAsync(Job($"done-{i}", JobStates.Done, At.AddDays(-1 - i)), CancellationToken.None);
        }

        var batches = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            batches.Add(await jobs.DeleteFinishedAsync(At, 2, CancellationToken.None));
        }

        batches.Should().Equal(2, 2, 1, 0);
    }

    [Test]
    public async Task The_upkeep_deletes_finished_jobs_older_than_the_configured_days()
    {
        var database = await kind.NewDatabaseAsync();
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Escalation:KeepFinishedJobsDays"] = "20" },
            configure: o => o with { Database = database });
        var jobs = server.Service<IJobStore>();
        var now = DateTimeOffset.UtcNow;
        await jobs.AddAsync(Job("done-21-days-ago", JobStates.Done, now.AddDays(-21)), CancellationToken.None);
        await jobs.AddAsync(Job("done-19-days-ago", JobStates.Done, now.AddDays(-19)), CancellationToken.None);
        await jobs.AddAsync(Job("failed-90-days-ago", JobStates.Failed, now.AddDays(-90)), CancellationToken.None);

        await server.Service<EscalationUpkeep>().RunOnceAsync(CancellationToken.None);

        (await jobs.ListForIncidentAsync("inc-1", CancellationToken.None)).Select(j => j.Id)
            .Should().BeEquivalentTo("done-19-days-ago", "failed-90-days-ago");
    }

    [Test]
    public void A_keep_time_shorter_than_the_upkeep_looks_back_is_refused() =>
        new EscalationOptions { KeepFinishedJobsDays = 14 }.Problems().Should().ContainSingle().Which.Should().Contain("KeepFinishedJobsDays");
}
