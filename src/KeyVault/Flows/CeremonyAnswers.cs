using System.Text;
using KeyVault.Keys;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Shares;
using KeyVault.Text;
using Tomlyn;
using Tomlyn.Model;

namespace KeyVault.Flows;

/// <summary>
/// A rehearsal's answers, from a TOML file: <c>threshold</c>, <c>custodians</c>, <c>sheet-check = "automated"</c> and
/// optionally <c>shred-share-files</c>.
/// It answers every question the ceremony would ask at the terminal except the secret ones: it never holds a key,
/// a passphrase, dice rolls or a share. Specified in docs/ceremony.md.
/// </summary>
internal sealed class CeremonyAnswers
{
    private static readonly string[] Keys = ["threshold", "custodians", "sheet-check", "shred-share-files"];

    private CeremonyAnswers(SplitLayout layout, IReadOnlyList<string> custodians, bool shredShareFiles)
    {
        Layout = layout;
        Custodians = custodians;
        ShredShareFiles = shredShareFiles;
    }

    /// <summary>The answer to "shred the share files and sheets at the end?" (optional; false by default).</summary>
    public bool ShredShareFiles { get; }

    /// <summary>The split: one group, threshold of the custodian count.</summary>
    public SplitLayout Layout { get; }

    /// <summary>Custodian names, by share number.</summary>
    public IReadOnlyList<string> Custodians { get; }

    /// <summary>Reads and checks an answers file (or standard input for "-").</summary>
    public static CeremonyAnswers Load(IOperator console, string path)
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
            table = TomlModel.Read(text) ?? new TomlTable();
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

        bool shred = false;
        if (table.TryGetValue("shred-share-files", out var sh))
            shred = sh as bool? ?? throw CeremonyError.AnswersType(source, "shred-share-files", "true or false");

        try
        {
            var layout = SplitLayout.Single(threshold, array.Count);
            var names = new List<string>();
            foreach (var v in array) names.Add(CustodianNames.Check((string)v!, names.Count + 1, names));
            return new CeremonyAnswers(layout, names, shred);
        }
        catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput)
        {
            throw CeremonyError.AnswersLayout(source, ex);
        }
    }
}
