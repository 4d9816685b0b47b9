using System.Text;
using System.Text.Json;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.Signers;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary><c>keyvault set health</c>, <c>set attest</c> and <c>set compare</c> through the command tree.</summary>
public class SetCommandTests : IDisposable
{
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private const string Passphrase = "set pass velvet orbit canyon";
    private const string Aggregate = "03a9b4e455fabecf0e8cf423dd519a6ea5968cf365f4e65c4feab5589da1f84895";

    private static readonly string Config = SignerConfigs.WithAggregateKey(Aggregate);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteFile(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private string Import(string keyHex, string name)
    {
        var path = _dir.File(name);
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", WriteFile(name + ".hex", keyHex + "\n"), "--out", path,
            "--passphrase-file", WriteFile("import-pass.txt", Passphrase + "\n"), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(_dir.File(name + ".hex"));
        return path;
    }

    private (int Code, TestConsole Console) Attest(string keyHex, string config, string output)
    {
        var console = new TestConsole();
        int rc = console.Run(["set", "attest", "--config", WriteFile("config-" + output + ".toml", config), "--key-file", Import(keyHex, "k-" + output),
            "--passphrase-file", WriteFile("pass.txt", Passphrase), "--out", _dir.File(output)]);
        var all = console.StdoutText + console.StderrText;
        Assert.DoesNotContain(TestKeys.Key1, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestKeys.Key2, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Passphrase, all, StringComparison.Ordinal);
        return (rc, console);
    }

    [Fact]
    public void Two_operators_who_agree_compare_equal_and_one_changed_field_is_named()
    {
        Assert.Equal(ExitCode.Success, Attest(TestKeys.Key1, Config, "op1.json").Code);
        Assert.Equal(ExitCode.Success, Attest(TestKeys.Key2, Config, "op2.json").Code);
        var v = SignerSetAttestation.Verify(File.ReadAllText(_dir.File("op1.json")));
        Assert.True(v.Valid, v.Problem);
        Assert.Equal(TestKeys.Key1PublicKey, v.Signer.Hex66);
        Assert.Equal(Aggregate, v.Attestation.Set.AggregateKey!.Hex66);

        var compare = new TestConsole();
        Assert.Equal(ExitCode.Success, compare.Run(["set", "compare", _dir.File("op1.json"), _dir.File("op2.json")]));
        Assert.StartsWith("AGREE: 2 valid attestations", compare.StdoutText, StringComparison.Ordinal);

        Assert.Equal(ExitCode.Success, Attest(TestKeys.Key2, Config.Replace("bootstrap_signatures_required = 2", "bootstrap_signatures_required = 3", StringComparison.Ordinal), "op2b.json").Code);
        var differ = new TestConsole();
        Assert.Equal(ExitCode.SetsDiffer, differ.Run(["set", "compare", _dir.File("op1.json"), _dir.File("op2b.json"), _dir.File("op1.json")]));
        Assert.Contains("op2b.json (key", differ.StdoutText, StringComparison.Ordinal);
        Assert.Contains("signaturesRequired is 3, not 2", differ.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_outside_the_configs_set_does_not_attest()
    {
        var (code, console) = Attest("1111111111111111111111111111111111111111111111111111111111111111", Config, "stranger.json");
        Assert.Equal(ExitCode.IdentityMismatch, code);
        Assert.Contains("not in this config's bootstrap_signing_set", console.StderrText, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("stranger.json")));
    }

    private string Report(string keyHex, DateTimeOffset at, string name)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(keyHex)!);
        var text = new DrillReport
        {
            CreatedAt = at,
            ToolVersion = "1.0.0",
            KeyFile = new KeyFileTested("signer.kvk", new string('b', 64)),
            Expected = new DrillExpected("publicKey", key.PublicKey.Hex66),
            Derived = key.PublicKey.Identity(),
            Checks = [new(DrillCheck.IdentityName, "publicKey", DrillCheckResult.Pass, "same key"),
                      new(DrillCheck.DkgSharesName, Aggregate, DrillCheckResult.Pass, "opened")],
        }.Sign(key);
        return WriteFile(name, text);
    }

