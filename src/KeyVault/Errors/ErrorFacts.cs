namespace KeyVault.Errors;

/// <summary>The names of <see cref="KeyVaultException.Facts"/>; an error carries those that apply to it.</summary>
public static class ErrorFacts
{
    /// <summary>The file, folder or input the error is about, as the message names it.</summary>
    public const string Source = "source";
    /// <summary>The share the error is about, as the message names it ("share-2.txt", "share 3").</summary>
    public const string Share = "share";
    /// <summary>The 1-based number of a word in a share.</summary>
    public const string Word = "word";
    /// <summary>The 1-based line of a text file.</summary>
    public const string Line = "line";
    /// <summary>The 1-based column, or the 0-based character position, named in the message.</summary>
    public const string Position = "position";
    /// <summary>The field or setting of a file the error is about.</summary>
    public const string Field = "field";
    /// <summary>A count the message states (words, characters, shares).</summary>
    public const string Count = "count";

    /// <summary>Facts from name–value pairs, for the error factories.</summary>
    internal static IReadOnlyDictionary<string, string> Of(params (string Name, object Value)[] facts) =>
        facts.ToDictionary(f => f.Name, f => Convert.ToString(f.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
}
