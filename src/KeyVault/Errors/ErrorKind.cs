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
