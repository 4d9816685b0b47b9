namespace KeyVault.Signers;

/// <summary>
/// Whether the operators' attestations all state one signer set, and if not, exactly which operator differs in
/// which field from the set most of them state (docs/signer-set.md, section 3).
/// </summary>
/// <param name="Agree">Every attestation is valid and states the same set.</param>
/// <param name="Lines">What to print, one finding a line.</param>
public sealed record SignerSetComparison(bool Agree, IReadOnlyList<string> Lines)
{
    /// <summary>Compares verified attestations, each with the name of its file.</summary>
    public static SignerSetComparison Of(IReadOnlyList<(string Source, SignerSetAttestationVerification Verification)> attestations)
    {
        ArgumentNullException.ThrowIfNull(attestations);
        var lines = new List<string>();
        bool agree = true;
        foreach (var (source, v) in attestations.Where(a => !a.Verification.Valid))
        {
            agree = false;
            lines.Add($"NOT VALID {source} (key {v.Signer.Fingerprint}): {v.Problem}");
        }
        var valid = attestations.Where(a => a.Verification.Valid).ToList();
        var dup = valid.GroupBy(a => a.Verification.Signer).Where(g => g.Count() > 1).ToList();
        foreach (var g in dup)
        {
            if (g.Select(a => a.Verification.Attestation.Set.Fingerprint).Distinct().Count() > 1) agree = false;
            lines.Add($"key {g.Key.Fingerprint} signed {g.Count()} attestations: {string.Join(", ", g.Select(a => a.Source))}");
        }
        if (valid.Count == 0)
            return new SignerSetComparison(false, [.. lines, "no valid attestation to compare"]);

        var groups = valid.GroupBy(a => a.Verification.Attestation.Set.Fingerprint).OrderByDescending(g => g.Count()).ToList();
        var common = groups[0].First().Verification.Attestation.Set;
        if (groups.Count == 1)
        {
            lines.Add($"{(agree ? "AGREE" : "DIFFER")}: {valid.Count} valid attestation{(valid.Count == 1 ? "" : "s")} state signer set {common.ShortFingerprint} "
                      + $"({common.Keys.Count} signers, {common.SignaturesRequired} required, network {common.Network ?? "-"})");
        }
        else
        {
            agree = false;
            lines.Add($"DIFFER: {groups.Count} different signer sets; {groups[0].Count()} of {valid.Count} state {common.ShortFingerprint}, compared against it:");
            foreach (var g in groups.Skip(1))
                foreach (var (source, v) in g)
                    foreach (var difference in Differences(common, v.Attestation.Set))
                        lines.Add($"  {source} (key {v.Signer.Fingerprint}): {difference}");
        }
        var attested = valid.Select(a => a.Verification.Signer).ToHashSet();
        var missing = common.Keys.Where(k => !attested.Contains(k)).ToList();
        if (missing.Count > 0)
            lines.Add($"not attested by {missing.Count} of the set's signers: {string.Join(", ", missing.Select(k => k.Fingerprint))}");
        return new SignerSetComparison(agree, lines);
    }

    /// <summary>Each field in which <paramref name="other"/> differs from <paramref name="common"/>, in words.</summary>
    public static IEnumerable<string> Differences(SignerSet common, SignerSet other)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(other);
        foreach (var k in common.Keys.Except(other.Keys)) yield return $"signingSet lacks {k.Hex66}";
        foreach (var k in other.Keys.Except(common.Keys)) yield return $"signingSet adds {k.Hex66}";
        if (other.SignaturesRequired != common.SignaturesRequired)
            yield return $"signaturesRequired is {other.SignaturesRequired}, not {common.SignaturesRequired}";
        if (other.AggregateKey?.Hex66 != common.AggregateKey?.Hex66)
            yield return $"aggregateKey is {other.AggregateKey?.Hex66 ?? "null"}, not {common.AggregateKey?.Hex66 ?? "null"}";
        if (other.Deployer != common.Deployer) yield return $"deployer is {other.Deployer ?? "null"}, not {common.Deployer ?? "null"}";
        if (other.Network != common.Network) yield return $"network is {other.Network ?? "null"}, not {common.Network ?? "null"}";
    }
}
