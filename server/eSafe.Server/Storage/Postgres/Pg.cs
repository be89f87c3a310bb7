using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Commands with positional parameters (<c>$1</c>, <c>$2</c>, …; null is SQL NULL) and the column readers the stores share.</summary>
internal static class Pg
{
    public static PostgresDatabase RequirePostgres(this DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Postgres ?? throw new InvalidOperationException("The server was not given a PostgreSQL database (--database).");
    }

    public static NpgsqlCommand Sql(this NpgsqlConnection connection, string sql, params object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>One command of an <see cref="NpgsqlBatch"/> (sent with the others in one round trip).</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var command = connection.Sql(sql, args);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params object?[] args)
    {
        await using var command = connection.Sql(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task<T?> QueryFirstAsync<T>(this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params object?[] args) where T : class =>
        (await connection.QueryAsync(sql + " LIMIT 1", read, cancellationToken, args)).FirstOrDefault();

    public static async Task<long> ScalarAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var command = connection.Sql(sql, args);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(this NpgsqlDataReader reader, int column) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    public static DateTimeOffset? OptionalTime(this NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    public static string? Text(this NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public static byte[] Bytes(this NpgsqlDataReader reader, int column) => reader.GetFieldValue<byte[]>(column);
}
