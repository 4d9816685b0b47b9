using System.Security.Cryptography;
using System.Text;

namespace KeyVault.Age;

/// <summary>One recipient stanza: its arguments (the first is the type) and its decoded body.</summary>
internal sealed record AgeStanza(IReadOnlyList<string> Arguments, byte[] Body)
{
    /// <summary>The first argument, which names the recipient type.</summary>
    public string Type => Arguments[0];
}

/// <summary>
/// The textual age v1 header: parsing (strict, every MUST-reject rule of the specification) and writing. This is
/// the only place that reads or writes header bytes.
/// </summary>
internal sealed class AgeHeader
{
    public const string VersionPrefix = "age-encryption.org/";
    public const string VersionLine = "age-encryption.org/v1";
    public const int MacLength = 32;
    public const int ColumnsPerLine = 64;

    /// <summary>
    /// A cap on stanzas, so a hostile file cannot make an identity try thousands of key agreements. Files KeyVault
    /// writes carry one; age itself writes one per recipient.
    /// </summary>
    public const int MaxStanzas = 256;

    private static readonly byte[] HeaderInfo = "header"u8.ToArray();

    private AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] mac, int macInputLength, int length)
    {
        Stanzas = stanzas;
        Mac = mac;
        MacInputLength = macInputLength;
        Length = length;
    }

    /// <summary>The recipient stanzas, in file order.</summary>
    public IReadOnlyList<AgeStanza> Stanzas { get; }

    /// <summary>The 32-byte MAC from the last header line.</summary>
    public byte[] Mac { get; }

    /// <summary>Bytes covered by the MAC: everything up to and including the "---" of the last line.</summary>
    public int MacInputLength { get; }

    /// <summary>Length of the header including the final line feed; the payload starts here.</summary>
    public int Length { get; }

    /// <summary>Parses the header at the start of a binary age file. Throws <see cref="AgeException"/> (header).</summary>
    public static AgeHeader Parse(ReadOnlySpan<byte> file)
    {
        int pos = 0, lineNumber = 0;
        if (!file.StartsWith(Encoding.ASCII.GetBytes(VersionPrefix))) throw AgeError.NotAgeFile();
        if (!NextLine(file, ref pos, ref lineNumber, out var version)) throw AgeError.Header("the version line does not end");
        if (!version.StartsWith(Encoding.ASCII.GetBytes(VersionPrefix))) throw AgeError.NotAgeFile();
        if (!version.SequenceEqual(Encoding.ASCII.GetBytes(VersionLine))) throw AgeError.UnsupportedVersion();

        var stanzas = new List<AgeStanza>();
        while (true)
        {
            int lineStart = pos;
            if (!NextLine(file, ref pos, ref lineNumber, out var line))
                throw AgeError.Header(stanzas.Count == 0 ? "it ends before any recipient stanza" : "it ends before the MAC line");
            if (line.StartsWith("-> "u8))
            {
                if (stanzas.Count == MaxStanzas) throw AgeError.Header($"it has more than {MaxStanzas} recipient stanzas");
                stanzas.Add(ParseStanza(file, line[3..], ref pos, ref lineNumber));
                continue;
            }
            if (line.StartsWith("---"u8))
            {
                if (stanzas.Count == 0) throw AgeError.Header("it has no recipient stanza");
                if (!line.StartsWith("--- "u8)) throw AgeError.Header($"line {lineNumber}: the MAC line must start with \"--- \"");
                var encoded = line[4..];
                if (encoded.Length != 43) throw AgeError.Header($"line {lineNumber}: the MAC is {encoded.Length} characters; it must be 43 (32 bytes in unpadded base64)");
                var mac = new byte[MacLength];
                if (!StrictBase64.TryDecodeRaw(encoded, mac)) throw AgeError.Header($"line {lineNumber}: the MAC is not canonical unpadded base64");
                return new AgeHeader(stanzas, mac, lineStart + 3, pos);
            }
            throw AgeError.Header($"line {lineNumber} starts neither a recipient stanza (\"-> \") nor the MAC line (\"--- \")");
        }
    }

    private static AgeStanza ParseStanza(ReadOnlySpan<byte> file, ReadOnlySpan<byte> argumentText, ref int pos, ref int lineNumber)
    {
        int argLine = lineNumber;
        var arguments = new List<string>();
        foreach (var range in argumentText.Split((byte)' '))
        {
            var argument = argumentText[range];
            if (argument.IsEmpty) throw AgeError.Header($"line {argLine}: a stanza argument is empty (arguments are separated by exactly one space)");
            foreach (byte c in argument)
                if (c < 0x21 || c > 0x7E) throw AgeError.Header($"line {argLine}: a stanza argument holds a byte outside printable ASCII");
            arguments.Add(Encoding.ASCII.GetString(argument));
        }

        // The body is base64 wrapped at 64 columns and always ends with a shorter line, which may be empty.
        var body = new List<byte>();
        while (true)
        {
            if (!NextLine(file, ref pos, ref lineNumber, out var line))
                throw AgeError.Header($"the stanza that starts on line {argLine} has no final body line");
            if (line.Length > ColumnsPerLine) throw AgeError.Header($"line {lineNumber} is longer than {ColumnsPerLine} columns");
            foreach (byte c in line)
                if (!StrictBase64.IsAlphabet(c)) throw AgeError.Header($"line {lineNumber}: a stanza body line holds a character outside unpadded base64");
            body.AddRange(line.ToArray());
            if (line.Length < ColumnsPerLine) break;
        }
        var decoded = StrictBase64.DecodeRaw(body.ToArray())
            ?? throw AgeError.Header($"the body of the stanza that starts on line {argLine} is not canonical unpadded base64");
        return new AgeStanza(arguments, decoded);
    }

    /// <summary>The next line without its LF; false at the end of input or when no LF follows.</summary>
    private static bool NextLine(ReadOnlySpan<byte> file, ref int pos, ref int lineNumber, out ReadOnlySpan<byte> line)
    {
        int lf = file[pos..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            return false;
        }
        line = file.Slice(pos, lf);
        pos += lf + 1;
        lineNumber++;
        return true;
    }

    /// <summary>Verifies the MAC with a candidate file key, in constant time.</summary>
    public bool MacMatches(ReadOnlySpan<byte> file, ReadOnlySpan<byte> fileKey)
    {
        Span<byte> mac = stackalloc byte[MacLength];
        ComputeMac(file[..MacInputLength], fileKey, mac);
        return CryptographicOperations.FixedTimeEquals(mac, Mac);
    }

    /// <summary>Writes a complete header (version line, stanzas, MAC line) for <paramref name="stanzas"/>.</summary>
    public static byte[] Write(IReadOnlyList<AgeStanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var text = new StringBuilder();
        text.Append(VersionLine).Append('\n');
        foreach (var stanza in stanzas)
        {
            text.Append("-> ").AppendJoin(' ', stanza.Arguments).Append('\n');
            string body = StrictBase64.EncodeRaw(stanza.Body);
            int at = 0;
            for (; body.Length - at >= ColumnsPerLine; at += ColumnsPerLine)
                text.Append(body, at, ColumnsPerLine).Append('\n');
            text.Append(body, at, body.Length - at).Append('\n');
        }
        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        Span<byte> mac = stackalloc byte[MacLength];
        ComputeMac(macInput, fileKey, mac);
        return [.. macInput, .. " "u8, .. Encoding.ASCII.GetBytes(StrictBase64.EncodeRaw(mac)), .. "\n"u8];
    }

    private static void ComputeMac(ReadOnlySpan<byte> macInput, ReadOnlySpan<byte> fileKey, Span<byte> mac)
    {
        Span<byte> hmacKey = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, hmacKey, [], HeaderInfo);
            HMACSHA256.HashData(hmacKey, macInput, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hmacKey);
        }
    }
}
