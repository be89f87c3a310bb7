using System.Globalization;
using System.Text.Json;
using eSafe.IngestLoad;
using eSafe.Server.Tests.Support;
using Npgsql;

// dotnet bench/eSafe.IngestLoad/bin/Release/net10.0/eSafe.IngestLoad.dll [seconds] [devices] [server dll] [setups] [warm-up seconds]
//     [v1|v2] [presealed[:rate]]
// Real server processes on loopback; each device uploads sealed incidents with a 100 KB screenshot, one after another.
// Setups (comma-separated, default all): lite (LiteDB), pg1 (PostgreSQL, one server), pg2 (PostgreSQL, two servers), pgf1 and
// pgf2 (the same with the screenshots in a folder of files the servers share, serve --screenshots).
// v2 (default): the binary envelope hosts send now; v1: the JSON envelope of older hosts. presealed: every incident of the warm-up
// and the timed phase is sealed before the clock starts, for at most <rate> incidents/s (default 800), so the generator only sends.
// See bench/README.md.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var deviceCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var dll = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine("artifacts", "server", "esafe-server.dll"));
var setups = (args.Length > 3 ? args[3] : "lite,pg1,pg2,pgf1,pgf2").Split(',');
var warmUp = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 15);
var binary = args.Length <= 5 || args[5] switch
{
    "v2" => true,
    "v1" => false,
    _ => throw new ArgumentException($"The envelope is v1 or v2, not {args[5]}."),
};
int? presealRate = args.Length <= 6 ? null
    : args[6] == "presealed" ? 800
    : args[6].StartsWith("presealed:", StringComparison.Ordinal) ? int.Parse(args[6]["presealed:".Length..], CultureInfo.InvariantCulture)
    : throw new ArgumentException($"The last option is presealed or presealed:<incidents a second>, not {args[6]}.");
var duration = TimeSpan.FromSeconds(seconds);
using var client = new SealedIncidents(binary);
var root = Directory.CreateTempSubdirectory("esafe-ingest-load-").FullName;
PostgresCluster? cluster = null;
try
{
    foreach (var (setup, run) in setups.Select((s, n) => (s, n + 1)))
    {
        // A folder for each run: a setup named twice (to repeat it) starts afresh, with its own database.
        var folder = Path.Combine(root, $"{run:D2}-{setup}");
        var postgres = setup.StartsWith("pg", StringComparison.Ordinal);
        var filed = setup.StartsWith("pgf", StringComparison.Ordinal);
        var processes = postgres ? int.Parse(setup[(filed ? 3 : 2)..], CultureInfo.InvariantCulture) : 1;
        var screenshots = filed ? Path.Combine(folder, "screenshots") : null;
        string? database = null;
        if (postgres)
        {
            cluster ??= await PostgresCluster.StartAsync(durable: true);
            // Room for every device's request at once in each server's pool.
            database = new NpgsqlConnectionStringBuilder(await cluster.NewDatabaseAsync()) { MaxPoolSize = 100, ConnectionIdleLifetime = 300 }.ConnectionString;
        }

        var first = Path.Combine(folder, "server-1");
        List<IngestServer> servers = [await IngestServer.StartAsync(dll, first, keys: null, database, demo: true, screenshots)];
        try
        {
            for (var n = 2; n <= processes; n++)
            {
                // Every process holds the same keys (deployment: one keys folder, copied to each).
                var keys = Path.Combine(folder, $"keys-{n}");
                Directory.CreateDirectory(keys);
                foreach (var file in Directory.GetFiles(Path.Combine(first, "keys")))
                {
                    File.Copy(file, Path.Combine(keys, Path.GetFileName(file)));
                }

                servers.Add(await IngestServer.StartAsync(dll, Path.Combine(folder, $"server-{n}"), keys, database, demo: false, screenshots));
            }

            var code = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(first, "demo.json"))).RootElement.GetProperty("enrolmentCode").GetString()!;
            var devices = await client.EnrolAsync(servers[0].Url, code, deviceCount);
            Console.WriteLine($"{setup}: server process id(s) {string.Join(", ", servers.Select(s => s.ProcessId))}; envelope {(binary ? "v2 (binary)" : "v1 (JSON)")}");
            if (presealRate is { } rate)
            {
                // Enough for every device at the bound for the warm-up and the timed phase; beyond it a device seals live (counted).
                var perDevice = (int)Math.Ceiling(rate * (warmUp + duration).TotalSeconds / deviceCount);
                var bytes = client.Preseal(devices, perDevice);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{setup}: pre-sealed {perDevice * deviceCount} incidents ({perDevice} a device, up to {rate}/s), {bytes / 1048576.0:0} MB held"));
            }
            var port = cluster?.Port;
            var result = await IngestRun.RunAsync(setup, client, servers, devices, warmUp, duration, postgres ? () => PostgresCpu.Of(port!.Value) : null);
            Console.WriteLine(result.Describe());
            if (presealRate is not null)
            {
                Console.WriteLine($"{setup}: sealed live after the pre-sealed ran out: {client.SealedLive}");
            }
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
