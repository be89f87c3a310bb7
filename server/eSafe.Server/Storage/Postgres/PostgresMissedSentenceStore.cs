using eSafe.Contracts.Http;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Missed sentences; the sentence is encrypted (it quotes a pupil), the school and the incident's receipt time are clear.</summary>
public sealed class PostgresMissedSentenceStore(DataFolder data, PeriodKeys periods) : IMissedSentenceStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task AddAsync(string schoolId, DateTimeOffset incidentReceivedAt, MissedSentence sentence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var blob = await periods.EncryptAsync(schoolId, incidentReceivedAt, JsonSerializer.SerializeToUtf8Bytes(sentence, StorageJson.Default.MissedSentence),
            BlobPurposes.MissedSentence(sentence.Id), cancellationToken);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO missed_sentences (id, school_id, received_ms, blob) VALUES ($1, $2, $3, $4)", cancellationToken,
            sentence.Id, schoolId, Pg.Ms(incidentReceivedAt), blob);
    }

    public async Task<IReadOnlyList<MissedSentence>> ListAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        List<Row> rows;
        await using (var connection = await _db.OpenAsync(cancellationToken))
        {
            rows = await connection.QueryAsync(
                "SELECT id, school_id, received_ms, blob FROM missed_sentences WHERE ($1::text[] IS NULL OR school_id = ANY($1::text[])) ORDER BY id",
                Row.Read, cancellationToken, (object?)schoolIds?.ToArray());
        }

        var found = new List<MissedSentence>(rows.Count);
        foreach (var row in rows)
        {
            found.Add(await OpenAsync(row, cancellationToken));
        }

        return found;
    }

    public async Task<int> DeleteExpiredAsync(string schoolId, DateTimeOffset cutoff, IReadOnlyCollection<string> expiredIncidents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expiredIncidents);
        await using var connection = await _db.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM missed_sentences WHERE school_id = $1 AND received_ms < $2", cancellationToken,
            schoolId, Pg.Ms(cutoff));
        // Sentences filed before the month keys have no receipt time: opened to find their incident.
        var legacy = await connection.QueryAsync("SELECT id, school_id, received_ms, blob FROM missed_sentences WHERE school_id = $1 AND received_ms IS NULL",
            Row.Read, cancellationToken, schoolId);
        var expired = new List<string>();
        foreach (var row in legacy)
        {
            if (IMissedSentenceStore.ExpiredWithoutReceipt(await OpenAsync(row, cancellationToken), cutoff, expiredIncidents))
            {
                expired.Add(row.Id);
            }
        }

        return deleted + (expired.Count == 0 ? 0
            : await connection.ExecuteAsync("DELETE FROM missed_sentences WHERE id = ANY($1::text[])", cancellationToken, (object)expired.ToArray()));
    }

    private async Task<MissedSentence> OpenAsync(Row row, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize(await periods.DecryptAsync(row.School, row.Received ?? DateTimeOffset.UnixEpoch, row.Blob, BlobPurposes.MissedSentence(row.Id),
            cancellationToken), StorageJson.Default.MissedSentence)
        ?? throw new InvalidOperationException($"Missed sentence {row.Id} is empty.");

    private sealed record Row(string Id, string School, DateTimeOffset? Received, byte[] Blob)
    {
        public static Row Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1),
            r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.Bytes(3));
    }
}
