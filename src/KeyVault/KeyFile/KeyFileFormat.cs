using System.Text;
using KeyVault.Keys;
using KeyVault.Text;

namespace KeyVault.KeyFile;

/// <summary>The fields of a key file as they sit in the bytes. Produced only by <see cref="KeyFileFormat.Parse"/>.</summary>
internal sealed record KeyFileLayout(
    byte[] Binary,
    int HeaderLength,
    KeyFileEncoding Encoding,
    KdfParameters Kdf,
    byte[] Salt,
    byte[] Nonce,
    PublicKey PublicKey,
    string? Label)
{
    public ReadOnlySpan<byte> Header => Binary.AsSpan(0, HeaderLength);
    public ReadOnlySpan<byte> Ciphertext => Binary.AsSpan(HeaderLength, KeyFileFormat.CiphertextLength);
    public ReadOnlySpan<byte> Tag => Binary.AsSpan(HeaderLength + KeyFileFormat.CiphertextLength, KeyFileFormat.TagLength);
}

/// <summary>
/// The one place that reads and writes key-file bytes (docs/key-file-format.md): binary layout, armor, label rules.
/// Parsing is strict: every field is checked before anything is decrypted, and only canonical encodings pass.
/// </summary>
internal static class KeyFileFormat
{
    /// <summary>PNG-style magic: a high byte catches 7-bit transports, CR LF catches line-ending conversion, 0x1A stops DOS type.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'K', (byte)'V', (byte)'K', (byte)'F', 0x0D, 0x0A, 0x1A];

    public const byte Version = 1;
    public const int MinSaltLength = 16;
    public const int MaxSaltLength = 64;
    public const int WrittenSaltLength = 16;
    public const int NonceLength = 12;
    public const int PublicKeyLength = 33;
    public const int MaxLabelBytes = 100;
    public const int CiphertextLength = 32;
    public const int TagLength = 16;
    public const int ArmorLineLength = 64;

    public const string ArmorBegin = "-----BEGIN KEYVAULT KEY FILE-----";
    public const string ArmorEnd = "-----END KEYVAULT KEY FILE-----";

    /// <summary>magic, version, m, t, p, salt length.</summary>
    private const int FixedPrefixLength = KdfPrefix.Length;

    /// <summary>Length of a complete binary file with the given salt and label lengths.</summary>
    public static int TotalLength(int saltLength, int labelLength) =>
        FixedPrefixLength + saltLength + NonceLength + PublicKeyLength + 1 + labelLength + CiphertextLength + TagLength;

    /// <summary>True when <paramref name="content"/> starts like a key file, binary or armored.</summary>
    public static bool LooksLikeKeyFile(ReadOnlySpan<byte> content) =>
        content.StartsWith(Magic) || content.StartsWith(Encoding.ASCII.GetBytes(ArmorBegin + "\n"));

    /// <summary>Serialises the header (everything the tag authenticates). Inputs must already be valid.</summary>
    public static byte[] WriteHeader(KdfParameters kdf, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> nonce, PublicKey publicKey, ReadOnlySpan<byte> labelUtf8)
    {
        var header = new byte[FixedPrefixLength + salt.Length + NonceLength + PublicKeyLength + 1 + labelUtf8.Length];
        var w = header.AsSpan();
        KdfPrefix.Write(w, Magic, Version, kdf, salt.Length);
        int at = FixedPrefixLength;
        salt.CopyTo(w[at..]); at += salt.Length;
        nonce.CopyTo(w[at..]); at += NonceLength;
        publicKey.Compressed.CopyTo(w[at..]); at += PublicKeyLength;
        w[at++] = checked((byte)labelUtf8.Length);
        labelUtf8.CopyTo(w[at..]);
        return header;
    }

