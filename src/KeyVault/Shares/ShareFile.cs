using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Keys;

namespace KeyVault.Shares;

/// <summary>What a share file says besides the share itself; every field is optional and none is secret.</summary>
/// <param name="PublicKey">The key the shares rebuild (its fingerprint is written too).</param>
/// <param name="Custodian">Who holds this share; one line of text.</param>
/// <param name="Date">The day the shares were made.</param>
/// <param name="Slip39Passphrase">Whether the backup was made with a SLIP-0039 passphrase, when known: a restore then knows to ask for it.</param>
public sealed record ShareFileHeader(PublicKey? PublicKey = null, string? Custodian = null, DateOnly? Date = null, bool? Slip39Passphrase = null);

/// <summary>
/// The text file a split writes for each share and a combine reads: <c># key: value</c> comment lines with public
/// metadata, then the mnemonic. The words are authoritative; a comment that contradicts them is an error, because
/// it means the file was edited or assembled wrongly. Specified in docs/share-file-format.md.
/// </summary>
public sealed partial class ShareFile : IDisposable
{
    /// <summary>Words per mnemonic line in files this version writes.</summary>
    public const int WordsPerLine = 11;

    private const string Title = "# KeyVault SLIP-0039 share: keep it secret; with enough other shares it rebuilds the key";

    private ShareFile(string mnemonic, ShareInfo share, int? memberCount, string? fingerprint, PublicKey? publicKey,
        string? custodian, DateOnly? date, bool? slip39Passphrase)
    {
        Slip39Passphrase = slip39Passphrase;
        Mnemonic = mnemonic;
        Share = share;
        MemberCount = memberCount;
        Fingerprint = fingerprint;
        PublicKey = publicKey;
        Custodian = custodian;
        Date = date;
    }

    /// <summary>The mnemonic as found in the file, its lines joined by single spaces; wiped on Dispose.</summary>
    public string Mnemonic { get; }

    /// <summary>The share's metadata, decoded from the words.</summary>
    public ShareInfo Share { get; }

    /// <summary>N of "share: n of N" (shares issued in this share's group), if the file says.</summary>
    public int? MemberCount { get; }

    /// <summary>The key fingerprint the file names, lowercase, if any.</summary>
    public string? Fingerprint { get; }

    /// <summary>The public key the file names, if any.</summary>
    public PublicKey? PublicKey { get; }

    /// <summary>The custodian the file names, if any.</summary>
    public string? Custodian { get; }

    /// <summary>The date the file names, if any.</summary>
    public DateOnly? Date { get; }

    /// <summary>Whether the file says the backup needs a SLIP-0039 passphrase; null when it does not say.</summary>
    public bool? Slip39Passphrase { get; }

    /// <summary>Writes a share file as UTF-8 bytes. The caller writes them with <see cref="AtomicFile"/> and wipes them.</summary>
    public static byte[] Format(MnemonicShare share, ShareFileHeader? header = null)
    {
        ArgumentNullException.ThrowIfNull(share);
        header ??= new ShareFileHeader();
        var info = share.Info;
        var custodian = header.Custodian?.Trim();
        if (custodian is not null && (custodian.Length == 0 || custodian.Any(char.IsControl)))
            throw new KeyVaultException(ErrorKind.BadInput, "the custodian name is empty or contains a line break or control character",
                "give the custodian's name on one line");

        var text = new StringBuilder();
        text.Append(Title).Append('\n');
        text.Append($"# share: {info.MemberNumber} of {share.MemberCount}\n");
        text.Append($"# member-threshold: {info.MemberThreshold}\n");
        if (info.HasGroups)
        {
            text.Append($"# group: {info.GroupNumber} of {info.GroupCount}\n");
            text.Append($"# group-threshold: {info.GroupThreshold}\n");
        }
        text.Append($"# identifier: {info.Identifier}\n");
        text.Append($"# extendable: {YesNo(info.Extendable)}\n");
        if (header.Slip39Passphrase is { } usesPassphrase) text.Append($"# slip39-passphrase: {YesNo(usesPassphrase)}\n");
        if (header.PublicKey is { } key)
        {
            text.Append($"# fingerprint: {key.Fingerprint}\n");
            text.Append($"# public-key: {key.Hex66}\n");
        }
        if (custodian is not null) text.Append($"# custodian: {custodian}\n");
        if (header.Date is { } date) text.Append($"# date: {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\n");
        for (int i = 0; i < share.Words.Count; i += WordsPerLine)
            text.AppendJoin(' ', share.Words.Skip(i).Take(WordsPerLine)).Append('\n');

        var chars = new char[text.Length];
        text.CopyTo(0, chars, chars.Length);
        // StringBuilder chunks cannot be wiped; overwriting its content before it is dropped is the best available.
        text.Clear().Append('\0', chars.Length);
        try
        {
            return Encoding.UTF8.GetBytes(chars);
        }
        finally
        {
            SecretBuffers.Wipe(chars);
        }
    }

