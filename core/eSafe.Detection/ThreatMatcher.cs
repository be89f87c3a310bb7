using System.Runtime.InteropServices;
using eSafe.Detection.Compilation;
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

    [ThreadStatic]
    private static List<RawHit>? t_parts;

    [ThreadStatic]
    private static List<(int Start, int End)>? t_spans;

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
        CollectionsMarshal.AsSpan(hits).Sort(default(RawHitOrder));
        for (var from = 0; from < hits.Count;)
        {
            var entry = hits[from].Entry;
            var to = from + 1;
            while (to < hits.Count && hits[to].Entry == entry)
            {
                to++;
            }

            if (!disabled[entry])
            {
                var spans = t_spans ??= [];
                spans.Clear();
                if (hits[from].Part == 0)
                {
                    KeepWhole(hits, from, to, verifier, exceptions, skeleton, spans);
                }
                else
                {
                    KeepChains(hits, from, to, verifier, exceptions, skeleton, spans);
                }

                foreach (var (start, end) in spans)
                {
                    var (at, length) = skeleton.OriginalSpan(start, end);
                    (matches ??= []).Add(new ThreatMatch(library.Entries[entry], at, length));
                }
            }

            from = to;
        }
    }

    // An entry whose phrase is one part: each hit its forms, exceptions and context allow.
    private static void KeepWhole(List<RawHit> hits, int from, int to, HitVerifier verifier, List<RawHit> exceptions, Skeleton skeleton,
        List<(int Start, int End)> spans)
    {
        for (var i = from; i < to; i++)
        {
            var hit = hits[i];
            if ((i == from || hits[i - 1] != hit) && verifier.Accepts(hit, exception: false, skeleton)
                && Allowed(hit, verifier.FormsOf(hit.Entry), exceptions, skeleton))
            {
                spans.Add((hit.Start, hit.End));
            }
        }
    }

    // An entry whose phrase has parts: its checked part hits joined into chains, when every part has one.
    private static void KeepChains(List<RawHit> hits, int from, int to, HitVerifier verifier, List<RawHit> exceptions, Skeleton skeleton,
        List<(int Start, int End)> spans)
    {
        var forms = verifier.FormsOf(hits[from].Entry);
        var parts = t_parts ??= [];
        parts.Clear();
        Span<int> bounds = stackalloc int[RuleSyntax.MaxParts + 1];
        var part = 0;
        for (var i = from; i < to; i++)
        {
            var hit = hits[i];
            if ((i > from && hits[i - 1] == hit) || hit.Part > forms.Parts.Length || !verifier.Accepts(hit, exception: false, skeleton))
            {
                continue;
            }

            // Parts are numbered from 1 and come in order: a part with no checked hit leaves nothing to join.
            if (hit.Part != part)
            {
                if (hit.Part != part + 1)
                {
                    return;
                }

                bounds[part++] = parts.Count;
            }

            parts.Add(hit);
        }

        if (part != forms.Parts.Length)
        {
            return;
        }

        bounds[part] = parts.Count;
        PartChains.Find(CollectionsMarshal.AsSpan(parts), bounds[..(part + 1)], forms, skeleton, exceptions, spans);
    }

    /// <summary>Whether a hit (of a whole phrase, or a chain of parts) lies outside its entry's exceptions and keeps to its context.</summary>
    internal static bool Allowed(RawHit hit, EntryForms forms, List<RawHit> exceptions, Skeleton skeleton) =>
        !IsExcepted(hit, exceptions) && forms.ContextAllows(skeleton, hit.Start, hit.End);

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

    /// <summary>By entry, part, start and end: a struct, so the sort calls it directly rather than through a delegate (the delegate was a tenth of a direct-mode batch in a profile).</summary>
    private readonly struct RawHitOrder : IComparer<RawHit>
    {
        public int Compare(RawHit a, RawHit b) =>
            a.Entry != b.Entry ? a.Entry.CompareTo(b.Entry) : a.Part != b.Part ? a.Part.CompareTo(b.Part)
            : a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End);
    }
}
