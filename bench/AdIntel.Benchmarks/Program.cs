using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Every benchmark class of this assembly; pick with --filter (see bench/README.md). Benchmarks run in this process
// (in-process toolchain): BenchmarkDotNet then builds nothing of its own, so the repository's bin/obj folders stay
// untouched and --artifacts-path works as for any other build.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(AdIntel.Benchmarks.RuleEvaluationBenchmarks).Assembly).Run(args, config);
