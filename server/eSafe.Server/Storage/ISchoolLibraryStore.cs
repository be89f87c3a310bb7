using eSafe.Detection;

namespace eSafe.Server.Storage;

/// <summary>
/// Each school's own layer of the threat library: its entries (by their ID within the school) and the global
/// entries switched off for it. Every change bumps the layer's version; everything is scoped to one school.
/// </summary>
public interface ISchoolLibraryStore
{
    /// <summary>The school's layer; an empty one at version 0 when it has none yet.</summary>
    Task<SchoolLayerRecord> GetAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>The layer's version alone (0 when it has none): what devices ask for most, without reading the entries.</summary>
    Task<int> GetVersionAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>Adds or replaces one entry; returns the layer's new version.</summary>
    Task<int> SaveEntryAsync(string schoolId, ThreatEntry entry, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes one entry; the layer's new version, or null (and no change) when there was no such entry.</summary>
    Task<int?> RemoveEntryAsync(string schoolId, string entryId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Switches a global entry off (or back on) for the school; the new version, or null when it already was.</summary>
    Task<int?> SetGlobalEntryOffAsync(string schoolId, string globalId, bool off, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The category and severity of the school's entry now, and every one it had before (kept when an entry is
    /// changed or removed): what a device still working with an older version of the layer may name. Empty when
    /// the school never had such an entry.
    /// </summary>
    Task<IReadOnlyList<RuleFacts>> EntryHistoryAsync(string schoolId, string entryId, CancellationToken cancellationToken);
}
