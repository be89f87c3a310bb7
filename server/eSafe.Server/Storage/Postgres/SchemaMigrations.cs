using System.Globalization;
using System.Reflection;
using eSafe.Server.Security;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// The schema as numbered SQL files (Migrations/NNNN_name.sql, embedded in the server), applied in order at start-up,
/// each in its own transaction and recorded in <c>schema_migrations</c>. An advisory lock held meanwhile makes two
/// processes starting together take turns: the second finds the work done.
/// </summary>
public static class SchemaMigrations
{
    /// <summary>The advisory lock's key ("eSafe" and 1): any number that no other application on the database uses.</summary>
    private const long LockKey = 0x6553_6166_6500_0001;
    private const string ResourcePrefix = "eSafe.Server.Storage.Postgres.Migrations.";

    public sealed record Migration(int Version, string Name, string Sql);

    /// <summary>Every migration the server carries, in order.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Applies what is missing; returns the versions applied now (empty when the schema was up to date).</summary>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Execute(connection, "SELECT pg_advisory_lock($1)", LockKey);
        try
        {
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """);
            var applied = new HashSet<int>();
            using (var command = connection.Sql("SELECT version FROM schema_migrations"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            if (applied.Count > 0 && applied.Max() > All[^1].Version)
            {
                throw new ServerSetupException(
                    $"The database's schema is at version {applied.Max()}, newer than this server knows ({All[^1].Version}): run the newer eSafe server.");
            }

            var now = new List<int>();
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, migration.Sql);
                Execute(connection, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", migration.Version, migration.Name);
                transaction.Commit();
                now.Add(migration.Version);
            }

            return now;
        }
        finally
        {
            Execute(connection, "SELECT pg_advisory_unlock($1)", LockKey);
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql, params object?[] args)
    {
        using var command = connection.Sql(sql, args);
        command.ExecuteNonQuery();
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(assembly, n))
            .OrderBy(m => m.Version)
            .ToList();
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The migrations are not numbered 1, 2, 3, …: {migrations[i].Name} is number {migrations[i].Version}.");
            }
        }

        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("The server carries no schema migrations.");
    }

    private static Migration Read(Assembly assembly, string resource)
    {
        var name = resource[ResourcePrefix.Length..^".sql".Length];
        var number = name.Split('_')[0];
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture), name, reader.ReadToEnd());
    }
}