    /// <summary>
    /// Reads a share file (or a bare mnemonic: comments are optional). <paramref name="source"/> names the file in errors.
    /// The caller wipes <paramref name="utf8"/>.
    /// </summary>
    public static ShareFile Parse(ReadOnlySpan<byte> utf8, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new KeyVaultException(ErrorKind.BadInput, $"{source} is not UTF-8 text", "give the share file as the split wrote it, or the words alone");
        }

        var words = new StringBuilder();
        string? mnemonic = null;
        try
        {
            var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
            int lineNumber = 0;
            foreach (var rawLine in text.AsSpan().EnumerateLines())
            {
                lineNumber++;
                var line = rawLine.Trim();
                if (line.IsEmpty) continue;
                if (line[0] != '#')
                {
                    if (words.Length > 0) words.Append(' ');
                    words.Append(line);
                    continue;
                }
                var match = FieldPattern().Match(line[1..].Trim().ToString());
                if (!match.Success) continue;
                string key = match.Groups[1].Value, value = match.Groups[2].Value.Trim();
                if (!KnownKeys.Contains(key)) continue;
                if (!fields.TryAdd(key, (value, lineNumber)))
                    throw Bad(source, lineNumber, $"the field '{key}' appears twice (first on line {fields[key].Line})", "keep one of them");
            }
            if (words.Length == 0)
                throw new KeyVaultException(ErrorKind.BadInput, $"{source} holds no share words", "the words go on lines that do not start with #");

            mnemonic = words.ToString();
            words.Clear().Append('\0', mnemonic.Length);
            ShareInfo info;
            using (var share = ShareCodec.Decode(mnemonic, 0, source)) info = share.Info;

            var file = Check(source, mnemonic, info, fields);
            mnemonic = null;
            return file;
        }
        finally
        {
            SecretBuffers.WipeString(text);
            SecretBuffers.WipeString(mnemonic);
        }
    }

    /// <summary>
    /// Throws <see cref="ErrorKind.IdentityMismatch"/> when the file's public key or fingerprint names a different key
    /// than <paramref name="key"/> (the key the shares rebuilt). Files that name no key pass.
    /// </summary>
    /// <remarks>
    /// A missing or wrong SLIP-0039 passphrase is the commonest cause: SLIP-0039 cannot detect it and rebuilds another
    /// key. So unless the file says the backup has no passphrase, the error names that cause first.
    /// </remarks>
    public void CheckKey(PublicKey key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool keyDiffers = PublicKey is not null && !PublicKey.Equals(key);
        bool fingerprintDiffers = Fingerprint is not null && Fingerprint != key.Fingerprint;
        if (keyDiffers || fingerprintDiffers)
            throw ShareErrors.KeyMismatch(source, Fingerprint ?? PublicKey!.Fingerprint, key.Fingerprint, Slip39Passphrase);
    }

    /// <summary>Wipes the mnemonic.</summary>
    public void Dispose() => SecretBuffers.WipeString(Mnemonic);

    /// <inheritdoc />
    public override string ToString() => $"ShareFile(group {Share.GroupNumber}, member {Share.MemberNumber}, hidden)";

    private static readonly HashSet<string> KnownKeys =
        ["share", "member-threshold", "group", "group-threshold", "identifier", "extendable", "slip39-passphrase", "fingerprint",
         "public-key", "custodian", "date"];

    [GeneratedRegex(@"^([a-z][a-z0-9-]*):(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"^([0-9]{1,2}) of ([0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex NofN();

    private static ShareFile Check(string source, string mnemonic, ShareInfo info, Dictionary<string, (string Value, int Line)> fields)
    {
        int? memberCount = null;
        if (fields.TryGetValue("share", out var share))
        {
            var (n, count) = ParseNofN(source, "share", share);
            Expect(source, share.Line, "share", n, info.MemberNumber, "member number");
            if (count < info.MemberThreshold)
                throw Bad(source, share.Line, $"the comment says {count} shares were issued, fewer than the member threshold {info.MemberThreshold} in the words", WordsWinHint);
            memberCount = count;
        }
        if (fields.TryGetValue("member-threshold", out var mt))
            Expect(source, mt.Line, "member-threshold", ParseInt(source, "member-threshold", mt, 1, 16), info.MemberThreshold, "member threshold");
        if (fields.TryGetValue("group", out var group))
        {
            var (g, count) = ParseNofN(source, "group", group);
            Expect(source, group.Line, "group", g, info.GroupNumber, "group number");
            Expect(source, group.Line, "group", count, info.GroupCount, "group count");
        }
        if (fields.TryGetValue("group-threshold", out var gt))
            Expect(source, gt.Line, "group-threshold", ParseInt(source, "group-threshold", gt, 1, 16), info.GroupThreshold, "group threshold");
        if (fields.TryGetValue("identifier", out var id))
            Expect(source, id.Line, "identifier", ParseInt(source, "identifier", id, 0, 0x7FFF), info.Identifier, "identifier");
        if (fields.TryGetValue("extendable", out var ext) && ParseYesNo(source, "extendable", ext) != info.Extendable)
            throw Bad(source, ext.Line, $"the comment 'extendable' says {ext.Value}, but the share's words say {YesNo(info.Extendable)}", WordsWinHint);
        bool? slip39Passphrase = fields.TryGetValue("slip39-passphrase", out var sp) ? ParseYesNo(source, "slip39-passphrase", sp) : null;

        string? fingerprint = null;
        if (fields.TryGetValue("fingerprint", out var fp))
        {
            if (fp.Value.Length != 8 || !Hex.IsHex(fp.Value))
                throw Bad(source, fp.Line, "the fingerprint is not 8 hex characters", "write the fingerprint as KeyVault prints it, e.g. 1a2b3c4d");
            fingerprint = fp.Value.ToLowerInvariant();
        }
        PublicKey? publicKey = null;
        if (fields.TryGetValue("public-key", out var pk))
        {
            try
            {
                publicKey = PublicKey.ParseHex(pk.Value);
            }
            catch (KeyVaultException e)
            {
                throw Bad(source, pk.Line, "the public key is not a valid compressed secp256k1 key", e.Hint);
            }
            if (fingerprint is not null && fingerprint != publicKey.Fingerprint)
                throw Bad(source, fp.Line, $"the fingerprint {fingerprint} does not belong to the public key on line {pk.Line} ({publicKey.Fingerprint})",
                    "one of the two comments was edited; compare them with the ceremony transcript");
        }
        string? custodian = null;
        if (fields.TryGetValue("custodian", out var c))
        {
            if (c.Value.Length == 0) throw Bad(source, c.Line, "the custodian field is empty", "remove the line or write a name");
            custodian = c.Value;
        }
        DateOnly? date = null;
        if (fields.TryGetValue("date", out var d))
        {
            if (!DateOnly.TryParseExact(d.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                throw Bad(source, d.Line, "the date is not of the form YYYY-MM-DD", "write the date as e.g. 2025-06-01");
            date = parsed;
        }
        return new ShareFile(mnemonic, info, memberCount, fingerprint, publicKey, custodian, date, slip39Passphrase);
    }

    private const string WordsWinHint = "the words are authoritative: check them against the sheet, and correct or remove the comment";

    private static void Expect(string source, int line, string key, int commented, int decoded, string what)
    {
        if (commented != decoded)
            throw Bad(source, line, $"the comment '{key}' says {what} {commented}, but the share's words say {decoded}", WordsWinHint);
    }

    private static (int N, int Of) ParseNofN(string source, string key, (string Value, int Line) field)
    {
        var m = NofN().Match(field.Value);
        int n = 0, of = 0;
        if (!m.Success || !int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out n)
            || !int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out of) || n < 1 || n > of || of > 16)
            throw Bad(source, field.Line, $"the field '{key}' is not of the form 'n of N' with 1 ≤ n ≤ N ≤ 16", $"write e.g. '# {key}: 2 of 5'");
        return (n, of);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static bool ParseYesNo(string source, string key, (string Value, int Line) field) => field.Value switch
    {
        "yes" => true,
        "no" => false,
        _ => throw Bad(source, field.Line, $"the field '{key}' is neither 'yes' nor 'no'", $"write '# {key}: yes' or '# {key}: no'"),
    };

    private static int ParseInt(string source, string key, (string Value, int Line) field, int min, int max)
    {
        if (field.Value.Length is 0 or > 5 || !field.Value.All(char.IsAsciiDigit)
            || !int.TryParse(field.Value, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw Bad(source, field.Line, $"the field '{key}' is not a whole number from {min} to {max}", $"write e.g. '# {key}: {min}'");
        return value;
    }

    private static KeyVaultException Bad(string source, int line, string message, string? hint) =>
        new(ErrorKind.BadInput, $"{source}, line {line}: {message}", hint);
}
