using eSafe.Server.Storage.Postgres;
using eSafe.Server.Tests.Support;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>The schema keeps ciphertext as it is: PostgreSQL must not spend CPU trying to compress bytes that never compress.</summary>
public sealed class PostgresColumnStorageTests
{
    [Test]
    public async Task Every_bytea_column_is_stored_external_so_ciphertext_is_never_run_through_compression()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        PostgresDatabase.Open(database).Dispose();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname || '.' || a.attname, a.attstorage::text
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.atttypid = 'bytea'::regtype AND a.attnum > 0 AND NOT a.attisdropped
            """, connection);
        var storage = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                storage[reader.GetString(0)] = reader.GetString(1);
            }
        }

        storage.Should().ContainKeys("incidents.contents", "screenshots.blob", "pending_incidents.sealed");
        storage.Should().OnlyContain(c => c.Value == "e",
            "a column of ciphertext left at 'x' (extended) is tried with pglz whenever its row is over about 2 KB");
    }
}
