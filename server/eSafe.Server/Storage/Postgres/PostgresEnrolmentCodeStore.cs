namespace eSafe.Server.Storage.Postgres;

/// <summary>Enrolment codes by hash, with their limits; a use is one conditional <c>UPDATE</c>, so no process can count past the limit.</summary>
public sealed class PostgresEnrolmentCodeStore(DataFolder data) : IEnrolmentCodeStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task IssueAsync(EnrolmentCodeRecord code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _db.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync("DELETE FROM enrolment_codes WHERE school_id = $1", cancellationToken, code.SchoolId);
            return await connection.ExecuteAsync("""
                INSERT INTO enrolment_codes (code_hash, school_id, max_uses, uses, issued_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)
                """, cancellationToken, code.CodeHash, code.SchoolId, code.MaxUses, code.Uses, Pg.Ms(code.IssuedAt), Pg.Ms(code.ExpiresAt));
        }, cancellationToken);
    }

    public async Task<Redemption> RedeemAsync(string codeHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? redeemed;
        // The connection goes back to the pool before the code is read again: one call never holds two.
        await using (var connection = await _db.OpenAsync(cancellationToken))
        {
            // The check and the count in one statement: no other process can slip between them.
            redeemed = (await connection.QueryAsync(
                "UPDATE enrolment_codes SET uses = uses + 1 WHERE code_hash = $1 AND uses < max_uses AND expires_ms > $2 RETURNING school_id",
                r => r.GetString(0), cancellationToken, codeHash, Pg.Ms(now))).SingleOrDefault();
        }

        if (redeemed is not null)
        {
            return new Redemption(RedeemOutcome.Redeemed, redeemed);
        }

        var code = await GetAsync(codeHash, cancellationToken);
        return code is null ? new Redemption(RedeemOutcome.Unknown, null)
            : code.Uses >= code.MaxUses ? new Redemption(RedeemOutcome.UsedUp, code.SchoolId)
            : new Redemption(RedeemOutcome.Expired, code.SchoolId);
    }

    public async Task<EnrolmentCodeRecord?> GetAsync(string codeHash, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync(
            "SELECT code_hash, school_id, max_uses, uses, issued_ms, expires_ms FROM enrolment_codes WHERE code_hash = $1",
            r => new EnrolmentCodeRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.Time(4), r.Time(5)), cancellationToken, codeHash);
    }
}
