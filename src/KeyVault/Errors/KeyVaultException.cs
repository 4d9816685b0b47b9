namespace KeyVault.Errors;

/// <summary>What kind of failure a <see cref="KeyVaultException"/> reports; the CLI maps each kind to one exit code.</summary>
public enum ErrorKind
{
    /// <summary>The caller combined options or values that cannot work together.</summary>
    Usage,
    /// <summary>Input data is malformed or invalid (a key, a config file, a share, a parameter value).</summary>
    BadInput,
    /// <summary>Authenticated decryption failed: a wrong passphrase, or a damaged file whose damage only the tag can reveal.</summary>
    AuthenticationFailed,
    /// <summary>A file is not in a format this version accepts: bad magic, unknown version, non-canonical encoding, truncation, or a header that contradicts the decrypted key.</summary>
    DamagedFile,
    /// <summary>A file asks for more key-derivation work than the documented caps allow.</summary>
    CostTooHigh,
    /// <summary>An output already exists, or the file system refused a write.</summary>
    OutputFailure,
    /// <summary>The operator cancelled at a prompt.</summary>
    Cancelled,
    /// <summary>A restore drill rebuilt a key whose identity differs from the expected one.</summary>
    IdentityMismatch,
    /// <summary>A backup could not be rebuilt (bad or insufficient shares, wrong passphrase).</summary>
    RebuildFailed,
    /// <summary>A restore drill rebuilt the expected key, but it does not open a given DKG shares blob.</summary>
    DkgSharesNotOpened,
}

/// <summary>
/// The one exception type the library throws for expected failures. Messages are written for an operator,
/// name what is wrong and never contain secret material; <see cref="Hint"/> says what to do next.
/// A format may derive from it to add a finer reason (<c>KeyVault.Age.AgeException</c>); the exit code still
/// follows <see cref="Kind"/>.
/// </summary>
public class KeyVaultException : Exception
{
    /// <summary>Creates an error of the given kind.</summary>
    public KeyVaultException(ErrorKind kind, string message, string? hint = null, Exception? inner = null, string? code = null,
        IReadOnlyDictionary<string, string>? facts = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
        Code = code;
        Facts = facts ?? NoFacts;
    }

    private static readonly IReadOnlyDictionary<string, string> NoFacts = new Dictionary<string, string>();

    /// <summary>The failure class, which decides the exit code.</summary>
    public ErrorKind Kind { get; }

    /// <summary>One sentence telling the operator what to do, or null. It names no option or command of a front end.</summary>
    public string? Hint { get; }

    /// <summary>
    /// A stable name for errors a front end may explain in its own terms (e.g. which option gives a passphrase in a
    /// file), or null. The codes are listed in <see cref="ErrorCodes"/>.
    /// </summary>
    public string? Code { get; }

    /// <summary>
    /// What the message is about, by name (<see cref="ErrorFacts"/>), for a front end that points at it rather than
    /// parsing the message: which file, which share, which word or line. Every value also appears in the message, so
    /// the facts hold nothing the message does not already show, and never a secret.
    /// </summary>
    public IReadOnlyDictionary<string, string> Facts { get; }
}

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
