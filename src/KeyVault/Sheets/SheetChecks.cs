using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Sheets;

/// <summary>
/// Sheets drawn and thrown away before a secret exists, so that a name or label the sheet cannot print, or a machine
/// without fonts, stops a run before anyone types a passphrase or a share. Also the one place that builds a
/// key-file sheet from a key file.
/// </summary>
internal static class SheetChecks
{
    // The generator point G: a valid public key that belongs to no one's backup.
    private const string PlaceholderPublicKey = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    /// <summary>A public key that belongs to no backup, for sheets drawn before the real key exists.</summary>
    public static PublicKey Placeholder { get; } = PublicKey.ParseHex(PlaceholderPublicKey);

    /// <summary>Stand-in words of the right count and form for checking a sheet before the real ones exist.</summary>
    public static string[] PlaceholderWords(int count) => Enumerable.Repeat("academic", count).ToArray();

    /// <summary>
    /// Checks that the share sheet of custodian <paramref name="name"/> (share <paramref name="share"/>) can be drawn, with
    /// the key label and origin it will print.
    /// </summary>
    public static void ShareSheet(ISheetRenderer renderer, string name, int share, PaperSize size, StacksNetwork network, DateOnly date,
        string? label = null, SheetOrigin? origin = null)
    {
        var sheet = new ShareSheet
        {
            Words = PlaceholderWords(Slip39.WordCountFor(SecretKey.Length)),
            ShareNumber = share,
            ShareCount = Math.Max(share, 2),
            Threshold = 2,
            Identifier = 0,
            Identity = Placeholder.Identity(),
            Network = network,
            Date = date,
            Custodian = name,
            Label = label,
            Origin = origin,
        };
        renderer.Check(sheet);
    }

    /// <summary>Checks that a key-file sheet with <paramref name="label"/> and <paramref name="origin"/> can be drawn.</summary>
    public static void KeyFileSheet(ISheetRenderer renderer, string? label, PaperSize size, StacksNetwork network, DateOnly date,
        SheetOrigin? origin = null)
    {
        var sheet = new KeyFileSheet(["-----BEGIN KEYVAULT KEY FILE-----", "-----END KEYVAULT KEY FILE-----"], Placeholder.Identity(), network,
            date, new KdfDisplay("Argon2id", "8", "1", "1"), label, origin);
        SecretBuffers.Wipe(renderer.RenderPng(sheet, size, PreviewDpiForChecks));
    }

    /// <summary>The sheet of an encrypted key file: its canonical armored lines, identity, parameters and label, and <paramref name="origin"/>.</summary>
    public static KeyFileSheet For(KeyFileHeader header, StacksNetwork network, DateOnly date, SheetOrigin? origin = null)
    {
        // The armored form is canonical (one fixed layout), so the lines are the same whichever form was given.
        var lines = System.Text.Encoding.ASCII.GetString(header.ToArmored()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var kdf = new KdfDisplay("Argon2id", header.Kdf.MemoryKiB.ToString(inv), header.Kdf.Iterations.ToString(inv), header.Kdf.Parallelism.ToString(inv));
        return new KeyFileSheet(lines, header.PublicKey.Identity(), network, date, kdf, header.Label, origin);
    }

    // The lowest resolution a renderer accepts: enough to lay out and measure every line.
    private const int PreviewDpiForChecks = 72;
}
