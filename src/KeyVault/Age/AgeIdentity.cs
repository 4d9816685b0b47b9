using System.Security.Cryptography;
using KeyVault.Codecs;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace KeyVault.Age;

/// <summary>
/// A private key that opens age files: an age X25519 identity (<c>AGE-SECRET-KEY-1…</c>), a post-quantum hybrid
/// identity (<c>AGE-SECRET-KEY-PQ-1…</c>) or an unencrypted OpenSSH ed25519 private key. Holds its X25519 scalar
/// (for a hybrid identity, its 32-byte seed) in a pinned buffer that <see cref="Dispose"/> wipes;
/// <see cref="ToString"/> names only the public recipient. The ML-KEM private key a hybrid identity expands to lives
/// only for the duration of one unwrap, in BouncyCastle's own buffers, which are left to the garbage collector.
/// </summary>
public sealed class AgeIdentity : IDisposable
{
    internal const string SecretHrp = "AGE-SECRET-KEY-";
    internal const string HybridSecretHrp = "AGE-SECRET-KEY-PQ-";
    private const int ScalarLength = 32;

    private readonly byte[] _scalar = GC.AllocateArray<byte>(ScalarLength, pinned: true);
    private bool _disposed;

    private AgeIdentity(ReadOnlySpan<byte> scalar, AgeRecipient recipient)
    {
        scalar.CopyTo(_scalar);
        Recipient = recipient;
    }

    /// <summary>The public recipient that files for this identity are sealed to.</summary>
    public AgeRecipient Recipient { get; }

    /// <summary>Which kind of key this is.</summary>
    public AgeRecipientType Type => Recipient.Type;

    /// <summary>Generates a new X25519 identity from the operating system's CSPRNG (as age-keygen does).</summary>
    public static AgeIdentity Generate() => Fresh(hybrid: false);

    /// <summary>Generates a new post-quantum hybrid identity (ML-KEM-768 + X25519) from the operating system's CSPRNG.</summary>
    public static AgeIdentity GenerateHybrid() => Fresh(hybrid: true);

