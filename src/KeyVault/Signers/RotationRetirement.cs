using System.Security.Cryptography;
using System.Text;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Manifest;

namespace KeyVault.Signers;

/// <summary>
/// The rule for retiring the previous key's backup after a rotation (docs/rotation.md): only once a drill of the new
/// key proved the DKG shares of an aggregate key made with it. Such a drill report is authentic (signed by the key it
/// rebuilt), rebuilt the new key, passed, and has a passing DKG shares check whose subject is an aggregate key, a row
/// of the signer's database that the new key opens. A check of a bare blob does not count: it names no aggregate key.
/// </summary>
public static class RotationRetirement
{
    /// <summary>What <paramref name="reportBytes"/> proves for retiring a backup of the key before <paramref name="newKey"/>.</summary>
    /// <param name="reportBytes">The drill report file's bytes.</param>
    /// <param name="newKey">The key the backup rotated to.</param>
    /// <param name="source">How to name the report in an error.</param>
    /// <exception cref="KeyVaultException">
    /// DamagedFile (not a drill report, or not authentic), IdentityMismatch (a drill of another key), BadInput (the
    /// drill failed, or proved no DKG shares of an aggregate key).
    /// </exception>
    public static RotationDrill Proof(ReadOnlySpan<byte> reportBytes, PublicKey newKey, string source)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(reportBytes);
        }
        catch (DecoderFallbackException)
        {
            throw RetirementError.NotReport(source, "it is not UTF-8 text");
        }
        var verified = DrillReport.Verify(json);
        if (!verified.Valid) throw RetirementError.NotReport(source, verified.Problem ?? "its signature does not verify");
        var report = verified.Report;
        if (report.Derived.PublicKey != newKey.Hex66) throw RetirementError.OtherKey(source, report.Derived.Fingerprint, newKey.Fingerprint);
        if (report.Outcome != DrillOutcome.Passed) throw RetirementError.DrillFailed(source, DrillReport.OutcomeName(report.Outcome));
        var proved = report.Checks.FirstOrDefault(c => c.Name == DrillCheck.DkgSharesName && c.Result == DrillCheckResult.Pass
                                                       && PublicKey.TryParseLowerHex(c.Subject) is not null);
        if (proved is null)
            throw RetirementError.NoDkgProof(source, report.Checks.Any(c => c.Name == DrillCheck.DkgSharesName && c.Result == DrillCheckResult.Pass));
        return new RotationDrill(Convert.ToHexStringLower(SHA256.HashData(reportBytes)), report.CreatedAt, proved.Subject);
    }
}
