using KeyVault.Age;
using KeyVault.Ceremony;
using KeyVault.Interaction;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Custody;

/// <summary>
/// Shares sealed to their custodians' age recipients (docs/age.md): each share file, exactly as a plain split writes
/// it, becomes the plaintext of an age file addressed to that custodian alone; the plain text is wiped once sealed.
/// </summary>
public static class SealedShares
{
    /// <summary>The name of a share's sealed file: share-3.age, or share-g2-3.age with groups.</summary>
    public static string FileName(ShareInfo share) => ShareWriter.BaseName(share) + ".age";

    /// <summary>
    /// Reads a custodians file (one <c>NAME = RECIPIENT</c> line per share, in share order) and checks that it names
    /// exactly <paramref name="shareCount"/> custodians.
    /// </summary>
    public static IReadOnlyList<Custodian> ReadCustodians(IOperator op, string path, int shareCount)
    {
        var bytes = Inputs.ReadAll(op, path);
        var custodians = CustodianList.Parse(bytes, Inputs.Describe(path));
        if (custodians.Count != shareCount) throw CustodyError.SealedCustodianCount(Inputs.Describe(path), custodians.Count, shareCount);
        return custodians;
    }

    /// <summary>
    /// Seals every share of <paramref name="set"/> to its custodian (same order), then writes the sealed files into
    /// <paramref name="files"/>: nothing is written until every share is sealed. Returns the paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(IOperator op, FileSet files, ShareSet set, PublicKey publicKey,
        IReadOnlyList<Custodian> custodians, DateOnly date, bool passphraseProtected, bool armor)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(custodians);
        if (custodians.Count != set.Shares.Count) throw CustodyError.SealedCustodianCount("the custodians list", custodians.Count, set.Shares.Count);
        var sealedFiles = new List<byte[]>(set.Shares.Count);
        for (int i = 0; i < set.Shares.Count; i++)
        {
            var text = ShareFile.Format(set.Shares[i], new ShareFileHeader(publicKey, custodians[i].Name, date, passphraseProtected));
            try
            {
                sealedFiles.Add(AgeEncryptor.Encrypt(text, [custodians[i].Recipient], armor));
            }
            finally
            {
                SecretBuffers.Wipe(text);
            }
        }
        var paths = new List<string>(set.Shares.Count);
        for (int i = 0; i < set.Shares.Count; i++)
        {
            var info = set.Shares[i].Info;
            paths.Add(files.Write(FileName(info), TranscriptFile.ShareFileRole, sealedFiles[i], info.MemberNumber));
            op.Note($"wrote {FileName(info)} for {custodians[i].Name}, sealed to {Describe(custodians[i].Recipient)}");
        }
        return paths;
    }

    /// <summary>A short public description of a recipient for messages: its type and a prefix.</summary>
    public static string Describe(AgeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Type == AgeRecipientType.SshEd25519
            ? $"ssh-ed25519 key{(recipient.Comment is { Length: > 0 } c ? " " + c : "")}"
            : recipient.Text[..Math.Min(16, recipient.Text.Length)] + "…";
    }
}
