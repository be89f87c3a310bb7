using eSafe.Contracts.Http;
using eSafe.Detection;

namespace eSafe.Host.Libraries;

/// <summary>
/// The libraries the host scans with: the global one (built in, or a newer one from the server) and, once
/// known, the school's layer (its own entries and the global entries switched off for it).
/// </summary>
public sealed record LibrarySet(CompiledLibrary Global, string? GlobalETag, SchoolLayer? School)
{
    /// <summary>The global library built into the host, with no school layer.</summary>
    public static LibrarySet BuiltIn() => new(DefaultLibrary.Load(), null, null);

    /// <summary>Null while the global library is the built-in one; else the ETag of the file it came from.</summary>
    public bool GlobalFromServer => GlobalETag is not null;

    public ThreatMatcher Matcher() => School?.Library is { } own
        ? new ThreatMatcher([Global, own], School.DisabledGlobalIds)
        : new ThreatMatcher([Global], School?.DisabledGlobalIds);

    /// <summary>One line for the log and <c>esafe-host status</c>.</summary>
    public string Describe() =>
        $"global {Global.Name} {Global.Version} ({(GlobalFromServer ? "from the server" : "built in")}), " +
        (School is { } school
            ? $"school layer version {school.Version} ({school.Library?.Entries.Count ?? 0} own entries, {school.DisabledGlobalIds.Count} global entries off)"
            : "no school layer yet");
}

/// <summary>A school's layer as the device holds it: the package the server sent, its library read.</summary>
public sealed record SchoolLayer(string SchoolId, int Version, CompiledLibrary? Library, IReadOnlyList<string> DisabledGlobalIds)
{
    /// <summary>A downloaded package, checked: the device's own school, a library that reads, bounded lists.</summary>
    /// <exception cref="InvalidDataException">The package cannot be used.</exception>
    public static SchoolLayer From(SchoolLayerPackage package, string expectedSchoolId)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package.SchoolId != expectedSchoolId)
        {
            throw new InvalidDataException("the school layer is not this device's school's");
        }

        if (package.Version < 0 || package.DisabledGlobalIds is null || package.DisabledGlobalIds.Count > 100_000
            || package.DisabledGlobalIds.Any(id => id is not { Length: > 0 and <= 64 }))
        {
            throw new InvalidDataException("the school layer's version or switched-off IDs are not valid");
        }

        CompiledLibrary? library = null;
        if (package.Library is { } bytes)
        {
            try
            {
                library = LibraryFormat.Read(bytes);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"the school layer's library does not read: {e.Message}", e);
            }
        }

        return new SchoolLayer(package.SchoolId, package.Version, library, package.DisabledGlobalIds);
    }
}
