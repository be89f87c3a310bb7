using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Server.Storage;

namespace eSafe.Server.Dashboard;

/// <summary>The dashboard's figures from incidents' clear fields: nothing is opened to count them.</summary>
public static class DashboardFigures
{
    public const int MaxFalsePositiveRows = 15;

    public static DashboardView Compute(IReadOnlyList<IncidentFacts> facts, DateOnly from, DateOnly to, string? schoolId)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var days = new List<DashboardDay>();
        var byDay = facts.ToLookup(f => DateOnly.FromDateTime(f.OccurredAt.UtcDateTime));
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var those = byDay[day].ToList();
            days.Add(new DashboardDay(day,
                ThreatCategories.All.ToDictionary(c => c, c => those.Count(f => f.Category == c), StringComparer.Ordinal),
                Enumerable.Range(ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity).ToDictionary(
                    s => s.ToString(System.Globalization.CultureInfo.InvariantCulture), s => those.Count(f => f.Severity == s), StringComparer.Ordinal)));
        }

        var decided = facts.Where(f => f.FirstDecidedAt is not null).ToList();
        var toDecision = decided.Select(f => (f.FirstDecidedAt!.Value - f.ReceivedAt).TotalMinutes).ToList();
        var toAcknowledgement = facts.Where(f => f.AlertRaisedAt is not null && f.AcknowledgedAt is not null)
            .Select(f => (f.AcknowledgedAt!.Value - f.AlertRaisedAt!.Value).TotalMinutes).ToList();
        var falsePositives = decided.Where(f => f.Outcome is not null).GroupBy(f => f.RuleId, StringComparer.Ordinal)
            .Select(g => new RuleFalsePositives(g.Key, g.Count(), g.Count(f => f.NoActionReason == NoActionReasons.FalsePositive)))
            .Where(r => r.FalsePositives > 0)
            .OrderByDescending(r => (double)r.FalsePositives / r.Decided).ThenByDescending(r => r.FalsePositives).ThenBy(r => r.RuleId, StringComparer.Ordinal)
            .Take(MaxFalsePositiveRows).ToList();
        return new DashboardView(from, to, schoolId, days, facts.Count, decided.Count, Percentile(toDecision, 0.5), Percentile(toDecision, 0.9),
            Percentile(toAcknowledgement, 0.5), falsePositives);
    }

    /// <summary>The value below which a share of the values lie (nearest rank), rounded to a tenth; null when there are none.</summary>
    public static double? Percentile(IReadOnlyCollection<double> values, double share)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(share * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 1);
    }
}
