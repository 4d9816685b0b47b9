using System.Security.Cryptography;
using KeyVault.Age;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>
/// One share sealed in memory to its custodian: the age file, and what proves later that a stored copy is that file
/// and holds that share — the file key and a SHA-256 of the sealed share file. Dispose wipes both.
/// </summary>
public sealed class SealedShare : IDisposable
{
    private readonly byte[] _fileKey = GC.AllocateArray<byte>(StanzaCrypto.FileKeyLength, pinned: true);
    private readonly byte[] _plaintextHash = GC.AllocateArray<byte>(SHA256.HashSizeInBytes, pinned: true);

    internal SealedShare(MnemonicShare share, Custodian custodian, PublicKey publicKey, DateOnly date, bool passphraseProtected, bool armor)
    {
        Info = share.Info;
        MemberCount = share.MemberCount;
        Custodian = custodian;
        Recipient = custodian.Recipient ?? throw new ArgumentException($"{custodian.Name} receives a paper share, not a sealed one", nameof(custodian));
        var text = ShareFile.Format(share, new ShareFileHeader(publicKey, custodian.Name, date, passphraseProtected));
        try
        {
            File = AgeEncryptor.Encrypt(text, [Recipient], armor, _fileKey);
            SHA256.HashData(text, _plaintextHash);
        }
        finally
        {
            SecretBuffers.Wipe(text);
        }
    }

    /// <summary>The share's public metadata.</summary>
    public ShareInfo Info { get; }

    /// <summary>Shares issued in its group.</summary>
    public int MemberCount { get; }

    /// <summary>Whom it is sealed to.</summary>
    public Custodian Custodian { get; }

    /// <summary>The key it is sealed to: the custodian's recipient.</summary>
    public AgeRecipient Recipient { get; }

    /// <summary>The age file (binary or armored, as asked): ciphertext, safe to store and send.</summary>
    public byte[] File { get; }

    /// <summary>The file's name: share-3.age, or share-g2-3.age with groups.</summary>
    public string FileName => SealedShares.FileName(Info);

    /// <summary>
    /// Proves that <paramref name="stored"/> (a copy read back from a disk, or scanned from a sheet) is this share,
    /// sealed to this custodian alone: a well-formed age file with exactly one stanza, of the recipient's type (and,
    /// for an SSH key, its tag); its header MAC and every payload chunk authenticate under the file key; and the
    /// plaintext is the share file that was sealed. Returns the plaintext for a drill; the caller disposes it.
    /// Throws <see cref="Errors.KeyVaultException"/> (OutputFailure) naming the file otherwise.
    /// </summary>
    public AgePlaintext Verify(ReadOnlySpan<byte> stored)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AgeFileInfo info;
        AgePlaintext plain;
        try
        {
            info = AgeFile.Inspect(stored);
            plain = AgeDecryptor.OpenWithFileKey(stored, _fileKey);
        }
        catch (AgeException ex)
        {
            throw CustodyError.SealedCheckFailed(FileName, ex.Message);
        }
        try
        {
            if (info.Stanzas.Count != 1)
                throw CustodyError.SealedCheckFailed(FileName, $"it has {info.Stanzas.Count} recipient stanzas instead of one");
            if (info.AddressedTo(Recipient) == AgeAddressing.NotAddressed)
                throw CustodyError.SealedCheckFailed(FileName, $"its stanza is not for {Custodian.Name}'s {SealedShares.Describe(Recipient)}");
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(plain.Span, hash);
            if (!CryptographicOperations.FixedTimeEquals(hash, _plaintextHash))
                throw CustodyError.SealedCheckFailed(FileName, "it holds another share file than the one sealed");
            return plain;
        }
        catch
        {
            plain.Dispose();
            throw;
        }
    }

    private bool _disposed;

    /// <summary>Wipes the file key and the hash.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_fileKey);
        CryptographicOperations.ZeroMemory(_plaintextHash);
    }
}
