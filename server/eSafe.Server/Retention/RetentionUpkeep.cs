using eSafe.Server.Escalation;
using eSafe.Server.Storage;

namespace eSafe.Server.Retention;

/// <summary>Plans the retention sweep every <see cref="RetentionOptions.SweepMinutes"/>, once across processes.</summary>
public sealed class RetentionUpkeep(IJobStore jobs, RetentionOptions options, TimeProvider clock, ILogger<RetentionUpkeep> log)
    : PeriodicJobPlanner(jobs, clock, log)
{
    protected override TimeSpan Every => TimeSpan.FromMinutes(options.SweepMinutes);

    protected override EscalationJob Plan(DateTimeOffset now) => RetentionSweepHandler.Plan(now, Every);
}
