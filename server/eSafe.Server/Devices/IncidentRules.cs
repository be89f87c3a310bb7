using System.Collections.Frozen;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Libraries;
using eSafe.Server.Storage;

namespace eSafe.Server.Devices;

/// <summary>
/// An incident must name a rule the server knows, with that rule's category and severity: an entry of the
/// global library the server hands out, or an entry of the device's own school's layer as it is now or was
/// at an earlier version (<see cref="ISchoolLibraryStore.EntryHistoryAsync"/>). A device cannot file a
/// made-up "grooming, severity 5" against a pupil.
/// </summary>
public sealed class IncidentRules(CompiledLibrary global, ISchoolLibraryStore layers)
{
    private readonly FrozenDictionary<string, RuleFacts> _global =
        global.Entries.ToFrozenDictionary(e => e.Id, e => new RuleFacts(e.Category, e.Severity), StringComparer.Ordinal);

    /// <summary>Why the incident does not agree with a known rule, or null when it does.</summary>
    public async Task<string?> ProblemAsync(Incident incident, string deviceSchoolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var claimed = new RuleFacts(incident.Category, incident.Severity);
        var schoolPrefix = SchoolEntryRules.QualifiedId(deviceSchoolId, "");
        if (incident.RuleId.StartsWith(schoolPrefix, StringComparison.Ordinal))
        {
            var known = await layers.EntryHistoryAsync(deviceSchoolId, incident.RuleId[schoolPrefix.Length..], cancellationToken);
            return known.Count == 0 ? $"ruleId '{incident.RuleId}' is not an entry of this school's library"
                : known.Contains(claimed) ? null
                : $"category and severity are not those of rule '{incident.RuleId}'";
        }

        return !_global.TryGetValue(incident.RuleId, out var facts) ? $"ruleId '{incident.RuleId}' is not in the global library or this school's"
            : facts == claimed ? null
            : $"category and severity are not those of rule '{incident.RuleId}' ({facts.Category}, severity {facts.Severity})";
    }
}
