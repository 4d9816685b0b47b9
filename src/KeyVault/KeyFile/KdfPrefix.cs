using System.Buffers.Binary;

namespace KeyVault.KeyFile;

/// <summary>
/// The 22-byte start shared by the key file and the restore session file: magic (8), version (1), Argon2 m, t, p
/// (4 each, big-endian) and the salt length (1). Each format follows it with its own fields.
/// </summary>
internal static class KdfPrefix
{
    /// <summary>Length of the prefix.</summary>
    public const int Length = 8 + 1 + 4 + 4 + 4 + 1;

    /// <summary>Writes the prefix at the start of <paramref name="w"/>.</summary>
    public static void Write(Span<byte> w, ReadOnlySpan<byte> magic, byte version, KdfParameters kdf, int saltLength)
    {
        magic.CopyTo(w);
        w[8] = version;
        BinaryPrimitives.WriteUInt32BigEndian(w[9..], checked((uint)kdf.MemoryKiB));
        BinaryPrimitives.WriteUInt32BigEndian(w[13..], checked((uint)kdf.Iterations));
        BinaryPrimitives.WriteUInt32BigEndian(w[17..], checked((uint)kdf.Parallelism));
        w[21] = checked((byte)saltLength);
    }

    /// <summary>The Argon2 parameters of a prefix (magic and version are the caller's to check first).</summary>
    public static KdfParameters ReadKdf(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(b[9..]), BinaryPrimitives.ReadUInt32BigEndian(b[13..]), BinaryPrimitives.ReadUInt32BigEndian(b[17..]));
}
