using BenchmarkDotNet.Running;

// Run all:  dotnet run -c Release --project bench/KeyVault.Benchmarks -- --filter '*'
// One area: dotnet run -c Release --project bench/KeyVault.Benchmarks -- --filter '*KeyBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
