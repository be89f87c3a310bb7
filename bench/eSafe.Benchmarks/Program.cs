using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/eSafe.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
