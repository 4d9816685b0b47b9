using System.Security.Cryptography;

namespace KeyVault.Paper;

/// <summary>
/// A write-only, growable in-memory stream that zeroes every buffer it abandons and, on dispose, the last one.
/// A MemoryStream leaves its old buffers to the garbage collector when it grows, each holding a copy of what was
/// written so far — here, the page content that draws the share's words.
/// </summary>
internal sealed class WipingBufferStream : Stream
{
    private byte[] _buffer;
    private int _length;

    public WipingBufferStream(int initialCapacity) => _buffer = new byte[initialCapacity];

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
        {
            var grown = new byte[Math.Max(checked(_length + data.Length), checked(_buffer.Length * 2))];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            CryptographicOperations.ZeroMemory(_buffer);
            _buffer = grown;
        }
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() { }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _length = 0;
        base.Dispose(disposing);
    }
}
