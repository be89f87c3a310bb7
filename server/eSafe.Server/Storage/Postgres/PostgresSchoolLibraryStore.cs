using eSafe.Detection;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Schools' layers: a row a school (version, switched-off global IDs) and a row an entry, changed together in a
/// transaction that holds the school's layer row locked, so changes from several processes get one version each.
/// Kept in the clear: a school's words are its configuration, not pupils' data.
/// </summary>
public sealed class PostgresSchoolLibraryStore(DataFolder data) : ISchoolLibraryStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task<SchoolLayerRecord> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var layer = await connection.QueryFirstAsync("SELECT version, changed_ms, disabled FROM school_layers WHERE school_id = $1",
            r => new { Version = r.GetInt32(0), ChangedAt = r.Time(1), Disabled = r.GetFieldValue<string[]>(2) }, cancellationToken, schoolId);
        var entries = await connection.QueryAsync(
            "SELECT entry_id, phrase, category, severity, language, exceptions, context FROM school_entries WHERE school_id = $1 ORDER BY entry_id",
            r => new ThreatEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), [.. r.GetFieldValue<string[]>(5)],
                r.GetString(6)),
            cancellationToken, schoolId);
        return new SchoolLayerRecord(schoolId, layer?.Version ?? 0, layer?.ChangedAt, entries,
            layer is null ? [] : [.. layer.Disabled.Order(StringComparer.Ordinal)]);
    }

    public async Task<int> GetVersionAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return (int)await connection.ScalarAsync("SELECT coalesce(max(version), 0) FROM school_layers WHERE school_id = $1", cancellationToken, schoolId);
    }

    public async Task<int> SaveEntryAsync(string schoolId, ThreatEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (await ChangeAsync(schoolId, at, async (connection, _) =>
        {
            await KeepHistoryAsync(connection, schoolId, entry.Id, at, cancellationToken);
            await connection.ExecuteAsync("""
                INSERT INTO school_entries (school_id, entry_id, phrase, category, severity, language, exceptions, context)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (school_id, entry_id) DO UPDATE SET phrase = $3, category = $4, severity = $5, language = $6, exceptions = $7, context = $8
                """, cancellationToken, schoolId, entry.Id, entry.Phrase, entry.Category, entry.Severity, entry.Language, entry.Exceptions.ToArray(),
                entry.Context);
            return true;
        }, cancellationToken))!.Value;
    }

    public Task<int?> RemoveEntryAsync(string schoolId, string entryId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(schoolId, at, async (connection, _) =>
        {
            await KeepHistoryAsync(connection, schoolId, entryId, at, cancellationToken);
            return await connection.ExecuteAsync("DELETE FROM school_entries WHERE school_id = $1 AND entry_id = $2", cancellationToken, schoolId, entryId) == 1;
        }, cancellationToken);

    public Task<int?> SetGlobalEntryOffAsync(string schoolId, string globalId, bool off, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(schoolId, at, async (connection, disabled) =>
        {
            if (off == disabled.Contains(globalId))
            {
                return false;
            }

            string[] changed = off ? [.. disabled, globalId] : [.. disabled.Where(d => d != globalId)];
            await connection.ExecuteAsync("UPDATE school_layers SET disabled = $2 WHERE school_id = $1", cancellationToken, schoolId, changed);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<RuleFacts>> EntryHistoryAsync(string schoolId, string entryId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var current = await connection.QueryAsync("SELECT category, severity FROM school_entries WHERE school_id = $1 AND entry_id = $2",
            r => new RuleFacts(r.GetString(0), r.GetInt32(1)), cancellationToken, schoolId, entryId);
        var earlier = await connection.QueryAsync("SELECT category, severity FROM school_entry_history WHERE school_id = $1 AND entry_id = $2",
            r => new RuleFacts(r.GetString(0), r.GetInt32(1)), cancellationToken, schoolId, entryId);
        return [.. current, .. earlier];
    }

    // Devices refresh their layer within minutes but may deliver days later: an entry's earlier category and
    // severity are kept (once each), so an incident made with an older layer is still recognised.
    private static Task<int> KeepHistoryAsync(NpgsqlConnection connection, string schoolId, string entryId, DateTimeOffset at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("""
            INSERT INTO school_entry_history (school_id, entry_id, category, severity, until_ms)
            SELECT school_id, entry_id, category, severity, $3 FROM school_entries WHERE school_id = $1 AND entry_id = $2
            ON CONFLICT (school_id, entry_id, category, severity) DO UPDATE SET until_ms = $3
            """, cancellationToken, schoolId, entryId, Pg.Ms(at));

    // One change and the version bump, all or nothing; null (and nothing written) when the change changed nothing.
    private async Task<int?> ChangeAsync(string schoolId, DateTimeOffset at, Func<NpgsqlConnection, string[], Task<bool>> change,
        CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The layer's row exists (version 0) before it is locked, so the first change of two processes also takes turns.
        await connection.ExecuteAsync("""
            INSERT INTO school_layers (school_id, version, changed_ms, disabled) VALUES ($1, 0, $2, '{}') ON CONFLICT (school_id) DO NOTHING
            """, cancellationToken, schoolId, Pg.Ms(at));
        var disabled = (await connection.QueryAsync("SELECT disabled FROM school_layers WHERE school_id = $1 FOR UPDATE",
            r => r.GetFieldValue<string[]>(0), cancellationToken, schoolId))[0];
        if (!await change(connection, disabled))
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var version = (int)await connection.ScalarAsync(
            "UPDATE school_layers SET version = version + 1, changed_ms = $2 WHERE school_id = $1 RETURNING version", cancellationToken, schoolId, Pg.Ms(at));
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
