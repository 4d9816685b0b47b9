using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace KeyVault.Age;

/// <summary>
/// The MLKEM768-X25519 hybrid KEM (X-Wing, as draft-ietf-hpke-pq and filippo.io/hpke-pq define it) that age's
/// mlkem768x25519 stanza uses. A private key is a 32-byte seed; SHAKE256(seed, 96) gives the ML-KEM-768 key-generation
/// seed d ‖ z (64 bytes) and the X25519 scalar (32 bytes). The public key is the ML-KEM encapsulation key (1184 bytes)
/// followed by the X25519 public key (32); a ciphertext is the ML-KEM ciphertext (1088) followed by the X25519
/// ephemeral share (32); the shared secret is SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ "\.//^\").
/// ML-KEM and the SHA-3 functions come from BouncyCastle (the platform's ML-KEM needs OpenSSL 3.5).
/// </summary>
internal static class XWing
{
    public const int SeedLength = 32;
    public const int MlKemPublicLength = 1184;
    public const int PublicKeyLength = MlKemPublicLength + 32;
    public const int MlKemCiphertextLength = 1088;
    public const int CiphertextLength = MlKemCiphertextLength + 32;
    private static ReadOnlySpan<byte> Label => @"\.//^\"u8;

    /// <summary>The public key of <paramref name="seed"/>.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> seed)
    {
        var expanded = Expand(seed);
        var mlkemSeed = GC.AllocateArray<byte>(64, pinned: true);
        try
        {
            expanded.AsSpan(0, 64).CopyTo(mlkemSeed);
            var mlkem = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, mlkemSeed);
            var pk = new byte[PublicKeyLength];
            mlkem.GetPublicKeyEncoded().CopyTo(pk, 0);
            X25519.ScalarMultBase(expanded, 64, pk, MlKemPublicLength);
            return pk;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
            CryptographicOperations.ZeroMemory(mlkemSeed);
        }
    }

    private static byte[] Expand(ReadOnlySpan<byte> seed)
    {
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(seed);
        var expanded = GC.AllocateArray<byte>(96, pinned: true);
        shake.OutputFinal(expanded, 0, expanded.Length);
        return expanded;
    }

    /// <summary>
    /// True when <paramref name="publicKey"/> is a well-formed public key: every 12-bit coefficient of the ML-KEM
    /// encapsulation key below q = 3329 (the FIPS 203 §7.2 modulus check) and an X25519 key of full order.
    /// </summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength) return false;
        for (int i = 0; i < 3 * 384; i += 3)
        {
            int a = publicKey[i] | (publicKey[i + 1] & 0x0F) << 8;
            int b = publicKey[i + 1] >> 4 | publicKey[i + 2] << 4;
            if (a >= 3329 || b >= 3329) return false;
        }
        Span<byte> scalar = stackalloc byte[32];
        Span<byte> result = stackalloc byte[32];
        scalar.Fill(0x55);
        return X25519.CalculateAgreement(scalar, publicKey[MlKemPublicLength..], result);
    }

    /// <summary>Encapsulates to <paramref name="publicKey"/>: returns the ciphertext; the 32-byte shared secret goes to <paramref name="sharedSecret"/>.</summary>
    public static byte[] Encapsulate(ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        var ct = new byte[CiphertextLength];
        var ssM = GC.AllocateArray<byte>(32, pinned: true);
        Span<byte> ephemeral = stackalloc byte[32];
        Span<byte> ssX = stackalloc byte[32];
        try
        {
            var encapsulator = new MLKemEncapsulator(MLKemParameters.ml_kem_768);
            encapsulator.Init(new ParametersWithRandom(
                MLKemPublicKeyParameters.FromEncoding(MLKemParameters.ml_kem_768, publicKey[..MlKemPublicLength].ToArray()), new SecureRandom()));
            encapsulator.Encapsulate(ct, 0, MlKemCiphertextLength, ssM, 0, ssM.Length);
            RandomNumberGenerator.Fill(ephemeral);
            X25519.ScalarMultBase(ephemeral, ct.AsSpan(MlKemCiphertextLength));
            if (!X25519.CalculateAgreement(ephemeral, publicKey[MlKemPublicLength..], ssX))
                throw AgeError.RecipientMalformed("the X25519 part of the age1pq1… key is of low order");
            Combine(ssM, ssX, ct.AsSpan(MlKemCiphertextLength), publicKey[MlKemPublicLength..], sharedSecret);
            return ct;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ssM);
            CryptographicOperations.ZeroMemory(ephemeral);
            CryptographicOperations.ZeroMemory(ssX);
        }
    }

    /// <summary>
    /// Decapsulates <paramref name="ciphertext"/> with the private <paramref name="seed"/> into <paramref name="sharedSecret"/>.
    /// False when the X25519 part is of low order (an all-zero X25519 secret, which the stanza's rules reject).
    /// </summary>
    public static bool Decapsulate(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        var expanded = Expand(seed);
        var mlkemSeed = GC.AllocateArray<byte>(64, pinned: true);
        var ssM = GC.AllocateArray<byte>(32, pinned: true);
        Span<byte> ssX = stackalloc byte[32];
        Span<byte> pkX = stackalloc byte[32];
        try
        {
            expanded.AsSpan(0, 64).CopyTo(mlkemSeed);
            var mlkem = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, mlkemSeed);
            var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
            decapsulator.Init(mlkem);
            decapsulator.Decapsulate(ciphertext[..MlKemCiphertextLength].ToArray(), 0, MlKemCiphertextLength, ssM, 0, ssM.Length);
            X25519.ScalarMultBase(expanded.AsSpan(64), pkX);
            if (!X25519.CalculateAgreement(expanded.AsSpan(64), ciphertext[MlKemCiphertextLength..], ssX)) return false;
            Combine(ssM, ssX, ciphertext[MlKemCiphertextLength..], pkX, sharedSecret);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
            CryptographicOperations.ZeroMemory(mlkemSeed);
            CryptographicOperations.ZeroMemory(ssM);
            CryptographicOperations.ZeroMemory(ssX);
        }
    }

    private static void Combine(ReadOnlySpan<byte> ssM, ReadOnlySpan<byte> ssX, ReadOnlySpan<byte> ctX, ReadOnlySpan<byte> pkX, Span<byte> output)
    {
        var sha3 = new Sha3Digest(256);
        sha3.BlockUpdate(ssM);
        sha3.BlockUpdate(ssX);
        sha3.BlockUpdate(ctX);
        sha3.BlockUpdate(pkX);
        sha3.BlockUpdate(Label);
        sha3.DoFinal(output);
    }
}
