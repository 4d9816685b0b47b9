using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.SelfTest;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault self-test</c>: runs the library's known-answer tests and prints one line per check, then the
/// executable's SHA-256. Exits <see cref="ExitCode.SelfTestFailed"/> when any check fails.
/// </summary>
internal sealed class SelfTestCommand : Command
{
    private readonly Func<SelfTestResult> _run;

    public SelfTestCommand(CliConsole console) : this(console, SelfTests.Run)
    {
    }

    /// <summary>With another runner: tests pass one that corrupts a known answer.</summary>
    internal SelfTestCommand(CliConsole console, Func<SelfTestResult> run)
        : base("self-test", "Check every cryptographic primitive against known answers and print this executable's SHA-256")
    {
        _run = run;
        SetAction(_ => Reporter.Run(console, () => Execute(console)));
    }

    private int Execute(CliConsole console)
    {
        var result = _run();
        var width = result.Checks.Max(c => c.Name.Length);
        foreach (var check in result.Checks)
        {
            var detail = check.Detail.Length > 0 ? check.Detail : check.Reference;
            console.Out.WriteLine($"{(check.Passed ? "ok  " : "FAIL")}  {check.Name.PadRight(width)}  {detail}");
        }
        var failed = result.Checks.Count(c => !c.Passed);
        if (failed == 0)
        {
            console.Out.WriteLine($"self-test passed: {result.Checks.Count} checks");
            return ExitCode.Success;
        }
        Reporter.Error(console, $"self-test FAILED: {failed} of {result.Checks.Count} checks",
            "do not use this executable for a key: build or download it again and compare its SHA-256 (docs/release.md)");
        return ExitCode.SelfTestFailed;
    }
}
