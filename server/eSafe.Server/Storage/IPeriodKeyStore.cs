namespace eSafe.Server.Storage;

/// <summary>
/// One school's key for one period (a calendar month, UTC, of when incidents were received), wrapped by the server's data
/// key. <see cref="Wrapped"/> is null once the key was destroyed: the row stays as a tombstone, so the period is never
/// given a new key that would look like the old one.
/// </summary>
public sealed record PeriodKeyRecord(string SchoolId, string Period, byte[]? Wrapped, DateTimeOffset CreatedAt, DateTimeOffset? DestroyedAt)
{
    public bool Destroyed => Wrapped is null;
}

/// <summary>The period keys incidents are encrypted with (see <see cref="PeriodKeys"/>), shared by every server process.</summary>
public interface IPeriodKeyStore
{
    Task<PeriodKeyRecord?> GetAsync(string schoolId, string period, CancellationToken cancellationToken);

    /// <summary>Adds the key unless the period has one (live or destroyed); returns the stored one, which another process may have added first.</summary>
    Task<PeriodKeyRecord> AddIfMissingAsync(PeriodKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Every key, live and destroyed, by school and period.</summary>
    Task<IReadOnlyList<PeriodKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Overwrites the wrapped key and marks it destroyed; false when it was destroyed already or never made.</summary>
    Task<bool> DestroyAsync(string schoolId, string period, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces a live key's wrapping (the data key was rotated); false when it is destroyed or missing.</summary>
    Task<bool> RewrapAsync(string schoolId, string period, byte[] wrapped, CancellationToken cancellationToken);
}
