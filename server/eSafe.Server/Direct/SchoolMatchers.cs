using System.Collections.Concurrent;
using eSafe.Detection;
using eSafe.Server.Libraries;

namespace eSafe.Server.Direct;

/// <summary>What a school's Chromebooks are scanned with, and the versions it is made of.</summary>
public sealed record SchoolMatcher(IThreatMatcher Matcher, string GlobalVersion, int SchoolVersion);

/// <summary>
/// The matcher each school's Chromebooks are scanned with: the global library and the school's layer, exactly as a
/// host builds it from the same packages; built once a layer version and kept until the layer changes.
/// </summary>
public sealed class SchoolMatchers(LibraryPackages packages)
{
    private readonly ConcurrentDictionary<string, SchoolMatcher> _built = new(StringComparer.Ordinal);

    public async Task<SchoolMatcher> ForSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        // The package is cached by version; only a new version costs a read and a build.
        var package = await packages.SchoolPackageAsync(schoolId, cancellationToken);
        if (_built.TryGetValue(schoolId, out var known) && known.SchoolVersion == package.Version)
        {
            return known;
        }

        var own = package.Library is { } bytes ? LibraryFormat.Read(bytes) : null;
        var matcher = own is null
            ? new ThreatMatcher([packages.Global], package.DisabledGlobalIds)
            : new ThreatMatcher([packages.Global, own], package.DisabledGlobalIds);
        var built = new SchoolMatcher(matcher, packages.Global.Version, package.Version);
        _built[schoolId] = built;
        return built;
    }
}
