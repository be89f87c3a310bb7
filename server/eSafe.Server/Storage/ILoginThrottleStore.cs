namespace eSafe.Server.Storage;

/// <summary>
/// Failed-login counters, shared by every server process and kept across restarts. Keys are opaque (the
/// throttle hashes account and address into them), so the store holds no usernames or addresses.
/// </summary>
public interface ILoginThrottleStore
{
    Task<ThrottleCounter?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one failure, atomically: a counter whose window is over starts again; reaching <paramref name="lockAfter"/>
    /// failures locks the key for <paramref name="lockFor"/> and starts the count again. Returns the counter as stored.
    /// </summary>
    Task<ThrottleCounter> AddFailureAsync(string key, DateTimeOffset now, TimeSpan window, int lockAfter, TimeSpan lockFor,
        CancellationToken cancellationToken);

    Task RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes counters whose last failure and lock are both before <paramref name="before"/>.</summary>
    Task<int> RemoveStaleAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>Failures counted under one key since <see cref="WindowStart"/>, and until when the key is locked (if it is).</summary>
public sealed record ThrottleCounter(string Key, int Failures, DateTimeOffset WindowStart, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil)
{
    /// <summary>The counter after one more failure on <paramref name="found"/> (null: none stored): what every store saves.</summary>
    public static ThrottleCounter AfterFailure(ThrottleCounter? found, string key, DateTimeOffset now, TimeSpan window, int lockAfter, TimeSpan lockFor)
    {
        var counter = found is null || now - found.WindowStart >= window
            ? new ThrottleCounter(key, 0, now, now, found?.LockedUntil)
            : found;
        counter = counter with { Failures = counter.Failures + 1, LastFailure = now };
        return counter.Failures >= lockAfter
            ? counter with { Failures = 0, WindowStart = now, LockedUntil = now + lockFor }
            : counter;
    }
}
