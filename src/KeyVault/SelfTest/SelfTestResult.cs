namespace KeyVault.SelfTest;

/// <summary>One known-answer check of the self-test.</summary>
/// <param name="Name">The check's stable name, e.g. "sha-256" (docs/cli.md lists them).</param>
/// <param name="Reference">Where the known answer comes from, e.g. "FIPS 180-2 B.1".</param>
/// <param name="Passed">True when the computation gave the known answer.</param>
/// <param name="Detail">On failure, what differed; on success, a short note (empty for most checks).</param>
public sealed record SelfTestCheck(string Name, string Reference, bool Passed, string Detail);

/// <summary>
/// The outcome of <see cref="SelfTests.Run(IReadOnlyList{KnownAnswerCheck})"/>: every known-answer check in the order run, and the SHA-256 of the
/// running executable, which the ceremony transcript and drill reports record.
/// </summary>
/// <param name="Checks">Every check, in the order run (the executable's hash is the last).</param>
/// <param name="ExecutablePath">The file that was hashed (the running program), or null if the runtime does not know it.</param>
/// <param name="ExecutableSha256">SHA-256 of that file, lowercase hex, or null if it could not be read.</param>
public sealed record SelfTestResult(IReadOnlyList<SelfTestCheck> Checks, string? ExecutablePath, string? ExecutableSha256)
{
    /// <summary>True when every check passed.</summary>
    public bool AllPassed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>"pass" or "fail", as the transcript and drill reports write it.</summary>
    public string Outcome => AllPassed ? "pass" : "fail";
}
