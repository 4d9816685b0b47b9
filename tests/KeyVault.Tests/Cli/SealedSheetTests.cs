using System.Text;
using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Sealed shares on paper and in the ceremony, checked with independent tools: the stock `age` opens every sealed file
/// (age and ssh-ed25519 keys), zbar reads each sealed sheet's QR code back to exactly the armored file, and
/// `restore start` shows the session recipient as a QR code a camera reads.
/// </summary>
public sealed partial class SealedSheetTests : IDisposable
{
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private static readonly string[] Names = ["Alice", "Bob", "Carol"];
    private readonly CustodyKit _k = new(split: false);

    public void Dispose() => _k.Dispose();

    [GeneratedRegex("age1[0-9a-z]+")]
    private static partial Regex AgeRecipientPattern();

    /// <summary>Two age identities and one OpenSSH ed25519 key, made by the stock tools; returns the private key files and the custodians file.</summary>
    private (string[] Keys, string Custodians) StockKeys()
    {
        var ageKeygen = External.RequireTool("age-keygen", "age");
        var sshKeygen = External.RequireTool("ssh-keygen", "openssh-client");
        var keys = new[] { _k.Dir("alice.key"), _k.Dir("bob.key"), _k.Dir("carol_ed25519") };
        foreach (var k in keys[..2]) Assert.Equal(0, External.Run(ageKeygen, "-o", k).ExitCode);
        Assert.Equal(0, External.Run(sshKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "carol@laptop", "-f", keys[2]).ExitCode);
        var lines = new[]
        {
            $"Alice = {AgeRecipientPattern().Match(File.ReadAllText(keys[0])).Value}",
            $"Bob = {AgeRecipientPattern().Match(File.ReadAllText(keys[1])).Value}",
            $"Carol = {File.ReadAllText(keys[2] + ".pub").Trim()}",
        };
        return (keys, _k.Kit.Write("custodians.txt", "# name = recipient\n" + string.Join('\n', lines) + "\n"));
    }

