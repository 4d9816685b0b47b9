using System.Text;
using System.Text.Json;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.Signing;

namespace KeyVault.Signers;

/// <summary>What backup health judges against.</summary>
/// <param name="AggregateKey">The current aggregate key: a report counts only if it proved this key's DKG shares.</param>
/// <param name="MaxAgeDays">The oldest a drill may be, in whole days before <paramref name="AsOf"/>.</param>
/// <param name="AsOf">The moment judged (now, or a chosen date).</param>
public sealed record HealthPolicy(PublicKey AggregateKey, int MaxAgeDays, DateTimeOffset AsOf);

/// <summary>Where one signer's backup stands.</summary>
public enum BackupStanding
{
    /// <summary>A passed drill, of the current aggregate key's DKG shares, within the age limit: it counts.</summary>
    Counts,

    /// <summary>The newest drill is too old.</summary>
    TooOld,

    /// <summary>The drill proved the DKG shares of another aggregate key only.</summary>
    OtherAggregateKey,

    /// <summary>The drill proved the key but no DKG shares.</summary>
    NoDkgProof,

    /// <summary>The drill failed.</summary>
    Failed,

    /// <summary>No valid report from this signer.</summary>
    NoReport,
}

/// <summary>Whether a report names the signer set judged.</summary>
public enum SetMatch
{
    /// <summary>The report records no signer set.</summary>
    NotRecorded,

    /// <summary>The report was made against this set.</summary>
    Same,

    /// <summary>The report was made against another set (another fingerprint).</summary>
    Other,
}

/// <summary>One signer's line.</summary>
/// <param name="Key">The signer's public key.</param>
/// <param name="Name">Its label, or its fingerprint.</param>
/// <param name="Report">The report judged (the newest that counts, else the newest), or null.</param>
/// <param name="Source">Where that report came from.</param>
/// <param name="Standing">Where the backup stands.</param>
/// <param name="AgeDays">The report's age in whole days, or null.</param>
/// <param name="Set">Whether the report names this set.</param>
/// <param name="Detail">Why, in words.</param>
public sealed record SignerHealth(PublicKey Key, string Name, DrillReport? Report, string? Source, BackupStanding Standing, int? AgeDays,
    SetMatch Set, string Detail);

/// <summary>A report that is not counted for anyone, and why.</summary>
/// <param name="Source">Where it came from.</param>
/// <param name="Signer">The key it names as its signer, when it could be read.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record RejectedReport(string Source, PublicKey? Signer, string Reason);

/// <summary>The verdict across the set.</summary>
/// <param name="Set">The set judged.</param>
/// <param name="Policy">What it was judged against.</param>
/// <param name="Signers">One line per key of the set, in the set's order.</param>
/// <param name="Rejected">The reports that count for nobody.</param>
public sealed record BackupHealthResult(SignerSet Set, HealthPolicy Policy, IReadOnlyList<SignerHealth> Signers, IReadOnlyList<RejectedReport> Rejected)
{
    /// <summary>How many signers hold a backup that counts.</summary>
    public int Verified => Signers.Count(s => s.Standing == BackupStanding.Counts);

    /// <summary>The signatures required.</summary>
    public int Threshold => Set.SignaturesRequired;

    /// <summary>Verified minus the threshold: how many more verified backups could be lost before the set falls below it.</summary>
    public int Margin => Verified - Threshold;

    /// <summary>True when at least the threshold hold a verified backup.</summary>
    public bool MeetsThreshold => Verified >= Threshold;

    /// <summary>The standing's name in text and JSON.</summary>
    public static string StandingName(BackupStanding standing) => standing switch
    {
        BackupStanding.Counts => "verified",
        BackupStanding.TooOld => "too-old",
        BackupStanding.OtherAggregateKey => "other-aggregate-key",
        BackupStanding.NoDkgProof => "no-dkg-proof",
        BackupStanding.Failed => "failed",
        _ => "no-report",
    };

    /// <summary>
    /// The result as indented JSON (docs/signer-set.md, section 4): the verdict, <c>perSigner</c> in the set's order and
    /// the <c>refused</c> reports.
    /// </summary>
    public string ToJson()
    {
        var r = this;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("signerSet", r.Set.Fingerprint);
            w.WriteString("aggregateKey", r.Policy.AggregateKey.Hex66);
            w.WriteString("asOf", SignedDocument.FormatTime(r.Policy.AsOf));
            w.WriteNumber("maxAgeDays", r.Policy.MaxAgeDays);
            w.WriteNumber("signers", r.Set.Keys.Count);
            w.WriteNumber("threshold", r.Threshold);
            w.WriteNumber("verified", r.Verified);
            w.WriteNumber("margin", r.Margin);
            w.WriteBoolean("meetsThreshold", r.MeetsThreshold);
            w.WriteStartArray("perSigner");
            foreach (var s in r.Signers)
            {
                w.WriteStartObject();
                w.WriteString("publicKey", s.Key.Hex66);
                w.WriteString("name", s.Name);
                w.WriteString("standing", StandingName(s.Standing));
                if (s.Report is null) w.WriteNull("drilledAt");
                else w.WriteString("drilledAt", SignedDocument.FormatTime(s.Report.CreatedAt));
                if (s.AgeDays is { } a) w.WriteNumber("ageDays", a);
                else w.WriteNull("ageDays");
                if (s.Report is null) w.WriteNull("outcome");
                else w.WriteString("outcome", DrillReport.OutcomeName(s.Report.Outcome));
                w.WriteString("set", s.Set switch { SetMatch.Same => "same", SetMatch.Other => "other", _ => "not-recorded" });
                w.WriteString("report", s.Source);
                w.WriteString("detail", s.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("refused");
            foreach (var x in r.Rejected)
            {
                w.WriteStartObject();
                w.WriteString("report", x.Source);
                if (x.Signer is null) w.WriteNull("signer");
                else w.WriteString("signer", x.Signer.Hex66);
                w.WriteString("reason", x.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    return Encoding.UTF8.GetString(stream.ToArray());
    }
}
