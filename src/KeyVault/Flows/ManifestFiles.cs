using System.Security.Cryptography;
using System.Text;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>Reading and writing manifest.json files for the flows that take or make one.</summary>
internal static class ManifestFiles
{
    /// <summary>Role of a manifest in a file set.</summary>
    public const string Role = "manifest";

    /// <summary>Reads a manifest file (a path, or "-") as text; it is not yet verified.</summary>
    public static string Read(IOperator op, string path) => BackupManifest.DecodeFile(Inputs.ReadAll(op, path));

    /// <summary>Reads a manifest file and requires it to be authentic (signed by the key it backs up).</summary>
    /// <exception cref="Errors.KeyVaultException">DamagedFile when it is malformed or not authentic.</exception>
    public static (BackupManifest Manifest, string Json) ReadAuthentic(IOperator op, string path)
    {
        var json = Read(op, path);
        return (BackupManifest.ReadAuthentic(json), json);
    }

    /// <summary>Writes manifest.json into <paramref name="files"/> (new, 0600, atomic, removed again if the set is discarded).</summary>
    public static string Write(FileSet files, string json)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Write(BackupManifest.FileName, Role, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// The signed manifest of a fresh split: <paramref name="custodians"/> by share, or "custodian 1", "custodian 2", …
    /// when none were named; <paramref name="recipients"/> the age recipients shares were sealed to, or null.
    /// </summary>
    public static string ForSplit(ShareSet set, IReadOnlyList<string> custodians, SecretKey key, ManifestOptions options,
        IReadOnlyList<string?>? recipients = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(key);
        var names = custodians.Count > 0 ? custodians : Enumerable.Range(1, set.Shares.Count).Select(i => $"custodian {i}").ToList();
        return BackupManifest.Create(set, names, key.PublicKey, options, recipients).Sign(key);
    }

    /// <summary>
    /// Checks the texts a split will record (label, organisation, contact, custodian names) before any secret is
    /// asked for, so a name the manifest cannot hold stops the run early.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">BadInput naming the text that breaks the manifest's rules.</exception>
    public static void Precheck(ManifestOptions options, IReadOnlyList<string> custodians)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(custodians);
        if (!string.IsNullOrEmpty(options.Label)) ManifestText.Accept(options.Label, "the key label");
        if (!string.IsNullOrEmpty(options.Org)) ManifestText.Accept(options.Org, "the organisation");
        if (!string.IsNullOrEmpty(options.Contact)) ManifestText.Accept(options.Contact, "the contact");
        foreach (var name in custodians) ManifestText.Accept(name, "the custodian name");
    }

    /// <summary>SHA-256 (lowercase hex) of a file, for the manifest's executable hash.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
