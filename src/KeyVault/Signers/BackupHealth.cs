using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;

namespace KeyVault.Signers;

/// <summary>
/// Backup health across a signer set: from the signers' signed drill reports, how many hold a drill-verified backup
/// of the current aggregate key's DKG shares within the age limit, against the signatures required
/// (docs/signer-set.md, section 4). Everything read is public; nothing is opened.
/// </summary>
public static class BackupHealth
{
    /// <summary>Judges every report against <paramref name="set"/> and <paramref name="policy"/>.</summary>
    public static BackupHealthResult Evaluate(SignerSet set, HealthPolicy policy, IEnumerable<(string Source, string Json)> reports)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reports);
        var rejected = new List<RejectedReport>();
        var bySigner = new Dictionary<PublicKey, List<(string Source, DrillReport Report)>>();
        foreach (var (source, json) in reports)
        {
            DrillReportVerification v;
            try
            {
                v = DrillReport.Verify(json);
            }
            catch (KeyVaultException ex)
            {
                rejected.Add(new RejectedReport(source, null, $"not a well-formed drill report: {ex.Message}"));
                continue;
            }
            if (!v.SignatureValid)
                rejected.Add(new RejectedReport(source, v.Signer, $"forged or changed: {v.Problem}"));
            else if (!v.SignerIsDerivedIdentity)
                rejected.Add(new RejectedReport(source, v.Signer, $"signed by key {v.Signer.Fingerprint}, not by the key the drill rebuilt"));
            else if (!set.Contains(v.Signer))
                rejected.Add(new RejectedReport(source, v.Signer, $"signed by key {v.Signer.Fingerprint} ({v.Signer.Hex66}), which is not in the signer set"));
            else if (v.Report.CreatedAt > policy.AsOf)
                rejected.Add(new RejectedReport(source, v.Signer, $"dated {v.Report.CreatedAt:yyyy-MM-dd}, after the date judged ({policy.AsOf:yyyy-MM-dd})"));
            else
            {
                if (!bySigner.TryGetValue(v.Signer, out var list)) bySigner[v.Signer] = list = [];
                list.Add((source, v.Report));
            }
        }

        var signers = set.Keys.Select(key =>
        {
            if (!bySigner.TryGetValue(key, out var list))
                return new SignerHealth(key, set.NameOf(key), null, null, BackupStanding.NoReport, null, SetMatch.NotRecorded,
                    "no valid drill report");
            var judged = list.Select(r => (r.Source, r.Report, Judge(r.Report, set, policy)))
                .OrderByDescending(r => r.Item3.Standing == BackupStanding.Counts).ThenByDescending(r => r.Report.CreatedAt).First();
            var (standing, detail) = judged.Item3;
            return new SignerHealth(key, set.NameOf(key), judged.Report, judged.Source, standing, AgeDays(judged.Report, policy), MatchOf(judged.Report, set), detail);
        }).ToList();
        return new BackupHealthResult(set, policy, signers, rejected);
    }

    private static int AgeDays(DrillReport report, HealthPolicy policy) => (int)Math.Floor((policy.AsOf - report.CreatedAt).TotalDays);

    private static SetMatch MatchOf(DrillReport report, SignerSet set) =>
        report.SignerSet is null ? SetMatch.NotRecorded : report.SignerSet.Fingerprint == set.Fingerprint ? SetMatch.Same : SetMatch.Other;

    private static (BackupStanding Standing, string Detail) Judge(DrillReport report, SignerSet set, HealthPolicy policy)
    {
        if (report.Outcome != DrillOutcome.Passed)
            return (BackupStanding.Failed, $"the drill did not pass: {DrillReport.OutcomeName(report.Outcome)}");
        var aggregate = policy.AggregateKey.Hex66;
        var proven = report.Checks.Where(c => c.Name == DrillCheck.DkgSharesName && c.Result == DrillCheckResult.Pass).Select(c => c.Subject).ToList();
        if (!proven.Contains(aggregate))
        {
            var keys = proven.Where(s => s.Length == 66 && Hex.IsHex(s)).ToList();
            return keys.Count > 0
                ? (BackupStanding.OtherAggregateKey, $"proved the DKG shares of aggregate key {string.Join(", ", keys.Select(k => k[..12] + "…"))}, not of {aggregate[..12]}…")
                : (BackupStanding.NoDkgProof, "proved the key, but no DKG shares of the aggregate key");
        }
        int age = AgeDays(report, policy);
        if (age > policy.MaxAgeDays) return (BackupStanding.TooOld, $"{age} days old; the limit is {policy.MaxAgeDays}");
        return (BackupStanding.Counts, MatchOf(report, set) == SetMatch.Other
            ? "verified, though made against another signer set" : "verified");
    }
}
