using eSafe.Server.Escalation;
using eSafe.Server.Storage;

namespace eSafe.Server.Fleet;

/// <summary>
/// Looks over every school's devices and plans an alert job for each flag raised; the alert's key names its episode, so a
/// flag already planned (by an earlier check, or another process) is not planned again.
/// </summary>
public sealed class FleetCheckHandler(ISchoolStore schools, FleetHealth health, TimeProvider clock) : IJobHandler
{
    public string Kind => FleetJobs.Check;

    /// <summary>The check job of the period <paramref name="now"/> falls in: one a period however many processes add it.</summary>
    public static EscalationJob Plan(DateTimeOffset now, FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var periodMs = Math.Max(1, (long)(options.CheckSeconds * 1000));
        var start = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / periodMs * periodMs);
        return EscalationPlanner.New(FleetJobs.Check, FleetJobs.EverySchool, null, 0, null, 0, $"fleet-check:{start.ToUnixTimeMilliseconds()}", now);
    }

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var planned = new List<EscalationJob>();
        foreach (var school in await schools.ListAsync(cancellationToken))
        {
            foreach (var alert in await health.SchoolAlertsAsync(school.Id, school.Name, cancellationToken))
            {
                planned.Add(EscalationPlanner.New(FleetJobs.Alert, school.Id, null, 0, null, 0, FleetAlertKey.Of(alert).ToString(), now));
            }
        }

        return JobResult.Done($"{planned.Count} device flags raised now.", [.. planned]);
    }
}
