using System.Net;
using System.Net.NetworkInformation;
using KeyVault.Age;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// The ceremony with shares sealed to each custodian's key (<c>SealTo</c>), driven by a scripted operator: the
/// custodians come from the custodians file, only the threshold is asked, no plain share reaches the disk, each sealed
/// file is proven on disk, and a failure part-way leaves nothing.
/// </summary>
public sealed class SealedCeremonyFlowTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SheetRenderer _renderer = new();
    private readonly AgeIdentity[] _ids = [AgeIdentity.Generate(), AgeIdentity.Generate(), AgeIdentity.Generate()];
    private static readonly string[] Names = ["Alice", "Bob", "Carol"];
    private static readonly IReadOnlyList<InterfaceState> Offline =
        [new("lo", IsLoopback: true, OperationalStatus.Unknown, [IPAddress.Loopback])];

    public void Dispose()
    {
        foreach (var id in _ids) id.Dispose();
        _renderer.Dispose();
        _dir.Dispose();
    }

    private string CustodiansFile()
    {
        var path = _dir.File("custodians.txt");
        File.WriteAllText(path, string.Concat(Names.Select((n, i) => $"{n} = {_ids[i].Recipient.Text}\n")));
        return path;
    }

    private CeremonySettings Settings(string outDir, string? answers = null, bool armor = false)
    {
        var pass = _dir.File("pass.txt");
        File.WriteAllText(pass, "flow test passphrase\n");
        return new()
        {
            OutDir = outDir, Network = StacksNetwork.Testnet, Label = "sealed flow test", PaperSize = PaperSize.Letter,
            Kdf = new KdfParameters(8, 1, 1), PassphraseFile = pass, AnswersPath = answers, CustodiansFile = CustodiansFile(), Armor = armor,
        };
    }

    private string OutDir() => Directory.CreateDirectory(_dir.File("out")).FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_custodians_file_names_the_custodians_and_each_share_is_sealed_to_its_key_alone(bool armor)
    {
        var outDir = OutDir();
        var op = new ScriptedOperator();
        // Begin, the key, the threshold (1 is refused for 3 shares and asked again), the summary, then keep the files.
        foreach (var a in new[] { "yes", "yes", "1", "2", "yes", "no" }) op.Answers.Enqueue(a);
        var created = new List<string>();
        using var watcher = new FileSystemWatcher(outDir) { EnableRaisingEvents = true };
        watcher.Created += (_, e) => { lock (created) created.Add(e.Name!); };
        watcher.Renamed += (_, e) => { lock (created) created.Add(e.Name!); };

        var transcript = new CeremonyFlow(op, Settings(outDir, armor: armor), _renderer, Offline).Run();

        // No question asked for a name, and no secret typed back: nobody here can read a sealed share.
        Assert.DoesNotContain(op.Questions, q => q.StartsWith("Name of the custodian", StringComparison.Ordinal));
        Assert.Contains(op.Problems, p => p.Message.Contains("a threshold of 1 with 3 shares"));
        Assert.Equal(Names, transcript.Custodians.Select(c => c.Name));
        Assert.All(transcript.Custodians, c => Assert.Equal(SheetCheckMethod.Sealed, c.Method));
        Assert.Equal(_ids.Select(i => i.Recipient.Text), transcript.Custodians.Select(c => c.SealedTo));
        Assert.Contains("\"sealedTo\": \"" + _ids[0].Recipient.Text + "\"", transcript.ToJson());
        Assert.Contains("\"method\": \"sealed\"", transcript.ToJson());

        var entries = Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["drill-report.json", "manifest.json", "share-1.age", "share-1.pdf", "share-2.age", "share-2.pdf", "share-3.age", "share-3.pdf",
            $"signer-key-{transcript.Identity.Fingerprint}.kvk", $"signer-key-{transcript.Identity.Fingerprint}.pdf", "transcript.json", "transcript.md"], entries);
        lock (created)
        {
            Assert.Contains(created, n => n.EndsWith("share-1.age", StringComparison.Ordinal));
            Assert.DoesNotContain(created, n => n.Contains(".txt", StringComparison.Ordinal));
        }

        var manifest = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        Assert.Equal(_ids.Select(i => i.Recipient.Text), manifest.Shares.Select(s => s.AgeRecipient));
        var mnemonics = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, $"share-{i + 1}.age"));
            Assert.Equal(armor, AgeFile.IsArmored(bytes));
            Assert.Single(AgeFile.Inspect(bytes).Stanzas);
            Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(bytes, _ids[(i + 1) % 3]).Dispose());
            using var plain = AgeDecryptor.Decrypt(bytes, _ids[i]);
            using var file = ShareFile.Parse(plain.Span, "sealed");
            Assert.Equal(Names[i], file.Custodian);
            Assert.Equal(i + 1, file.Share.MemberNumber);
            mnemonics.Add(new string(file.Mnemonic));
        }
        using var secret = Slip39.Combine([mnemonics[0], mnemonics[2]]);
        using var key = secret.ToSecretKey();
        Assert.Equal(transcript.Identity.PublicKey, key.PublicKey.Hex66);
        Assert.Equal("pass", transcript.Drill.Result);
        Assert.Contains("read back, opened with the file key kept since sealing", op.Text);
    }

    [Fact]
    public void An_answers_file_must_name_the_same_custodians_as_the_custodians_file()
    {
        var outDir = OutDir();
        var answers = _dir.File("answers.toml");
        File.WriteAllText(answers, "threshold = 2\ncustodians = [\"Alice\", \"Carol\", \"Bob\"]\nsheet-check = \"automated\"\n");
        var ex = Assert.Throws<KeyVaultException>(() => new CeremonyFlow(new ScriptedOperator(), Settings(outDir, answers), _renderer, Offline).Run());
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("custodians.txt", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));

        File.WriteAllText(answers, "threshold = 2\ncustodians = [\"Alice\", \"Bob\", \"Carol\"]\nsheet-check = \"automated\"\n");
        var transcript = new CeremonyFlow(new ScriptedOperator(), Settings(outDir, answers), _renderer, Offline).Run();
        Assert.Equal(CeremonyMode.AnswersFile, transcript.Mode);
        Assert.All(transcript.Custodians, c => Assert.Equal(SheetCheckMethod.Sealed, c.Method));
    }

    [Fact]
    public void A_failure_while_the_sealed_shares_are_written_leaves_nothing()
    {
        var outDir = OutDir();
        var op = new ScriptedOperator();
        foreach (var a in new[] { "yes", "yes", "2", "yes", "no" }) op.Answers.Enqueue(a);
        using var failing = new FailingOnSecondSealedSheet(_renderer);
        var ex = Assert.Throws<KeyVaultException>(() => new CeremonyFlow(op, Settings(outDir), failing, Offline).Run());
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Equal(2, failing.SealedSheets);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        Assert.Contains(op.Transcript, l => l.Contains("share-1.age"));
    }

    [Fact]
    public void A_tampered_sealed_file_fails_the_proof()
    {
        using var key = SignerKeyFormats.ParseHex(TestKeys.Key1);
        using var set = Slip39.Split(key, SplitLayout.Single(2, 3));
        var custodians = Names.Select((n, i) => new Custodian(n, _ids[i].Recipient, i + 1)).ToList();
        var shares = KeyVault.Flows.SealedShares.Seal(set, key.PublicKey, custodians, new DateOnly(2026, 1, 2), false, armor: false).Select(s => s!).ToList();
        try
        {
            using (shares[0].Verify(shares[0].File)) { }
            var flipped = (byte[])shares[0].File.Clone();
            flipped[^1] ^= 1;
            Assert.Contains("not the share just sealed", Assert.Throws<KeyVaultException>(() => shares[0].Verify(flipped).Dispose()).Message);
            // Another custodian's file: sealed correctly, but not this share.
            Assert.Throws<KeyVaultException>(() => shares[0].Verify(shares[1].File).Dispose());
        }
        finally
        {
            foreach (var s in shares) s.Dispose();
        }
    }

    /// <summary>Draws like the real renderer, but the second sealed sheet fails as a full disk or a printer font would.</summary>
    private sealed class FailingOnSecondSealedSheet(SheetRenderer inner) : ISheetRenderer, IDisposable
    {
        public int SealedSheets { get; private set; }
        public void Check(ShareSheet sheet) => inner.Check(sheet);
        public byte[] RenderPdf(ShareSheet sheet, PaperSize size) => inner.RenderPdf(sheet, size);
        public byte[] RenderPng(ShareSheet sheet, PaperSize size, int dpi) => inner.RenderPng(sheet, size, dpi);
        public byte[] RenderPdf(KeyFileSheet sheet, PaperSize size) => inner.RenderPdf(sheet, size);
        public byte[] RenderPng(KeyFileSheet sheet, PaperSize size, int dpi) => inner.RenderPng(sheet, size, dpi);
        public void Check(SealedShareSheet sheet) => inner.Check(sheet);
        public byte[] RenderPng(SealedShareSheet sheet, PaperSize size, int dpi) => inner.RenderPng(sheet, size, dpi);

        public byte[] RenderPdf(SealedShareSheet sheet, PaperSize size)
        {
            if (++SealedSheets == 2) throw new KeyVaultException(ErrorKind.OutputFailure, "the sheet could not be drawn", null);
            return inner.RenderPdf(sheet, size);
        }

        public void Dispose() { }
    }
}
