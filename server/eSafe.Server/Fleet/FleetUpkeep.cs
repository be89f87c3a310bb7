using eSafe.Server.Escalation;
using eSafe.Server.Storage;

namespace eSafe.Server.Fleet;

/// <summary>Plans the fleet check every <see cref="FleetOptions.CheckSeconds"/>, once across processes.</summary>
public sealed class FleetUpkeep(IJobStore jobs, FleetOptions options, TimeProvider clock, ILogger<FleetUpkeep> log)
    : PeriodicJobPlanner(jobs, clock, log)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(options.CheckSeconds);

    protected override EscalationJob Plan(DateTimeOffset now) => FleetCheckHandler.Plan(now, options);
}
