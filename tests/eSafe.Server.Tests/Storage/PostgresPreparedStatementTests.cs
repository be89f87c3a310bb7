using eSafe.Server.Storage.Postgres;
using eSafe.Server.Tests.Support;

namespace eSafe.Server.Tests.Storage;

/// <summary>The statements every request runs are prepared on each connection, unless the connection string turns that off.</summary>
public sealed class PostgresPreparedStatementTests
{
    [TestCase("", true)]
    [TestCase(";Max Auto Prepare=0", false)]
    public async Task A_statement_run_again_and_again_on_a_connection_is_prepared_there(string setting, bool prepared)
    {
        var database = await (await PostgresCluster.SharedAsync()).NewDatabaseAsync();
        using var db = PostgresDatabase.Open(database + setting);
        await using var connection = await db.OpenAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await connection.ExecuteAsync("SELECT count(*) FROM incidents WHERE id = $1", CancellationToken.None, $"inc-{i}");
        }

        var count = await connection.ScalarAsync("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM incidents WHERE id%'",
            CancellationToken.None);
        (count > 0).Should().Be(prepared);
    }
}
