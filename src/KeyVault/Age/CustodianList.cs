using System.Text;
using System.Text.RegularExpressions;

namespace KeyVault.Age;

/// <summary>
/// The custodians file: the one description of who holds a backup's shares and how each receives theirs. One
/// custodian per line, in share order: <c>NAME = RECIPIENT</c> seals the share to that age or SSH key; <c>NAME</c>
/// alone, or <c>NAME = paper</c>, gives that custodian a paper sheet. An indented line <c>contact: …</c> or
/// <c>time zone: …</c> under a custodian adds that to them. Blank lines and lines whose first non-blank character is
/// <c>#</c> are ignored. docs/custodians.md is the specification.
/// </summary>
internal static partial class CustodianList
{
    /// <summary>The word that marks a paper custodian explicitly.</summary>
    public const string Paper = "paper";

    /// <summary>Longest contact, in characters.</summary>
    public const int MaxContactLength = 100;

    /// <summary>Longest time zone, in characters.</summary>
    public const int MaxTimeZoneLength = 64;

    [GeneratedRegex(@"^(?:[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*|UTC(?:[+-](?:0[0-9]|1[0-4])(?::[0-5][0-9])?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeZoneName();

    /// <summary>
    /// Parses a custodians file. Every error names <paramref name="source"/> and the line: a custodian line whose
    /// name breaks the one rule for custodian names (<see cref="Text.CustodianNames"/>: empty, over-long, a control or
    /// invisible character, or used twice ignoring case), a malformed recipient, a recipient used twice (one key holding
    /// two shares would defeat the threshold), or an indented line that is not a contact or time zone of the custodian
    /// above it.
    /// </summary>
    public static IReadOnlyList<Custodian> Parse(ReadOnlySpan<byte> utf8, string source)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw AgeError.CustodianFileNotText(source);
        }
        if (text.StartsWith('\uFEFF')) text = text[1..];

        var custodians = new List<Custodian>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            var raw = lines[i].TrimEnd('\r');
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (raw[0] is ' ' or '\t' && DetailField().IsMatch(line))
            {
                if (custodians.Count == 0)
                    throw AgeError.CustodianLine(source, number, "an indented contact or time zone adds to the custodian above it, and there is none");
                custodians[^1] = Detail(custodians[^1], line, source, number);
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq < 0 && line.Contains(':'))
                throw AgeError.CustodianLine(source, number,
                    "a line with : is neither a custodian (NAME, or NAME = RECIPIENT) nor one of their details: write 'contact: …' or 'time zone: …' indented under the custodian");
            if (eq < 0 && line.Split(' ', '\t').Any(LooksLikeKey))
                throw AgeError.CustodianLine(source, number, "it names a key without = between the name and the recipient: write NAME = RECIPIENT");
            var name = (eq < 0 ? line : line[..eq]).Trim();
            var recipientText = eq < 0 ? Paper : line[(eq + 1)..].Trim();
            if (name.Length == 0) throw AgeError.CustodianLine(source, number, "the name before = is empty");
            if (Text.CustodianNames.Problem(name) is { } why) throw AgeError.CustodianLine(source, number, $"the name is not allowed: {why}");
            if (recipientText.Length == 0)
                throw AgeError.CustodianLine(source, number, $"{name} has nothing after =: give a recipient, or write {name} = paper for a paper sheet");

            AgeRecipient? recipient = null;
            if (!recipientText.Equals(Paper, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    recipient = AgeRecipient.Parse(recipientText);
                }
                catch (Errors.KeyVaultException ex)
                {
                    throw AgeError.CustodianLine(source, number, $"the recipient of {name} is malformed: {ex.Message}");
                }
            }
            var sameName = custodians.FirstOrDefault(c => Text.CustodianNames.Same(c.Name, name));
            if (sameName is not null)
                throw AgeError.CustodianLine(source, number, $"the name {name} is already used on line {sameName.Line} (names must differ, ignoring case)");
            var sameKey = recipient is null ? null : custodians.FirstOrDefault(c => recipient.Equals(c.Recipient));
            if (sameKey is not null)
                throw AgeError.CustodianLine(source, number, $"{name} has the same recipient as {sameKey.Name} on line {sameKey.Line}; each custodian needs their own key");
            custodians.Add(new Custodian(name, recipient, number));
        }
        if (custodians.Count == 0) throw AgeError.CustodianFileEmpty(source);
        return custodians;
    }

    [GeneratedRegex(@"^(?i:contact|time ?zone)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex DetailField();

    private static bool LooksLikeKey(string word) =>
        word.StartsWith("age1", StringComparison.OrdinalIgnoreCase) || word.StartsWith("ssh-", StringComparison.Ordinal)
        || word.StartsWith("AAAA", StringComparison.Ordinal) || word.StartsWith("AGE-", StringComparison.OrdinalIgnoreCase);

    private static Custodian Detail(Custodian custodian, string line, string source, int number)
    {
        int colon = line.IndexOf(':');
        var field = line[..colon].Trim().ToLowerInvariant();
        var value = line[(colon + 1)..].Trim();
        bool contact = field == "contact";
        var what = contact ? "contact" : "time zone";
        if (value.Length == 0) throw AgeError.CustodianLine(source, number, $"the {what} of {custodian.Name} is empty");
        if ((contact ? custodian.Contact : custodian.TimeZone) is not null)
            throw AgeError.CustodianLine(source, number, $"{custodian.Name} already has a {what}");
        if (value.Length > (contact ? MaxContactLength : MaxTimeZoneLength) || value.Any(c => char.IsControl(c) || c is '\u200B' or '\u200E' or '\u200F' or '\uFEFF'))
            throw AgeError.CustodianLine(source, number,
                $"the {what} of {custodian.Name} is longer than {(contact ? MaxContactLength : MaxTimeZoneLength)} characters or holds a control or invisible character");
        if (!contact && !TimeZoneName().IsMatch(value))
            throw AgeError.CustodianLine(source, number,
                $"the time zone of {custodian.Name} is '{value}': write an IANA name such as Europe/Zurich or America/New_York, or UTC+02:00");
        return contact ? custodian with { Contact = value } : custodian with { TimeZone = value };
    }
}
