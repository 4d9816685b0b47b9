using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>
/// The plaintext of an opened age file, in a pinned buffer that <see cref="Dispose"/> wipes. <see cref="ToString"/>
/// reveals only the length.
/// </summary>
public sealed class AgePlaintext : IDisposable
{
    private readonly byte[] _buffer;
    private bool _disposed;

    internal AgePlaintext(byte[] pinnedBuffer, int length)
    {
        _buffer = pinnedBuffer;
        Length = length;
    }

    /// <summary>Number of plaintext bytes.</summary>
    public int Length { get; }

    /// <summary>Borrowed view of the plaintext; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer.AsSpan(0, Length);
        }
    }

    /// <summary>Test hook: true when every byte of the buffer is zero.</summary>
    internal bool IsWiped => _buffer.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Wipes the plaintext.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"AgePlaintext({Length} bytes)";
}
