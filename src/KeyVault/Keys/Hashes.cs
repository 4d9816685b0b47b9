using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace KeyVault.Keys;

/// <summary>Hash functions the identities are built from.</summary>
internal static class Hashes
{
    /// <summary>RIPEMD-160(SHA-256(data)), the Bitcoin/Stacks "hash160".</summary>
    public static byte[] Hash160(ReadOnlySpan<byte> data)
    {
        var sha = SHA256.HashData(data);
        var ripemd = new RipeMD160Digest();
        ripemd.BlockUpdate(sha, 0, sha.Length);
        var result = new byte[20];
        ripemd.DoFinal(result, 0);
        return result;
    }
}
