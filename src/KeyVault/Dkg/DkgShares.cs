using System.Security.Cryptography;
using KeyVault.Keys;

namespace KeyVault.Dkg;

/// <summary>What trying a key on one DKG shares blob showed.</summary>
public enum DkgBlobOutcome
{
    /// <summary>The AES-256-GCM tag verified: this key is the one the signer encrypted the shares with.</summary>
    Opened,
    /// <summary>The tag did not verify: another key, or a damaged blob.</summary>
    NotOpened,
    /// <summary>The blob is shorter than nonce + tag, so it cannot be an encrypted_private_shares value.</summary>
    Malformed,
}

/// <summary>
/// Checks that a signer key opens the signer's encrypted DKG shares, the way the sBTC signer decrypts them:
/// blob = nonce(12) || ciphertext || tag(16), AES-256-GCM keyed with the 32 raw private-key bytes, no associated
/// data (docs/drill.md cites the signer source). The plaintext is decrypted into a pinned buffer and wiped at once;
/// it is never returned, kept or printed.
/// </summary>
public static class DkgShares
{
    /// <summary>AES-GCM nonce length the signer uses.</summary>
    public const int NonceLength = 12;

    /// <summary>AES-GCM tag length the signer uses.</summary>
    public const int TagLength = 16;

    /// <summary>Largest blob accepted: real shares are a few kilobytes; the cap bounds memory for a hostile input.</summary>
    public const int MaxBlobLength = 16 * 1024 * 1024;

    /// <summary>True when <paramref name="key"/> authenticates <paramref name="blob"/>.</summary>
    public static bool Opens(SecretKey key, ReadOnlySpan<byte> blob) => Check(key, blob) == DkgBlobOutcome.Opened;

    /// <summary>Tries <paramref name="key"/> on <paramref name="blob"/> and says what happened.</summary>
    public static DkgBlobOutcome Check(SecretKey key, ReadOnlySpan<byte> blob)
    {
        if (blob.Length < NonceLength + TagLength || blob.Length > MaxBlobLength) return DkgBlobOutcome.Malformed;
        var nonce = blob[..NonceLength];
        var ciphertext = blob[NonceLength..^TagLength];
        var tag = blob[^TagLength..];
        // Pinned so no copy of the decrypted shares is left behind by the garbage collector before the wipe.
        var plaintext = GC.AllocateArray<byte>(ciphertext.Length, pinned: true);
        try
        {
            using var aes = new AesGcm(key.Span, TagLength);
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
            return DkgBlobOutcome.Opened;
        }
        catch (AuthenticationTagMismatchException)
        {
            return DkgBlobOutcome.NotOpened;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Parses the content of a <c>--dkg-blob</c> file: the hex of one encrypted_private_shares value, optionally
    /// prefixed by <c>\x</c> (as psql prints bytea) or <c>0x</c>; whitespace anywhere (line breaks of a pasted
    /// value included) is ignored; either case.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">Empty, odd length, a non-hex character, or larger than <see cref="MaxBlobLength"/>.</exception>
    public static byte[] ParseBlobHex(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("\\x") || trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[2..];
        int digits = 0;
        foreach (var c in trimmed)
            if (!char.IsWhiteSpace(c)) digits++;
        if (digits == 0) throw DkgError.BlobEmpty();
        if (digits % 2 != 0) throw DkgError.BlobOddLength(digits);
        if (digits / 2 > MaxBlobLength) throw DkgError.BlobTooLarge(digits / 2, MaxBlobLength);

        var result = new byte[digits / 2];
        int nibbles = 0, position = text.Length - text.TrimStart().Length + (text.Trim().Length - trimmed.Length);
        int high = 0;
        foreach (var c in trimmed)
        {
            position++;
            if (char.IsWhiteSpace(c)) continue;
            int v = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (v < 0) throw DkgError.BlobNotHex(position);
            if (nibbles % 2 == 0) high = v;
            else result[nibbles / 2] = (byte)(high << 4 | v);
            nibbles++;
        }
        return result;
    }
}
