using System.IO.Compression;
using System.Text;

namespace KeyVault.Tests.Support;

/// <summary>One file embedded in a single-file executable.</summary>
/// <param name="Path">The bundle-relative path.</param>
/// <param name="Type">The bundler's file type: 1 assembly, 2 native binary, 3 deps.json, 4 runtimeconfig.json, 5 symbols, 0 other.</param>
/// <param name="Offset">Where the (possibly compressed) bytes start in the executable.</param>
/// <param name="Size">The file's size.</param>
/// <param name="CompressedSize">The stored size when DEFLATE-compressed, 0 when stored as is.</param>
public sealed record BundleEntry(string Path, int Type, long Offset, long Size, long CompressedSize);

/// <summary>
/// Reads the manifest of a .NET single-file executable (bundle format 6 and earlier), as written by
/// Microsoft.NET.HostModel (Bundle/Manifest.cs, FileEntry.cs): the apphost holds a fixed 32-byte signature, the 8
/// bytes before it are the header's offset; the header is major, minor (uint32), file count (int32), bundle ID
/// (BinaryWriter string), and from version 2 five 64-bit fields (deps.json and runtimeconfig.json offsets and
/// sizes, flags); then per file: offset, size, compressed size (version 6+), a type byte and the path.
/// tools/bundle.py is the same reader for the command line.
/// </summary>
public sealed class SingleFileBundle
{
    private static readonly byte[] Signature = Convert.FromHexString("8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae");

    private readonly string _path;

    private SingleFileBundle(string path, int major, IReadOnlyList<BundleEntry> entries)
    {
        _path = path;
        MajorVersion = major;
        Entries = entries;
    }

    /// <summary>The bundle format's major version.</summary>
    public int MajorVersion { get; }

    /// <summary>Every embedded file, in manifest order.</summary>
    public IReadOnlyList<BundleEntry> Entries { get; }

    /// <summary>Reads the manifest of <paramref name="path"/>; fails the test if it is not a bundle.</summary>
    public static SingleFileBundle Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf(Signature);
        Assert.True(at >= 8, $"{path} holds no single-file bundle signature");
        var headerOffset = BitConverter.ToInt64(bytes, at - 8);
        Assert.InRange(headerOffset, 1, bytes.Length - 12);

        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        reader.BaseStream.Position = headerOffset;
        var major = (int)reader.ReadUInt32();
        reader.ReadUInt32();
        var count = reader.ReadInt32();
        reader.ReadString();
        if (major >= 2) reader.BaseStream.Position += 5 * sizeof(long);
        var entries = new List<BundleEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var offset = reader.ReadInt64();
            var size = reader.ReadInt64();
            var compressed = major >= 6 ? reader.ReadInt64() : 0;
            var type = reader.ReadByte();
            entries.Add(new BundleEntry(reader.ReadString(), type, offset, size, compressed));
        }
        return new SingleFileBundle(path, major, entries);
    }

    /// <summary>The bytes of one embedded file, decompressed.</summary>
    public byte[] Extract(BundleEntry entry)
    {
        using var file = File.OpenRead(_path);
        file.Position = entry.Offset;
        var stored = new byte[entry.CompressedSize > 0 ? entry.CompressedSize : entry.Size];
        file.ReadExactly(stored);
        if (entry.CompressedSize == 0) return stored;
        using var inflate = new DeflateStream(new MemoryStream(stored), CompressionMode.Decompress);
        var content = new byte[entry.Size];
        inflate.ReadExactly(content);
        return content;
    }
}
