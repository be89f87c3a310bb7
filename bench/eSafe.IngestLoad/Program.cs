using System.Globalization;
using System.Text.Json;
using eSafe.IngestLoad;
using eSafe.Server.Tests.Support;
using Npgsql;

// dotnet bench/eSafe.IngestLoad/bin/Release/net10.0/eSafe.IngestLoad.dll [seconds] [devices] [server dll] [setups] [warm-up seconds]
// Real server processes on loopback; each device uploads sealed incidents with a 100 KB screenshot, one after another.
// Setups (comma-separated, default all): lite (LiteDB), pg1 (PostgreSQL, one server), pg2 (PostgreSQL, two servers). See bench/README.md.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var deviceCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var dll = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine("artifacts", "server", "esafe-server.dll"));
var setups = (args.Length > 3 ? args[3] : "lite,pg1,pg2").Split(',');
var warmUp = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 15);
var duration = TimeSpan.FromSeconds(seconds);
using var client = new SealedIncidents();
var root = Directory.CreateTempSubdirectory("esafe-ingest-load-").FullName;
PostgresCluster? cluster = null;
try
{
    foreach (var setup in setups)
    {
        var postgres = setup.StartsWith("pg", StringComparison.Ordinal);
        var processes = postgres ? int.Parse(setup[2..], CultureInfo.InvariantCulture) : 1;
        string? database = null;
        if (postgres)
        {
            cluster ??= await PostgresCluster.StartAsync(durable: true);
            // Room for every device's request at once in each server's pool.
            database = new NpgsqlConnectionStringBuilder(await cluster.NewDatabaseAsync()) { MaxPoolSize = 100, ConnectionIdleLifetime = 300 }.ConnectionString;
        }

        var first = Path.Combine(root, setup, "server-1");
        List<IngestServer> servers = [await IngestServer.StartAsync(dll, first, keys: null, database, demo: true)];
        try
        {
            for (var n = 2; n <= processes; n++)
            {
                // Every process holds the same keys (deployment: one keys folder, copied to each).
                var keys = Path.Combine(root, setup, $"keys-{n}");
                Directory.CreateDirectory(keys);
                foreach (var file in Directory.GetFiles(Path.Combine(first, "keys")))
                {
                    File.Copy(file, Path.Combine(keys, Path.GetFileName(file)));
                }

                servers.Add(await IngestServer.StartAsync(dll, Path.Combine(root, setup, $"server-{n}"), keys, database, demo: false));
            }

            var code = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(first, "demo.json"))).RootElement.GetProperty("enrolmentCode").GetString()!;
            var devices = await client.EnrolAsync(servers[0].Url, code, deviceCount);
            Console.WriteLine($"{setup}: server process id(s) {string.Join(", ", servers.Select(s => s.ProcessId))}");
            var port = cluster?.Port;
            var result = await IngestRun.RunAsync(setup, client, servers, devices, warmUp, duration, postgres ? () => PostgresCpu.Of(port!.Value) : null);
            Console.WriteLine(result.Describe());
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
finally
{
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
    }

    Directory.Delete(root, recursive: true);
}
