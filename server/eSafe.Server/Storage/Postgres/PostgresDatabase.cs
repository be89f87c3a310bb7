using System.Security.Cryptography;
using eSafe.Server.Security;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// The shared store: a PostgreSQL database that any number of server processes use at once. Opening it applies the
/// schema migrations the server carries (<see cref="SchemaMigrations"/>). What it keeps is what the LiteDB store keeps:
/// the fields queries need in the clear, the rest as blobs encrypted by the application with the data key.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private PostgresDatabase(NpgsqlDataSource source, string description)
    {
        Source = source;
        Description = description;
    }

    /// <summary>How many statements each connection keeps prepared unless the connection string says otherwise.</summary>
    public const int AutoPrepared = 64;

    public NpgsqlDataSource Source { get; }

    /// <summary>Host, port and database, without the password: what logs and messages may name.</summary>
    public string Description { get; }

    /// <summary>Opens the database and brings its schema up to date; <see cref="ServerSetupException"/> when it cannot.</summary>
    public static PostgresDatabase Open(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ServerSetupException($"The database connection string is not valid: {e.Message}", e);
        }

        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        // The same few statements run for every request (an incident, its audit line): prepared once per connection, PostgreSQL
        // parses and plans them once. A connection string that says otherwise (Max Auto Prepare=0, e.g. behind a pooler
        // that cannot keep prepared statements) wins.
        if (!Names(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        var source = NpgsqlDataSource.Create(builder);
        try
        {
            using var connection = source.OpenConnection();
            SchemaMigrations.Apply(connection);
            return new PostgresDatabase(source, description);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            source.Dispose();
            throw new ServerSetupException($"Cannot use the database {description}: {e.Message}", e);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    // Whether the connection string itself sets the option (Npgsql's own builder answers yes for any keyword it knows).
    private static bool Names(string connectionString, params string[] keywords)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(given.ContainsKey);
    }

    /// <summary>A connection from the pool; the database being unreachable is a <see cref="StorageUnavailableException"/> (503).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Source.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw new StorageUnavailableException($"The database {Description} cannot be reached just now.", e);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction, committed when it returns.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// The data key check, as the LiteDB store keeps it: a blob made with the data key on the database's first start, so
    /// a later start with another key fails at once. Returns false when the database had none yet (it has now).
    /// </summary>
    public bool CheckDataKey(AtRestCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        using var connection = Source.OpenConnection();
        using (var insert = connection.Sql("INSERT INTO meta (id, blob) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                   DataFolder.KeyCheckPurpose, cipher.Encrypt("eSafe"u8, DataFolder.KeyCheckPurpose)))
        {
            if (insert.ExecuteNonQuery() == 1)
            {
                return false;
            }
        }

        using var select = connection.Sql("SELECT blob FROM meta WHERE id = $1", DataFolder.KeyCheckPurpose);
        var blob = (byte[])select.ExecuteScalar()!;
        try
        {
            cipher.Decrypt(blob, DataFolder.KeyCheckPurpose);
            return true;
        }
        catch (CryptographicException e)
        {
            throw new ServerSetupException($"keys/data.key is not the key the database {Description} was made with: use the keys folder that belongs to it.", e);
        }
    }

    /// <summary>Whether the database has been used by a server before (its data key check is there).</summary>
    public bool HasData()
    {
        using var connection = Source.OpenConnection();
        using var command = connection.Sql("SELECT count(*) FROM meta WHERE id = $1", DataFolder.KeyCheckPurpose);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public void Dispose() => Source.Dispose();
}
