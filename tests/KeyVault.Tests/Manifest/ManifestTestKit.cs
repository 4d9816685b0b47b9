using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Manifest;

/// <summary>Deterministic backups of the published test keys, with their manifests, for the manifest, reissue and restore tests.</summary>
internal static class ManifestTestKit
{
    public static readonly DateTimeOffset SplitDate = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Later = new(2026, 9, 14, 16, 30, 0, TimeSpan.Zero);
    public const string ExecutableSha256 = "5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public static SecretKey Key(string hex = TestKeys.Key1) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    public static SplitLayout Layout(int groupThreshold, params int[][] groups) =>
        new(groupThreshold, groups.Select(g => new GroupSpec(g[0], g[1])).ToList());

    /// <summary>A split of <paramref name="key"/> from a fixed random stream, at the weak iteration exponent.</summary>
    public static ShareSet Split(SecretKey key, SplitLayout layout, string seed, string passphrase = "") =>
        ShareTestKit.Split(key.Span.ToArray(), layout, seed, passphrase);

    public static string[] Names(int count) =>
        Enumerable.Range(0, count).Select(i => new[] { "Ana Silva", "Bjørn Olsen", "Chen Wei", "Dara Nwosu", "Emeka Obi", "Fatima Zahra",
            "Goran Petrović", "Hana Sato", "Ines Duarte", "Jonas Berg", "Kofi Mensah", "Lea Roth", "Mira Kaur", "Noah Levi",
            "Olga Ivanova", "Pavel Novák" }[i % 16] + (i >= 16 ? $" {i}" : "")).ToArray();

    /// <summary>The signed manifest of <paramref name="set"/>, as read back from its file.</summary>
    public static BackupManifest Manifest(ShareSet set, SecretKey key, string? passphraseUsed = null) =>
        BackupManifest.Parse(BackupManifest.Create(set, Names(set.Shares.Count).Select(n => new ManifestCustodian(n)).ToList(), key.PublicKey,
            new ManifestOptions(SplitDate, passphraseUsed is not null, ExecutableSha256, "sBTC signer mainnet", "Example Signer Ltd",
                "custody@example.org")).Sign(key));
}
