using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.Keys;

/// <summary>
/// A secp256k1 signer private key. Owns its 32 bytes in a pinned buffer that <see cref="Dispose"/> wipes;
/// <see cref="ToString"/> names only the public fingerprint.
/// </summary>
public sealed class SecretKey : IDisposable
{
    /// <summary>Length of the scalar in bytes.</summary>
    public const int Length = 32;

    // Pinned so the garbage collector never leaves stray copies behind when it compacts the heap.
    private readonly byte[] _scalar = GC.AllocateArray<byte>(Length, pinned: true);
    private bool _disposed;

    private SecretKey(ReadOnlySpan<byte> scalar)
    {
        scalar.CopyTo(_scalar);
        PublicKey = PublicKey.FromValidCompressed(Secp256k1.PublicKeyFor(_scalar));
    }

    /// <summary>Creates a key from 32 big-endian bytes. The caller keeps ownership of (and wipes) its span.</summary>
    /// <exception cref="KeyVaultException">The bytes are zero or not below the curve order.</exception>
    public static SecretKey FromBytes(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != Length) throw Error.KeyWrongByteLength(scalar.Length);
        if (!Secp256k1.IsValidScalar(scalar)) throw Error.KeyOutOfRange();
        return new SecretKey(scalar);
    }

    /// <summary>Returns null instead of throwing when the bytes are not a valid scalar.</summary>
    internal static SecretKey? TryFromBytes(ReadOnlySpan<byte> scalar) =>
        scalar.Length == Length && Secp256k1.IsValidScalar(scalar) ? new SecretKey(scalar) : null;

    /// <summary>The public key, computed once at construction.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>Copies the 32 secret bytes into <paramref name="destination"/>; the caller must wipe it.</summary>
    public void Export(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length != Length) throw new ArgumentException("destination must be 32 bytes", nameof(destination));
        _scalar.CopyTo(destination);
    }

    /// <summary>Borrowed view of the secret for library code; valid until Dispose.</summary>
    internal ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _scalar;
        }
    }

    /// <summary>Test hook: true when every byte of the buffer is zero.</summary>
    internal bool IsWiped => _scalar.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Wipes the secret bytes.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_scalar);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"SecretKey(fingerprint {PublicKey.Fingerprint})";
}
