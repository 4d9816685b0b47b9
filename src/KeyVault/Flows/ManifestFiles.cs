using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
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
    /// <exception cref="Errors.KeyVaultException">BadInput when a later revision of the same manifest lies beside it (<see cref="RequireCurrent"/>).</exception>
    public static (BackupManifest Manifest, string Json) ReadAuthentic(IOperator op, string path)
    {
        var json = Read(op, path);
        var manifest = BackupManifest.ReadAuthentic(json);
        RequireCurrent(path, manifest);
        return (manifest, json);
    }

    /// <summary>Most manifest-sized files of a folder looked at for a later revision.</summary>
    private const int MaxSiblings = 64;

    /// <summary>
    /// Refuses a superseded manifest: one with a later revision of the same backup (same key, same backup ID, signed by
    /// that key) among the .json files of its folder, as a reissue leaves it when its output folder is the manifest's.
    /// A manifest read from standard input, or whose folder cannot be listed, is taken as given.
    /// </summary>
    public static void RequireCurrent(string path, BackupManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (path == "-" || !File.Exists(path)) return;
        var full = Path.GetFullPath(path);
        IEnumerable<string> siblings;
        try
        {
            siblings = Directory.EnumerateFiles(Path.GetDirectoryName(full)!, "*.json").Where(f => f != full).Take(MaxSiblings).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var sibling in siblings)
        {
            BackupManifest other;
            try
            {
                if (new FileInfo(sibling).Length > BackupManifest.MaxFileBytes) continue;
                var v = BackupManifest.Verify(BackupManifest.DecodeFile(File.ReadAllBytes(sibling)));
                if (!v.Authentic) continue;
                other = v.Manifest;
            }
            catch (Exception ex) when (ex is Errors.KeyVaultException or IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (other.Identity.PublicKey != manifest.Identity.PublicKey || other.BackupId != manifest.BackupId || other.Revision < manifest.Revision) continue;
            // The same revision twice, with different content: two changes were made from one earlier revision.
            if (other.Revision == manifest.Revision)
            {
                if (other.SourceHash == manifest.SourceHash) continue;
                throw ManifestError.Forked(Inputs.Describe(path), manifest.Revision, Inputs.Describe(sibling));
            }
            var last = other.History[^1];
            throw ManifestError.Superseded(Inputs.Describe(path), manifest.Revision, Inputs.Describe(sibling), other.Revision,
                $"{last.At:yyyy-MM-dd}: {last.Action}{(last.Member is int m ? $" share {ShareCheck.Slot(other.Groups.Count, last.Group ?? 1, m)}" : "")}, {last.Reason}");
        }
    }

    /// <summary>
    /// Writes manifest.json into <paramref name="files"/> (new, atomic, removed again if the set is discarded). A
    /// manifest holds nothing secret and is handed to every custodian: it is readable by everyone (0644).
    /// </summary>
    public static string Write(FileSet files, string json)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.WritePublic(BackupManifest.FileName, Role, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// Replaces the manifest at <paramref name="path"/> with its next revision (atomically: the old or the new complete
    /// file is in place at every moment), readable by everyone (0644).
    /// </summary>
    public static void Replace(string path, string json)
    {
        AtomicFile.Replace(path, Encoding.UTF8.GetBytes(json));
        AtomicFile.MakePublic(path);
    }

    /// <summary>The manifest's record of the custodians of a custodians file, in share order.</summary>
    public static IReadOnlyList<ManifestCustodian> Record(IReadOnlyList<Custodian> custodians) =>
        custodians.Select(c => new ManifestCustodian(c.Name, c.Recipient?.Text, c.Contact, c.TimeZone)).ToList();

    /// <summary>The manifest's record of custodians known by name alone.</summary>
    public static IReadOnlyList<ManifestCustodian> Record(IReadOnlyList<string> names) => names.Select(n => new ManifestCustodian(n)).ToList();

    /// <summary>
    /// The signed manifest of a fresh split: <paramref name="custodians"/> by share, or "custodian 1", "custodian 2", …
    /// when none were named.
    /// </summary>
    public static string ForSplit(ShareSet set, IReadOnlyList<ManifestCustodian> custodians, SecretKey key, ManifestOptions options)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(key);
        var names = custodians.Count > 0 ? custodians : Enumerable.Range(1, set.Shares.Count).Select(i => new ManifestCustodian($"custodian {i}")).ToList();
        return BackupManifest.Create(set, names, key.PublicKey, options).Sign(key);
    }

    /// <summary>
    /// Checks the texts a split will record (label, organisation, contact, custodian names, contacts and time zones)
    /// before any secret is asked for, so a text the manifest cannot hold stops the run early.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">BadInput naming the text that breaks the manifest's rules.</exception>
    public static void Precheck(ManifestOptions options, IReadOnlyList<ManifestCustodian> custodians)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(custodians);
        if (!string.IsNullOrEmpty(options.Label)) ManifestText.Accept(options.Label, "the key label");
        if (!string.IsNullOrEmpty(options.Org)) ManifestText.Accept(options.Org, "the organisation");
        if (!string.IsNullOrEmpty(options.Contact)) ManifestText.Accept(options.Contact, "the contact");
        foreach (var c in custodians)
        {
            ManifestText.Accept(c.Name, "the custodian name");
            if (c.AgeRecipient is not null) ManifestText.Accept(c.AgeRecipient, $"the recipient of {c.Name}", ManifestText.MaxRecipientBytes);
            if (c.Contact is not null) ManifestText.Accept(c.Contact, $"the contact of {c.Name}");
            if (c.TimeZone is not null) ManifestText.Accept(c.TimeZone, $"the time zone of {c.Name}", ManifestText.MaxTimeZoneBytes);
        }
    }

    /// <summary>SHA-256 (lowercase hex) of a file, for the manifest's executable hash.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
