using System.Text;

namespace KeyVault.Age;

/// <summary>
/// The custodians file of a sealed split: one custodian per line, <c>NAME = RECIPIENT</c>; blank lines and lines
/// whose first non-blank character is <c>#</c> are ignored; the order of the lines is the order of the shares.
/// </summary>
internal static class CustodianList
{
    /// <summary>
    /// Parses a custodians file. Every error names <paramref name="source"/> and the line: a line without
    /// <c>=</c>, a name that breaks the one rule for custodian names (<see cref="Text.CustodianNames"/>: empty,
    /// over-long, a control or invisible character, or used twice ignoring case), a malformed recipient, or a
    /// recipient used twice (one key holding two shares would defeat the threshold).
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
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int eq = line.IndexOf('=');
            if (eq < 0) throw AgeError.CustodianLine(source, number, "it is not of the form NAME = RECIPIENT (there is no =)");
            var name = line[..eq].Trim();
            var recipientText = line[(eq + 1)..].Trim();
            if (name.Length == 0) throw AgeError.CustodianLine(source, number, "the name before = is empty");
            if (Text.CustodianNames.Problem(name) is { } why) throw AgeError.CustodianLine(source, number, $"the name is not allowed: {why}");
            if (recipientText.Length == 0) throw AgeError.CustodianLine(source, number, $"{name} has no recipient after =");

            AgeRecipient recipient;
            try
            {
                recipient = AgeRecipient.Parse(recipientText);
            }
            catch (Errors.KeyVaultException ex)
            {
                throw AgeError.CustodianLine(source, number, $"the recipient of {name} is malformed: {ex.Message}");
            }
            var sameName = custodians.FirstOrDefault(c => Text.CustodianNames.Same(c.Name, name));
            if (sameName is not null)
                throw AgeError.CustodianLine(source, number, $"the name {name} is already used on line {sameName.Line} (names must differ, ignoring case)");
            var sameKey = custodians.FirstOrDefault(c => c.Recipient.Equals(recipient));
            if (sameKey is not null)
                throw AgeError.CustodianLine(source, number, $"{name} has the same recipient as {sameKey.Name} on line {sameKey.Line}; each custodian needs their own key");
            custodians.Add(new Custodian(name, recipient, number));
        }
        if (custodians.Count == 0) throw AgeError.CustodianFileEmpty(source);
        return custodians;
    }
}
