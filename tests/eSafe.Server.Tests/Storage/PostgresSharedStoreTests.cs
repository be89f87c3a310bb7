using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using eSafe.Server.Tests.Support;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>What only a shared store has to get right: several processes (here: several data folders sharing keys) on one database.</summary>
public sealed class PostgresSharedStoreTests
{
    [Test]
    public async Task Servers_starting_together_on_a_new_database_apply_each_migration_once()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresDatabase.Open(database))));
        foreach (var db in opened)
        {
            db.Dispose();
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        var versions = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(0));
            }
        }

        versions.Should().Equal(SchemaMigrations.All.Select(m => m.Version));
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_server_is_refused_and_left_as_it_is()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        PostgresDatabase.Open(database).Dispose();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_from_the_future')", connection);
            await newer.ExecuteNonQueryAsync();
        }

        FluentActions.Invoking(() => PostgresDatabase.Open(database)).Should().Throw<Security.ServerSetupException>()
            .WithMessage($"*schema is at version 999, newer than this server knows ({SchemaMigrations.All[^1].Version})*");
    }

    [Test]
    public async Task Two_processes_cleaning_up_at_once_delete_each_finished_job_once()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var keys = ServerHarness.NewDataDirectory();
        try
        {
            await using var one = Stores.Open(ServerHarness.NewDataDirectory(), database, keysDirectory: keys);
            await using var two = Stores.Open(ServerHarness.NewDataDirectory(), database, keysDirectory: keys);
            var cutOff = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 200; i++)
            {
                await one.Get<IJobStore>().AddAsync(new EscalationJob($"job-{i:D3}", JobKinds.ReportEmail, "sch-1", "inc-1", 1, null, 0, null,
                    cutOff.AddDays(-40), cutOff.AddDays(-40), JobStates.Done, 1, null, "sent", cutOff.AddDays(-31).AddMinutes(i)), CancellationToken.None);
            }

            async Task<int> CleanUpAsync(Stores process)
            {
                var total = 0;
                int batch;
                while ((batch = await process.Get<IJobStore>().DeleteFinishedAsync(cutOff, 10, CancellationToken.None)) > 0)
                {
                    total += batch;
                }

                return total;
            }

            var deleted = await Task.WhenAll(Task.Run(() => CleanUpAsync(one)), Task.Run(() => CleanUpAsync(two)));
            deleted.Sum().Should().Be(200);
            (await two.Get<IJobStore>().ListForIncidentAsync("inc-1", CancellationToken.None)).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Test]
    public async Task Any_machine_checks_the_audit_log_against_the_anchors_every_machine_made()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var keysA = ServerHarness.NewDataDirectory();
        var keysB = ServerHarness.NewDataDirectory();
        try
        {
            var options = new ServerOptions { AuditAnchorInterval = 5 };
            await using var machineA = Stores.Open(ServerHarness.NewDataDirectory(), database, options, keysA);
            _ = machineA.Get<IAuditLog>(); // makes the audit key, which the second machine gets a copy of
            foreach (var file in Directory.GetFiles(keysA))
            {
                File.Copy(file, Path.Combine(keysB, Path.GetFileName(file)));
            }

            await using var machineB = Stores.Open(ServerHarness.NewDataDirectory(), database, options, keysB);
            for (var n = 1; n <= 10; n++)
            {
                await machineA.Get<IAuditLog>().AppendAsync(new AuditEvent($"user-{n}", AuditActions.IncidentRead, $"inc-{n}"), CancellationToken.None);
            }

            File.Exists(Path.Combine(keysB, AuditAnchors.FileName)).Should().BeFalse("machine B wrote no anchor of its own");
            var onB = await machineB.Get<IAuditLog>().VerifyAsync(CancellationToken.None);
            onB.Problems.Should().BeEmpty();
            (onB.Anchors, onB.LastAnchoredCount).Should().Be((2, 10L));

            // Someone with the database but not the keys: entries cut from the end show, a made-up anchor is refused.
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var cut = new NpgsqlCommand("DELETE FROM audit WHERE seq > 7", connection);
                await cut.ExecuteNonQueryAsync();
                await using var forged = new NpgsqlCommand(
                    "INSERT INTO audit_anchors (count, head, at_ms, mac) SELECT 7, hash, 0, repeat('0', 64) FROM audit WHERE seq = 7", connection);
                await forged.ExecuteNonQueryAsync();
            }

            var problems = (await machineB.Get<IAuditLog>().VerifyAsync(CancellationToken.None)).Problems;
            problems.Should().HaveCount(2);
            problems.Should().Contain("Anchor 3 in the database was changed or not made with this server's audit key.");
            problems.Should().Contain(p => p.StartsWith("The log ends at entry 7 ", StringComparison.Ordinal) && p.Contains("recorded 10 entries"));
        }
        finally
        {
            Directory.Delete(keysA, recursive: true);
            Directory.Delete(keysB, recursive: true);
        }
    }

    [Test]
    public async Task Two_processes_appending_at_once_write_one_unbroken_audit_chain()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        var keys = ServerHarness.NewDataDirectory();
        try
        {
            var options = new ServerOptions { AuditAnchorInterval = 10 };
            await using var one = Stores.Open(ServerHarness.NewDataDirectory(), database, options, keys);
            await using var two = Stores.Open(ServerHarness.NewDataDirectory(), database, options, keys);
            var appends = Enumerable.Range(0, 40).Select(n => Task.Run(() => (n % 2 == 0 ? one : two).Get<IAuditLog>()
                .AppendAsync(new AuditEvent($"user-{n}", AuditActions.IncidentRead, $"inc-{n}"), CancellationToken.None)));
            var entries = await Task.WhenAll(appends);

            entries.Select(e => e.Sequence).Should().BeEquivalentTo(Enumerable.Range(1, 40).Select(n => (long)n));
            (await one.Get<IAuditLog>().FindBreakAsync(CancellationToken.None)).Should().BeNull();
            (await two.Get<IAuditLog>().VerifyAsync(CancellationToken.None)).Problems.Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Test]
    public async Task A_database_refuses_a_server_with_other_keys()
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        await using (var first = Stores.Open(ServerHarness.NewDataDirectory(), database))
        {
            await first.Get<ISchoolStore>().AddAsync(new SchoolRecord("sch-1", "Hill", "hash", DateTimeOffset.UnixEpoch), CancellationToken.None);
        }

        var other = ServerHarness.NewDataDirectory();
        try
        {
            FluentActions.Invoking(() => DataFolder.Open(other, connectionString: database)).Should().Throw<Security.ServerSetupException>()
                .WithMessage("*data.key*");
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Test]
    public void A_database_that_cannot_be_reached_is_a_clear_setup_error()
    {
        var folder = ServerHarness.NewDataDirectory();
        try
        {
            FluentActions.Invoking(() => DataFolder.Open(folder, connectionString: "Host=127.0.0.1;Port=1;Database=none;Username=x;Password=y;Timeout=3"))
                .Should().Throw<Security.ServerSetupException>().WithMessage("Cannot use the database PostgreSQL 127.0.0.1:1/none*");
            FluentActions.Invoking(() => DataFolder.Open(folder, connectionString: "Host=127.0.0.1;Bogus Key=1"))
                .Should().Throw<Security.ServerSetupException>().WithMessage("*connection string*");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
