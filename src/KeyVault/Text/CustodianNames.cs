using KeyVault.Errors;

namespace KeyVault.Text;

/// <summary>
/// The one rule for custodian names, wherever they are given (split, ceremony, answers files, a sealed split's
/// custodians file, a reissue): trimmed, 1 to <see cref="MaxLength"/> characters on one line, no unassigned or
/// invisible code point, and different from every other name of the same backup (case ignored), because names tell
/// the sheets apart in the transcript and the manifest.
/// </summary>
public static class CustodianNames
{
    /// <summary>Longest custodian name: what a share sheet prints on one line.</summary>
    public const int MaxLength = 60;

    /// <summary>Why <paramref name="name"/> (already trimmed) is not a custodian name, or null when it is one.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) return "it is empty";
        if (name.Length > MaxLength) return $"it is longer than {MaxLength} characters";
        if (name.Any(char.IsControl)) return "it holds a control character (a tab, a line break or another invisible character)";
        // An invisible or unassigned character would let two names look alike or print differently later.
        return UnicodeNfc.NewTextProblem(name);
    }

    /// <summary>True when two names would be taken for the same person: equal ignoring case.</summary>
    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name as it will be printed (trimmed); throws when it is empty, too long or unprintable.</summary>
    /// <param name="typed">The name as given.</param>
    /// <param name="whose">Whose name it is, for messages: "share 3", "share #2.1".</param>
    public static string Check(string? typed, string whose)
    {
        ArgumentNullException.ThrowIfNull(whose);
        var name = (typed ?? "").Trim();
        if (name.Length == 0) throw new KeyVaultException(ErrorKind.BadInput,
            $"the name of the custodian of {whose} is empty", "give the custodian's name as it should appear on the sheet");
        if (Problem(name) is { } why) throw new KeyVaultException(ErrorKind.BadInput,
            $"the name of the custodian of {whose} is not allowed: {why}",
            $"give a name of 1 to {MaxLength} characters on one line, without invisible characters");
        return name;
    }

    /// <summary>Throws when <paramref name="name"/> is the name of one of <paramref name="others"/>, case ignored.</summary>
    /// <param name="name">The checked name (<see cref="Check(string?, string)"/>).</param>
    /// <param name="whose">Whose name it is, for messages.</param>
    /// <param name="others">The other custodians of the backup: whose share, and their name.</param>
    public static void RequireDistinct(string name, string whose, IEnumerable<(string Whose, string Name)> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        foreach (var (otherWhose, other) in others)
            if (Same(other, name)) throw new KeyVaultException(ErrorKind.BadInput,
                $"the custodian of {whose} has the same name as the custodian of {otherWhose} ({other})",
                "names tell the sheets apart in the transcript and the manifest; add a surname or an initial");
    }

    /// <summary>The name as it will be printed (trimmed); throws when it breaks the rule or repeats an earlier name.</summary>
    /// <param name="typed">The name as given.</param>
    /// <param name="share">Its position among the shares, 1-based, for messages.</param>
    /// <param name="earlier">The names already accepted, in share order.</param>
    public static string Check(string? typed, int share, IReadOnlyList<string> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var name = Check(typed, $"share {share}");
        RequireDistinct(name, $"share {share}", earlier.Select((n, i) => ($"share {i + 1}", n)));
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
