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
    public KeyVaultException(ErrorKind kind, string message, string? hint = null, Exception? inner = null, string? code = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
        Code = code;
    }

    /// <summary>The failure class, which decides the exit code.</summary>
    public ErrorKind Kind { get; }

    /// <summary>One sentence telling the operator what to do, or null. It names no option or command of a front end.</summary>
    public string? Hint { get; }

    /// <summary>
    /// A stable name for errors a front end may explain in its own terms (e.g. which option gives a passphrase in a
    /// file), or null. The codes are listed in <see cref="ErrorCodes"/>.
    /// </summary>
    public string? Code { get; }
}
