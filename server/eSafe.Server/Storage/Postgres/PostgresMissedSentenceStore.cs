using eSafe.Contracts.Http;
using eSafe.Server.Security;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Missed sentences; the sentence is encrypted (it quotes a pupil), the school is clear for scoping.</summary>
public sealed class PostgresMissedSentenceStore(DataFolder data) : IMissedSentenceStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task AddAsync(string schoolId, MissedSentence sentence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var blob = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(sentence, StorageJson.Default.MissedSentence), BlobPurposes.MissedSentence(sentence.Id));
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO missed_sentences (id, school_id, blob) VALUES ($1, $2, $3)", cancellationToken, sentence.Id, schoolId, blob);
    }

    public async Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT id, blob FROM missed_sentences WHERE ($1::text[] IS NULL OR school_id = ANY($1::text[])) ORDER BY id",
            Read, cancellationToken, (object?)schoolIds?.ToArray());
    }

    private MissedSentence Read(NpgsqlDataReader r) =>
        JsonSerializer.Deserialize(_cipher.Decrypt(r.Bytes(1), BlobPurposes.MissedSentence(r.GetString(0))), StorageJson.Default.MissedSentence)
        ?? throw new InvalidOperationException($"Missed sentence {r.GetString(0)} is empty.");
}