    /// <summary>The armored form of an age file, as the age specification writes it (64 columns, LF, final LF).</summary>
    private static string Armored(byte[] file)
    {
        if (file.AsSpan().StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8)) return Encoding.ASCII.GetString(file);
        var b64 = Convert.ToBase64String(file);
        var sb = new StringBuilder("-----BEGIN AGE ENCRYPTED FILE-----\n");
        for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append("-----END AGE ENCRYPTED FILE-----\n").ToString();
    }

    /// <summary>
    /// Opens every sealed file of <paramref name="dir"/> with the stock age and its custodian's key, and the text each
    /// sealed sheet's QR code decodes to as well; returns the mnemonics.
    /// </summary>
    private List<string> OpenWithStockAge(string dir, string[] keys)
    {
        var age = External.RequireTool("age", "age");
        SheetTools.RequireTools();
        var mnemonics = new List<string>();
        for (int i = 0; i < keys.Length; i++)
        {
            var sealedFile = Path.Combine(dir, $"share-{i + 1}.age");
            var (rc, plain, err) = External.Run(age, "-d", "-i", keys[i], sealedFile);
            Assert.True(rc == 0, err);
            Assert.Contains($"# custodian: {Names[i]}", plain);
            Assert.Contains($"# share: {i + 1} of 3", plain);
            using (var file = ShareFile.Parse(Encoding.UTF8.GetBytes(plain), "age -d")) mnemonics.Add(new string(file.Mnemonic));
            // Another custodian's key does not open it.
            Assert.NotEqual(0, External.Run(age, "-d", "-i", keys[(i + 1) % 3], sealedFile).ExitCode);

            var sheet = Path.Combine(dir, $"share-{i + 1}.pdf");
            var scanned = SheetTools.DecodeQrBinary(SheetTools.Rasterize(sheet, 200, _k.Kit.Dir.Path));
            Assert.Equal(Armored(File.ReadAllBytes(sealedFile)), scanned);
            var scannedFile = _k.Dir($"scanned-{i + 1}.age");
            File.WriteAllText(scannedFile, scanned);
            var (src, fromSheet, serr) = External.Run(age, "-d", "-i", keys[i], scannedFile);
            Assert.True(src == 0, serr);
            Assert.Equal(plain, fromSheet);

            var text = SheetTools.PdfText(sheet);
            Assert.Contains($"Sealed share {i + 1} of 3", text);
            Assert.Contains(Names[i], text);
            Assert.Contains("age -d -i KEY share.age", text);
            Assert.DoesNotContain(string.Join(' ', mnemonics[^1].Split(' ')[2..5]), text);
        }
        return mnemonics;
    }

    private static string KeyHex(IEnumerable<string> mnemonics)
    {
        using var secret = Slip39.Combine(mnemonics);
        using var key = secret.ToSecretKey();
        var bytes = new byte[32];
        key.Export(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ceremony_sealed_to_age_and_ssh_keys_opens_with_the_stock_age_and_rebuilds_the_key(bool armor)
    {
        var (keys, custodians) = StockKeys();
        var (outDir, rc, console) = _k.Ceremony("ceremony", Names, ["--seal-to", custodians, .. armor ? new[] { "--armor" } : []]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("each share sealed to its custodian's key", console.StderrText);
        Assert.DoesNotContain(Directory.GetFiles(outDir), f => f.EndsWith(".txt", StringComparison.Ordinal));

        var mnemonics = OpenWithStockAge(outDir, keys);
        Assert.Equal(TestKeys.Key1, KeyHex([mnemonics[0], mnemonics[2]]));
        Assert.Equal(TestKeys.Key1, KeyHex([mnemonics[1], mnemonics[2]]));

        var manifest = BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        Assert.Equal(Names, manifest.Shares.Select(s => s.Custodian));
        Assert.StartsWith("ssh-ed25519 ", manifest.Shares[2].AgeRecipient);
        var transcript = File.ReadAllText(Path.Combine(outDir, "transcript.json"));
        Assert.Contains("\"method\": \"sealed\"", transcript);
        Assert.Contains("\"sealedTo\": \"ssh-ed25519 ", transcript);
        foreach (var m in mnemonics) Assert.DoesNotContain(string.Join(' ', m.Split(' ')[2..5]), console.StderrText + console.StdoutText + transcript);
    }

    [Fact]
    public void Split_seal_to_with_paper_writes_a_sealed_sheet_per_custodian()
    {
        var (keys, custodians) = StockKeys();
        var (rc, console) = CustodyKit.Run("split", _k.Kit.KeyFile, "--out-dir", _k.Kit.OutDir, "--passphrase-file", _k.Kit.PassFile,
            "--threshold", "2", "--shares", "3", "--seal-to", custodians, "--paper", "--paper-size", "letter");
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(["manifest.json", "share-1.age", "share-1.pdf", "share-2.age", "share-2.pdf", "share-3.age", "share-3.pdf"], _k.Kit.OutEntries());
        var mnemonics = OpenWithStockAge(_k.Kit.OutDir, keys);
        Assert.Equal(TestKeys.Key1, KeyHex(mnemonics[..2]));
    }

    [Fact]
    public void Ceremony_options_for_sealing_that_cannot_work_are_usage_errors()
    {
        var outDir = _k.Dir("ceremony");
        Directory.CreateDirectory(outDir);
        var console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Usage, console.Run(["ceremony", "--out-dir", outDir, "--armor"]));
        Assert.Contains("--armor applies to sealed shares only", console.StderrText);
        console = new TestConsole { Interactive = false };
        Assert.Equal(ExitCode.Usage, console.Run(["ceremony", "--out-dir", outDir, "--seal-to", _k.Kit.Write("c.txt", "A = age1x\n"), "--check", "words"]));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void Restore_start_shows_the_session_recipient_as_a_qr_code_a_camera_reads()
    {
        SheetTools.RequireTools();
        var dir = _k.Dir("session");
        var (rc, console) = CustodyKit.Run(["restore", "start", "--out-dir", dir, "--session-passphrase-file", _k.SessionPass, .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var recipient = console.StdoutText.Trim();
        Assert.Matches("^age1[0-9a-z]{58}$", recipient);

        var qr = console.StderrText.Split('\n').Where(l => l.Length > 0 && l.All(c => c is ' ' or '\u2588' or '\u2580' or '\u2584')).ToList();
        Assert.InRange(qr.Count, 15, 40);
        Assert.All(qr, l => Assert.Equal(qr[0].Length, l.Length));
        // Each character is two modules stacked; a block half is a light module (the terminal's foreground on a dark background).
        const int scale = 6;
        int width = qr[0].Length * scale, height = qr.Count * 2 * scale;
        var pgm = new StringBuilder($"P2\n{width + 8 * scale} {height + 8 * scale}\n255\n");
        for (int y = -4 * scale; y < height + 4 * scale; y++)
        {
            for (int x = -4 * scale; x < width + 4 * scale; x++)
            {
                bool light = true;
                if (y >= 0 && y < height && x >= 0 && x < width)
                {
                    char c = qr[y / (2 * scale)][x / scale];
                    bool top = (y / scale) % 2 == 0;
                    light = c == '\u2588' || (top ? c == '\u2580' : c == '\u2584');
                }
                pgm.Append(light ? "255 " : "0 ");
            }
            pgm.Append('\n');
        }
        var image = _k.Dir("recipient-qr.pgm");
        File.WriteAllText(image, pgm.ToString());
        Assert.Equal(recipient, SheetTools.DecodeQr(image));
    }
}
