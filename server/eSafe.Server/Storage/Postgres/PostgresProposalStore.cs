using eSafe.Contracts.Http;
using eSafe.Server.Security;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Proposed library exceptions; the words are encrypted (they may quote a pupil), the state is clear for listing.</summary>
public sealed class PostgresProposalStore(DataFolder data) : IProposalStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task AddAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO proposals (id, state, blob) VALUES ($1, $2, $3)", cancellationToken, proposal.Id, proposal.State, Seal(proposal));
    }

    public async Task<Proposal?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync("SELECT id, blob FROM proposals WHERE id = $1", Read, cancellationToken, id);
    }

    public async Task<IReadOnlyList<Proposal>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT id, blob FROM proposals WHERE ($1::text IS NULL OR state = $1) ORDER BY id DESC LIMIT $2", Read,
            cancellationToken, state, limit);
    }

    public async Task<bool> DecideAsync(Proposal decided, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decided);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE proposals SET state = $2, blob = $3 WHERE id = $1 AND state = $4", cancellationToken,
            decided.Id, decided.State, Seal(decided), ProposalStates.Pending) == 1;
    }

    private byte[] Seal(Proposal p) => _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(p, StorageJson.Default.Proposal), BlobPurposes.Proposal(p.Id));

    private Proposal Read(NpgsqlDataReader r) =>
        JsonSerializer.Deserialize(_cipher.Decrypt(r.Bytes(1), BlobPurposes.Proposal(r.GetString(0))), StorageJson.Default.Proposal)
        ?? throw new InvalidOperationException($"Proposal {r.GetString(0)} is empty.");
}
