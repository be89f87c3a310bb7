namespace eSafe.Server.Storage;

/// <summary>A school's enrolment code (kept only as a hash) with its limits: how many devices may join with it, and until when.</summary>
public sealed record EnrolmentCodeRecord(string CodeHash, string SchoolId, int MaxUses, int Uses, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

public enum RedeemOutcome
{
    Redeemed,
    Unknown,
    UsedUp,
    Expired,
}

/// <summary>What became of one use of a code; <see cref="SchoolId"/> is set when the code is known.</summary>
public sealed record Redemption(RedeemOutcome Outcome, string? SchoolId);

/// <summary>
/// Enrolment codes and their use counts. A use is counted by one conditional update in the database
/// (only while uses are left and the code has not expired), so several server processes sharing the
/// store can never let a code be used more often than its limit.
/// </summary>
public interface IEnrolmentCodeStore
{
    /// <summary>Stores a new code for its school; the school's earlier codes stop working.</summary>
    Task IssueAsync(EnrolmentCodeRecord code, CancellationToken cancellationToken);

    /// <summary>Counts one use of the code when it has uses left and has not expired at <paramref name="now"/>.</summary>
    Task<Redemption> RedeemAsync(string codeHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task<EnrolmentCodeRecord?> GetAsync(string codeHash, CancellationToken cancellationToken);
}
