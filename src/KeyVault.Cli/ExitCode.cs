using KeyVault.Errors;

namespace KeyVault.Cli;

/// <summary>Every exit code keyvault returns, defined once. docs/cli.md documents the same table.</summary>
internal static class ExitCode
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;
    /// <summary>The command line is wrong: unknown option, missing value, options that exclude each other.</summary>
    public const int Usage = 1;
    /// <summary>Bad input: malformed key, config, share or parameter.</summary>
    public const int BadInput = 2;
    /// <summary>Decryption failed: wrong passphrase, or a damaged file only the authentication tag reveals.</summary>
    public const int AuthenticationFailed = 3;
    /// <summary>A file is damaged or in a format this version does not accept.</summary>
    public const int DamagedFile = 4;
    /// <summary>A file asks for more key-derivation work than the caps allow.</summary>
    public const int CostTooHigh = 5;
    /// <summary>An output could not be written, or exists already.</summary>
    public const int OutputFailure = 6;
    /// <summary>The operator cancelled at a prompt.</summary>
    public const int Cancelled = 7;
    /// <summary>Drill: the backup rebuilds a different key than expected; combine: a key other than the share files name.</summary>
    public const int IdentityMismatch = 8;
    /// <summary>Drill and combine: the backup could not be rebuilt (too few shares, shares that do not belong or fit together).</summary>
    public const int RebuildFailed = 9;
    /// <summary>Drill: the key matches the expected identity but does not open a DKG shares blob given with --dkg-db or --dkg-blob.</summary>
    public const int DkgSharesNotOpened = 10;
    /// <summary>self-test: a known-answer check failed (the executable computes something other than the standard's answer).</summary>
    public const int SelfTestFailed = 11;
    /// <summary>drill verify-report: the report is authentic, but the drill it records did not pass.</summary>
    public const int DrillReportedFailure = 12;
    /// <summary>share check: the share belongs to a backup the manifest retires; the sheet must be destroyed.</summary>
    public const int ShareRetired = 13;
    /// <summary>
    /// Everything asked for was done and every file is in place, but a line could not be written to standard error (a
    /// full disk, an I/O error, a closed stream), so the report is incomplete.
    /// </summary>
    public const int ReportLost = 14;
    /// <summary>set health: fewer signers than the signatures required hold a drill-verified backup of the aggregate key.</summary>
    public const int BelowThreshold = 15;
    /// <summary>set compare: the attestations do not all state the same signer set, or one of them is not valid.</summary>
    public const int SetsDiffer = 16;
    /// <summary>sign verify-vote: the signature is not the given key's vote on the given SIP; rotate verify: a signature of the statement is missing or does not hold.</summary>
    public const int InvalidSignature = 17;
    /// <summary>status: a share check or a drill is overdue, or a backup's newest drill failed.</summary>
    public const int Due = 18;
    /// <summary>A bug: an unexpected internal error (details are not printed, to keep secrets out of the terminal).</summary>
    public const int InternalError = 70;

    /// <summary>The exit code for a library error kind.</summary>
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Usage => Usage,
        ErrorKind.BadInput => BadInput,
        ErrorKind.AuthenticationFailed => AuthenticationFailed,
        ErrorKind.DamagedFile => DamagedFile,
        ErrorKind.CostTooHigh => CostTooHigh,
        ErrorKind.OutputFailure => OutputFailure,
        ErrorKind.Cancelled => Cancelled,
        ErrorKind.IdentityMismatch => IdentityMismatch,
        ErrorKind.RebuildFailed => RebuildFailed,
        ErrorKind.DkgSharesNotOpened => DkgSharesNotOpened,
        _ => InternalError,
    };
}
