using System.CommandLine;
using KeyVault.Cli.Infrastructure;
using KeyVault.Paper;
using KeyVault.SelfTest;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault self-test</c>: runs the library's known-answer tests and prints one line per check, then the
/// executable's SHA-256. Exits <see cref="ExitCode.SelfTestFailed"/> when any check fails.
/// </summary>
internal sealed class SelfTestCommand : Command
{
    private readonly Func<SelfTestResult> _run;

    public SelfTestCommand(CliConsole console) : this(console, RunAll)
    {
    }

    /// <summary>Every check this executable carries: the core's and the sheets' QR encoder's.</summary>
    internal static readonly KnownAnswerCheck[] Extra = [PaperSelfTests.QrCode];

    /// <summary>The self-test of this executable; the ceremony and the drill run it before anything else.</summary>
    internal static SelfTestResult RunAll() => SelfTests.Run(Extra);

    /// <summary>
    /// Runs the self-test before a ceremony or a drill: null (after printing every failed check) when it failed, so the
    /// command stops with <see cref="ExitCode.SelfTestFailed"/>; otherwise what the transcript or report records.
    /// </summary>
    internal static ExecutableRecord? Require(CliConsole console, out bool passed)
    {
        var result = console.RunSelfTest();
        passed = result.AllPassed;
        if (!passed)
        {
            foreach (var failed in result.Checks.Where(c => !c.Passed))
                console.Error.WriteLine($"keyvault: self-test: {failed.Name} FAILED ({failed.Reference}): {failed.Detail}");
            Reporter.Error(console, "the self-test failed: this executable does not compute what the standards say, so it must not touch a key",
                "get the release again and compare its SHA-256 with the published one (docs/release.md); run keyvault self-test for the details");
            return null;
        }
        console.Error.WriteLine($"keyvault: self-test passed ({result.Checks.Count} checks); executable sha256 {result.ExecutableSha256 ?? "unknown"}");
        return ExecutableRecord.From(result);
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
