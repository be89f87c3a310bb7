namespace eSafe.Incidents.Pipeline;

/// <summary>
/// Remembers recent hits so that the same words in the same field, sent again after another pause,
/// do not make another incident. Bounded, so a flood cannot grow it.
/// </summary>
public sealed class RepeatFilter(TimeProvider clock, TimeSpan window, int capacity = 4096)
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time a key is seen within the window; false for a repeat.</summary>
    public bool IsNew(string key)
    {
        var now = clock.GetUtcNow();
        lock (_seen)
        {
            if (_seen.TryGetValue(key, out var at) && now - at < window)
            {
                return false;
            }

            if (_seen.Count >= capacity)
            {
                foreach (var old in _seen.Where(p => now - p.Value >= window).Select(p => p.Key).ToList())
                {
                    _seen.Remove(old);
                }

                if (_seen.Count >= capacity)
                {
                    _seen.Remove(_seen.MinBy(p => p.Value).Key);
                }
            }

            _seen[key] = now;
            return true;
        }
    }
}
