using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace KeyVault.Text;

/// <summary>
/// The ranked word lists the strength estimator matches against (WordLists/README.md says where they come from):
/// common passwords and common English words, each word with its 1-based frequency rank. Loaded once, on first use.
/// </summary>
internal static class WordLists
{
    /// <summary>Longest word in any list, in characters.</summary>
    public const int MaxWordLength = 32;

    // Looked up by span: no string is made from passphrase text. The lookups are made once, as the estimator asks for
    // every substring of the passphrase.
    private static readonly Lazy<Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[]> Lists =
        new(() => [Load("passwords").GetAlternateLookup<ReadOnlySpan<char>>(), Load("english").GetAlternateLookup<ReadOnlySpan<char>>()]);

    /// <summary>The best (lowest) rank of a lowercase ASCII word in any list, or 0 when no list holds it.</summary>
    public static int Rank(ReadOnlySpan<char> word)
    {
        int best = 0;
        foreach (var list in Lists.Value)
        {
            if (list.TryGetValue(word, out int rank) && (best == 0 || rank < best))
                best = rank;
        }
        return best;
    }

    /// <summary>How many words a list holds (for tests and the documentation's figures).</summary>
    public static int Count(int list) => Lists.Value[list].Dictionary.Count;

    private static Dictionary<string, int> Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"KeyVault.Text.WordLists.{name}.txt.z")
                           ?? throw new InvalidOperationException($"word list {name} is missing from the assembly");
        using var inflated = new ZLibStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.ASCII);
        var words = new Dictionary<string, int>(32768, StringComparer.Ordinal);
        int rank = 0;
        while (reader.ReadLine() is { } line)
            words.TryAdd(line, ++rank);
        return words;
    }
}
