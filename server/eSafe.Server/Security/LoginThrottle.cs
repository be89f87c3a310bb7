namespace eSafe.Server.Security;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed logins for one username within
/// <see cref="Window"/>, that username is refused for <see cref="LockDuration"/> whatever the password.
/// Kept in memory and bounded, so a flood of names cannot grow it without limit.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(5);
    private const int Capacity = 10_000;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long the username stays locked, or null when a login may be tried.</summary>
    public TimeSpan? LockedFor(string username)
    {
        var now = clock.GetUtcNow();
        lock (_entries)
        {
            return _entries.TryGetValue(Key(username), out var entry) && entry.LockedUntil > now ? entry.LockedUntil - now : null;
        }
    }

    public void Failed(string username)
    {
        var now = clock.GetUtcNow();
        lock (_entries)
        {
            if (_entries.Count >= Capacity)
            {
                Prune(now);
            }

            var key = Key(username);
            var entry = _entries.TryGetValue(key, out var found) && now - found.FirstFailure < Window ? found : new Entry(now, 0, default);
            entry = entry with { Failures = entry.Failures + 1 };
            if (entry.Failures >= MaxFailures)
            {
                entry = new Entry(now, 0, now + LockDuration);
            }

            _entries[key] = entry;
        }
    }

    public void Succeeded(string username)
    {
        lock (_entries)
        {
            _entries.Remove(Key(username));
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(p => now - p.Value.FirstFailure >= Window && p.Value.LockedUntil <= now).Select(p => p.Key).ToList())
        {
            _entries.Remove(key);
        }

        while (_entries.Count >= Capacity)
        {
            _entries.Remove(_entries.MinBy(p => p.Value.FirstFailure).Key);
        }
    }

    private static string Key(string username) => username.Trim().ToUpperInvariant();

    private readonly record struct Entry(DateTimeOffset FirstFailure, int Failures, DateTimeOffset LockedUntil);
}
