using System.Text;
using KeyVault.Cli.Infrastructure;
using KeyVault.Errors;
using KeyVault.Shares;
using Tomlyn;
using Tomlyn.Model;

namespace KeyVault.Cli.Ceremony;

/// <summary>The layout questions' rules, shared by the terminal and the answers file.</summary>
internal static class LayoutRules
{
    /// <summary>Longest custodian name: what a share sheet prints on one line.</summary>
    public const int MaxNameLength = 60;

    /// <summary>Checks a threshold on its own.</summary>
    public static void CheckThreshold(long k)
    {
        if (k is < 1 or > SplitLayout.MaxCount) throw CeremonyError.Threshold((int)Math.Clamp(k, int.MinValue, int.MaxValue));
    }

    /// <summary>Checks the custodian count against the threshold, then lets SLIP-0039's own rules have the last word.</summary>
    public static SplitLayout Layout(int k, long n)
    {
        CheckThreshold(k);
        if (n < k || n > SplitLayout.MaxCount) throw CeremonyError.CustodianCount((int)Math.Clamp(n, int.MinValue, int.MaxValue), k);
        if (k == 1 && n > 1) throw CeremonyError.ThresholdOneOfMany((int)n);
        return SplitLayout.Single(k, (int)n);
    }

    /// <summary>The name as it will be printed (trimmed); throws when it is empty, too long, unprintable or repeated.</summary>
    public static string CheckName(string? typed, int share, IReadOnlyList<string> earlier)
    {
        var name = (typed ?? "").Trim();
        if (name.Length == 0) throw CeremonyError.NameEmpty(share);
        if (name.Length > MaxNameLength || name.Any(char.IsControl)) throw CeremonyError.NameInvalid(share, MaxNameLength);
        for (int i = 0; i < earlier.Count; i++)
            if (string.Equals(earlier[i], name, StringComparison.OrdinalIgnoreCase)) throw CeremonyError.NameTwice(share, i + 1);
        return name;
    }
}

/// <summary>
/// A rehearsal's answers, from a TOML file: <c>threshold</c>, <c>custodians</c> and <c>sheet-check = "automated"</c>.
/// It answers every question the ceremony would ask at the terminal except the secret ones: it never holds a key,
/// a passphrase, dice rolls or a share. Specified in docs/ceremony.md.
/// </summary>
internal sealed class CeremonyAnswers
{
    private static readonly string[] Keys = ["threshold", "custodians", "sheet-check"];

    private CeremonyAnswers(SplitLayout layout, IReadOnlyList<string> custodians)
    {
        Layout = layout;
        Custodians = custodians;
    }

    /// <summary>The split: one group, threshold of the custodian count.</summary>
    public SplitLayout Layout { get; }

    /// <summary>Custodian names, by share number.</summary>
    public IReadOnlyList<string> Custodians { get; }

    /// <summary>Reads and checks an answers file (or standard input for "-").</summary>
    public static CeremonyAnswers Load(CliConsole console, string path)
    {
        var source = Inputs.Describe(path);
        var bytes = Inputs.ReadAll(console, path);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw CeremonyError.AnswersNotToml(source, 1, 1);
        }
        return Parse(text, source);
    }

    /// <summary>Parses the TOML text of an answers file; <paramref name="source"/> names it in errors.</summary>
    public static CeremonyAnswers Parse(string text, string source)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw CeremonyError.AnswersNotToml(source, ex.Line ?? 0, ex.Column ?? 0);
        }
        foreach (var key in table.Keys)
            if (!Keys.Contains(key)) throw CeremonyError.AnswersUnknownKey(source, key);

        if (!table.TryGetValue("sheet-check", out var check)) throw CeremonyError.AnswersMissing(source, "sheet-check");
        if (check is not "automated") throw CeremonyError.AnswersSheetCheck(source);

        if (!table.TryGetValue("threshold", out var t)) throw CeremonyError.AnswersMissing(source, "threshold");
        if (t is not long threshold) throw CeremonyError.AnswersType(source, "threshold", "a whole number");

        if (!table.TryGetValue("custodians", out var c)) throw CeremonyError.AnswersMissing(source, "custodians");
        if (c is not TomlArray array || array.Any(v => v is not string))
            throw CeremonyError.AnswersType(source, "custodians", "a list of names in quotes");

        try
        {
            LayoutRules.CheckThreshold(threshold);
            var layout = LayoutRules.Layout((int)threshold, array.Count);
            var names = new List<string>();
            foreach (var v in array) names.Add(LayoutRules.CheckName((string)v!, names.Count + 1, names));
            return new CeremonyAnswers(layout, names);
        }
        catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput)
        {
            throw CeremonyError.AnswersLayout(source, ex);
        }
    }
}
