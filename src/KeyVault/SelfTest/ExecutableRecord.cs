using KeyVault.Codecs;

namespace KeyVault.SelfTest;

/// <summary>
/// What a ceremony transcript or a drill report records about the executable that wrote it: the SHA-256 of the
/// file, and whether its self-test passed. Both documents write it in their "tool" object as "executableSha256"
/// and "selfTest" ("pass" or "fail").
/// </summary>
/// <param name="Sha256">SHA-256 of the executable file, 64 lowercase hex characters.</param>
/// <param name="SelfTestPassed">True when every known-answer check of <see cref="SelfTests.Run(IReadOnlyList{KnownAnswerCheck})"/> passed.</param>
public sealed record ExecutableRecord(string Sha256, bool SelfTestPassed)
{
    /// <summary>The record of a self-test run, or null when the executable could not be hashed.</summary>
    public static ExecutableRecord? From(SelfTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ExecutableSha256 is null ? null : new ExecutableRecord(result.ExecutableSha256, result.AllPassed);
    }

    /// <summary>"pass" or "fail", the value of the "selfTest" member.</summary>
    public string SelfTestName => SelfTestPassed ? "pass" : "fail";

    /// <summary>True for 64 lowercase hex characters, the only form the documents accept.</summary>
    internal static bool IsSha256Hex(string value) => value.Length == 64 && Hex.IsHex(value) && value == value.ToLowerInvariant();
}
