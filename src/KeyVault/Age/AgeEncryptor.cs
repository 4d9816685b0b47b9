using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>Seals data into an age v1 file for one or more recipients.</summary>
internal static class AgeEncryptor
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> to every recipient (one stanza each, in order) with a fresh file key
    /// and payload nonce, and returns the binary age file, or its ASCII armor when <paramref name="armor"/>.
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients, bool armor)
    {
        Span<byte> fileKey = stackalloc byte[StanzaCrypto.FileKeyLength];
        try
        {
            return Encrypt(plaintext, recipients, armor, fileKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>
    /// Encrypts as above and leaves the file key in <paramref name="fileKey"/> (16 bytes), so the sealer can prove
    /// later, with <see cref="AgeDecryptor.OpenWithFileKey"/>, that a stored copy is intact. The caller wipes it.
    /// </summary>
    internal static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients, bool armor, Span<byte> fileKey)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0) throw AgeError.NoRecipients();
        if (fileKey.Length != StanzaCrypto.FileKeyLength) throw new ArgumentException("a file key is 16 bytes", nameof(fileKey));
        Span<byte> nonce = stackalloc byte[AgePayload.NonceLength];
        RandomNumberGenerator.Fill(fileKey);
        RandomNumberGenerator.Fill(nonce);
        var stanzas = new AgeStanza[recipients.Count];
        for (int i = 0; i < stanzas.Length; i++) stanzas[i] = recipients[i].Wrap(fileKey);
        var header = AgeHeader.Write(stanzas, fileKey);
        var file = new byte[checked(header.Length + AgePayload.Length(plaintext.Length))];
        header.CopyTo(file, 0);
        AgePayload.Encrypt(fileKey, nonce, plaintext, file.AsSpan(header.Length));
        return armor ? AgeArmor.Encode(file) : file;
    }
}
