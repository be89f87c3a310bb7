using System.Collections.Concurrent;
using eSafe.Detection;
using eSafe.Server.Libraries;

namespace eSafe.Server.Direct;

/// <summary>What a school's Chromebooks are scanned with, and the versions it is made of.</summary>
public sealed record SchoolMatcher(IThreatMatcher Matcher, string GlobalVersion, int SchoolVersion);

/// <summary>
/// The matcher each school's Chromebooks are scanned with: the global library and the school's layer, exactly as a
/// host builds it from the same packages; built once a layer version and kept until the layer changes. The layer's
/// version is read again (one small read) when the last reading is older than <see cref="LayerBound"/>, so a school's new
/// words apply to its next batches within that bound, whichever server process took the change.
/// </summary>
public sealed class SchoolMatchers(LibraryPackages packages, TimeProvider clock)
{
    public static readonly TimeSpan LayerBound = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Built> _built = new(StringComparer.Ordinal);

    public async Task<SchoolMatcher> ForSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        if (_built.TryGetValue(schoolId, out var known) && clock.GetElapsedTime(known.CheckStartedAt) < LayerBound)
        {
            return known.Matcher;
        }

        // The package is cached by version; only a new version costs a read and a build.
        var startedAt = clock.GetTimestamp();
        var package = await packages.SchoolPackageAsync(schoolId, cancellationToken);
        if (known is not null && known.Matcher.SchoolVersion == package.Version)
        {
            _built[schoolId] = known with { CheckStartedAt = startedAt };
            return known.Matcher;
        }

        var own = package.Library is { } bytes ? LibraryFormat.Read(bytes) : null;
        var matcher = own is null
            ? new ThreatMatcher([packages.Global], package.DisabledGlobalIds)
            : new ThreatMatcher([packages.Global, own], package.DisabledGlobalIds);
        var built = new SchoolMatcher(matcher, packages.Global.Version, package.Version);
        _built[schoolId] = new Built(built, startedAt);
        return built;
    }

    private sealed record Built(SchoolMatcher Matcher, long CheckStartedAt);
}
