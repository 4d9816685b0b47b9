using System.Text.Json;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;
using Npgsql;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// A whole rotation through the program, as docs/rotation.md runs it: both keys backed up, the successor statement
/// announced, accepted and read by an independent reader, the old backup's retirement refused, then recorded as
/// superseded and still needed, refused again with a drill that did not prove the new key, and allowed with the drill
/// of a real pg_dump of the signer's database that holds a DKG shares row made with the new key.
/// </summary>
public sealed class RotationRetireTests : IDisposable
{
    private const string Pass = "rotation drill pass velvet orbit canyon\n";
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] AggregateKey(int i) => Hex.TryDecode(("02" + i.ToString("x2")).PadRight(66, 'c'))!;

    private string KeyFile(string keyHex, string name)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(keyHex)!);
        using var pass = Passphrase.FromFileContent(System.Text.Encoding.UTF8.GetBytes(Pass));
        var path = _dir.File(name);
        File.WriteAllBytes(path, EncryptedKeyFile.Encrypt(key, pass, new KdfParameters(8, 1, 1)));
        return path;
    }

    private static (int Code, TestConsole Console) Run(params string[] args)
    {
        var console = new TestConsole();
        return (console.Run(args), console);
    }

    private string Dump(SignerDatabase db, string name)
    {
        var tool = External.RequireTool("pg_dump", "postgresql-client");
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG"));
        var path = _dir.File(name);
        var (code, _, stderr) = External.Run(tool, ["-h", server.Host!, "-p", server.Port.ToString(), "-U", server.Username!, "-d", db.Name,
            "-Fc", "-f", path]);
        Assert.True(code == 0, stderr);
        return path;
    }

    private void AssertIndependentlyValid(string statement)
    {
        var node = External.RequireTool("node", "nodejs");
        var interop = Path.Combine(External.RepoRoot, "tests", "interop");
        var vector = _dir.File("statement-vector");
        File.WriteAllBytes(vector, VectorFile.Format([("expect", "valid"), ("comment", "the statement of this test's rotation")], File.ReadAllText(statement)));
        var (code, stdout, stderr) = External.Run(node, [Path.Combine(interop, "successor-statement-reader.js"), vector]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("valid", JsonDocument.Parse(stdout).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void A_whole_rotation_retires_the_old_backup_only_after_a_drill_of_the_new_key_proves_dkg_shares()
    {
        var pass = _dir.File("pass.txt");
        File.WriteAllText(pass, Pass);
        var oldKey = KeyFile(TestKeys.Key2, "old.kvk");
        var newKey = KeyFile(TestKeys.Key1, "new.kvk");
        foreach (var (key, dir) in new[] { (oldKey, "old"), (newKey, "new") })
        {
            Directory.CreateDirectory(_dir.File(dir));
            var (rc, c) = Run("split", key, "--out-dir", _dir.File(dir), "--passphrase-file", pass, "--threshold", "2", "--shares", "3");
            Assert.True(rc == ExitCode.Success, c.StderrText);
        }
        var oldManifest = Path.Combine(_dir.File("old"), "manifest.json");
        var newManifest = Path.Combine(_dir.File("new"), "manifest.json");
        var oldShare = Path.Combine(_dir.File("old"), "share-2.txt");

        // The rotation itself: the old key names the new one, the new key accepts, anyone verifies.
        var (code, console) = Run("rotate", "announce", "--new-public-key", TestKeys.Key1PublicKey, "--key-file", oldKey,
            "--passphrase-file", pass, "--out", _dir.File("announced.json"));
        Assert.True(code == ExitCode.Success, console.StderrText);
        (code, console) = Run("rotate", "accept", _dir.File("announced.json"), "--key-file", newKey, "--passphrase-file", pass,
            "--out", _dir.File("successor.json"));
        Assert.True(code == ExitCode.Success, console.StderrText);
        var statement = _dir.File("successor.json");
        Assert.Equal(ExitCode.Success, Run("rotate", "verify", statement, "--old-public-key", TestKeys.Key2PublicKey).Code);
        AssertIndependentlyValid(statement);

        string[] Retire(params string[] extra) => ["backup", "retire", "--manifest", oldManifest, "--replaced-by", newManifest,
            "--key-file", newKey, "--passphrase-file", pass, .. extra];
        var before = File.ReadAllBytes(newManifest);

        // Another key's backup is not retired without the rotation's statement, nor before the new key is proven.
        (code, console) = Run(Retire());
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("--successor-statement", console.StderrText);
        (code, console) = Run(Retire("--successor-statement", statement));
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("cannot be retired yet", console.StderrText);
        Assert.Contains("keyvault backup supersede", console.StderrText);
        Assert.Equal(before, File.ReadAllBytes(newManifest));

        // Until then it is superseded, still needed: its sheets are kept.
        (code, console) = Run("backup", "supersede", "--manifest", oldManifest, "--replaced-by", newManifest, "--successor-statement", statement,
            "--key-file", newKey, "--passphrase-file", pass);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("supersedes, still needed", console.StdoutText);
        (code, console) = Run("share", "check", "--share-file", oldShare, "--manifest", newManifest);
        Assert.True(code == ExitCode.Success, console.StderrText);
        Assert.Contains("still needed: keep this sheet", console.StdoutText + console.StderrText);
        (code, console) = Run("manifest", "verify", newManifest);
        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("still needed, keep its sheets", console.StdoutText);

        // The signer's database before the new set's DKG round: its only row is the old key's. The drill of the new
        // key fails, and its report is no proof.
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key2, new byte[300]), "verified", T0);
        (code, console) = Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", newKey, "--passphrase-file", pass,
            "--dkg-dump", Dump(db, "before.dump"), "--report", _dir.File("before.json"));
        Assert.Equal(ExitCode.DkgSharesNotOpened, code);
        (code, console) = Run(Retire("--successor-statement", statement, "--drill-report", _dir.File("before.json")));
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("did not pass", console.StderrText);

        // After the round: a verified row made with the new key. The drill of that dump passes and allows the retirement.
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[300]), "verified", T0.AddDays(200));
        (code, console) = Run("drill", "--expect", TestKeys.Key1PublicKey, "--key-file", newKey, "--passphrase-file", pass,
            "--dkg-dump", Dump(db, "after.dump"), "--report", _dir.File("after.json"));
        Assert.True(code == ExitCode.Success, console.StderrText + console.StdoutText);
        (code, console) = Run(Retire("--successor-statement", statement, "--drill-report", _dir.File("after.json")));
        Assert.True(code == ExitCode.Success, console.StderrText);

        var manifest = BackupManifest.ReadAuthentic(File.ReadAllText(newManifest));
        var retired = Assert.Single(manifest.Retired);
        Assert.False(retired.StillNeeded);
        Assert.Equal(Hex.Encode(AggregateKey(2)), retired.Rotation!.Drill!.AggregateKey);
        Assert.Equal(TestKeys.Key2PublicKey, retired.Rotation.PreviousPublicKey);
        Assert.Equal(["split", "supersede", "retire"], manifest.History.Select(e => e.Action));
        (code, console) = Run("share", "check", "--share-file", oldShare, "--manifest", newManifest);
        Assert.Equal(ExitCode.ShareRetired, code);
        Assert.Contains("destroy this sheet", console.StderrText);
        (code, console) = Run("manifest", "verify", newManifest);
        Assert.Equal(ExitCode.Success, code);
        Assert.Contains($"opened the DKG shares of aggregate key {Hex.Encode(AggregateKey(2))}", console.StdoutText);
    }
}
