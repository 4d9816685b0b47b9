using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace KeyVault.Age;

/// <summary>The recipient types KeyVault encrypts to (docs/age.md, "Recipient types").</summary>
public enum AgeRecipientType
{
    /// <summary>A native age X25519 public key, written age1…; stanza X25519.</summary>
    X25519,
    /// <summary>An OpenSSH Ed25519 public key, written ssh-ed25519 AAAA…; stanza ssh-ed25519.</summary>
    SshEd25519,
    /// <summary>A tagged P-256 key of a hardware identity (age v1.3), written age1tag1…; stanza p256tag.</summary>
    P256Tag,
    /// <summary>A YubiKey PIV slot key of age-plugin-yubikey, written age1yubikey1…; stanza piv-p256.</summary>
    PivP256,
    /// <summary>A post-quantum hybrid key, ML-KEM-768 with X25519 (age v1.3), written age1pq1…; stanza mlkem768x25519.</summary>
    MlKem768X25519,
}

/// <summary>
/// A public key a file can be sealed to: an age X25519 recipient (<c>age1…</c>), an OpenSSH <c>ssh-ed25519</c>
/// public key, a hardware key as a tagged P-256 recipient (<c>age1tag1…</c>) or an age-plugin-yubikey recipient
/// (<c>age1yubikey1…</c>), or a post-quantum hybrid recipient (<c>age1pq1…</c>). Immutable; equal when the keys are
/// equal (an SSH comment does not count).
/// </summary>
public sealed class AgeRecipient : IEquatable<AgeRecipient>
{
    internal const string X25519Hrp = "age";
    internal const string TagHrp = "age1tag";
    internal const string YubikeyHrp = "age1yubikey";
    internal const string HybridHrp = "age1pq";

    // X25519: the public key; SSH: the converted Montgomery key; P-256 types: the compressed point; hybrid: the
    // ML-KEM-768 encapsulation key followed by the X25519 key.
    private readonly byte[] _point;
    private readonly byte[]? _uncompressed; // the P-256 types' point, uncompressed
    private readonly byte[]? _sshBlob;   // SSH wire blob of the Ed25519 key
    private readonly byte[]? _tweak;

    private AgeRecipient(AgeRecipientType type, byte[] point, byte[]? sshBlob, string text, string? comment, byte[]? uncompressed = null)
    {
        Type = type;
        _point = point;
        _uncompressed = uncompressed;
        _sshBlob = sshBlob;
        Text = text;
        Comment = comment;
        if (sshBlob is not null)
        {
            _tweak = StanzaCrypto.SshTweak(sshBlob);
            SshTag = StanzaCrypto.SshTag(sshBlob);
        }
    }

    /// <summary>Which recipient type this is.</summary>
    public AgeRecipientType Type { get; }

    /// <summary>The canonical text: <c>age1…</c> (lowercase), or <c>ssh-ed25519 AAAA…</c> without the comment.</summary>
    public string Text { get; }

    /// <summary>The comment after an SSH key (often user@host), or null.</summary>
    public string? Comment { get; }

    /// <summary>For ssh-ed25519: the 4-byte key tag (unpadded base64) that every stanza sealed to this key carries.</summary>
    public string? SshTag { get; }

    /// <summary>The stanza type a file sealed to this recipient carries: X25519, ssh-ed25519, p256tag, piv-p256 or mlkem768x25519.</summary>
    public string StanzaType => StanzaTypeOf(Type);

