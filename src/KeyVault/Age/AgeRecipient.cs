using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace KeyVault.Age;

/// <summary>The two recipient types KeyVault encrypts to.</summary>
public enum AgeRecipientType
{
    /// <summary>A native age X25519 public key, written age1….</summary>
    X25519,
    /// <summary>An OpenSSH Ed25519 public key, written ssh-ed25519 AAAA….</summary>
    SshEd25519,
}

/// <summary>
/// A public key a file can be sealed to: an age X25519 recipient (<c>age1…</c>) or an OpenSSH
/// <c>ssh-ed25519</c> public key. Immutable; equal when the keys are equal (an SSH comment does not count).
/// </summary>
public sealed class AgeRecipient : IEquatable<AgeRecipient>
{
    internal const string X25519Hrp = "age";

    private readonly byte[] _point;      // the X25519 public key; for SSH the converted Montgomery key
    private readonly byte[]? _sshBlob;   // SSH wire blob of the Ed25519 key
    private readonly byte[]? _tweak;

    private AgeRecipient(AgeRecipientType type, byte[] point, byte[]? sshBlob, string text, string? comment)
    {
        Type = type;
        _point = point;
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

    /// <summary>
    /// Parses <c>age1…</c> (Bech32, all lowercase or all uppercase) or <c>ssh-ed25519 BASE64 [comment]</c>.
    /// Surrounding whitespace is ignored. Throws <see cref="Errors.KeyVaultException"/> (bad input) naming the rule broken.
    /// </summary>
    public static AgeRecipient Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.StartsWith("ssh-", StringComparison.Ordinal)) return ParseSsh(s);
        if (s.StartsWith("age1", StringComparison.OrdinalIgnoreCase)) return ParseX25519(s);
        if (s.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase))
            throw AgeError.RecipientMalformed("this is a secret key (AGE-SECRET-KEY-1…), not a public recipient; keep it private");
        throw AgeError.RecipientMalformed("it starts neither with age1 nor with ssh-ed25519");
    }

    private static AgeRecipient ParseX25519(string s)
    {
        // Bech32's separator is the last '1' and the data alphabet has none, so a later '1' means a longer prefix:
        // a post-quantum (age1pq1…), hardware-tag (age1tag1…) or plugin (age1name1…) recipient.
        if (s.LastIndexOf('1') > 3)
            throw AgeError.RecipientMalformed("post-quantum, hardware-tag and plugin recipients are not supported; give an age1… X25519 key or an ssh-ed25519 key");
        if (s.Any(c => c > 127)) throw AgeError.RecipientMalformed("it holds a character outside ASCII");
        var point = new byte[StanzaCrypto.PointLength];
        if (!Bech32.TryDecode(Encoding.ASCII.GetBytes(s), X25519Hrp, point))
            throw AgeError.RecipientMalformed("the age1… key is not valid Bech32 of 32 bytes (a character is wrong or missing, or the case is mixed)");
        if (IsLowOrder(point)) throw AgeError.RecipientMalformed("the key is a low-order X25519 point, which no real age key is");
        return FromX25519(point);
    }

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

    /// <summary>Wraps a file key into a new stanza for this recipient.</summary>
    internal AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        bool ssh = Type == AgeRecipientType.SshEd25519;
        if (!StanzaCrypto.TryWrap(fileKey, _point, _tweak, ssh ? StanzaCrypto.SshEd25519Label : StanzaCrypto.X25519Label,
                out var share, out var body))
            throw AgeError.RecipientMalformed("the key is a low-order point; sealing to it would give an all-zero shared secret");
        var shareText = StrictBase64.EncodeRaw(share);
        return ssh
            ? new AgeStanza([StanzaCrypto.SshEd25519Type, SshTag!, shareText], body)
            : new AgeStanza([StanzaCrypto.X25519Type, shareText], body);
    }

    /// <inheritdoc />
    public bool Equals(AgeRecipient? other) =>
        other is not null && Type == other.Type && CryptographicOperations.FixedTimeEquals(_point, other._point)
        && (_sshBlob is null || _sshBlob.AsSpan().SequenceEqual(other._sshBlob));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AgeRecipient);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Text);

    /// <summary>The canonical text (<see cref="Text"/>).</summary>
    public override string ToString() => Text;
}
