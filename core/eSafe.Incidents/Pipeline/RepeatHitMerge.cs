namespace eSafe.Incidents.Pipeline;

/// <summary>
/// How every <see cref="IRepeatStore"/> shared by several processes combines what it holds with a process's save: a hash
/// either side has is kept, the newer time winning, so no process's hit is lost to another's.
/// </summary>
public static class RepeatHitMerge
{
    /// <summary>Adds <paramref name="hits"/> to <paramref name="into"/>, then drops what is older than <paramref name="forgetBefore"/> (if given).</summary>
    public static void Merge(Dictionary<UInt128, DateTimeOffset> into, IReadOnlyDictionary<UInt128, DateTimeOffset> hits,
        DateTimeOffset? forgetBefore = null)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(hits);
        foreach (var (hash, at) in hits)
        {
            if (!into.TryGetValue(hash, out var known) || known < at)
            {
                into[hash] = at;
            }
        }

        if (forgetBefore is { } cutoff)
        {
            foreach (var stale in into.Where(p => p.Value < cutoff).Select(p => p.Key).ToList())
            {
                into.Remove(stale);
            }
        }
    }
}
