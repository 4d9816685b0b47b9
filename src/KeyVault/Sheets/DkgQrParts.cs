using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;

namespace KeyVault.Sheets;

/// <summary>What a DKG export's printed QR codes carry (docs/dkg-export-format.md, "On paper").</summary>
public enum DkgPaperContent
{
    /// <summary>The export file exactly as stored, bare or sealed ("E").</summary>
    ExportFile,
    /// <summary>Only the private part of every row (<see cref="Dkg.DkgPrivatePart"/>, "P").</summary>
    PrivatePart,
}

/// <summary>
/// The framing of bytes across numbered QR codes (docs/dkg-export-format.md, "QR framing"): each code's text is a
/// 32-character header — format, content, part k of n, a set checksum over the whole payload, a check over this part —
/// then this part's bytes in Base45, so every character is in the QR alphanumeric set. A reader knows from any one
/// code how many there are, puts them in order whatever order they were scanned in, and refuses a damaged, missing,
/// foreign or duplicated-but-different part.
/// </summary>
internal static class DkgQrParts
{
    /// <summary>The first characters of every part.</summary>
    public const string Prefix = "KVDK1-";

    /// <summary>Characters before the Base45 data.</summary>
    public const int HeaderLength = 32;

    /// <summary>Most payload bytes one code carries: 992 characters, a version 25 symbol at level Q (117 modules a side).</summary>
    public const int MaxPartBytes = 640;

    /// <summary>Most parts one payload is split into (two decimal digits).</summary>
    public const int MaxParts = 99;

    /// <summary>The texts of the codes for <paramref name="payload"/>, part 1 first.</summary>
    public static IReadOnlyList<string> Split(ReadOnlySpan<byte> payload, DkgPaperContent content, int maxPartBytes = MaxPartBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartBytes, 1);
        if (payload.IsEmpty) throw new ArgumentException("nothing to print", nameof(payload));
        var count = PartsFor(payload.Length, maxPartBytes);
        if (count > MaxParts) throw new ArgumentException($"{payload.Length} bytes need more than {MaxParts} parts", nameof(payload));
        // Equal parts (the last one shorter) keep every code the same size on the page.
        var each = (payload.Length + count - 1) / count;
        var set = SetId(payload);
        var parts = new List<string>(count);
        for (int k = 1; k <= count; k++)
        {
            var chunk = payload.Slice((k - 1) * each, Math.Min(each, payload.Length - (k - 1) * each));
            var head = Head(content, k, count, set);
            parts.Add(head + Check(head, chunk) + ":" + Base45.Encode(chunk));
        }
        return parts;
    }

    /// <summary>How many parts <paramref name="length"/> bytes take.</summary>
    public static int PartsFor(int length, int maxPartBytes = MaxPartBytes) => (length + maxPartBytes - 1) / maxPartBytes;

    /// <summary>The set checksum printed beside every code: the first 4 bytes of SHA-256 of the whole payload, in hex.</summary>
    public static string SetId(ReadOnlySpan<byte> payload) => Convert.ToHexString(SHA256.HashData(payload).AsSpan(0, 4));

    /// <summary>
    /// The payload put back together from scanned texts, in any order; repeated scans of one code are harmless. Lines
    /// as zbarimg prints them (with or without its "QR-Code:" prefix) are accepted. Throws naming what is wrong.
    /// </summary>
    public static (DkgPaperContent Content, byte[] Payload) Join(IEnumerable<string> scans)
    {
        var parts = new Dictionary<int, Part>();
        Part? first = null;
        int seen = 0;
        foreach (var raw in scans)
        {
            var text = raw.Trim();
            if (text.Length == 0) continue;
            seen++;
            if (text.StartsWith("QR-Code:", StringComparison.Ordinal)) text = text["QR-Code:".Length..];
            var part = Parse(text, seen);
            first ??= part;
            if (part.Set != first.Set || part.Count != first.Count || part.Content != first.Content)
                throw new KeyVaultException(ErrorKind.BadInput,
                    $"the scans come from different printings: set {first.Set} ({first.Count} parts) and set {part.Set} ({part.Count} parts)",
                    "scan only the codes of one printing; each code's caption names its set");
            if (parts.TryGetValue(part.Index, out var earlier))
            {
                if (!earlier.Data.AsSpan().SequenceEqual(part.Data))
                    throw new KeyVaultException(ErrorKind.DamagedFile, $"part {part.Index} of {part.Count} was scanned twice with different contents",
                        "scan that code again, alone");
                continue;
            }
            parts.Add(part.Index, part);
        }
        if (first is null)
            throw new KeyVaultException(ErrorKind.BadInput, "no QR code text was given", "scan every code on every page, one per line");
        var missing = Enumerable.Range(1, first.Count).Where(k => !parts.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new KeyVaultException(ErrorKind.BadInput,
                $"part{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} of {first.Count} {(missing.Count == 1 ? "is" : "are")} missing",
                "scan every code on every page; each is numbered k of n under it");
        var payload = parts.OrderBy(p => p.Key).SelectMany(p => p.Value.Data).ToArray();
        if (SetId(payload) != first.Set)
            throw new KeyVaultException(ErrorKind.DamagedFile, $"the {first.Count} parts put together do not match their set checksum {first.Set}",
                "scan the codes again; if it persists, the printing is damaged");
        return (first.Content, payload);
    }

    private sealed record Part(DkgPaperContent Content, int Index, int Count, string Set, byte[] Data);

    private static Part Parse(string text, int scan)
    {
        // KVDK1-E-kk-nn-SSSSSSSS-CCCCCCCC:DATA
        if (text.Length < HeaderLength || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[7] != '-' || text[10] != '-'
            || text[13] != '-' || text[22] != '-' || text[31] != ':' || text[6] is not ('E' or 'P')
            || !TwoDigits(text.AsSpan(8, 2), out var k) || !TwoDigits(text.AsSpan(11, 2), out var n) || k < 1 || n < 1 || k > n
            || !UpperHex(text.AsSpan(14, 8)) || !UpperHex(text.AsSpan(23, 8)))
            throw new KeyVaultException(ErrorKind.BadInput, $"scan {scan} is not a code of a KeyVault DKG export sheet",
                "scan only the numbered codes of the sheets (their text starts KVDK1-)");
        var data = Base45.TryDecode(text.AsSpan(HeaderLength));
        var head = text[..23];
        if (data is null || data.Length == 0 || Check(head, data) != text.Substring(23, 8))
            throw new KeyVaultException(ErrorKind.DamagedFile, $"part {k} of {n} fails its check: the scan is damaged",
                "scan that code again");
        return new Part(text[6] == 'E' ? DkgPaperContent.ExportFile : DkgPaperContent.PrivatePart, k, n, text.Substring(14, 8), data);
    }

    private static string Head(DkgPaperContent content, int k, int n, string set) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{(content == DkgPaperContent.ExportFile ? 'E' : 'P')}-{k:D2}-{n:D2}-{set}-");

    private static string Check(string head, ReadOnlySpan<byte> chunk)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes(head));
        sha.AppendData(chunk);
        return Convert.ToHexString(sha.GetHashAndReset().AsSpan(0, 4));
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s[0] is < '0' or > '9' || s[1] is < '0' or > '9') return false;
        value = (s[0] - '0') * 10 + (s[1] - '0');
        return true;
    }

    private static bool UpperHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'A' and <= 'F'))) return false;
        return true;
    }
}
