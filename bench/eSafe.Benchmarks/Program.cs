using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using eSafe.Benchmarks;
using eSafe.Benchmarks.Reporting;

// dotnet run -c Release --project bench/eSafe.Benchmarks -- quick        (Stopwatch, about 30 s)
// dotnet run -c Release --project bench/eSafe.Benchmarks -- --filter '*' (BenchmarkDotNet, authoritative)
// See bench/README.md.
if (args is ["quick", ..])
{
    QuickRun.Run();
    return;
}

var config = DefaultConfig.Instance
    .AddColumn(new MegabytesPerSecondColumn(), new MatcherOverSearchValuesColumn())
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
if (summaries.Any(s => s.Reports.Length > 0))
{
    Console.WriteLine();
    Console.WriteLine(FinalTable.From(summaries).Render());
}
