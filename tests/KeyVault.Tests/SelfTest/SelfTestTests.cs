using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Cli;
using KeyVault.Cli.Commands;
using KeyVault.Codecs;
using KeyVault.SelfTest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.SelfTest;

public class SelfTestTests
{
    // What the executable carries: the core's checks and the sheets' QR encoder's.
    private static readonly IReadOnlyList<KnownAnswerCheck> Extra = SelfTestCommand.Extra;
    private static readonly IReadOnlyList<string> Names = SelfTests.CheckNames(Extra);

    [Fact]
    public void EveryCheckPassesAndTheExecutableHashIsTheFilesSha256()
    {
        var result = SelfTests.Run(Environment.ProcessPath, corrupt: null, Extra);
        Assert.True(result.AllPassed, string.Join("\n", result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}")));
        Assert.Equal(Names, result.Checks.Select(c => c.Name));
        Assert.Equal("pass", result.Outcome);
        Assert.Equal(Environment.ProcessPath, result.ExecutablePath);
        Assert.Equal(Hex.Encode(SHA256.HashData(File.ReadAllBytes(Environment.ProcessPath!))), result.ExecutableSha256);
    }

    [Fact]
    public void ADevelopmentBuildIsNotHashedSoNoDocumentRecordsTheHashOfTheDotnetHost()
    {
        // The tests run from assemblies on disk, as `dotnet keyvault.dll` does: the process is the dotnet host or a launcher.
        Assert.False(SelfTests.IsSingleFile);
        var result = SelfTests.Run(Extra);
        Assert.True(result.AllPassed);
        Assert.Null(result.ExecutableSha256);
        Assert.Null(ExecutableRecord.From(result));
        Assert.Contains("development build", Assert.Single(result.Checks, c => c.Name == SelfTests.ExecutableCheckName).Detail);
    }

    public static TheoryData<string> KnownAnswerChecks => new(SelfTests.CheckNames(SelfTestCommand.Extra).Where(n => n != SelfTests.ExecutableCheckName));

    [Theory]
    [MemberData(nameof(KnownAnswerChecks))]
    public void ACorruptedKnownAnswerFailsThatCheckAndNoOther(string name)
    {
        var result = SelfTests.Run(Environment.ProcessPath, corrupt: name, Extra);
        Assert.False(result.AllPassed);
        Assert.Equal("fail", result.Outcome);
        var failed = Assert.Single(result.Checks, c => !c.Passed);
        Assert.Equal(name, failed.Name);
        Assert.Contains("known answer", failed.Detail);
    }

    [Fact]
    public void AnUnreadableExecutableFailsTheExecutableCheck()
    {
        var result = SelfTests.Run(Path.Combine(Path.GetTempPath(), "kv-no-such-file-" + Guid.NewGuid().ToString("n")), corrupt: null, Extra);
        Assert.False(result.AllPassed);
        Assert.Null(result.ExecutableSha256);
        Assert.Equal(SelfTests.ExecutableCheckName, Assert.Single(result.Checks, c => !c.Passed).Name);
    }

    [Fact]
    public void SelfTestCommandPrintsOneLinePerCheckAndExitsZero()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, Program.Run(["self-test"], console));
        var lines = console.StdoutText.TrimEnd('\n').Split('\n');
        Assert.Equal(Names.Count + 1, lines.Length);
        for (var i = 0; i < Names.Count; i++)
            Assert.StartsWith($"ok    {Names[i]} ", lines[i]);
        Assert.Contains("not hashed: a development build", lines[^2]);
        Assert.Equal($"self-test passed: {Names.Count} checks", lines[^1]);
    }

    [Fact]
    public void ACorruptedKnownAnswerMakesTheCommandExitWithTheSelfTestCode()
    {
        var console = new TestConsole();
        var command = new SelfTestCommand(console, () => SelfTests.Run(Environment.ProcessPath, corrupt: "argon2id"));
        var code = command.Parse([]).Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
        Assert.Equal(11, code);
        Assert.Equal(ExitCode.SelfTestFailed, code);
        Assert.Contains(console.StdoutText.Split('\n'), l => l.StartsWith("FAIL  argon2id ", StringComparison.Ordinal));
        Assert.Contains("keyvault: error: self-test FAILED: 1 of", console.StderrText);
    }

    [Fact]
    public void TheQrCheckSymbolDecodesToItsPayloadWithAnIndependentDecoder()
    {
        // The qr-code check's known answer was produced by this encoder; zbar, a separate implementation, confirms
        // that the symbol it hashes really is a QR code of the share.
        var symbol = KeyVault.Paper.PaperSelfTests.QrSymbolOfSelfTestShare(out var payload);
        using var dir = new TempDir();
        var image = dir.File("self-test-qr.pbm");
        File.WriteAllText(image, Pbm(symbol, scale: 4), Encoding.ASCII);
        Assert.Equal(payload, SheetTools.DecodeQr(image));
        Assert.Equal(Convert.FromHexString(KnownAnswers.QrCodeShare), KeyVault.Paper.PaperSelfTests.Sha256OfQrCode(payload, symbol));
    }

    /// <summary>A plain PBM image (P1) of the symbol with its 4-module quiet zone, each module scale × scale pixels.</summary>
    private static string Pbm(KeyVault.Paper.QrSymbol symbol, int scale)
    {
        var modules = symbol.Size + 2 * KeyVault.Paper.QrSymbol.QuietZone;
        var pixels = modules * scale;
        var sb = new StringBuilder($"P1\n{pixels} {pixels}\n");
        for (var y = 0; y < pixels; y++)
        {
            for (var x = 0; x < pixels; x++)
            {
                var r = y / scale - KeyVault.Paper.QrSymbol.QuietZone;
                var c = x / scale - KeyVault.Paper.QrSymbol.QuietZone;
                var dark = r >= 0 && c >= 0 && r < symbol.Size && c < symbol.Size && symbol.IsDark(r, c);
                sb.Append(dark ? '1' : '0');
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>The ceremony and the drill run the self-test first, refuse to go on when it fails, and record its result.</summary>
public class SelfTestGateTests
{
    private static SelfTestResult Corrupted() => SelfTests.Run(Environment.ProcessPath, corrupt: "sha-256", SelfTestCommand.Extra);

    [Fact]
    public void ADrillWithAFailingSelfTestAsksNothingAndExits11()
    {
        using var dir = new TempDir();
        var console = new TestConsole { SelfTestRunner = Corrupted };
        int code = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--shares");
        Assert.Equal(ExitCode.SelfTestFailed, code);
        Assert.Contains("self-test: sha-256 FAILED", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void ADrillOfARestoreSessionWithAFailingSelfTestAsksNothingAndExits11()
    {
        using var dir = new TempDir();
        var console = new TestConsole { SelfTestRunner = Corrupted };
        int code = console.Run("drill", "--expect", TestKeys.Key1PublicKey, "--restore-session", dir.Path);
        Assert.Equal(ExitCode.SelfTestFailed, code);
        Assert.Contains("self-test: sha-256 FAILED", console.StderrText);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void ACeremonyWithAFailingSelfTestWritesNothingAndExits11()
    {
        using var dir = new TempDir();
        var console = new TestConsole { SelfTestRunner = Corrupted };
        int code = console.Run("ceremony", "--out-dir", dir.Path);
        Assert.Equal(ExitCode.SelfTestFailed, code);
        Assert.Empty(dir.Entries());
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public void ADrillReportRecordsTheExecutablesHashAndItsSelfTest()
    {
        using var dir = new TempDir();
        using var key = KeyVault.Keys.SecretKey.FromBytes(Convert.FromHexString(TestKeys.Key1));
        using var set = KeyVault.Shares.Slip39.Split(key, KeyVault.Shares.SplitLayout.Single(2, 2));
        var shares = set.Shares.Select((s, i) => { var p = dir.File($"s{i}.txt"); File.WriteAllText(p, s.Mnemonic); return p; }).ToArray();
        var report = dir.File("report.json");
        // As the single-file program does: the self-test hashes the running file (in-process, the test host).
        var console = new TestConsole { SelfTestRunner = () => SelfTests.Run(Environment.ProcessPath, corrupt: null, SelfTestCommand.Extra) };
        Assert.Equal(ExitCode.Success, console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--share-file", .. shares, "--report", report]));
        var verified = KeyVault.Drill.DrillReport.Verify(File.ReadAllText(report));
        Assert.True(verified.Valid);
        Assert.Equal(Hex.Encode(SHA256.HashData(File.ReadAllBytes(Environment.ProcessPath!))), verified.Report.Executable!.Sha256);
        Assert.True(verified.Report.Executable.SelfTestPassed);
    }
}
