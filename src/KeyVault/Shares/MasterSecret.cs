using System.Security.Cryptography;
using KeyVault.Keys;

namespace KeyVault.Shares;

/// <summary>
/// A master secret rebuilt from shares, in a pinned buffer that <see cref="Dispose"/> wipes.
/// <see cref="ToString"/> reveals only the length.
/// </summary>
public sealed class MasterSecret : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    /// <summary>Takes ownership of a pinned buffer.</summary>
    internal MasterSecret(byte[] pinnedBytes) => _bytes = pinnedBytes;

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Borrowed view of the secret; valid until Dispose. Do not copy it anywhere that is not wiped.</summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>The secret as a signer key; throws <see cref="Errors.KeyVaultException"/> unless it is a valid 32-byte scalar.</summary>
    public SecretKey ToSecretKey() => SecretKey.FromBytes(Bytes);

    /// <summary>Test hook: true when every byte of the buffer is zero.</summary>
    internal bool IsWiped => _bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Wipes the secret.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"MasterSecret({_bytes.Length} bytes, hidden)";
}
