using System.Security.Cryptography;

namespace KeyVault.Keys;

/// <summary>Creates new signer keys.</summary>
public static class KeyGenerator
{
    /// <summary>
    /// A new key from the OS CSPRNG by rejection sampling: draw 32 bytes, retry while they are 0 or ≥ n
    /// (probability about 2^-128 per draw), so the key is uniform over [1, n-1].
    /// </summary>
    public static SecretKey Generate() => Generate(static buf => RandomNumberGenerator.Fill(buf));

    /// <summary>
    /// A new key from the OS CSPRNG mixed with dice rolls: SHA-256 over a domain tag, 32 CSPRNG bytes and the rolls.
    /// If either input is unpredictable the result is, so it is never weaker than the CSPRNG alone nor than the dice alone.
    /// </summary>
    public static SecretKey Generate(DiceRolls dice)
    {
        ArgumentNullException.ThrowIfNull(dice);
        var random = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(random);
            return GenerateMixed(random, dice);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    /// <summary>The deterministic core of <see cref="Generate(DiceRolls)"/>, exposed to tests.</summary>
    internal static SecretKey GenerateMixed(byte[] random, DiceRolls dice)
    {
        uint counter = 0;
        return Generate(buf =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData("KeyVault dice mix v1\0"u8);
            Span<byte> c = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(c, counter++);
            sha.AppendData(c);
            sha.AppendData(random);
            sha.AppendData(dice.Span);
            sha.GetHashAndReset(buf);
        });
    }

    /// <summary>Rejection sampling over a 32-byte source; internal so tests can feed a fixed source.</summary>
    internal static SecretKey Generate(Action<byte[]> fill)
    {
        var candidate = GC.AllocateArray<byte>(SecretKey.Length, pinned: true);
        try
        {
            while (true)
            {
                fill(candidate);
                var key = SecretKey.TryFromBytes(candidate);
                if (key is not null) return key;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }
}
