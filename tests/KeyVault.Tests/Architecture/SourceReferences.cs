using System.Text;
using System.Text.RegularExpressions;

namespace KeyVault.Tests.Architecture;

/// <summary>
/// Finds which KeyVault.X namespaces a C# source file names. Comments and string literals are blanked first (an
/// interpolated string's holes are code and are kept), then three forms are read: using directives, names qualified
/// from KeyVault, and X.Type where Type is a type of KeyVault.X (the way code inside namespace KeyVault.Y names a
/// sibling). X is the first segment below KeyVault: KeyVault.KeyFile.Argon2 counts as KeyFile.
/// </summary>
internal sealed partial class SourceReferences
{
    // Per folder: its types, and the names below it that can follow "Folder." (sub-namespaces such as KeyFile.Argon2).
    private readonly Dictionary<string, HashSet<string>> _typesByFolder;

    public SourceReferences(IEnumerable<(string Namespace, string Type)> types)
    {
        _typesByFolder = [];
        foreach (var (ns, type) in types)
        {
            if (!ns.StartsWith("KeyVault.", StringComparison.Ordinal)) continue;
            var segments = ns["KeyVault.".Length..].Split('.');
            if (!_typesByFolder.TryGetValue(segments[0], out var set)) _typesByFolder[segments[0]] = set = [];
            set.Add(type);
            // [Folder.Marked] names MarkedAttribute.
            if (type.EndsWith("Attribute", StringComparison.Ordinal) && type.Length > "Attribute".Length) set.Add(type[..^"Attribute".Length]);
            if (segments.Length > 1) set.Add(segments[1]);
        }
    }

