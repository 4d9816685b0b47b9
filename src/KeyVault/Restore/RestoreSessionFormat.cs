using System.Buffers.Binary;
using System.Security.Cryptography;
using KeyVault.KeyFile;

namespace KeyVault.Restore;

/// <summary>The fields of a session file as they sit in the bytes. Produced only by <see cref="RestoreSessionFormat.Parse"/>.</summary>
internal sealed record SessionFileLayout(byte[] File, int HeaderLength, KdfParameters Kdf, byte[] Salt, byte[] Nonce, byte[] Status)
{
    public ReadOnlySpan<byte> Header => File.AsSpan(0, HeaderLength);
    public ReadOnlySpan<byte> Ciphertext => File.AsSpan(HeaderLength, File.Length - HeaderLength - RestoreSessionFormat.TagLength);
    public ReadOnlySpan<byte> Tag => File.AsSpan(File.Length - RestoreSessionFormat.TagLength);
}

/// <summary>
/// The one place that reads and writes restore-session bytes (docs/restore-session-format.md). Outer layout:
/// magic ‖ version ‖ Argon2id m, t, p ‖ salt ‖ nonce ‖ public status (JSON) ‖ ciphertext length ‖ ciphertext ‖ tag,
/// with everything before the ciphertext authenticated as AES-GCM associated data. Inner (decrypted) layout:
/// version ‖ share count ‖ shares (length-prefixed ASCII mnemonics) ‖ identity blob.
/// </summary>
internal static class RestoreSessionFormat
{
    public const string FileName = "restore-session.kvrs";
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'K', (byte)'V', (byte)'R', (byte)'S', 0x0D, 0x0A, 0x1A];
    public const byte Version = 1;
    public const byte PlaintextVersion = 1;
    public const int SaltLength = 16;
    public const int MinSaltLength = 16;
    public const int MaxSaltLength = 64;
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int MaxStatusLength = 64 * 1024;
    public const int MaxCiphertextLength = 256 * 1024;
    public const int MaxShares = 64;
    public const int MaxMnemonicLength = 1024;
    public const int MaxIdentityLength = 4096;

    /// <summary>magic, version, m, t, p, salt length.</summary>
    private const int FixedPrefixLength = KdfPrefix.Length;

    /// <summary>The header (associated data) for the given fields.</summary>
    public static byte[] WriteHeader(KdfParameters kdf, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> status, int ciphertextLength)
    {
        var h = new byte[FixedPrefixLength + salt.Length + NonceLength + 4 + status.Length + 4];
        var w = h.AsSpan();
        KdfPrefix.Write(w, Magic, Version, kdf, salt.Length);
        int at = FixedPrefixLength;
        salt.CopyTo(w[at..]); at += salt.Length;
        nonce.CopyTo(w[at..]); at += NonceLength;
        BinaryPrimitives.WriteUInt32BigEndian(w[at..], checked((uint)status.Length)); at += 4;
        status.CopyTo(w[at..]); at += status.Length;
        BinaryPrimitives.WriteUInt32BigEndian(w[at..], checked((uint)ciphertextLength));
        return h;
    }

    /// <summary>Parses the outer layout; checks every length before anything is derived or decrypted. Throws DamagedFile.</summary>
    public static SessionFileLayout Parse(byte[] file)
    {
        ReadOnlySpan<byte> b = file;
        if (!b.StartsWith(Magic)) throw RestoreError.Damaged("it does not start with the session magic");
        if (b.Length < 9) throw RestoreError.Damaged("it is truncated inside the version");
        if (b[8] != Version) throw RestoreError.UnsupportedVersion(b[8]);
        if (b.Length < FixedPrefixLength) throw RestoreError.Damaged("it is truncated inside the Argon2 parameters");
        var kdf = KdfPrefix.ReadKdf(b);
        if (!kdf.IsStructurallyValid) throw RestoreError.Damaged("its Argon2 parameters are invalid");
        int saltLength = b[21];
        if (saltLength is < MinSaltLength or > MaxSaltLength) throw RestoreError.Damaged($"its salt length is {saltLength}");
        int at = FixedPrefixLength;
        var salt = Take(b, ref at, saltLength, "salt");
        var nonce = Take(b, ref at, NonceLength, "nonce");
        var statusLength = BinaryPrimitives.ReadUInt32BigEndian(Take(b, ref at, 4, "status length"));
        if (statusLength is 0 or > MaxStatusLength) throw RestoreError.Damaged($"its status length is {statusLength}");
        var status = Take(b, ref at, (int)statusLength, "status");
        var ciphertextLength = BinaryPrimitives.ReadUInt32BigEndian(Take(b, ref at, 4, "ciphertext length"));
        if (ciphertextLength is < 4 or > MaxCiphertextLength) throw RestoreError.Damaged($"its ciphertext length is {ciphertextLength}");
        int headerLength = at;
        if (b.Length - at < ciphertextLength + TagLength) throw RestoreError.Damaged("it is truncated inside the encrypted part");
        if (b.Length - at > ciphertextLength + TagLength) throw RestoreError.Damaged("it has bytes after the authentication tag");
        return new SessionFileLayout(file, headerLength, kdf, salt, nonce, status);
    }

    /// <summary>Encrypts the plaintext into a whole file.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> fileKey, KdfParameters kdf, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> status, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        // A fresh random nonce for every write under the session's one key: at most a few hundred writes per session,
        // far below the 2^32 messages at which random 96-bit GCM nonces start to risk a collision.
        RandomNumberGenerator.Fill(nonce);
        return Seal(fileKey, kdf, salt, nonce, status, plaintext);
    }

    /// <summary>Encrypts with a given nonce: only for the vector generator, which needs fixed bytes.</summary>
    internal static byte[] Seal(ReadOnlySpan<byte> fileKey, KdfParameters kdf, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> status, ReadOnlySpan<byte> plaintext)
    {
        var header = WriteHeader(kdf, salt, nonce, status, plaintext.Length);
        var file = new byte[header.Length + plaintext.Length + TagLength];
        header.CopyTo(file, 0);
        using var gcm = new AesGcm(fileKey, TagLength);
        gcm.Encrypt(nonce, plaintext, file.AsSpan(header.Length, plaintext.Length), file.AsSpan(header.Length + plaintext.Length), header);
        return file;
    }

    /// <summary>Decrypts into a pinned buffer the caller wipes; throws AuthenticationFailed on a tag mismatch.</summary>
    public static byte[] Open(SessionFileLayout layout, ReadOnlySpan<byte> fileKey)
    {
        var plaintext = GC.AllocateArray<byte>(layout.Ciphertext.Length, pinned: true);
        using var gcm = new AesGcm(fileKey, TagLength);
        try
        {
            gcm.Decrypt(layout.Nonce, layout.Ciphertext, layout.Tag, plaintext, layout.Header);
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw RestoreError.AuthenticationFailed();
        }
        return plaintext;
    }

    /// <summary>The inner layout: u8 version ‖ u8 count ‖ (u16 length ‖ ASCII mnemonic)* ‖ u16 length ‖ identity. Pinned; the caller wipes it.</summary>
    public static byte[] WritePlaintext(IReadOnlyList<byte[]> mnemonics, ReadOnlySpan<byte> identity)
    {
        int length = 2 + mnemonics.Sum(m => 2 + m.Length) + 2 + identity.Length;
        var p = GC.AllocateArray<byte>(length, pinned: true);
        var w = p.AsSpan();
        w[0] = PlaintextVersion;
        w[1] = checked((byte)mnemonics.Count);
        int at = 2;
        foreach (var m in mnemonics)
        {
            BinaryPrimitives.WriteUInt16BigEndian(w[at..], checked((ushort)m.Length)); at += 2;
            m.CopyTo(w[at..]); at += m.Length;
        }
        BinaryPrimitives.WriteUInt16BigEndian(w[at..], checked((ushort)identity.Length)); at += 2;
        identity.CopyTo(w[at..]);
        return p;
    }

    /// <summary>Reads the inner layout into pinned buffers (mnemonics, identity) the caller wipes. Throws DamagedFile.</summary>
    public static (List<byte[]> Mnemonics, byte[] Identity) ReadPlaintext(ReadOnlySpan<byte> p)
    {
        var mnemonics = new List<byte[]>();
        try
        {
            if (p.Length < 4 || p[0] != PlaintextVersion) throw RestoreError.Damaged("its decrypted part has an unknown version");
            int count = p[1];
            if (count > MaxShares) throw RestoreError.Damaged($"it claims {count} shares");
            int at = 2;
            for (int i = 0; i < count; i++)
            {
                mnemonics.Add(TakePinned(p, ref at, MaxMnemonicLength));
                foreach (var c in mnemonics[^1])
                    if (c is not ((>= (byte)'a' and <= (byte)'z') or (byte)' ')) throw RestoreError.Damaged("a stored share is not lowercase words");
            }
            var identity = TakePinned(p, ref at, MaxIdentityLength);
            if (at != p.Length)
            {
                CryptographicOperations.ZeroMemory(identity);
                throw RestoreError.Damaged("its decrypted part has trailing bytes");
            }
            return (mnemonics, identity);
        }
        catch
        {
            foreach (var m in mnemonics) CryptographicOperations.ZeroMemory(m);
            throw;
        }
    }

    private static byte[] TakePinned(ReadOnlySpan<byte> p, ref int at, int max)
    {
        if (p.Length - at < 2) throw RestoreError.Damaged("its decrypted part is truncated");
        int length = BinaryPrimitives.ReadUInt16BigEndian(p[at..]);
        at += 2;
        if (length > max || p.Length - at < length) throw RestoreError.Damaged("its decrypted part has a bad length");
        var result = GC.AllocateArray<byte>(length, pinned: true);
        p.Slice(at, length).CopyTo(result);
        at += length;
        return result;
    }

    private static byte[] Take(ReadOnlySpan<byte> b, ref int at, int length, string field)
    {
        if (b.Length - at < length) throw RestoreError.Damaged($"it is truncated inside the {field}");
        var result = b.Slice(at, length).ToArray();
        at += length;
        return result;
    }
}
