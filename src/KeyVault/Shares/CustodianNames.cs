using KeyVault.Errors;
using KeyVault.Text;

namespace KeyVault.Shares;

/// <summary>
/// The one rule for custodian names, wherever they are given (split, ceremony, answers files): trimmed, 1 to
/// <see cref="MaxLength"/> characters on one line, and different from every earlier name of the same backup (case
/// ignored), because names tell the sheets apart in the transcript and the manifest.
/// </summary>
public static class CustodianNames
{
    /// <summary>Longest custodian name: what a share sheet prints on one line.</summary>
    public const int MaxLength = 60;

    /// <summary>The name as it will be printed (trimmed); throws when it is empty, too long, unprintable or repeated.</summary>
    /// <param name="typed">The name as given.</param>
    /// <param name="share">Its position among the shares, 1-based, for messages.</param>
    /// <param name="earlier">The names already accepted, in share order.</param>
    public static string Check(string? typed, int share, IReadOnlyList<string> earlier)
    {
        var name = (typed ?? "").Trim();
        if (name.Length == 0) throw new KeyVaultException(ErrorKind.BadInput,
            $"the name of the custodian of share {share} is empty", "give the custodian's name as it should appear on the sheet");
        if (name.Length > MaxLength || name.Any(char.IsControl)) throw new KeyVaultException(ErrorKind.BadInput,
            $"the name of the custodian of share {share} is longer than {MaxLength} characters or holds a control character",
            $"give a name of 1 to {MaxLength} characters on one line");
        // An invisible or unassigned character would let two names look alike or print differently later.
        if (UnicodeNfc.NewTextProblem(name) is { } why) throw new KeyVaultException(ErrorKind.BadInput,
            $"the name of the custodian of share {share} is not allowed: {why}", "type the name again without that character");
        for (int i = 0; i < earlier.Count; i++)
            if (string.Equals(earlier[i], name, StringComparison.OrdinalIgnoreCase)) throw new KeyVaultException(ErrorKind.BadInput,
                $"the custodian of share {share} has the same name as the custodian of share {i + 1}",
                "names tell the sheets apart in the transcript; add a surname or an initial");
        return name;
    }

    /// <summary>Checks a whole list, in share order; returns the names as they will be printed.</summary>
    public static IReadOnlyList<string> CheckAll(IEnumerable<string> names)
    {
        var checkedNames = new List<string>();
        foreach (var n in names) checkedNames.Add(Check(n, checkedNames.Count + 1, checkedNames));
        return checkedNames;
    }
}
