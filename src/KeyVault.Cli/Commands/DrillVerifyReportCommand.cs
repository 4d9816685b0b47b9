using System.CommandLine;
using System.Globalization;
using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>keyvault drill verify-report</c>: checks a drill report's signature, that it was made by the key the report
/// says the backup rebuilt, and optionally that this key is the expected identity; then shows what the report says.
/// </summary>
internal sealed class DrillVerifyReportCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "The drill report (- for standard input)" };
    private readonly Option<string?> _expect = new("--expect")
    {
        Description = "Also require the report's signer to be this identity: a public key, an SP…/ST… address, an identity file or a signer config",
        HelpName = "VALUE|FILE",
    };

    public DrillVerifyReportCommand(CliConsole console)
        : base("verify-report", "Check a drill report's signature and show its outcome")
    {
        Add(_file);
        Add(_expect);
        SetAction(parse => Reporter.Run(console, () => Execute(console, parse)));
    }

    private int Execute(CliConsole console, ParseResult parse)
    {
        var path = parse.GetValue(_file)!;
        var expectText = parse.GetValue(_expect);
        SharedOptions.AtMostOneStdin(path, expectText);
        var expected = expectText is null ? null : DrillRun.ReadExpected(console, expectText);

        var bytes = Inputs.ReadAll(console, path);
        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new KeyVaultException(ErrorKind.DamagedFile, $"{Inputs.Describe(path)} is not UTF-8 text",
                "give the file that `keyvault drill --report` wrote, unchanged");
        }
        var verification = DrillReport.Verify(json);
        var report = verification.Report;
        var match = expected?.Match(verification.Signer);

        var o = console.Out;
        o.WriteLine($"report      {Inputs.Describe(path)}");
        o.WriteLine($"created     {report.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} by keyvault {report.ToolVersion}");
        if (report.Executable is { } exe) o.WriteLine($"executable  sha256 {exe.Sha256}, self-test {exe.SelfTestName}");
        if (report.KeyFile is { } kf) o.WriteLine($"tested      key file {kf.Path}, sha256 {kf.Sha256}");
        if (report.Shares is { } sh)
            o.WriteLine($"tested      shares of identifier {sh.Identifier}: " + string.Join(", ",
                sh.Shares.Select(s => sh.GroupCount > 1 ? $"{s.GroupIndex + 1}-{s.MemberIndex + 1}" : $"#{s.MemberIndex + 1}")));
        o.WriteLine($"expected    {report.Expected.Kind} {report.Expected.Value}");
        o.WriteLine($"derived     {report.Derived.PublicKey} ({report.Derived.Fingerprint})");
        foreach (var c in report.Checks)
            o.WriteLine($"check       {(c.Result == DrillCheckResult.Pass ? "PASS" : "FAIL")}  {c.Name} {c.Subject}: {c.Detail}");
        o.WriteLine($"outcome     {DrillReport.OutcomeName(report.Outcome)}");
        o.WriteLine($"signature   {(verification.SignatureValid ? "valid" : "NOT VALID")}, by {verification.Signer.Hex66}"
                    + (verification.SignerIsDerivedIdentity ? " (the derived identity)" : " (NOT the derived identity)"));
        if (match is not null)
            o.WriteLine($"--expect    {expected!.KindName} {expected.Value}: {(match.Matches ? "the signer is this identity" : "the signer is NOT this identity")}");

        if (!verification.Valid) throw DrillCliError.ReportNotValid(verification.Problem ?? "the signature does not verify");
        if (match is { Matches: false }) throw DrillCliError.ReportOtherKey(verification.Signer.Fingerprint);
        o.WriteLine($"VERIFIED: this report was signed by key {verification.Signer.Fingerprint}, the key the drill rebuilt; "
                    + $"the drill's outcome was {DrillReport.OutcomeName(report.Outcome)}");
        if (expected is null)
            o.WriteLine($"note: without --expect this shows only that key {verification.Signer.Fingerprint} signed it; "
                        + "compare that key with your signer's public key, or give --expect");
        // An authentic report of a failed drill is genuine evidence of a failure: a script that checks only the exit
        // code must not read it as a good backup.
        if (report.Outcome != DrillOutcome.Passed)
        {
            Reporter.Error(console, $"the report is authentic, but the drill it records failed ({DrillReport.OutcomeName(report.Outcome)})",
                "the backup it tested did not prove itself: run the drill again, or make a new backup");
            return ExitCode.DrillReportedFailure;
        }
        return ExitCode.Success;
    }
}
