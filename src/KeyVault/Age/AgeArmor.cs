using System.Text;

namespace KeyVault.Age;

/// <summary>
/// The ASCII armor of an age file: strict PEM (RFC 7468 section 3, the strict form) with the label
/// "AGE ENCRYPTED FILE", padded canonical base64 in lines of exactly 64 columns except a shorter, non-empty last
/// one. The only tolerances are the ones the age specification allows: whitespace before the BEGIN line and after
/// the END line, and CRLF instead of LF (the same ending on every line).
/// </summary>
internal static class AgeArmor
{
    public const string BeginLine = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string EndLine = "-----END AGE ENCRYPTED FILE-----";
    public const int ColumnsPerLine = 64;

    private static readonly byte[] Begin = Encoding.ASCII.GetBytes(BeginLine);
    private static readonly byte[] End = Encoding.ASCII.GetBytes(EndLine);

    /// <summary>
    /// True when the file is to be read as armor: it is not a binary age file, and its first non-blank line is a
    /// PEM BEGIN line or it holds the age BEGIN line further on (so leading garbage is reported as an armor fault).
    /// </summary>
    public static bool LooksArmored(ReadOnlySpan<byte> file) =>
        !file.StartsWith("age-encryption.org/"u8)
        && (file[LeadingWhitespace(file)..].StartsWith("-----BEGIN"u8) || file.IndexOf(Begin) >= 0);

    /// <summary>Armors a binary age file, with LF line endings and a final LF.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> binary)
    {
        string base64 = Convert.ToBase64String(binary);
        var text = new StringBuilder(base64.Length + base64.Length / ColumnsPerLine + 80);
        text.Append(BeginLine).Append('\n');
        for (int at = 0; at < base64.Length; at += ColumnsPerLine)
            text.Append(base64, at, Math.Min(ColumnsPerLine, base64.Length - at)).Append('\n');
        text.Append(EndLine).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Removes the armor. Throws <see cref="AgeException"/> (armor) for anything non-canonical.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> text)
    {
        int pos = LeadingWhitespace(text);
        if (!text[pos..].StartsWith(Begin))
            throw AgeError.Armor("the first non-blank line is not exactly " + BeginLine);
        pos += Begin.Length;
        ReadOnlySpan<byte> eol = text[pos..].StartsWith("\r\n"u8) ? "\r\n"u8 : text[pos..].StartsWith("\n"u8) ? "\n"u8 : default;
        if (eol.IsEmpty) throw AgeError.Armor("the BEGIN line is not followed by a line break");
        pos += eol.Length;

        var body = new List<byte>();
        int lineNumber = 1, shortLine = 0;
        while (true)
        {
            lineNumber++;
            var rest = text[pos..];
            if (rest.StartsWith(End))
            {
                var after = rest[End.Length..];
                if (!after.IsEmpty && !after.StartsWith(eol))
                    throw AgeError.Armor($"line {lineNumber}: the END line does not end with the line break the BEGIN line used");
                if (after.Length > 0 && LeadingWhitespace(after) != after.Length)
                    throw AgeError.Armor("there is text after the END line");
                break;
            }
            int lf = rest.IndexOf(eol);
            if (lf < 0) throw AgeError.Armor($"the END line ({EndLine}) is missing");
            var line = rest[..lf];
            pos += lf + eol.Length;

            if (line.IsEmpty) throw AgeError.Armor($"line {lineNumber} is empty (no headers or blank lines are allowed inside the armor)");
            if (line.Length > ColumnsPerLine) throw AgeError.Armor($"line {lineNumber} is longer than {ColumnsPerLine} columns");
            if (shortLine != 0) throw AgeError.Armor($"line {shortLine} is shorter than {ColumnsPerLine} columns but is not the last line");
            if (line.Length < ColumnsPerLine) shortLine = lineNumber;
            foreach (byte c in line)
                if (!StrictBase64.IsAlphabet(c) && c != (byte)'=')
                    throw AgeError.Armor($"line {lineNumber} holds a character outside base64 (a space, a CR or another character)");
            body.AddRange(line.ToArray());
        }
        return StrictBase64.DecodePadded(body.ToArray())
            ?? throw AgeError.Armor("the base64 is not canonical (padding missing or misplaced, or non-zero unused bits)");
    }

    private static int LeadingWhitespace(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }
}
