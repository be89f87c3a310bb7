using eSafe.Server.Storage;
using eSafe.Server.Tests.Support;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// A device deletes its copy of an incident on the server's 200, so the incident's transaction must commit synchronously
/// (its WAL flushed before the commit returns) even on a database whose default is <c>synchronous_commit = off</c>.
/// </summary>
public sealed class PostgresSynchronousCommitTests
{
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> TextAsync(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task The_incident_and_its_screenshot_commit_synchronously_where_the_databases_default_is_off()
    {
        var database = await StoreKind.Postgres.NewDatabaseAsync();
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$");
        }

        await using var stores = Stores.Open(ServerHarness.NewDataDirectory(), database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        // What the inserting transaction's setting is, seen from inside it: a trigger notes it beside the row (the commit takes the
        // setting as it is then, and nothing after the insert changes it); and where the WAL was when the row went in.
        await ExecuteAsync(connection, """
            CREATE TABLE commit_modes (incident_id text PRIMARY KEY, mode text NOT NULL, inserted_at pg_lsn NOT NULL);
            CREATE FUNCTION note_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                INSERT INTO commit_modes VALUES (NEW.id, current_setting('synchronous_commit'), pg_current_wal_insert_lsn());
                RETURN NEW;
            END $f$;
            CREATE TRIGGER note_commit_mode AFTER INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION note_commit_mode();
            """);
        (await TextAsync(connection, "SHOW synchronous_commit")).Should().Be("off", "the database's default applies to a new session");

        var (incident, screenshot) = IncidentStoreContractTests.Make("sch-a", 1);
        (await stores.Get<IIncidentStore>().AddAsync(incident, screenshot, CancellationToken.None)).Should().Be(AddOutcome.Added);
        var flushedAfterAdd = await TextAsync(connection, "SELECT pg_current_wal_flush_lsn()::text");

        (await TextAsync(connection, "SELECT mode FROM commit_modes WHERE incident_id = $1", incident.Id)).Should().Be("on");
        (await TextAsync(connection, "SELECT ($1::text::pg_lsn > inserted_at)::text FROM commit_modes WHERE incident_id = $2", flushedAfterAdd, incident.Id))
            .Should().Be("true", "when the store returned, the WAL was flushed past the incident's insert (and its commit record after it)");

        // The same insert without the store's set_config is noted "off": the check above can fail.
        await ExecuteAsync(connection, """
            INSERT INTO incidents (id, school_id, device_id, status, category, severity, occurred_ms, received_ms, rule_id, user_tag, contents)
            VALUES ('inc-plain', 'sch-a', 'dev-a', 'new', 'self-harm', 4, 1, 2, 'rule', 'tag', '\x00')
            """);
        (await TextAsync(connection, "SELECT mode FROM commit_modes WHERE incident_id = 'inc-plain'")).Should().Be("off");
    }
}
