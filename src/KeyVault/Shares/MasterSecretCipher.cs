using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KeyVault.Shares;

/// <summary>
/// SLIP-0039's passphrase encryption of the master secret: a 4-round Feistel network whose round function is
/// PBKDF2-HMAC-SHA256(password = round byte ‖ passphrase, salt = prefix ‖ right half, 2500 × 2^e iterations,
/// length n/2). The prefix is "shamir" ‖ identifier (2 bytes, big-endian) for non-extendable backups and empty
/// for extendable ones. Any passphrase decrypts to some secret; only the right one gives the original.
/// </summary>
internal static class MasterSecretCipher
{
    /// <summary>Number of Feistel rounds.</summary>
    public const int Rounds = 4;
    /// <summary>PBKDF2 iterations per round at exponent 0 (10000 in total).</summary>
    public const int BaseIterationsPerRound = 2500;

    /// <summary>Encrypts the master secret into <paramref name="destination"/> (same length).</summary>
    public static void Encrypt(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> passphrase, int iterationExponent,
        int identifier, bool extendable, Span<byte> destination) =>
        Feistel(masterSecret, passphrase, iterationExponent, identifier, extendable, decrypt: false, destination);

    /// <summary>Decrypts the encrypted master secret into <paramref name="destination"/> (same length).</summary>
    public static void Decrypt(ReadOnlySpan<byte> encrypted, ReadOnlySpan<byte> passphrase, int iterationExponent,
        int identifier, bool extendable, Span<byte> destination) =>
        Feistel(encrypted, passphrase, iterationExponent, identifier, extendable, decrypt: true, destination);

    private static void Feistel(ReadOnlySpan<byte> input, ReadOnlySpan<byte> passphrase, int iterationExponent,
        int identifier, bool extendable, bool decrypt, Span<byte> destination)
    {
        int half = input.Length / 2;
        int iterations = BaseIterationsPerRound << iterationExponent;
        ReadOnlySpan<byte> customization = Rs1024.Original;
        int prefixLength = extendable ? 0 : customization.Length + 2;

        var left = GC.AllocateArray<byte>(half, pinned: true);
        var right = GC.AllocateArray<byte>(half, pinned: true);
        var round = GC.AllocateArray<byte>(half, pinned: true);
        var password = GC.AllocateArray<byte>(1 + passphrase.Length, pinned: true);
        var salt = GC.AllocateArray<byte>(prefixLength + half, pinned: true);
        try
        {
            input[..half].CopyTo(left);
            input[half..].CopyTo(right);
            passphrase.CopyTo(password.AsSpan(1));
            if (!extendable)
            {
                customization.CopyTo(salt);
                BinaryPrimitives.WriteUInt16BigEndian(salt.AsSpan(customization.Length), (ushort)identifier);
            }
            for (int r = 0; r < Rounds; r++)
            {
                password[0] = (byte)(decrypt ? Rounds - 1 - r : r);
                right.CopyTo(salt.AsSpan(prefixLength));
                Rfc2898DeriveBytes.Pbkdf2(password, salt, round, iterations, HashAlgorithmName.SHA256);
                // (L, R) ← (R, L xor F(i, R)), done in place by swapping the buffers.
                for (int k = 0; k < half; k++) left[k] ^= round[k];
                (left, right) = (right, left);
            }
            right.CopyTo(destination);
            left.CopyTo(destination[half..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(left);
            CryptographicOperations.ZeroMemory(right);
            CryptographicOperations.ZeroMemory(round);
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(salt);
        }
    }
}
