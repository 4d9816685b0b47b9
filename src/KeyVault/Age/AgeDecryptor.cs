using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>Opens age v1 files with X25519 or ssh-ed25519 identities.</summary>
internal static class AgeDecryptor
{
    /// <summary>
    /// Decrypts a binary or armored age file (armor is recognised by its BEGIN line) with the first identity that
    /// unwraps a stanza. Nothing is returned unless the header MAC and every payload chunk authenticate.
    /// Throws <see cref="AgeException"/>, whose <see cref="AgeException.Failure"/> says which stage failed.
    /// </summary>
    public static AgePlaintext Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<AgeIdentity> identities) =>
        Decrypt(file, identities, AgeArmor.LooksArmored(file), released: null);

    /// <summary>Decrypts with one identity; see <see cref="Decrypt(ReadOnlySpan{byte}, IReadOnlyList{AgeIdentity})"/>.</summary>
    public static AgePlaintext Decrypt(ReadOnlySpan<byte> file, AgeIdentity identity) => Decrypt(file, [identity]);

    /// <summary>
    /// The whole pipeline, with the encoding given by the caller (the test vectors state it) and a hook that sees
    /// each payload chunk once it is authenticated.
    /// </summary>
    internal static AgePlaintext Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<AgeIdentity> identities, bool armored,
        AgePayload.ReleasedChunk? released)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count == 0) throw new ArgumentException("at least one identity is needed", nameof(identities));
        byte[] binary = armored ? AgeArmor.Decode(file) : file.ToArray();
        var header = AgeHeader.Parse(binary);
        var payload = binary.AsSpan(header.Length);
        if (payload.Length < AgePayload.NonceLength) throw AgeError.Header("the file ends inside the payload nonce");
        CheckScryptAlone(header);

        Span<byte> fileKey = stackalloc byte[StanzaCrypto.FileKeyLength];
        byte[]? output = null;
        try
        {
            if (!Unwrap(header, identities, fileKey)) throw AgeError.NoMatch(identities.Count, header.Stanzas.Count);
            if (!header.MacMatches(binary, fileKey)) throw AgeError.Hmac();
            output = GC.AllocateArray<byte>(payload.Length, pinned: true);
            int length = AgePayload.Decrypt(fileKey, payload, output, released);
            var result = new AgePlaintext(output, length);
            output = null;
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            if (output is not null) CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>
    /// Opens a file whose file key the caller already holds (it sealed the file): checks the header grammar, the header
    /// MAC and every payload chunk, without unwrapping any stanza. Throws <see cref="AgeException"/> as Decrypt does.
    /// </summary>
    internal static AgePlaintext OpenWithFileKey(ReadOnlySpan<byte> file, ReadOnlySpan<byte> fileKey)
    {
        byte[] binary = AgeArmor.LooksArmored(file) ? AgeArmor.Decode(file) : file.ToArray();
        var header = AgeHeader.Parse(binary);
        var payload = binary.AsSpan(header.Length);
        if (payload.Length < AgePayload.NonceLength) throw AgeError.Header("the file ends inside the payload nonce");
        if (!header.MacMatches(binary, fileKey)) throw AgeError.Hmac();
        var output = GC.AllocateArray<byte>(payload.Length, pinned: true);
        try
        {
            int length = AgePayload.Decrypt(fileKey, payload, output, null);
            var result = new AgePlaintext(output, length);
            output = null;
            return result;
        }
        finally
        {
            if (output is not null) CryptographicOperations.ZeroMemory(output);
        }
    }

    // Identities in the order given, each against every stanza in file order; the first unwrap wins.
    private static bool Unwrap(AgeHeader header, IReadOnlyList<AgeIdentity> identities, Span<byte> fileKey)
    {
        foreach (var identity in identities)
            for (int i = 0; i < header.Stanzas.Count; i++)
                if (identity.TryUnwrap(header.Stanzas[i], i + 1, fileKey)) return true;
        return false;
    }

    // The specification requires an scrypt stanza to be the only one. KeyVault has no scrypt identity, but a file
    // that breaks the rule is malformed for every reader, so it is rejected as such.
    internal static void CheckScryptAlone(AgeHeader header)
    {
        if (header.Stanzas.Count > 1 && header.Stanzas.Any(s => s.Type == "scrypt"))
            throw AgeError.Header("an scrypt stanza must be the only recipient stanza");
    }
}
