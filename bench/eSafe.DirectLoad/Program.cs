using eSafe.DirectLoad;

// dotnet run -c Release --project bench/eSafe.DirectLoad -- [seconds per phase] [concurrency] [server dll] [sessions|one-use] [warm-up seconds] [text|incidents|both]
// Starts the published server (artifacts/server/esafe-server.dll) on a loopback port, enrols devices, and
// measures direct mode: 2 KB text batches, then incidents with a 150 KB screenshot. Devices seal through sealing
// sessions as the extension does, or with one-use keys as older extensions did. See bench/README.md.
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
var concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;
var dll = args.Length > 2 ? args[2] : Path.Combine("artifacts", "server", "esafe-server.dll");
var oneUseKeys = args.Length > 3 && args[3] switch
{
    "one-use" => true,
    "sessions" => false,
    _ => throw new ArgumentException($"The fourth argument is 'sessions' or 'one-use', not '{args[3]}'."),
};
var warmUp = TimeSpan.FromSeconds(args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 20);
Phase[] phases = (args.Length > 5 ? args[5] : "both") switch
{
    "text" => [Phase.TextBatches],
    "incidents" => [Phase.Incidents],
    "both" => [Phase.TextBatches, Phase.Incidents],
    var other => throw new ArgumentException($"The sixth argument is 'text', 'incidents' or 'both', not '{other}'."),
};
await using var server = await LoadServer.StartAsync(Path.GetFullPath(dll));
var devices = await server.EnrolAsync(concurrency);
using var load = new DirectClient(server.Url, oneUseKeys);
foreach (var phase in phases)
{
    var result = await LoadRun.RunAsync(phase, load, devices, concurrency, TimeSpan.FromSeconds(seconds), warmUp, () => server.CpuTime);
    Console.WriteLine((oneUseKeys ? "[one-use keys] " : "[sealing sessions] ") + result.Describe());
}