    // Both kinds of native identity are 32 random bytes: an X25519 scalar, or the seed of the hybrid key.
    private static AgeIdentity Fresh(bool hybrid)
    {
        Span<byte> secret = stackalloc byte[ScalarLength];
        try
        {
            RandomNumberGenerator.Fill(secret);
            return hybrid ? FromHybridSeed(secret) : FromX25519Scalar(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static AgeIdentity FromHybridSeed(ReadOnlySpan<byte> seed) => new(seed, AgeRecipient.FromHybrid(XWing.PublicKey(seed)));

    private static AgeIdentity FromX25519Scalar(ReadOnlySpan<byte> scalar)
    {
        var point = new byte[StanzaCrypto.PointLength];
        X25519.ScalarMultBase(scalar, point);
        return new AgeIdentity(scalar, AgeRecipient.FromX25519(point));
    }

    /// <summary>
    /// Reads an identity file: either an age identity file (lines of <c>AGE-SECRET-KEY-1…</c>, blank lines and
    /// <c>#</c> comments, as age-keygen writes) or an unencrypted OpenSSH private key holding one ed25519 key.
    /// Returns every identity in the file. The caller wipes <paramref name="content"/>; <paramref name="source"/>
    /// names the file in errors.
    /// </summary>
    public static IReadOnlyList<AgeIdentity> ParseFile(ReadOnlySpan<byte> content, string source)
    {
        if (content.Trim("\r\n\t "u8).StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----"u8)) return [FromOpenSsh(content, source)];
        if (content.Trim("\r\n\t "u8).StartsWith("-----BEGIN"u8))
            throw AgeError.IdentityMalformed(source, "it is a PEM file of another kind; only OpenSSH ed25519 keys are read");

        var identities = new List<AgeIdentity>();
        int lineNumber = 0;
        try
        {
            foreach (var range in content.Split((byte)'\n'))
            {
                lineNumber++;
                var line = content[range];
                if (line.EndsWith("\r"u8)) line = line[..^1];
                if (line.IsEmpty || line[0] == (byte)'#') continue;
                identities.Add(ParseSecretKey(line, $"line {lineNumber} of {source}"));
            }
        }
        catch
        {
            foreach (var id in identities) id.Dispose();
            throw;
        }
        if (identities.Count == 0) throw AgeError.IdentityMalformed(source, "it holds no AGE-SECRET-KEY-1… line and no OpenSSH private key");
        return identities;
    }

    /// <summary>
    /// Parses one <c>AGE-SECRET-KEY-1…</c> or <c>AGE-SECRET-KEY-PQ-1…</c> string given as ASCII bytes (all uppercase
    /// or all lowercase). The caller wipes <paramref name="ascii"/>.
    /// </summary>
    public static AgeIdentity ParseSecretKey(ReadOnlySpan<byte> ascii, string source = "the identity")
    {
        bool hybrid = ascii.StartsWith("AGE-SECRET-KEY-PQ-1"u8) || ascii.StartsWith("age-secret-key-pq-1"u8);
        if (!hybrid && !ascii.StartsWith("AGE-SECRET-KEY-1"u8) && !ascii.StartsWith("age-secret-key-1"u8))
            throw AgeError.IdentityMalformed(source, ascii.StartsWith("AGE-PLUGIN-"u8)
                ? "plugin identities (AGE-PLUGIN-…) are not supported; a hardware key opens its files with its own plugin"
                : "it starts neither with AGE-SECRET-KEY-1 nor with AGE-SECRET-KEY-PQ-1");
        Span<byte> scalar = stackalloc byte[ScalarLength];
        try
        {
            if (!Bech32.TryDecode(ascii, hybrid ? HybridSecretHrp : SecretHrp, scalar))
                throw AgeError.IdentityMalformed(source, "the secret key is not valid Bech32 of 32 bytes (a character is wrong or missing, or the case is mixed)");
            return hybrid ? FromHybridSeed(scalar) : FromX25519Scalar(scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>Reads an unencrypted OpenSSH private key file holding one ssh-ed25519 key. The caller wipes <paramref name="content"/>.</summary>
    public static AgeIdentity FromOpenSsh(ReadOnlySpan<byte> content, string source)
    {
        var (seed, edPublic) = OpenSsh.ParsePrivateKey(content, source);
        var hash = GC.AllocateArray<byte>(64, pinned: true);
        try
        {
            var montgomery = OpenSsh.EdwardsToMontgomery(edPublic)
                ?? throw AgeError.IdentityMalformed(source, "its public key is not a valid Ed25519 point");
            // The X25519 scalar of an Ed25519 key is the first half of SHA-512(seed); X25519 clamps it.
            SHA512.HashData(seed, hash);
            return new AgeIdentity(hash.AsSpan(0, ScalarLength), AgeRecipient.FromSshEd25519(edPublic, montgomery));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>
    /// The identity as age-keygen writes it, <c>AGE-SECRET-KEY-1…</c> (hybrid: <c>AGE-SECRET-KEY-PQ-1…</c>) in ASCII,
    /// in a new pinned array the caller must wipe. Only native identities can be exported (an SSH key stays in its own file).
    /// </summary>
    public byte[] ExportSecretKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hrp = Type switch
        {
            AgeRecipientType.X25519 => SecretHrp,
            AgeRecipientType.MlKem768X25519 => HybridSecretHrp,
            _ => throw new InvalidOperationException("only native age identities can be exported"),
        };
        var ascii = GC.AllocateArray<byte>(Bech32.EncodedLength(hrp.Length, ScalarLength), pinned: true);
        Bech32.Encode(hrp, _scalar, ascii, upper: true);
        return ascii;
    }

    /// <summary>
    /// Tries this identity on one stanza. Returns false if the stanza is not for this identity (other type, other
    /// SSH tag, or a body that does not authenticate); throws <see cref="AgeException"/> (header) if a stanza of
    /// this identity's type is malformed. On success <paramref name="fileKey"/> holds the file key.
    /// </summary>
    internal bool TryUnwrap(AgeStanza stanza, int index, Span<byte> fileKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Type == AgeRecipientType.MlKem768X25519)
        {
            if (stanza.Type != StanzaCrypto.HybridType) return false;
            var enc = StanzaCrypto.CheckShape(stanza, index, 2, XWing.CiphertextLength);
            return StanzaCrypto.TryUnwrapHybrid(_scalar, enc, stanza.Body, fileKey, index);
        }
        if (Type == AgeRecipientType.X25519)
        {
            if (stanza.Type != StanzaCrypto.X25519Type) return false;
            var share = StanzaCrypto.CheckShape(stanza, index, 2);
            return StanzaCrypto.TryUnwrap(_scalar, Recipient.Point, default, StanzaCrypto.X25519Label,
                share, stanza.Body, fileKey, index, stanza.Type);
        }
        if (stanza.Type != StanzaCrypto.SshEd25519Type) return false;
        var sshShare = StanzaCrypto.CheckShape(stanza, index, 3);
        if (stanza.Arguments[1] != Recipient.SshTag) return false;
        return StanzaCrypto.TryUnwrap(_scalar, Recipient.Point, Recipient.Tweak, StanzaCrypto.SshEd25519Label,
            sshShare, stanza.Body, fileKey, index, stanza.Type);
    }

    /// <summary>Test hook: true when the scalar buffer is all zero.</summary>
    internal bool IsWiped => _scalar.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Wipes the private scalar.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_scalar);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"AgeIdentity({Type}, recipient {Recipient.Text})";
}
