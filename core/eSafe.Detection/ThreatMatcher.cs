using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// Scans text against layered libraries at once (the global library, then a school's own words),
/// seeing through the disguises of docs/THREAT-LIBRARY.md. The text is reduced to its skeleton once;
/// each library's automaton then walks from every word start. Thread-safe; a text with no hit
/// allocates nothing once the thread's buffers are warm.
/// </summary>
public sealed class ThreatMatcher : IThreatMatcher
{
    [ThreadStatic]
    private static Skeleton? t_skeleton;

    // Raw hits that the check turns down (we'd for weed) must not cost an allocation each scan.
    [ThreadStatic]
    private static List<RawHit>? t_hits;

    [ThreadStatic]
    private static List<RawHit>? t_exceptions;

    private readonly CompiledLibrary[] _layers;
    private readonly bool[][] _disabled;
    private readonly HitVerifier[] _verifiers;

    /// <param name="layers">The libraries, global first.</param>
    /// <param name="disabledIds">Entry IDs switched off (a school's choice); they never hit.</param>
    public ThreatMatcher(IEnumerable<CompiledLibrary> layers, IEnumerable<string>? disabledIds = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A matcher needs at least one library.", nameof(layers));
        }

        var disabled = new HashSet<string>(disabledIds ?? [], StringComparer.Ordinal);
        _disabled = [.. _layers.Select(l => l.EntriesWithIds(disabled))];
        _verifiers = [.. _layers.Select(l => new HitVerifier(l.Entries))];
        LibraryVersion = string.Join('+', _layers.Select(l => $"{l.Name}-{l.Version}"));
    }

    public ThreatMatcher(params CompiledLibrary[] layers)
        : this((IEnumerable<CompiledLibrary>)layers)
    {
    }

    public string LibraryVersion { get; }

    public IReadOnlyList<ThreatMatch> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var skeleton = t_skeleton ??= new Skeleton();
        skeleton.Build(text);
        List<ThreatMatch>? matches = null;
        for (var layer = 0; layer < _layers.Length; layer++)
        {
            var hits = t_hits ??= [];
            var exceptions = t_exceptions ??= [];
            hits.Clear();
            exceptions.Clear();
            _layers[layer].Scan(skeleton, hits, exceptions);
            if (hits.Count > 0)
            {
                Keep(layer, hits, exceptions, skeleton, ref matches);
            }
        }

        if (matches is null)
        {
            return [];
        }

        matches.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        return matches;
    }

    private void Keep(int layer, List<RawHit> hits, List<RawHit> exceptions, Skeleton skeleton, ref List<ThreatMatch>? matches)
    {
        var library = _layers[layer];
        var disabled = _disabled[layer];
        var verifier = _verifiers[layer];
        KeepVerified(exceptions, verifier, skeleton);
        hits.Sort((a, b) => a.Entry != b.Entry ? a.Entry.CompareTo(b.Entry) : a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (disabled[hit.Entry] || (i > 0 && hits[i - 1] == hit) || !verifier.Accepts(hit, exception: false, skeleton)
                || IsExcepted(hit, exceptions))
            {
                continue;
            }

            var (start, length) = skeleton.OriginalSpan(hit.Start, hit.End);
            (matches ??= []).Add(new ThreatMatch(library.Entries[hit.Entry], start, length));
        }
    }

    private static void KeepVerified(List<RawHit> exceptions, HitVerifier verifier, Skeleton skeleton)
    {
        var kept = 0;
        for (var i = 0; i < exceptions.Count; i++)
        {
            if (verifier.Accepts(exceptions[i], exception: true, skeleton))
            {
                exceptions[kept++] = exceptions[i];
            }
        }

        exceptions.RemoveRange(kept, exceptions.Count - kept);
    }

    private static bool IsExcepted(RawHit hit, List<RawHit> exceptions)
    {
        foreach (var exception in exceptions)
        {
            if (exception.Entry == hit.Entry && exception.Start <= hit.Start && exception.End >= hit.End)
            {
                return true;
            }
        }

        return false;
    }
}
