using System.Net;
using eSafe.Incidents;
using eSafe.Server.Tests.Support;
using Npgsql;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// PostgreSQL dropping the server's connections (a restart, a failover) in the middle of requests: each is answered 503
/// with Retry-After, never a bare 500, so devices keep the incident and try again; the server recovers by itself.
/// </summary>
public sealed class PostgresFaultTests
{
    [Test]
    public async Task Connections_the_database_drops_mid_request_get_503_and_the_server_recovers_by_itself()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var database = await cluster.NewDatabaseAsync();
        await using var server = await ServerHarness.StartAsync(configure: o => o with { Database = database });
        var device = await server.EnrolAsync();
        var before = TestIncidents.New(device);
        (await server.UploadAsync(device, before)).StatusCode.Should().Be(HttpStatusCode.OK);

        // Each round drops every connection the server holds; the pool finds out only when it next uses one. The
        // server's own timed work may meet a dropped connection first, so a round may pass with no 503: several rounds.
        var answers = new List<HttpStatusCode>();
        var delivered = new List<Incident>();
        for (var round = 0; round < 5 && !answers.Contains(HttpStatusCode.ServiceUnavailable); round++)
        {
            await TerminateBackendsAsync(cluster, new NpgsqlConnectionStringBuilder(database).Database!);
            var incident = TestIncidents.New(device);
            var status = HttpStatusCode.ServiceUnavailable;
            for (var attempt = 0; attempt < 20 && status == HttpStatusCode.ServiceUnavailable; attempt++)
            {
                using var answer = await server.UploadAsync(device, incident);
                status = answer.StatusCode;
                answers.Add(status);
                if (status == HttpStatusCode.ServiceUnavailable)
                {
                    answer.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
                }
            }

            status.Should().Be(HttpStatusCode.OK, "the pool opens new connections once the dead ones are found");
            delivered.Add(incident);
        }

        answers.Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable || s == HttpStatusCode.OK, "never a bare 500");
        answers.Should().Contain(HttpStatusCode.ServiceUnavailable, "some request met a connection the database dropped");
        var analyst = await server.SignedInAsync();
        foreach (var incident in delivered)
        {
            (await analyst.GetIncidentAsync(incident.Id, CancellationToken.None)).Context.Should().Be(incident.Context);
        }
    }

    private static async Task TerminateBackendsAsync(PostgresCluster cluster, string database)
    {
        await using var admin = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue(database);
        var terminated = (long)(await terminate.ExecuteScalarAsync())!;
        terminated.Should().BePositive("the server holds pooled connections to its database");
        // pg_terminate_backend only signals: wait until the backends are really gone.
        for (var i = 0; i < 50; i++)
        {
            await using var left = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin);
            left.Parameters.AddWithValue(database);
            if ((long)(await left.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
