using System.Net;
using System.Net.NetworkInformation;
using KeyVault.Age;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// One ceremony for custodians in the room and far away: the custodians file gives Bob and Carol paper sheets, read
/// back at the ceremony, and seals Alice's share to her key; and a ceremony that re-does the backup of a key it reads
/// from KeyVault's own key file, never writing the bare key.
/// </summary>
public sealed class MixedCeremonyFlowTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SheetRenderer _renderer = new();
    private readonly AgeIdentity _alice = AgeIdentity.Generate();
    private static readonly IReadOnlyList<InterfaceState> Offline =
        [new("lo", IsLoopback: true, OperationalStatus.Unknown, [IPAddress.Loopback])];

    public void Dispose()
    {
        _alice.Dispose();
        _renderer.Dispose();
        _dir.Dispose();
    }

    private CeremonySettings Settings(string? import = null, string? importPass = null)
    {
        var pass = _dir.File("pass.txt");
        File.WriteAllText(pass, "mixed flow test passphrase\n");
        var custodians = _dir.File("custodians.txt");
        File.WriteAllText(custodians, $"Alice = {_alice.Recipient.Text}\n  time zone: Asia/Singapore\nBob\nCarol = paper\n");
        var answers = _dir.File("answers.toml");
        File.WriteAllText(answers, "threshold = 2\ncustodians = [\"Alice\", \"Bob\", \"Carol\"]\nsheet-check = \"automated\"\n");
        return new()
        {
            OutDir = Directory.CreateDirectory(_dir.File("out")).FullName, Network = StacksNetwork.Testnet, PaperSize = PaperSize.A4,
            Kdf = new KdfParameters(8, 1, 1), PassphraseFile = pass, AnswersPath = answers, CustodiansFile = custodians,
            ImportPath = import, ImportPassphraseFile = importPass,
        };
    }

    [Fact]
    public void Paper_custodians_get_sheets_and_the_remote_one_a_sealed_file_in_one_run()
    {
        var settings = Settings();
        var transcript = new CeremonyFlow(new ScriptedOperator(), settings, _renderer, Offline).Run();

        Assert.Equal([SheetCheckMethod.Sealed, SheetCheckMethod.Automated, SheetCheckMethod.Automated], transcript.Custodians.Select(c => c.Method));
        var entries = Directory.GetFiles(settings.OutDir).Select(Path.GetFileName).Where(n => n!.StartsWith("share-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["share-1.age", "share-1.pdf", "share-2.pdf", "share-2.txt", "share-3.pdf", "share-3.txt"], entries);
        var m = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(settings.OutDir, "manifest.json")));
        Assert.Equal([_alice.Recipient.Text, null, null], m.Shares.Select(s => s.AgeRecipient));
        Assert.Equal("Asia/Singapore", m.Shares[0].TimeZone);
        Assert.Equal("pass", transcript.Drill.Result);
        Assert.Equal(2, transcript.Drill.SharesUsed.Count);
    }

    [Fact]
    public void A_key_file_is_imported_with_its_passphrase_and_backed_up_again()
    {
        var source = _dir.File("old.kvk");
        var oldPass = _dir.File("old-pass.txt");
        File.WriteAllText(oldPass, "the old key file passphrase\n");
        using (var key = SignerKeyFormats.ParseHex(TestKeys.Key2))
        using (var passphrase = Passphrase.FromChars("the old key file passphrase".ToCharArray()))
            File.WriteAllBytes(source, EncryptedKeyFile.Encrypt(key, passphrase, new KdfParameters(8, 1, 1)));

        var settings = Settings(import: source, importPass: oldPass);
        var transcript = new CeremonyFlow(new ScriptedOperator(), settings, _renderer, Offline).Run();
        Assert.Equal(TestKeys.Key2PublicKey, transcript.Identity.PublicKey);
        Assert.Equal(CeremonyKeySource.Imported, transcript.KeySource);

        // A wrong passphrase for the file to import stops the ceremony and leaves nothing behind.
        File.WriteAllText(oldPass, "not the passphrase\n");
        var again = Settings(import: source, importPass: oldPass) with { OutDir = Directory.CreateDirectory(_dir.File("out-2")).FullName };
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => new CeremonyFlow(new ScriptedOperator(), again, _renderer, Offline).Run());
        Assert.Equal(KeyVault.Errors.ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(again.OutDir));
    }
}
