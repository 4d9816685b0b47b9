namespace KeyVault.Sheets;

/// <summary>The exact text each kind of sheet puts in its QR code (docs/paper.md, "QR code").</summary>
internal static class QrPayload
{
    /// <summary>
    /// The mnemonic in upper case, words separated by single spaces. Upper-case letters and the space are all in
    /// the QR alphanumeric character set, so the code uses alphanumeric mode (5.5 bits a character instead of 8)
    /// and is two to three versions smaller than the lowercase text would be. The result is a new string the
    /// caller owns and should wipe with <see cref="IO.SecretBuffers.WipeString"/> after use.
    /// </summary>
    public static string ForMnemonic(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0) throw PaperError.NoWords();
        var length = words.Count - 1;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i] ?? throw PaperError.BadWord(i + 1);
            if (w.Length is < 4 or > 8) throw PaperError.BadWord(i + 1);
            foreach (var c in w)
                if (c is not (>= 'a' and <= 'z') and not (>= 'A' and <= 'Z')) throw PaperError.BadWord(i + 1);
            length += w.Length;
        }
        // string.Create writes straight into the result, so no intermediate copy of the words is left behind.
        return string.Create(length, words, static (span, ws) =>
        {
            var pos = 0;
            for (var i = 0; i < ws.Count; i++)
            {
                if (i > 0) span[pos++] = ' ';
                foreach (var c in ws[i]) span[pos++] = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
            }
        });
    }

    /// <summary>
    /// The armored text exactly as the file holds it: the lines joined by LF, with a final LF. The lines must be
    /// printable ASCII, so the QR byte-mode data reads the same under every character-set guess a decoder makes.
    /// </summary>
    public static string ForArmoredText(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) throw PaperError.NoArmoredLines();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i] ?? throw PaperError.BadArmoredLine(i + 1);
            if (line.Length is 0 or > KeyFileSheetLimits.MaxLineLength) throw PaperError.BadArmoredLine(i + 1);
            foreach (var c in line)
                if (c is < ' ' or > '~') throw PaperError.BadArmoredLine(i + 1);
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// The armored text in two codes (docs/paper.md, "Sealed share sheet"): two contiguous runs of whole lines, each in
    /// the form of <see cref="ForArmoredText"/>, the first from the BEGIN line and the second to the END line, cut where
    /// the larger of the two is smallest. Two parts, never more: a reader tells them apart by the BEGIN line alone, so
    /// they join in whichever order they are scanned. Returns null when no cut leaves both within
    /// <paramref name="maxPartBytes"/>.
    /// </summary>
    public static IReadOnlyList<string>? ForArmoredHalves(IReadOnlyList<string> lines, int maxPartBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartBytes, 1);
        var whole = ForArmoredText(lines).Length;
        var best = -1;
        var bestLarger = int.MaxValue;
        var first = 0;
        // Cut after line k (1 <= k < count): the first part is lines[0..k], the second lines[k..].
        for (var k = 1; k < lines.Count; k++)
        {
            first += lines[k - 1].Length + 1;
            var larger = Math.Max(first, whole - first);
            if (larger <= maxPartBytes && larger < bestLarger) (best, bestLarger) = (k, larger);
        }
        if (best < 0) return null;
        return [ForArmoredText(lines.Take(best).ToList()), ForArmoredText(lines.Skip(best).ToList())];
    }
}

/// <summary>What the key-file sheet's text block has room for.</summary>
internal static class KeyFileSheetLimits
{
    /// <summary>Longest armored line printed in full within the margins of A4 (64-column base64, with room for a longer header line).</summary>
    public const int MaxLineLength = 68;

    /// <summary>
    /// Most armored lines the sheet lays out: the largest key file KeyVault writes is 7 lines, one with a 64-byte salt
    /// from another writer 8 (docs/key-file-format.md).
    /// </summary>
    public const int MaxLines = 8;
}
