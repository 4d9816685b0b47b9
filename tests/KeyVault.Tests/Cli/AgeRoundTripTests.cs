using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Issue 14's remote round trip with the stock tools: shares sealed to two age keys and one ssh-ed25519 key, each
/// opened by `age -d`, two custodians returning theirs through `age -d -i KEY share.age | age -r age1… -a`, and the
/// restore session rebuilding the key the manifest names.
/// </summary>
public sealed partial class AgeRoundTripTests : IDisposable
{
    private readonly CustodyKit _k = new(split: false);

    public void Dispose() => _k.Dispose();

    [GeneratedRegex("age1[0-9a-z]+")]
    private static partial Regex AgeRecipientPattern();

    private string AgeKey(string name)
    {
        var age = External.RequireTool("age-keygen", "age");
        var path = _k.Dir(name);
        var (rc, stdout, stderr) = External.Run(age, "-o", path);
        Assert.True(rc == 0, stderr);
        return path;
    }

    private static string RecipientOf(string ageKeyFile) => AgeRecipientPattern().Match(File.ReadAllText(ageKeyFile)).Value;

    [Fact]
    public void Split_sealed_to_age_and_ssh_keys_returned_through_age_restores_the_key()
    {
        var age = External.RequireTool("age", "age");
        var sshKeygen = External.RequireTool("ssh-keygen", "openssh-client");
        var bash = External.RequireTool("bash", "bash");
        var alice = AgeKey("alice.key");
        var bob = AgeKey("bob.key");
        var carol = _k.Dir("carol_ed25519");
        var (krc, _, kerr) = External.Run(sshKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "carol@laptop", "-f", carol);
        Assert.True(krc == 0, kerr);

        var custodians = _k.Kit.Write("custodians.txt",
            $"Alice = {RecipientOf(alice)}\nBob = {RecipientOf(bob)}\nCarol = {File.ReadAllText(carol + ".pub").Trim()}\n");
        var (rc, console) = CustodyKit.Run("split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", "--seal-to", custodians);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-1.age", "share-2.age", "share-3.age"], _k.Kit.OutEntries());
        var manifestPath = Path.Combine(_k.Kit.OutDir, "manifest.json");
        var manifest = BackupManifest.ReadAuthentic(File.ReadAllText(manifestPath));
        Assert.StartsWith("ssh-ed25519 ", manifest.Shares[2].AgeRecipient);

        // Every sealed file opens with the stock tool and its custodian's key, and holds that custodian's share file.
        string[] keys = [alice, bob, carol];
        string[] names = ["Alice", "Bob", "Carol"];
        for (int i = 0; i < 3; i++)
        {
            var (drc, plain, derr) = External.Run(age, "-d", "-i", keys[i], Path.Combine(_k.Kit.OutDir, $"share-{i + 1}.age"));
            Assert.True(drc == 0, derr);
            Assert.Contains($"# custodian: {names[i]}", plain);
        }

        // The ssh-ed25519 stanza names Carol's key by its tag, which share check reports without her key.
        (rc, console) = CustodyKit.Run("share", "check", "--share-file", Path.Combine(_k.Kit.OutDir, "share-3.age"), "--manifest", manifestPath);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("addressed to:       Carol", console.StdoutText);

        // With her OpenSSH private key, share check opens Carol's sealed share and finds it registered for her.
        (rc, console) = CustodyKit.Run("share", "check", "--share-file", Path.Combine(_k.Kit.OutDir, "share-3.age"), "--identity", carol,
            "--manifest", manifestPath);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("registered for Carol", console.StdoutText);

        var (session, recipient) = _k.StartSession();
        Assert.Equal(File.ReadAllText(Path.Combine(session, "recipient.txt")).Trim(), recipient);

        // Bob (age key) and Carol (ssh key) return their shares from their own machines, never writing them in clear.
        foreach (var (n, key) in new[] { (2, bob), (3, carol) })
        {
            var returned = _k.Dir($"return-{n}.age");
            var (prc, _, perr) = External.Run(bash, "-c",
                "set -o pipefail; \"$0\" -d -i \"$1\" \"$2\" | \"$0\" -r \"$3\" -a > \"$4\"", age, key, Path.Combine(_k.Kit.OutDir, $"share-{n}.age"), recipient, returned);
            Assert.True(prc == 0, perr);
            Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", File.ReadAllText(returned));
            var (arc, add) = _k.Add(session, "--sealed", returned);
            Assert.True(arc == ExitCode.Success, add.StderrText);
        }

        (rc, console) = CustodyKit.Run("restore", "finish", session, "--reveal-format", "hex", "--out", "-", "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1, console.StdoutText.Trim());
        Assert.Equal(TestKeys.Key1PublicKey, manifest.Identity.PublicKey);
        Assert.Equal(["manifest.json"], Directory.GetFileSystemEntries(session).Select(Path.GetFileName)); // only the public manifest stays
    }

    [Fact]
    public void A_binary_return_made_by_age_opens_too()
    {
        var age = External.RequireTool("age", "age");
        _k.Kit.Split("--threshold", "2", "--shares", "3");
        var (session, recipient) = _k.StartSession();
        var returned = _k.Dir("return.age");
        var (rc, _, err) = External.Run(age, "-r", recipient, "-o", returned, _k.Share(1));
        Assert.True(rc == 0, err);
        var (arc, add) = _k.Add(session, "--sealed", returned);
        Assert.True(arc == ExitCode.Success, add.StderrText);
    }
}
