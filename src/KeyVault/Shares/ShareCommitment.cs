using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;

namespace KeyVault.Shares;

/// <summary>
/// The commitment a backup manifest records for each share: SHA-256 over a domain-separation tag and the share's
/// identifier, flags, indices, thresholds and value, each at a fixed width or with its length in front
/// (docs/manifest.md, section 3). Anyone holding a share can recompute it; nobody learns the value from it.
/// </summary>
internal static class ShareCommitment
{
    /// <summary>The domain-separation tag that starts every committed byte string.</summary>
    public const string Tag = "keyvault/backup-manifest/share-commitment/v1";

    /// <summary>The commitment of one share given as words (typed or scanned), as 64 lowercase hex characters.</summary>
    /// <exception cref="Errors.KeyVaultException">BadInput when the share is malformed.</exception>
    public static string Of(ReadOnlySpan<char> mnemonic)
    {
        using var share = ShareCodec.Decode(mnemonic, position: 0);
        return Of(share);
    }

    /// <summary>The commitment of a decoded share.</summary>
    internal static string Of(Share share) => Compute(share.Identifier, share.Extendable, share.IterationExponent,
        share.GroupIndex, share.GroupThreshold, share.GroupCount, share.MemberIndex, share.MemberThreshold, share.Value);

    /// <summary>The commitment from the fields as encoded in the share (indices 0-based, thresholds and count as counts).</summary>
    internal static string Compute(int identifier, bool extendable, int iterationExponent, int groupIndex, int groupThreshold,
        int groupCount, int memberIndex, int memberThreshold, ReadOnlySpan<byte> value)
    {
        var bytes = CommittedBytes(identifier, extendable, iterationExponent, groupIndex, groupThreshold, groupCount,
            memberIndex, memberThreshold, value);
        try
        {
            return Hex.Encode(SHA256.HashData(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// The exact byte string that is hashed: u8 tag length ‖ tag ‖ u16 identifier ‖ u8 extendable ‖ u8 iteration
    /// exponent ‖ u8 group index ‖ u8 group threshold ‖ u8 group count ‖ u8 member index ‖ u8 member threshold ‖
    /// u16 value length ‖ value (big-endian). Pinned, since it holds the share value; the caller wipes it.
    /// </summary>
    internal static byte[] CommittedBytes(int identifier, bool extendable, int iterationExponent, int groupIndex,
        int groupThreshold, int groupCount, int memberIndex, int memberThreshold, ReadOnlySpan<byte> value)
    {
        var tag = Encoding.ASCII.GetBytes(Tag);
        var bytes = GC.AllocateArray<byte>(1 + tag.Length + 2 + 7 + 2 + value.Length, pinned: true);
        var w = bytes.AsSpan();
        w[0] = checked((byte)tag.Length);
        tag.CopyTo(w[1..]);
        int at = 1 + tag.Length;
        BinaryPrimitives.WriteUInt16BigEndian(w[at..], checked((ushort)identifier));
        at += 2;
        w[at++] = extendable ? (byte)1 : (byte)0;
        w[at++] = checked((byte)iterationExponent);
        w[at++] = checked((byte)groupIndex);
        w[at++] = checked((byte)groupThreshold);
        w[at++] = checked((byte)groupCount);
        w[at++] = checked((byte)memberIndex);
        w[at++] = checked((byte)memberThreshold);
        BinaryPrimitives.WriteUInt16BigEndian(w[at..], checked((ushort)value.Length));
        at += 2;
        value.CopyTo(w[at..]);
        return bytes;
    }
}
