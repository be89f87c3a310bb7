using System.Globalization;
using System.Xml.Linq;
using eSafe.Server.Security;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// <c>esafe-server keys re-encrypt</c> on PostgreSQL: what <see cref="LiteDb.ReEncryption"/> does for the LiteDB file. Rows
/// made with an older data key are found by their blob's header, a hundred at a time, and each is updated on its own (so a
/// stop half-way leaves every row readable). Month-key blobs are left as they are: their month key is re-wrapped instead.
/// </summary>
public static class PostgresReEncryption
{
    private const int Batch = 100;

    // A table's blob column, the columns its purpose is made of (the key columns first), and how the row is found again.
    private sealed record Spec(string Name, string Table, string Blob, string Columns, string KeyWhere, int KeyCount, Func<NpgsqlDataReader, string> Purpose);

    private static readonly Spec[] Specs =
    [
        new("incident contents", "incidents", "contents", "id, school_id, device_id, category, severity, occurred_ms, received_ms", "id = $2", 1,
            r => BlobPurposes.IncidentContents(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetInt64(6))),
        new("screenshots", "screenshots", "blob", "incident_id", "incident_id = $2", 1, r => BlobPurposes.Screenshot(r.GetString(0))),
        new("devices", "devices", "contents", "id, school_id", "id = $2", 1, r => BlobPurposes.Device(r.GetString(0), r.GetString(1))),
        new("incident workflows", "incidents", "workflow", "id, workflow_version", "id = $2 AND workflow_version = $3", 2,
            r => BlobPurposes.Workflow(r.GetString(0), r.GetInt32(1))),
        new("safeguarding", "safeguarding", "blob", "school_id, version", "school_id = $2 AND version = $3", 2,
            r => BlobPurposes.Safeguarding(r.GetString(0), r.GetInt32(1))),
        new("proposals", "proposals", "blob", "id", "id = $2", 1, r => BlobPurposes.Proposal(r.GetString(0))),
        new("missed sentences", "missed_sentences", "blob", "id", "id = $2", 1, r => BlobPurposes.MissedSentence(r.GetString(0))),
        new("sessions", "sessions", "ticket", "id", "id = $2", 1, r => ServerSessions.TicketPurpose(r.GetString(0))),
        new("period keys", "period_keys", "wrapped", "school_id, period", "school_id = $2 AND period = $3", 2,
            r => PeriodKeys.WrapPurpose(r.GetString(0), r.GetString(1))),
        new("key check", "meta", "blob", "id", "id = $2", 1, r => r.GetString(0)),
    ];

    /// <summary>How many blobs were moved to the current key, by where they are kept.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(PostgresDatabase db, AtRestCipher cipher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cipher);
        var moved = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using var connection = await db.OpenAsync(cancellationToken);
        foreach (var spec in Specs)
        {
            moved[spec.Name] = await MoveAsync(connection, spec, cipher, cancellationToken);
        }

        moved["cookie keys"] = await MoveDataProtectionKeysAsync(connection, cipher, cancellationToken);
        return moved;
    }

    private static async Task<int> MoveAsync(NpgsqlConnection connection, Spec spec, AtRestCipher cipher, CancellationToken cancellationToken)
    {
        // Version 1 blobs are key 1; version 2 name their key in bytes 1-2; version 3 (month keys) are not the data key's.
        var stale = $"(get_byte({spec.Blob}, 0) = 1 OR (get_byte({spec.Blob}, 0) = 2 AND get_byte({spec.Blob}, 1) * 256 + get_byte({spec.Blob}, 2) <> "
            + cipher.CurrentKey.ToString(CultureInfo.InvariantCulture) + "))";
        var where = spec.Table == "meta" ? $" AND id = '{DataFolder.KeyCheckPurpose}'" : "";
        var count = 0;
        while (true)
        {
            var rows = await connection.QueryAsync(
                $"SELECT {spec.Columns}, {spec.Blob} FROM {spec.Table} WHERE {spec.Blob} IS NOT NULL AND {stale}{where} LIMIT {Batch}",
                r =>
                {
                    var keys = Enumerable.Range(0, spec.KeyCount).Select(r.GetValue).ToArray();
                    return (Keys: keys, Purpose: spec.Purpose(r), Blob: r.Bytes(r.FieldCount - 1));
                }, cancellationToken);
            foreach (var (keys, purpose, blob) in rows)
            {
                await connection.ExecuteAsync($"UPDATE {spec.Table} SET {spec.Blob} = $1 WHERE {spec.KeyWhere}", cancellationToken,
                    [cipher.ReEncrypt(blob, purpose), .. keys]);
                count++;
            }

            if (rows.Count < Batch)
            {
                return count;
            }
        }
    }

    private static async Task<int> MoveDataProtectionKeysAsync(NpgsqlConnection connection, AtRestCipher cipher, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var (name, text) in await connection.QueryAsync("SELECT friendly_name, xml FROM data_protection_keys", r => (r.GetString(0), r.GetString(1)),
                     cancellationToken))
        {
            var xml = XElement.Parse(text);
            var changed = false;
            foreach (var value in xml.DescendantsAndSelf("encryptedKey").Elements("value"))
            {
                var blob = Convert.FromBase64String(value.Value);
                if (AtRestCipher.KeyOf(blob) != cipher.CurrentKey)
                {
                    value.Value = Convert.ToBase64String(cipher.ReEncrypt(blob, AtRestXmlEncryptor.Purpose));
                    changed = true;
                }
            }

            if (changed)
            {
                await connection.ExecuteAsync("UPDATE data_protection_keys SET xml = $2 WHERE friendly_name = $1", cancellationToken, name,
                    xml.ToString(SaveOptions.DisableFormatting));
                count++;
            }
        }

        return count;
    }
}
