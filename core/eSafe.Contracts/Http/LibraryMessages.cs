namespace eSafe.Contracts.Http;

/// <summary>
/// What a device's school works with now: the global library's name and version and the version of the
/// school's own layer (0 while it has none). A device downloads only what differs from what it has.
/// <see cref="ServerKey"/> is the key the server wants incidents sealed to now: after a rotation a device
/// seals to it from its next check (keys it had before still open on the server). <see cref="EnvelopeVersions"/>: the
/// envelope versions the server opens (null from a server older than version 2, which opens version 1 only).
/// </summary>
public sealed record LibraryVersions(string GlobalName, string GlobalVersion, string SchoolId, int SchoolVersion,
    eSafe.Incidents.ServerSealingKey? ServerKey = null, IReadOnlyList<int>? EnvelopeVersions = null);

/// <summary>
/// A school's layer as a device gets it: the school's own entries compiled (LibraryFormat bytes, null while
/// there are none) and the IDs of global entries switched off for the school.
/// </summary>
public sealed record SchoolLayerPackage(string SchoolId, int Version, byte[]? Library, IReadOnlyList<string> DisabledGlobalIds);

/// <summary>One of a school's own entries, as the console sends and shows it (docs/THREAT-LIBRARY.md).</summary>
/// <param name="Id">The entry's ID within the school (letters, digits, '-', '_', '.'); incidents name it as <c>schoolId.id</c>.</param>
/// <param name="Context">The library's context column (<c>unless 3: slashers|match; with 5: him</c>); null or empty for none.</param>
public sealed record SchoolEntry(string Id, string Phrase, string Category, int Severity, string Language, IReadOnlyList<string>? Exceptions,
    string? Context = null);

/// <summary>A school's layer as the console shows it.</summary>
public sealed record SchoolLayerView(
    string SchoolId,
    int Version,
    DateTimeOffset? ChangedAt,
    IReadOnlyList<SchoolEntry> Entries,
    IReadOnlyList<string> DisabledGlobalIds,
    int MaxEntries);

/// <summary>One entry of the global library, as the console's search shows it (<c>Context</c> null when it has none).</summary>
public sealed record LibraryEntryView(string Id, string Phrase, string Category, int Severity, string Language, IReadOnlyList<string> Exceptions,
    string? Context = null);

/// <summary>A page of the global library's entries that match a search, by ID; <c>Total</c> counts every match.</summary>
public sealed record LibraryEntryPage(int Total, int Offset, IReadOnlyList<LibraryEntryView> Items);

/// <summary>A search of the global library: words or part of an ID, a category, and the page.</summary>
public sealed record LibraryEntryQuery
{
    public string? Text { get; init; }
    public string? Category { get; init; }
    public int? Offset { get; init; }
    public int? Limit { get; init; }
}
