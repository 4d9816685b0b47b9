using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KeyVault.Age;

/// <summary>
/// The age payload: a 16-byte nonce, then the plaintext in 64 KiB chunks, each sealed with ChaCha20-Poly1305
/// under HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload") with the STREAM nonce
/// (11-byte big-endian chunk counter ‖ 0x01 on the final chunk, 0x00 before it).
/// </summary>
internal static class AgePayload
{
    public const int NonceLength = 16;
    public const int ChunkSize = 64 * 1024;
    public const int TagLength = 16;
    public const int SealedChunkSize = ChunkSize + TagLength;

    private static readonly byte[] PayloadInfo = "payload"u8.ToArray();

    /// <summary>Number of chunks for a plaintext: at least one (an empty plaintext is one empty final chunk).</summary>
    public static int ChunkCount(int plaintextLength) => Math.Max(1, (plaintextLength + ChunkSize - 1) / ChunkSize);

    /// <summary>Payload length (nonce included) for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public static int Length(int plaintextLength) => checked(NonceLength + plaintextLength + ChunkCount(plaintextLength) * TagLength);

    /// <summary>Seals <paramref name="plaintext"/> into <paramref name="destination"/> (exactly <see cref="Length"/> bytes).</summary>
    public static void Encrypt(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (nonce.Length != NonceLength || destination.Length != Length(plaintext.Length))
            throw new ArgumentException("nonce or destination has the wrong length");
        nonce.CopyTo(destination);
        Span<byte> key = stackalloc byte[32];
        Span<byte> chunkNonce = stackalloc byte[12];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, key, nonce, PayloadInfo);
            using var aead = new ChaCha20Poly1305(key);
            int chunks = ChunkCount(plaintext.Length), inAt = 0, outAt = NonceLength;
            for (int i = 0; i < chunks; i++)
            {
                int n = Math.Min(ChunkSize, plaintext.Length - inAt);
                SetChunkNonce(chunkNonce, i, last: i == chunks - 1);
                aead.Encrypt(chunkNonce, plaintext.Slice(inAt, n), destination.Slice(outAt, n), destination.Slice(outAt + n, TagLength));
                inAt += n;
                outAt += n + TagLength;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Opens a payload (nonce included) into <paramref name="destination"/>, which must hold at least
    /// <c>payload.Length</c> bytes; returns the plaintext length. Every chunk is authenticated before its plaintext
    /// is written and handed to <paramref name="released"/> (tests use it to check what a streaming reader would
    /// have released before a failure). Throws <see cref="AgeException"/> (payload); the caller wipes
    /// <paramref name="destination"/> then.
    /// </summary>
    public static int Decrypt(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> payload, Span<byte> destination, ReleasedChunk? released = null)
    {
        if (payload.Length < NonceLength) throw AgeError.Header("the file ends inside the payload nonce");
        var nonce = payload[..NonceLength];
        var chunksIn = payload[NonceLength..];
        Span<byte> key = stackalloc byte[32];
        Span<byte> chunkNonce = stackalloc byte[12];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, key, nonce, PayloadInfo);
            using var aead = new ChaCha20Poly1305(key);
            int inAt = 0, outAt = 0;
            for (long index = 0; ; index++)
            {
                if (index >= 1L << 40) throw AgeError.Payload("it has more chunks than the format can count");
                int remaining = chunksIn.Length - inAt;
                if (remaining == 0) throw AgeError.Payload("the file ends without a final chunk (it was cut short)");
                if (remaining < TagLength) throw AgeError.Payload($"chunk {index + 1} is shorter than its authentication tag (the file was cut short)");
                bool full = remaining >= SealedChunkSize;
                var sealedChunk = chunksIn.Slice(inAt, full ? SealedChunkSize : remaining);
                var text = sealedChunk[..^TagLength];
                var tag = sealedChunk[^TagLength..];
                var output = destination.Slice(outAt, text.Length);
                bool last;
                if (!full)
                {
                    // A short chunk can only be the final one, and only the first chunk may be empty.
                    if (text.IsEmpty && index > 0) throw AgeError.Payload($"the final chunk ({index + 1}) is empty, which only an empty file may have");
                    last = true;
                    if (!Open(aead, chunkNonce, index, true, text, tag, output))
                        throw AgeError.Payload($"chunk {index + 1} (the final one) fails authentication");
                }
                else if (Open(aead, chunkNonce, index, false, text, tag, output))
                    last = false;
                else if (Open(aead, chunkNonce, index, true, text, tag, output))
                    last = true;
                else
                    throw AgeError.Payload($"chunk {index + 1} fails authentication");

                released?.Invoke(output);
                inAt += sealedChunk.Length;
                outAt += text.Length;
                if (last)
                {
                    if (inAt != chunksIn.Length) throw AgeError.Payload($"{chunksIn.Length - inAt} bytes follow the final chunk");
                    return outAt;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Receives each chunk's plaintext as soon as it is authenticated.</summary>
    internal delegate void ReleasedChunk(ReadOnlySpan<byte> plaintext);

    private static bool Open(ChaCha20Poly1305 aead, Span<byte> chunkNonce, long index, bool last,
        ReadOnlySpan<byte> text, ReadOnlySpan<byte> tag, Span<byte> output)
    {
        SetChunkNonce(chunkNonce, index, last);
        try
        {
            aead.Decrypt(chunkNonce, text, tag, output);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static void SetChunkNonce(Span<byte> nonce, long index, bool last)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], index);
        nonce[11] = last ? (byte)1 : (byte)0;
    }
}
