using eSafe.Detection.Normalisation;

namespace eSafe.Detection;

/// <summary>
/// Joins the checked hits of a phrase's parts (<c>bring {knife|blade} ~4 school</c>) into hits of the whole
/// phrase: one hit of each part, each lying from the one before as its link says, counted in words. For each
/// hit of the first part the first such chain that its exceptions and context allow is the hit.
/// </summary>
internal static class PartChains
{
    /// <summary>The span of the part hits a chain has taken so far.</summary>
    private struct Chain
    {
        public int Start;
        public int End;
    }

    /// <param name="parts">The part hits of one entry, sorted by part, then start (parts numbered from 1).</param>
    /// <param name="bounds">Where each part's hits start in <paramref name="parts"/>, and one more: where they end.</param>
    /// <param name="exceptions">The library's checked exception hits: a span inside one of its entry's is not reported.</param>
    /// <param name="found">Receives each span found: symbols start and end.</param>
    public static void Find(ReadOnlySpan<RawHit> parts, ReadOnlySpan<int> bounds, EntryForms forms, Skeleton skeleton,
        List<RawHit> exceptions, List<(int Start, int End)> found)
    {
        for (var first = bounds[0]; first < bounds[1]; first++)
        {
            var chain = new Chain { Start = parts[first].Start, End = parts[first].End };
            if (Extend(parts, bounds, forms, skeleton, exceptions, 1, parts[first], ref chain) && !found.Contains((chain.Start, chain.End)))
            {
                found.Add((chain.Start, chain.End));
            }
        }
    }

    // Tries each hit of part `next` (0-based) that lies as its link says from `previous`, then the parts after it.
    private static bool Extend(ReadOnlySpan<RawHit> parts, ReadOnlySpan<int> bounds, EntryForms forms, Skeleton skeleton,
        List<RawHit> exceptions, int next, RawHit previous, ref Chain chain)
    {
        if (next == forms.Links.Length + 1)
        {
            return ThreatMatcher.Allowed(new RawHit(previous.Entry, chain.Start, chain.End), forms, exceptions, skeleton);
        }

        var link = forms.Links[next - 1];
        var previousFirst = skeleton.WordOf(previous.Start);
        var previousLast = skeleton.WordOf(previous.End - 1);
        for (var k = bounds[next]; k < bounds[next + 1]; k++)
        {
            var hit = parts[k];
            var first = skeleton.WordOf(hit.Start);
            var last = skeleton.WordOf(hit.End - 1);
            var after = first > previousLast && first - previousLast <= link.Window;
            var before = link.EitherOrder && previousFirst > last && previousFirst - last <= link.Window;
            if (!after && !before)
            {
                continue;
            }

            var saved = chain;
            chain.Start = Math.Min(chain.Start, hit.Start);
            chain.End = Math.Max(chain.End, hit.End);
            if (Extend(parts, bounds, forms, skeleton, exceptions, next + 1, hit, ref chain))
            {
                return true;
            }

            chain = saved;
        }

        return false;
    }
}