    [Fact]
    public void Health_counts_against_the_threshold_and_exits_below_it()
    {
        var config = WriteFile("signer-config.toml", Config);
        var r1 = Report(TestKeys.Key1, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), "r1.json");
        var r2 = Report(TestKeys.Key2, new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero), "r2.json");

        var below = new TestConsole();
        Assert.Equal(ExitCode.BelowThreshold, below.Run(["set", "health", "--signer-set", config, r1, r2, "--as-of", "2026-12-01"]));
        Assert.Contains("BELOW THRESHOLD: 1 of 3 signers", below.StdoutText, StringComparison.Ordinal);
        Assert.Contains("too-old", below.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Key1, below.StdoutText + below.StderrText, StringComparison.OrdinalIgnoreCase);

        var ok = new TestConsole();
        Assert.Equal(ExitCode.Success, ok.Run(["set", "health", "--signer-set", config, r1, r2, "--as-of", "2026-12-01", "--max-age", "200", "--json"]));
        var json = JsonDocument.Parse(ok.StdoutText).RootElement;
        Assert.Equal(2, json.GetProperty("verified").GetInt32());
        Assert.Equal(0, json.GetProperty("margin").GetInt32());
        Assert.Equal("no-report", json.GetProperty("perSigner").EnumerateArray().Single(s => s.GetProperty("publicKey").GetString()!.StartsWith("0200", StringComparison.Ordinal)).GetProperty("standing").GetString());

        // A plain list needs its threshold; another aggregate key makes both drills count for nothing.
        var list = WriteFile("keys.txt", $"{TestKeys.Key1PublicKey} alice\n{TestKeys.Key2PublicKey} bob\n");
        var noThreshold = new TestConsole();
        Assert.NotEqual(ExitCode.Success, noThreshold.Run(["set", "health", "--signer-set", list, r1, "--aggregate-key", Aggregate]));
        var other = new TestConsole();
        Assert.Equal(ExitCode.BelowThreshold, other.Run(["set", "health", "--signer-set", list, "--threshold", "1", r1, r2, "--as-of", "2026-12-01",
            "--aggregate-key", TestKeys.Key1PublicKey]));
        Assert.Contains("alice", other.StdoutText, StringComparison.Ordinal);
        Assert.Contains("other-aggregate-key", other.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_chart_is_written_below_and_above_the_threshold_with_the_exit_code_unchanged()
    {
        var config = WriteFile("signer-config.toml", Config);
        var r1 = Report(TestKeys.Key1, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), "r1.json");
        var r2 = Report(TestKeys.Key2, new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero), "r2.json");
        var png = _dir.File("health.png");
        // An existing chart is replaced: a scheduled run refreshes the file it posts.
        File.WriteAllText(png, "last week's chart");

        var below = new TestConsole();
        Assert.Equal(ExitCode.BelowThreshold, below.Run(["set", "health", "--signer-set", config, r1, r2, "--as-of", "2026-12-01", "--chart", png]));
        Assert.Contains("BELOW THRESHOLD: 1 of 3 signers", below.StdoutText, StringComparison.Ordinal);
        Assert.Contains("wrote the chart to " + png, below.StderrText, StringComparison.Ordinal);
        using (var bitmap = SkiaSharp.SKBitmap.Decode(File.ReadAllBytes(png)))
        {
            Assert.NotNull(bitmap);
            Assert.Equal(1684, bitmap.Width);
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(png));

        var pdf = _dir.File("health.PDF");
        var ok = new TestConsole();
        Assert.Equal(ExitCode.Success, ok.Run(["set", "health", "--signer-set", config, r1, r2, "--as-of", "2026-12-01", "--max-age", "200", "--json", "--chart", pdf]));
        Assert.Equal(2, JsonDocument.Parse(ok.StdoutText).RootElement.GetProperty("verified").GetInt32());
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(File.ReadAllBytes(pdf), 0, 5), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, ".health*"));
    }

    [Fact]
    public void Health_chart_with_another_ending_is_a_usage_error_that_names_the_endings()
    {
        var config = WriteFile("signer-config.toml", Config);
        var r1 = Report(TestKeys.Key1, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), "r1.json");
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run(["set", "health", "--signer-set", config, r1, "--chart", _dir.File("health.txt")]));
        Assert.Contains(".png and .pdf", console.StderrText, StringComparison.Ordinal);
        Assert.Equal("", console.StdoutText);
        Assert.False(File.Exists(_dir.File("health.txt")));
    }
}
