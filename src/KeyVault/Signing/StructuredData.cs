using System.Security.Cryptography;

namespace KeyVault.Signing;

/// <summary>
/// SIP-018 signed structured data: the hash signed is SHA-256 of the ASCII bytes <c>SIP018</c>, the SHA-256 of the
/// serialized domain tuple and the SHA-256 of the serialized message (both Clarity values, <see cref="ClarityValue"/>).
/// </summary>
internal static class StructuredData
{
    /// <summary>The prefix hashed first: "SIP018" in ASCII.</summary>
    public static ReadOnlySpan<byte> Prefix => "SIP018"u8;

    /// <summary>The domain tuple <c>{name, version, chain-id}</c>.</summary>
    public static byte[] Domain(string name, string version, uint chainId) => ClarityValue.Tuple(
        ("name", ClarityValue.StringAscii(name)),
        ("version", ClarityValue.StringAscii(version)),
        ("chain-id", ClarityValue.UInt(chainId)));

    /// <summary>The 32-byte hash a SIP-018 signature signs, for a serialized domain and message.</summary>
    public static byte[] MessageHash(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> message)
    {
        var input = new byte[Prefix.Length + 64];
        Prefix.CopyTo(input);
        SHA256.HashData(domain, input.AsSpan(Prefix.Length, 32));
        SHA256.HashData(message, input.AsSpan(Prefix.Length + 32, 32));
        return SHA256.HashData(input);
    }
}