    // Names may be written @Name, and C# allows white space (and comments, blanked before) around a dot.
    [GeneratedRegex(@"(?<![\w.@])(?:global\s*::\s*)?@?KeyVault\s*\.\s*@?(\w+)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"(?<![\w.:@])@?([A-Z]\w*)\s*\.\s*@?([A-Z]\w*)")]
    private static partial Regex FolderDotType();

    // A using directive inside a namespace resolves against it: "using Flows;" in namespace KeyVault.Shares.
    [GeneratedRegex(@"(?m)^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?@?([A-Z]\w*)\s*[.;]")]
    private static partial Regex RelativeUsing();

    /// <summary>Each folder named, with the 1-based line where it is first named.</summary>
    public IReadOnlyList<(string Namespace, int Line)> Find(string source)
    {
        var code = Blank(source);
        var found = new Dictionary<string, int>();
        void Add(string folder, int index)
        {
            if (!_typesByFolder.ContainsKey(folder) || found.ContainsKey(folder)) return;
            found[folder] = 1 + code.AsSpan(0, index).Count('\n');
        }
        // using directives (plain, static and alias) name KeyVault.X like any qualified name does.
        foreach (Match m in Qualified().Matches(code)) Add(m.Groups[1].Value, m.Index);
        foreach (Match m in FolderDotType().Matches(code))
            if (_typesByFolder.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
                Add(m.Groups[1].Value, m.Index);
        foreach (Match m in RelativeUsing().Matches(code)) Add(m.Groups[1].Value, m.Index);
        return found.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Value).ToList();
    }

    /// <summary>The source with comments and literal text replaced by spaces; line breaks are kept.</summary>
    internal static string Blank(string s)
    {
        var sb = new StringBuilder(s.Length);
        int i = 0;
        void Skip(int end) { for (; i < end && i < s.Length; i++) sb.Append(s[i] == '\n' ? '\n' : ' '); }
        bool lineStart = true;
        while (i < s.Length)
        {
            // A preprocessor line (#region, #if …) is not code: a quote in it opens no string.
            if (lineStart && s[i] == '#') { int e = s.IndexOf('\n', i); Skip(e < 0 ? s.Length : e); continue; }
            if (s[i] == '\n') lineStart = true;
            else if (!char.IsWhiteSpace(s[i])) lineStart = false;
            if (At(s, i, "//")) { int e = s.IndexOf('\n', i); Skip(e < 0 ? s.Length : e); continue; }
            if (At(s, i, "/*")) { int e = s.IndexOf("*/", i + 2, StringComparison.Ordinal); Skip(e < 0 ? s.Length : e + 2); continue; }
            if (s[i] == '\'') { int e = CharLiteralEnd(s, i); if (e > i) { Skip(e); continue; } }
            int prefix = 0;
            bool interpolated = false, verbatim = false;
            while (i + prefix < s.Length && s[i + prefix] is '$' or '@')
            {
                if (s[i + prefix] == '$') interpolated = true; else verbatim = true;
                prefix++;
            }
            if (i + prefix < s.Length && s[i + prefix] == '"' && (prefix == 0 || !IsIdentifierChar(s, i - 1)))
            {
                String(s, ref i, sb, prefix, interpolated, verbatim);
                continue;
            }
            sb.Append(s[i]);
            i++;
        }
        return sb.ToString();
    }

    private static void String(string s, ref int i, StringBuilder sb, int prefix, bool interpolated, bool verbatim)
    {
        int start = i;
        int q = i + prefix, quotes = 0;
        while (q + quotes < s.Length && s[q + quotes] == '"') quotes++;
        bool raw = quotes >= 3;
        int dollars = s.AsSpan(start, prefix).Count('$');
        int j = q + (raw ? quotes : 1);
        var holes = new List<(int From, int To)>();
        while (j < s.Length)
        {
            char c = s[j];
            if (raw && At(s, j, new string('"', quotes))) { j += quotes; break; }
            if (!raw && !verbatim && c == '\\') { j += 2; continue; }
            // A regular string cannot span lines: an unclosed quote (in an inactive #if region, say) ends at the line end.
            if (!raw && !verbatim && c == '\n') break;
            if (!raw && c == '"')
            {
                if (verbatim && j + 1 < s.Length && s[j + 1] == '"') { j += 2; continue; }
                j++;
                break;
            }
            if (interpolated && c == '{')
            {
                int open = raw ? Math.Max(dollars, 1) : 1;
                if (!raw && j + 1 < s.Length && s[j + 1] == '{') { j += 2; continue; }
                if (raw && !At(s, j, new string('{', open))) { j++; continue; }
                int from = j + open, depth = 1, k = from;
                // The hole is code: its strings, chars and comments are lexed, so a brace inside them does not count.
                while (k < s.Length && depth > 0)
                {
                    if (s[k] == '"' || ((s[k] == '$' || s[k] == '@') && k + 1 < s.Length && (s[k + 1] == '"' || s[k + 1] is '$' or '@')))
                    {
                        int p = 0;
                        bool innerDollar = false, innerAt = false;
                        while (k + p < s.Length && s[k + p] is '$' or '@') { if (s[k + p] == '$') innerDollar = true; else innerAt = true; p++; }
                        if (k + p < s.Length && s[k + p] == '"')
                        {
                            var nested = new StringBuilder();
                            String(s, ref k, nested, p, innerDollar, innerAt);
                            continue;
                        }
                    }
                    if (s[k] == '\'') { int e = CharLiteralEnd(s, k); if (e > k) { k = e; continue; } }
                    if (At(s, k, "/*")) { int e = s.IndexOf("*/", k + 2, StringComparison.Ordinal); k = e < 0 ? s.Length : e + 2; continue; }
                    if (s[k] == '{') depth++;
                    else if (s[k] == '}') depth--;
                    k++;
                }
                holes.Add((from, k - 1));
                j = k;
                continue;
            }
            j++;
        }
        // Blank the literal, then put the holes' code back in place.
        int end = Math.Min(j, s.Length);
        var span = new char[end - start];
        for (int k = start; k < end; k++) span[k - start] = s[k] == '\n' ? '\n' : ' ';
        foreach (var (from, to) in holes)
        {
            // A hole is an expression: blanked on its own, so its strings and comments are blanked too.
            var hole = Blank(s[from..Math.Min(to, end)]);
            hole.CopyTo(0, span, from - start, hole.Length);
        }
        sb.Append(span);
        i = end;
    }

    private static int CharLiteralEnd(string s, int i)
    {
        if (i + 2 < s.Length && s[i + 1] != '\\' && s[i + 2] == '\'') return i + 3;
        if (i + 1 < s.Length && s[i + 1] == '\\')
        {
            int e = s.IndexOf('\'', i + 3);
            return e < 0 || e - i > 12 ? -1 : e + 1;
        }
        return -1;
    }

    private static bool IsIdentifierChar(string s, int i) => i >= 0 && (char.IsLetterOrDigit(s[i]) || s[i] == '_');

    private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;
}
