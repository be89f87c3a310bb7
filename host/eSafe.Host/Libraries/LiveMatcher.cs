using eSafe.Detection;

namespace eSafe.Host.Libraries;

/// <summary>
/// The matcher the pipeline scans with, swapped whole when new libraries arrive: each scan uses one matcher
/// from start to end, and no event waits for a swap.
/// </summary>
public sealed class LiveMatcher : IThreatMatcher
{
    private volatile Loaded _loaded;

    public LiveMatcher(LibrarySet libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        _loaded = new Loaded(libraries, libraries.Matcher());
    }

    public LibrarySet Libraries => _loaded.Libraries;

    public string LibraryVersion => _loaded.Matcher.LibraryVersion;

    public IReadOnlyList<ThreatMatch> Scan(string text) => _loaded.Matcher.Scan(text);

    public IThreatMatcher Current => _loaded.Matcher;

    /// <summary>Builds the matcher for <paramref name="libraries"/> first, then swaps it in.</summary>
    public void Swap(LibrarySet libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        _loaded = new Loaded(libraries, libraries.Matcher());
    }

    private sealed record Loaded(LibrarySet Libraries, ThreatMatcher Matcher);
}
