using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using eSafe.Benchmarks;
using eSafe.Benchmarks.Reporting;

// dotnet run -c Release --project bench/eSafe.Benchmarks -- quick        (Stopwatch, about 30 s)
// dotnet run -c Release --project bench/eSafe.Benchmarks -- --filter '*' (BenchmarkDotNet, authoritative)
// dotnet run -c Release --project bench/eSafe.Benchmarks -- write-library 100000 FILE   (for bench/host-library-load.py)
// See bench/README.md.
if (args is ["quick", ..])
{
    QuickRun.Run();
    return;
}

if (args is ["write-library", var count, var file])
{
    File.WriteAllBytes(file, eSafe.Detection.LibraryFormat.Write(eSafe.Benchmarks.Workload.CompiledSet.Build(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)).Compiled));
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