    /// <summary>The stanza type of a recipient type.</summary>
    public static string StanzaTypeOf(AgeRecipientType type) => type switch
    {
        AgeRecipientType.X25519 => StanzaCrypto.X25519Type,
        AgeRecipientType.SshEd25519 => StanzaCrypto.SshEd25519Type,
        AgeRecipientType.P256Tag => StanzaCrypto.P256TagType,
        AgeRecipientType.PivP256 => StanzaCrypto.PivP256Type,
        AgeRecipientType.MlKem768X25519 => StanzaCrypto.HybridType,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>True for the hybrid recipient, which stays confidential against a future quantum computer.</summary>
    public bool IsPostQuantum => Type == AgeRecipientType.MlKem768X25519;

    /// <summary>
    /// Parses <c>age1…</c>, <c>age1tag1…</c>, <c>age1yubikey1…</c>, <c>age1pq1…</c> (Bech32, all lowercase or all
    /// uppercase) or <c>ssh-ed25519 BASE64 [comment]</c>. Surrounding whitespace is ignored. Throws
    /// <see cref="Errors.KeyVaultException"/> (bad input) naming the rule broken; the key itself is public, so the
    /// error may name its type but never needs to echo it.
    /// </summary>
    public static AgeRecipient Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.StartsWith("ssh-", StringComparison.Ordinal)) return ParseSsh(s);
        if (s.StartsWith("age1", StringComparison.OrdinalIgnoreCase)) return ParseBech32(s);
        if (s.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase))
            throw AgeError.RecipientMalformed("this is a secret key (AGE-SECRET-KEY-1…), not a public recipient; keep it private");
        throw AgeError.RecipientMalformed("it starts neither with age1 nor with ssh-ed25519");
    }

    private static AgeRecipient ParseBech32(string s)
    {
        if (s.Any(c => c > 127)) throw AgeError.RecipientMalformed("it holds a character outside ASCII");
        // Bech32's separator is the last '1' and the data alphabet has none, so everything before it is the prefix:
        // age (X25519), age1tag, age1yubikey, age1pq, or a plugin's age1NAME.
        var hrp = s[..s.LastIndexOf('1')].ToLowerInvariant();
        var ascii = Encoding.ASCII.GetBytes(s);
        return hrp switch
        {
            X25519Hrp => ParseX25519(ascii),
            TagHrp => ParseP256(ascii, TagHrp, AgeRecipientType.P256Tag),
            YubikeyHrp => ParseP256(ascii, YubikeyHrp, AgeRecipientType.PivP256),
            HybridHrp => ParseHybrid(ascii),
            "age1tagpq" => throw AgeError.RecipientMalformed(
                "hybrid hardware-tag recipients (age1tagpq1…) are not supported; give the custodian's age1pq1… key, or their hardware key's age1tag1… key"),
            _ => throw AgeError.RecipientMalformed(
                $"recipients of the plugin {Shorten(hrp[4..])} (age1{Shorten(hrp[4..])}1…) are not supported; supported are age1…, age1pq1…, age1tag1…, age1yubikey1… and ssh-ed25519 keys"),
        };
    }

    private static AgeRecipient ParseX25519(byte[] ascii)
    {
        var point = new byte[StanzaCrypto.PointLength];
        if (!Bech32.TryDecode(ascii, X25519Hrp, point))
            throw AgeError.RecipientMalformed("the age1… key is not valid Bech32 of 32 bytes (a character is wrong or missing, or the case is mixed)");
        if (IsLowOrder(point)) throw AgeError.RecipientMalformed("the key is a low-order X25519 point, which no real age key is");
        return FromX25519(point);
    }

    private static AgeRecipient ParseP256(byte[] ascii, string hrp, AgeRecipientType type)
    {
        var compressed = new byte[P256.CompressedLength];
        if (!Bech32.TryDecode(ascii, hrp, compressed))
        {
            Span<byte> one = stackalloc byte[1];
            Span<byte> uncompressed = stackalloc byte[P256.UncompressedLength];
            if (Bech32.TryDecode(ascii, hrp, one) && one[0] == 0)
                throw AgeError.RecipientMalformed($"the {hrp}1… key is the point at infinity, which is no one's public key");
            if (Bech32.TryDecode(ascii, hrp, uncompressed))
                throw AgeError.RecipientMalformed($"the {hrp}1… key holds an uncompressed P-256 point; the recipient encoding is the 33-byte compressed point");
            throw AgeError.RecipientMalformed($"the {hrp}1… key is not valid Bech32 of a 33-byte compressed P-256 point (a character is wrong or missing, or the case is mixed)");
        }
        var point = P256.Decompress(compressed)
            ?? throw AgeError.RecipientMalformed($"the {hrp}1… key is not a point of the P-256 curve");
        return new AgeRecipient(type, compressed, null, Bech32.EncodeToString(hrp, compressed), null, point);
    }

    private static AgeRecipient ParseHybrid(byte[] ascii)
    {
        var key = new byte[XWing.PublicKeyLength];
        if (!Bech32.TryDecode(ascii, HybridHrp, key))
            throw AgeError.RecipientMalformed("the age1pq1… key is not valid Bech32 of 1216 bytes (a character is wrong or missing, it is cut short, or the case is mixed)");
        if (!XWing.IsValidPublicKey(key))
            throw AgeError.RecipientMalformed("the age1pq1… key is not a valid ML-KEM-768 + X25519 public key (a coefficient is out of range or the X25519 part is of low order)");
        return FromHybrid(key);
    }

    internal static AgeRecipient FromHybrid(byte[] key) =>
        new(AgeRecipientType.MlKem768X25519, key, null, Bech32.EncodeToString(HybridHrp, key), null);

    private static AgeRecipient ParseSsh(string s)
    {
        var fields = s.Split(' ', 3, StringSplitOptions.None);
        if (fields[0] != OpenSsh.KeyType)
            throw AgeError.RecipientMalformed($"SSH keys of type {Shorten(fields[0])} are not supported; only ssh-ed25519 keys are");
        if (fields.Length < 2 || fields[1].Length == 0)
            throw AgeError.RecipientMalformed("the ssh-ed25519 line has no key after the type (exactly one space separates them)");
        var blob = fields[1].Any(c => c > 127) ? null : StrictBase64.DecodePadded(Encoding.ASCII.GetBytes(fields[1]));
        if (blob is null) throw AgeError.RecipientMalformed("the SSH key is not canonical base64");
        var edKey = OpenSsh.KeyFromBlob(blob) ?? throw AgeError.RecipientMalformed("the base64 does not hold an ssh-ed25519 key");
        var point = OpenSsh.EdwardsToMontgomery(edKey)
            ?? throw AgeError.RecipientMalformed("the ssh-ed25519 key is not a valid Ed25519 public key");
        string? comment = fields.Length == 3 ? fields[2].Trim() : null;
        if (comment is not null && comment.Any(char.IsControl)) throw AgeError.RecipientMalformed("the SSH key comment holds a control character");
        return new AgeRecipient(AgeRecipientType.SshEd25519, point, blob, $"{OpenSsh.KeyType} {fields[1]}", string.IsNullOrEmpty(comment) ? null : comment);
    }

    private static string Shorten(string s) => s.Length <= 24 && !s.Any(char.IsControl) ? s : "(unrecognised)";

    internal static AgeRecipient FromX25519(byte[] point) =>
        new(AgeRecipientType.X25519, point, null, Bech32.EncodeToString(X25519Hrp, point), null);

    internal static AgeRecipient FromSshEd25519(ReadOnlySpan<byte> edPublicKey, byte[] montgomery)
    {
        var blob = OpenSsh.Blob(edPublicKey);
        return new AgeRecipient(AgeRecipientType.SshEd25519, montgomery, blob, $"{OpenSsh.KeyType} {Convert.ToBase64String(blob)}", null);
    }

    // A point of order 1, 2, 4 or 8 gives an all-zero shared secret for every clamped scalar (a multiple of 8).
    private static bool IsLowOrder(ReadOnlySpan<byte> point)
    {
        Span<byte> scalar = stackalloc byte[32];
        Span<byte> result = stackalloc byte[32];
        scalar.Fill(0x55);
        return !X25519.CalculateAgreement(scalar, point, result);
    }

    /// <summary>The X25519 public key that goes into the wrap (for SSH keys, the converted key).</summary>
    internal ReadOnlySpan<byte> Point => _point;

    internal ReadOnlySpan<byte> Tweak => _tweak;

    /// <summary>For the P-256 types: the recipient point, uncompressed.</summary>
    internal ReadOnlySpan<byte> UncompressedPoint => _uncompressed;

    /// <summary>Wraps a file key into a new stanza for this recipient.</summary>
    internal AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        switch (Type)
        {
            case AgeRecipientType.P256Tag: return StanzaCrypto.WrapP256Tag(fileKey, _point, _uncompressed!);
            case AgeRecipientType.PivP256: return StanzaCrypto.WrapPivP256(fileKey, _point, _uncompressed!);
            case AgeRecipientType.MlKem768X25519: return StanzaCrypto.WrapHybrid(fileKey, _point);
        }
        bool ssh = Type == AgeRecipientType.SshEd25519;
        if (!StanzaCrypto.TryWrap(fileKey, _point, _tweak, ssh ? StanzaCrypto.SshEd25519Label : StanzaCrypto.X25519Label,
                out var share, out var body))
            throw AgeError.RecipientMalformed("the key is a low-order point; sealing to it would give an all-zero shared secret");
        var shareText = StrictBase64.EncodeRaw(share);
        return ssh
            ? new AgeStanza([StanzaCrypto.SshEd25519Type, SshTag!, shareText], body)
            : new AgeStanza([StanzaCrypto.X25519Type, shareText], body);
    }

    // The two P-256 encodings can name the same key (a YubiKey slot under age1yubikey1… and under age1tag1…): they
    // are one key, so a custodians file cannot give it two shares.
    private bool IsP256 => Type is AgeRecipientType.P256Tag or AgeRecipientType.PivP256;

    /// <inheritdoc />
    public bool Equals(AgeRecipient? other) =>
        other is not null && (Type == other.Type || (IsP256 && other.IsP256)) && CryptographicOperations.FixedTimeEquals(_point, other._point)
        && (_sshBlob is null || _sshBlob.AsSpan().SequenceEqual(other._sshBlob));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AgeRecipient);

    /// <inheritdoc />
    public override int GetHashCode() => IsP256 ? Convert.ToHexString(_point).GetHashCode(StringComparison.Ordinal) : HashCode.Combine(Type, Text);

    /// <summary>The canonical text (<see cref="Text"/>).</summary>
    public override string ToString() => Text;
}
