using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.KeyFile;

/// <summary>
/// Saving a key file and changing its passphrase as library calls, with a scripted operator and no console. Weak
/// Argon2 parameters (8 KiB, 1 pass) throughout, named as such; the command-line runs are in Cli/KeyFileCommandTests
/// and Cli/KeyFileWriteSafetyTests.
/// </summary>
public sealed class KeyFileFlowsTests : IDisposable
{
    private static readonly KdfParameters WeakKdf = new(8, 1, 1);
    private const string OldPass = "old pass velvet orbit canyon\n";
    private const string NewPass = "new pass velvet orbit canyon\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SecretKey Key1() => SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key1)!);

    private static Passphrase Pass(string text) => Passphrase.FromFileContent(Encoding.UTF8.GetBytes(text));

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string? OpensTo(string path, string passphrase)
    {
        using var p = Pass(passphrase);
        try
        {
            using var key = EncryptedKeyFile.Parse(File.ReadAllBytes(path)).Decrypt(p);
            return key.PublicKey.Hex66;
        }
        catch (KeyVaultException)
        {
            return null;
        }
    }

    private string Saved(string name, bool armored = false)
    {
        using var key = Key1();
        using var pass = Pass(OldPass);
        var path = _dir.File(name);
        KeyFileFlows.Save(new ScriptedOperator { CanAsk = false }, new KeyFileSaveRequest(path, WeakKdf, "signer-1", armored), key, pass);
        return path;
    }

    [Fact]
    public void SaveWritesANewOwnerOnlyFileThatOpensToTheKeyAndWarnsOfWeakParameters()
    {
        using var key = Key1();
        using var pass = Pass(OldPass);
        var op = new ScriptedOperator { CanAsk = false };
        var path = _dir.File("signer.kvk.asc");

        var saved = KeyFileFlows.Save(op, new KeyFileSaveRequest(path, WeakKdf, "signer-1", Armored: true), key, pass);

        Assert.Equal(new KeyFileSaved(path, key.PublicKey, "signer-1", WeakKdf, true), saved);
        FileModes.AssertOwnerOnly(path);
        Assert.StartsWith("-----BEGIN KEYVAULT KEY FILE-----\n", File.ReadAllText(path));
        Assert.Equal(TestKeys.Key1PublicKey, OpensTo(path, OldPass));
        Assert.Equal([$"warning: {WeakKdf} is weaker than the default ({KdfParameters.Default}); a stolen file is cheaper to attack"], op.Transcript);
        Assert.Equal(["signer.kvk.asc"], _dir.Entries());
    }

    [Fact]
    public void SaveNeverReplacesAnExistingFileUnlessAskedAndThenReplacesItWhole()
    {
        var path = Write("signer.kvk", "someone's file");
        using var key = Key1();
        using var pass = Pass(OldPass);
        var request = new KeyFileSaveRequest(path, WeakKdf);

        Assert.Equal(ErrorCodes.OutputExists, Assert.Throws<KeyVaultException>(() => KeyFileFlows.Precheck(request)).Code);
        var ex = Assert.Throws<KeyVaultException>(() => KeyFileFlows.Save(new ScriptedOperator(), request, key, pass));
        Assert.Equal(ErrorCodes.OutputExists, ex.Code);
        Assert.Equal("someone's file", File.ReadAllText(path));
        Assert.Equal(["signer.kvk"], _dir.Entries());

        KeyFileFlows.Save(new ScriptedOperator(), request with { Overwrite = true }, key, pass);
        Assert.Equal(TestKeys.Key1PublicKey, OpensTo(path, OldPass));
        Assert.Equal(["signer.kvk"], _dir.Entries());
    }