    /// <summary>Parses a binary or armored key file. Throws DamagedFile for anything not exactly as specified.</summary>
    public static KeyFileLayout Parse(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(Magic)) return ParseBinary(content.ToArray(), KeyFileEncoding.Binary);
        if (content.StartsWith("-----BEGIN "u8)) return ParseBinary(Dearmor(content), KeyFileEncoding.Armored);
        throw KeyFileError.NotAKeyFile();
    }

    private static KeyFileLayout ParseBinary(byte[] file, KeyFileEncoding encoding)
    {
        ReadOnlySpan<byte> b = file;
        if (!b.StartsWith(Magic)) throw KeyFileError.NotAKeyFile();
        if (b.Length < 9) throw KeyFileError.Truncated("version", b.Length);
        if (b[8] != Version) throw KeyFileError.UnsupportedVersion(b[8]);
        if (b.Length < FixedPrefixLength) throw KeyFileError.Truncated("Argon2 parameters", b.Length);

        var kdf = KdfPrefix.ReadKdf(b);
        if (!kdf.IsStructurallyValid) throw KeyFileError.BadKdfParameters(kdf);

        int saltLength = b[21];
        if (saltLength is < MinSaltLength or > MaxSaltLength) throw KeyFileError.BadSaltLength(saltLength);
        int at = FixedPrefixLength;
        var salt = Take(b, ref at, saltLength, "salt");
        var nonce = Take(b, ref at, NonceLength, "nonce");
        var publicKeyBytes = Take(b, ref at, PublicKeyLength, "public key");
        if (Secp256k1.TryDecodeCompressed(publicKeyBytes) is null) throw KeyFileError.BadPublicKey();
        var labelLength = Take(b, ref at, 1, "label length")[0];
        if (labelLength > MaxLabelBytes) throw KeyFileError.BadLabelLength(labelLength);
        var labelBytes = Take(b, ref at, labelLength, "label");
        string? label = labelLength == 0 ? null : DecodeLabel(labelBytes);
        int headerLength = at;
        Take(b, ref at, CiphertextLength, "encrypted key");
        Take(b, ref at, TagLength, "authentication tag");
        if (b.Length > at) throw KeyFileError.TrailingBytes(b.Length - at);

        return new KeyFileLayout(file, headerLength, encoding, kdf, salt, nonce,
            PublicKey.FromValidCompressed(publicKeyBytes), label);
    }

    private static byte[] Take(ReadOnlySpan<byte> b, ref int at, int length, string field)
    {
        if (b.Length - at < length) throw KeyFileError.Truncated(field, b.Length);
        var result = b.Slice(at, length).ToArray();
        at += length;
        return result;
    }

    // ---- labels -------------------------------------------------------------------------------------------------

    /// <summary>Checks a label read from a file; the same rules as <see cref="LabelProblem"/>, reported as damage.</summary>
    private static string DecodeLabel(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw KeyFileError.BadLabel("it is not valid UTF-8");
        }
        if (LabelProblem(text) is { } why) throw KeyFileError.BadLabel(why);
        return text;
    }

    /// <summary>
    /// Validates and encodes a label for writing: NFC, UTF-8, at most <see cref="MaxLabelBytes"/>, and, beyond what
    /// readers check, only code points assigned in Unicode 14.0.0 and none that is default-ignorable.
    /// </summary>
    public static byte[] EncodeLabel(string? label)
    {
        if (string.IsNullOrEmpty(label)) return [];
        string nfc;
        try
        {
            nfc = UnicodeNfc.Normalize(label);
        }
        catch (ArgumentException)
        {
            throw KeyFileError.LabelRejected("it contains invalid Unicode (a lone surrogate)");
        }
        if (LabelProblem(nfc) is { } why) throw KeyFileError.LabelRejected(why);
        // Only writers apply the Unicode 14.0.0 repertoire rule: a file written before it existed must still open.
        if (UnicodeNfc.NewTextProblem(nfc) is { } repertoire) throw KeyFileError.LabelRejected(repertoire);
        return new UTF8Encoding(false, true).GetBytes(nfc);
    }

    /// <summary>
    /// Why a decoded label breaks the format's rules, or null. Forbidden: control characters (so it prints on one
    /// line and cannot move the cursor), line/paragraph separators, bidirectional overrides (so it reads the same in
    /// every terminal), the byte-order mark, and text that is not in NFC.
    /// </summary>
    public static string? LabelProblem(string text)
    {
        if (text.Length == 0) return "it is empty (omit the label instead)";
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxLabelBytes) return $"it is {bytes} UTF-8 bytes long; at most {MaxLabelBytes} are allowed";
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return "it contains invalid Unicode (a lone surrogate)";
            }
            if (IsForbiddenInLabel(c)) return $"it contains the character U+{(int)c:X4}, which is not allowed in a label";
        }
        if (!UnicodeNfc.IsNormalized(text)) return "it is not in Unicode normalisation form C";
        return null;
    }

    private static bool IsForbiddenInLabel(char c) =>
        c < 0x20 || (c >= 0x7F && c <= 0x9F)
        || c is '\u200E' or '\u200F' or '\uFEFF'
        || (c >= '\u2028' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');

    // ---- armor --------------------------------------------------------------------------------------------------

    /// <summary>Strict PEM (RFC 7468 §3): BEGIN line, base64 with padding in 64-character lines, END line, LF after each.</summary>
    public static byte[] Armor(ReadOnlySpan<byte> binary)
    {
        var b64 = Convert.ToBase64String(binary);
        var sb = new StringBuilder(b64.Length + b64.Length / ArmorLineLength + 80);
        sb.Append(ArmorBegin).Append('\n');
        for (int i = 0; i < b64.Length; i += ArmorLineLength)
            sb.Append(b64, i, Math.Min(ArmorLineLength, b64.Length - i)).Append('\n');
        sb.Append(ArmorEnd).Append('\n');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>
    /// Decodes armor and accepts it only if re-armoring the decoded bytes gives back the input byte for byte. That
    /// one comparison rejects every non-canonical form: other line lengths, CR LF, spaces, missing or extra padding,
    /// non-zero padding bits, text before or after. The one exception: a single extra line feed after the END line
    /// (what a QR decoder such as <c>zbarimg --raw</c> appends to the scanned text) is dropped first.
    /// </summary>
    public static byte[] Dearmor(ReadOnlySpan<byte> text)
    {
        var begin = Encoding.ASCII.GetBytes(ArmorBegin + "\n");
        var end = Encoding.ASCII.GetBytes(ArmorEnd + "\n");
        if (text.EndsWith(Encoding.ASCII.GetBytes(ArmorEnd + "\n\n"))) text = text[..^1];
        if (!text.StartsWith(begin))
            throw KeyFileError.ArmorNotCanonical("the first line is not exactly " + ArmorBegin,
                text.IndexOf((byte)'\r') >= 0 ? CrLfHint : "the file must start with the BEGIN line and nothing before it");
        if (text.IndexOf((byte)'\r') >= 0)
            throw KeyFileError.ArmorNotCanonical("it has CR LF line endings", CrLfHint);
        int endAt = text.LastIndexOf(end);
        if (endAt < begin.Length || endAt + end.Length != text.Length)
            throw KeyFileError.ArmorNotCanonical("it does not end with the line " + ArmorEnd + " and a line feed",
                "copy the whole block, including the END line; nothing may follow it");
        var body = text[begin.Length..endAt];
        var chars = new char[body.Length];
        int n = 0;
        foreach (var c in body)
            if (c != (byte)'\n') chars[n++] = (char)c;
        var decoded = new byte[n / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(chars.AsSpan(0, n), decoded, out int written))
            throw KeyFileError.ArmorNotCanonical("the body is not valid base64", "the text was altered; use another copy of the key file");
        var binary = decoded.AsSpan(0, written).ToArray();
        if (!Armor(binary).AsSpan().SequenceEqual(text))
            throw KeyFileError.ArmorNotCanonical(
                $"lines must be exactly {ArmorLineLength} characters (the last one may be shorter), with standard base64 padding and no spaces",
                "the text was altered; use another copy of the key file");
        return binary;
    }

    private const string CrLfHint = "convert the line endings to LF (for example with dos2unix) and try again";
}
