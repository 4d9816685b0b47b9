namespace KeyVault.Errors;

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