    [Fact]
    public void ParametersAboveTheCapsAreRefusedBeforeAnyWorkAndNothingIsWritten()
    {
        using var key = Key1();
        using var pass = Pass(OldPass);
        var request = new KeyFileSaveRequest(_dir.File("signer.kvk"), new KdfParameters(8, 17, 1));

        Assert.Equal(ErrorCodes.KdfCostTooHigh, Assert.Throws<KeyVaultException>(() => KeyFileFlows.Precheck(request)).Code);
        Assert.Equal(ErrorCodes.KdfCostTooHigh, Assert.Throws<KeyVaultException>(() => KeyFileFlows.Save(new ScriptedOperator(), request, key, pass)).Code);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void SealedBytesOpenToTheSameKeyInTheFormAskedFor()
    {
        using var key = Key1();
        using var pass = Pass(OldPass);
        var op = new ScriptedOperator();
        var binary = KeyFileFlows.Seal(op, key, pass, WeakKdf, "signer-1", armored: false);
        var armored = KeyFileFlows.Seal(op, key, pass, WeakKdf, "signer-1", armored: true);

        Assert.Equal(KeyFileEncoding.Binary, EncryptedKeyFile.Parse(binary).Encoding);
        Assert.Equal(KeyFileEncoding.Armored, EncryptedKeyFile.Parse(armored).Encoding);
        foreach (var content in new[] { binary, armored })
        {
            using var opened = EncryptedKeyFile.Parse(content).Decrypt(pass);
            Assert.Equal(key.PublicKey, opened.PublicKey);
        }
    }

    [Fact]
    public void ChangePassphraseReplacesTheFileInItsOwnFormWithTheNewParametersAndRemovesWhatAKilledRunLeft()
    {
        var path = Saved("k.kvk", armored: true);
        Write(".k.kvk.new-4242", "stale re-encrypted key file");
        var op = new ScriptedOperator { CanAsk = false };

        var changed = KeyFileFlows.ChangePassphrase(op, new PassphraseChangeRequest(path, Write("old.txt", OldPass), Write("new.txt", NewPass),
            KeepPassphrase: false, new KdfChange(Iterations: 2)));

        Assert.Equal(new PassphraseChanged(path, new KdfParameters(8, 2, 1), false), changed);
        Assert.Null(OpensTo(path, OldPass));
        Assert.Equal(TestKeys.Key1PublicKey, OpensTo(path, NewPass));
        var header = EncryptedKeyFile.Parse(File.ReadAllBytes(path));
        Assert.Equal(KeyFileEncoding.Armored, header.Encoding);
        Assert.Equal("signer-1", header.Label);
        Assert.Equal(new KdfParameters(8, 2, 1), header.Kdf);
        FileModes.AssertOwnerOnly(path);
        Assert.Contains("note: removed .k.kvk.new-4242, left by an earlier run that was killed", op.Transcript);
        Assert.Equal(["k.kvk", "new.txt", "old.txt"], _dir.Entries().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ChangePassphraseKeepingThePassphraseChangesOnlyTheParameters()
    {
        var path = Saved("k.kvk");
        var changed = KeyFileFlows.ChangePassphrase(new ScriptedOperator { CanAsk = false },
            new PassphraseChangeRequest(path, Write("old.txt", OldPass), null, KeepPassphrase: true, new KdfChange(MemoryKiB: 16)));

        Assert.True(changed.KeptPassphrase);
        Assert.Equal(TestKeys.Key1PublicKey, OpensTo(path, OldPass));
        Assert.Equal(new KdfParameters(16, 1, 1), EncryptedKeyFile.Parse(File.ReadAllBytes(path)).Kdf);
        Assert.Throws<ArgumentException>(() => KeyFileFlows.ChangePassphrase(new ScriptedOperator(),
            new PassphraseChangeRequest(path, _dir.File("old.txt"), _dir.File("old.txt"), KeepPassphrase: true, KdfChange.None)));
    }

    [Fact]
    public void AWrongCurrentPassphraseOrAWeakNewOneLeavesTheFileByteForByteAndNothingBesideIt()
    {
        var path = Saved("k.kvk");
        var before = File.ReadAllBytes(path);
        var old = Write("old.txt", OldPass);
        var wrong = Write("wrong.txt", "wrong pass velvet orbit canyon\n");
        var weak = Write("weak.txt", "password\n");
        var strong = Write("new.txt", NewPass);

        var ex = Assert.Throws<KeyVaultException>(() => KeyFileFlows.ChangePassphrase(new ScriptedOperator { CanAsk = false },
            new PassphraseChangeRequest(path, wrong, strong, KeepPassphrase: false, KdfChange.None)));
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Equal(before, File.ReadAllBytes(path));

        ex = Assert.Throws<KeyVaultException>(() => KeyFileFlows.ChangePassphrase(new ScriptedOperator { CanAsk = false },
            new PassphraseChangeRequest(path, old, weak, KeepPassphrase: false, KdfChange.None)));
        Assert.Equal(ErrorCodes.WeakPassphrase, ex.Code);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.DoesNotContain(_dir.Entries(), e => e.StartsWith('.'));
    }
}
