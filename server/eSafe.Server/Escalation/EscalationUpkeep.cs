using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// Hourly (and at start): every school has its next weekly summary planned, and every recent escalation has its protocol's
/// jobs — planning is idempotent, so this also repairs a process that stopped between saving a decision and planning it.
/// Then finished jobs older than <see cref="EscalationOptions.KeepFinishedJobsDays"/> are deleted, so the job table does not
/// grow for ever; every process does this, and the store shares the rows out, so each is deleted once.
/// </summary>
public sealed partial class EscalationUpkeep(ISchoolStore schools, IIncidentStore incidents, IIncidentWorkflowStore workflows, IJobStore jobs,
    ISafeguardingStore safeguarding, EscalationOptions options, TimeProvider clock, ILogger<EscalationUpkeep> log) : BackgroundService
{
    private const int DeleteBatch = 500;
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var school in await schools.ListAsync(cancellationToken))
        {
            await jobs.AddAsync(WeeklySummaryHandler.Plan(school.Id, WeeklySummaryHandler.NextRun(now, options)), cancellationToken);
        }

        var recent = await incidents.ListFactsAsync(new IncidentFilter { Statuses = [IncidentStatuses.Escalated], From = now.AddDays(-14) },
            cancellationToken);
        foreach (var fact in recent)
        {
            if (await workflows.GetAsync(fact.Id, cancellationToken) is not { Current: { } decision } workflow)
            {
                continue;
            }

            var planned = await jobs.ListForIncidentAsync(fact.Id, cancellationToken);
            if (!planned.Any(j => j.DecisionNumber == workflow.Decisions.Count && j.IncidentId == fact.Id))
            {
                var school = await safeguarding.GetAsync(fact.SchoolId, cancellationToken);
                foreach (var job in EscalationPlanner.Plan(fact.SchoolId, fact.Id, workflow.Decisions.Count, decision, school, options, now))
                {
                    await jobs.AddAsync(job, cancellationToken);
                }
            }
        }

        await DeleteFinishedJobsAsync(now, cancellationToken);
    }

    private async Task DeleteFinishedJobsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - TimeSpan.FromDays(options.KeepFinishedJobsDays);
        var deleted = 0;
        int batch;
        do
        {
            batch = await jobs.DeleteFinishedAsync(before, DeleteBatch, cancellationToken);
            deleted += batch;
        }
        while (batch == DeleteBatch);

        if (deleted > 0)
        {
            FinishedJobsDeleted(log, deleted, options.KeepFinishedJobsDays);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, e);
            }

            try
            {
                await Task.Delay(Every, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} finished jobs older than {Days} days")]
    private static partial void FinishedJobsDeleted(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning weekly summaries and checking escalations failed; tried again in an hour")]
    private static partial void Failed(ILogger logger, Exception exception);
}
