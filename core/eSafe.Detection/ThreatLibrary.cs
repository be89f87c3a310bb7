namespace eSafe.Detection;

/// <summary>A named, versioned set of threat entries.</summary>
public sealed class ThreatLibrary
{
    public ThreatLibrary(string version, IEnumerable<ThreatEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(entries);
        Version = version;
        Entries = entries.ToArray();
        var duplicate = Entries.GroupBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Threat library {version} has the entry ID '{duplicate.Key}' twice.", nameof(entries));
        }

        foreach (var entry in Entries)
        {
            Validate(entry);
        }
    }

    public string Version { get; }

    public IReadOnlyList<ThreatEntry> Entries { get; }

    private static void Validate(ThreatEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Id) || string.IsNullOrWhiteSpace(entry.Phrase))
        {
            throw new ArgumentException("A threat entry needs an ID and a phrase.");
        }

        if (!ThreatCategories.IsKnown(entry.Category))
        {
            throw new ArgumentException($"Threat entry '{entry.Id}' has an unknown category '{entry.Category}'.");
        }

        if (entry.Severity is < ThreatEntry.MinSeverity or > ThreatEntry.MaxSeverity)
        {
            throw new ArgumentException($"Threat entry '{entry.Id}' has severity {entry.Severity}; it must be 1 to 5.");
        }
    }
}
