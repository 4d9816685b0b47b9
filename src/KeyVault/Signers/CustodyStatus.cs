using System.Globalization;
using System.Text;
using System.Text.Json;
using KeyVault.Drill;
using KeyVault.Manifest;

namespace KeyVault.Signers;

/// <summary>The status of every backup given, what did not count, and the policy.</summary>
/// <param name="Policy">What was judged against.</param>
/// <param name="Backups">One entry per backup (key and backup ID), in the order first given.</param>
/// <param name="Refused">Files not used, each with why.</param>
public sealed record CustodyStatusResult(StatusPolicy Policy, IReadOnlyList<BackupStatus> Backups, IReadOnlyList<StatusRefusal> Refused)
{
    /// <summary>True when some backup needs action (<see cref="BackupStatus.NeedsAction"/>).</summary>
    public bool NeedsAction => Backups.Any(b => b.NeedsAction);
}

/// <summary>
/// What is due across backups (docs/status.md): per backup, each custodian's last confirmed share check (from check
/// receipts), the newest drill and its outcome, what is overdue under a policy, and the hours of the day at which too
/// few custodians are at work to restore it. Reads manifests, drill reports and receipts, tells them apart by their
/// format member, and uses only authentic ones; the rest are listed with why.
/// </summary>
public static class CustodyStatus
{
    /// <summary>Judges the files given.</summary>
    /// <param name="policy">The periods and the moment judged.</param>
    /// <param name="files">Each file's name (for messages) and bytes, in the order given.</param>
    public static CustodyStatusResult Evaluate(StatusPolicy policy, IEnumerable<(string Source, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(files);
        if (policy.CheckEvery <= TimeSpan.Zero || policy.DrillEvery <= TimeSpan.Zero) throw new ArgumentException("the periods must be positive", nameof(policy));
        if (policy.WorkStartHour is < 0 or > 23 || policy.WorkEndHour <= policy.WorkStartHour || policy.WorkEndHour > 24)
            throw new ArgumentException("working hours must be a start from 0 to 23 and a later end up to 24", nameof(policy));

        var manifests = new List<(BackupManifest Manifest, string Source)>();
        var reports = new List<(DrillReport Report, string Source)>();
        var receipts = new List<(ShareCheckReceipt Receipt, string Source)>();
        var refused = new List<StatusRefusal>();
        foreach (var (source, bytes) in files)
        {
            try
            {
                switch (FormatOf(bytes))
                {
                    case BackupManifest.FormatName:
                        manifests.Add((BackupManifest.ReadAuthentic(BackupManifest.DecodeFile(bytes)), source));
                        break;
                    case DrillReport.FormatName:
                        var v = DrillReport.Verify(Encoding.UTF8.GetString(bytes));
                        if (v.Valid) reports.Add((v.Report, source));
                        else refused.Add(new(source, $"a drill report that is not authentic: {v.Problem}"));
                        break;
                    case ShareCheckReceipt.FormatName:
                        receipts.Add((ShareCheckReceipt.Read(bytes), source));
                        break;
                    default:
                        refused.Add(new(source, "not a manifest, a drill report or a share check receipt"));
                        break;
                }
            }
            catch (Errors.KeyVaultException ex)
            {
                refused.Add(new(source, ex.Message));
            }
        }

        // The newest revision of each backup is its record; older ones given beside it change nothing.
        var current = new List<(BackupManifest Manifest, string Source)>();
        foreach (var (m, source) in manifests)
        {
            int i = current.FindIndex(c => c.Manifest.Identity.PublicKey == m.Identity.PublicKey && c.Manifest.BackupId == m.BackupId);
            if (i < 0) current.Add((m, source));
            else if (m.Revision > current[i].Manifest.Revision) current[i] = (m, source);
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        var backups = current.Select(c => Judge(policy, c.Manifest, c.Source, reports, receipts, used)).ToList();
        foreach (var (receipt, source) in receipts)
            if (!used.Contains(source))
                refused.Add(new(source, $"a receipt of share {receipt.Group}-{receipt.Member} of backup {receipt.BackupId} that no current registration of the manifests given has"));
        foreach (var (report, source) in reports)
            if (!backups.Any(b => b.Manifest.Identity.PublicKey == report.Derived.PublicKey))
                refused.Add(new(source, $"a drill of key {report.Derived.Fingerprint}, which no manifest given backs up"));
        return new CustodyStatusResult(policy, backups, refused);
    }

    private static BackupStatus Judge(StatusPolicy policy, BackupManifest m, string source, List<(DrillReport Report, string Source)> reports,
        List<(ShareCheckReceipt Receipt, string Source)> receipts, HashSet<string> used)
    {
        var custodians = new List<CustodianStatus>();
        foreach (var share in m.Shares.Where(s => s.Departed is null))
        {
            var handedOut = m.History.Where(e => e.Action == "reissue" && e.Group == share.Group && e.Member == share.Member)
                .Select(e => e.At).DefaultIfEmpty(m.CreatedAt).Max();
            DateTimeOffset? last = null;
            foreach (var (r, rs) in receipts.Where(r => r.Receipt.PublicKey == m.Identity.PublicKey && r.Receipt.BackupId == m.BackupId
                                                       && r.Receipt.Commitment == share.Commitment))
            {
                used.Add(rs);
                if (last is null || r.CheckedAt > last) last = r.CheckedAt;
            }
            var due = (last ?? handedOut) + policy.CheckEvery;
            custodians.Add(new CustodianStatus(share, handedOut, last, due, policy.AsOf > due));
        }

        // A drill of the key file, or of this backup's shares; a drill of another backup's shares says nothing of this one.
        var drill = reports.Where(r => r.Report.Derived.PublicKey == m.Identity.PublicKey
                                       && (r.Report.Shares is null || r.Report.Shares.Identifier == m.BackupId))
            .OrderByDescending(r => r.Report.CreatedAt).FirstOrDefault();
        var drillDue = (drill.Report?.CreatedAt ?? m.CreatedAt) + policy.DrillEvery;
        return new BackupStatus(m, source, custodians, new DrillStatus(drill.Report, drill.Source, drillDue, policy.AsOf > drillDue),
            Coverage(policy, m));
    }

    private static CoverageStatus Coverage(StatusPolicy policy, BackupManifest m)
    {
        var held = m.Shares.Where(s => s.Departed is null).ToList();
        var zones = new Dictionary<ManifestShare, TimeZoneInfo?>();
        var without = new List<string>();
        var unknown = new List<string>();
        foreach (var s in held)
        {
            if (s.TimeZone is null) without.Add(s.Custodian);
            else if (TimeZones.Find(s.TimeZone) is { } tz) zones[s] = tz;
            else unknown.Add(s.Custodian);
        }
        var day = new DateTimeOffset(policy.AsOf.UtcDateTime.Date, TimeSpan.Zero);
        var below = new List<int>();
        for (int hour = 0; hour < 24; hour++)
        {
            var instant = day.AddHours(hour);
            bool AtWork(ManifestShare s)
            {
                if (!zones.TryGetValue(s, out var tz) || tz is null) return false;
                var local = TimeZoneInfo.ConvertTime(instant, tz);
                return local.Hour >= policy.WorkStartHour && local.Hour < policy.WorkEndHour;
            }
            int groupsReady = m.Groups.Select((g, i) => held.Count(s => s.Group == i + 1 && AtWork(s)) >= g.MemberThreshold).Count(ready => ready);
            if (groupsReady < m.GroupThreshold) below.Add(hour);
        }
        return new CoverageStatus(below, without, unknown);
    }

    private static string? FormatOf(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format", out var f)
                                                                     && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Hours of the day as ranges: "00:00-06:00, 22:00-24:00" (UTC).</summary>
    public static string HourRanges(IReadOnlyList<int> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var parts = new List<string>();
        for (int i = 0; i < hours.Count;)
        {
            int j = i;
            while (j + 1 < hours.Count && hours[j + 1] == hours[j] + 1) j++;
            parts.Add($"{hours[i]:00}:00-{hours[j] + 1:00}:00");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <summary>The status as text, one line per fact, for a terminal.</summary>
    public static IReadOnlyList<string> ToText(CustodyStatusResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var p = result.Policy;
        string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"as of {Signing.SignedDocument.FormatTime(p.AsOf)}: share checks every {p.CheckEvery.TotalDays:0} days, drills every {p.DrillEvery.TotalDays:0} days, "
            + $"working hours {p.WorkStartHour:00}:00-{p.WorkEndHour:00}:00 local",
        };
        foreach (var b in result.Backups)
        {
            var m = b.Manifest;
            lines.Add("");
            lines.Add($"backup {m.BackupId} of key {m.Identity.Fingerprint}{(m.Label is null ? "" : $" ({m.Label})")}, revision {m.Revision} ({b.Source}): "
                      + (b.NeedsAction ? "ACTION NEEDED" : "nothing due"));
            foreach (var c in b.Custodians)
            {
                var slot = ShareCheck.Slot(m.Groups.Count, c.Share.Group, c.Share.Member);
                var last = c.LastCheck is { } t ? $"last checked {Day(t)}" : $"never checked since handed out {Day(c.HandedOut)}";
                lines.Add($"  {(c.Overdue ? "OVERDUE" : "ok     ")}  share {slot} {c.Share.Custodian}: {last}; "
                          + $"{(c.Overdue ? "was due" : "next due")} {Day(c.Due)}");
            }
            var d = b.Drill;
            var drill = d.Report is { } r
                ? $"last drill {Day(r.CreatedAt)} {DrillReport.OutcomeName(r.Outcome)} ({d.Source})"
                : "never drilled";
            lines.Add($"  {(d.Overdue || d.Failed ? (d.Failed ? "FAILED " : "OVERDUE") : "ok     ")}  drill: {drill}; {(d.Overdue ? "was due" : "next due")} {Day(d.Due)}");
            var cov = b.Coverage;
            lines.Add(cov.HoursBelowThreshold.Count == 0
                ? "  ok       working hours: enough custodians to restore at every hour of the day"
                : cov.HoursBelowThreshold.Count == 24
                    ? "  note     working hours: at no hour of the day are enough custodians at work to restore"
                    : $"  note     working hours: too few custodians at work to restore at {HourRanges(cov.HoursBelowThreshold)} UTC");
            if (cov.WithoutTimeZone.Count > 0) lines.Add($"  note     no time zone recorded for {string.Join(", ", cov.WithoutTimeZone)}");
            if (cov.UnknownTimeZone.Count > 0) lines.Add($"  note     time zone not known on this system for {string.Join(", ", cov.UnknownTimeZone)}");
            foreach (var s in b.StillNeeded)
                lines.Add($"  note     backup {s.BackupId} of the previous key {Keys.PublicKey.TryParseLowerHex(s.Rotation!.PreviousPublicKey)!.Fingerprint} "
                          + "is superseded, still needed: keep its sheets");
        }
        foreach (var r in result.Refused) lines.Add($"not used: {r.Source}: {r.Reason}");
        return lines;
    }

    /// <summary>
    /// The status as a Prometheus text exposition for node_exporter's textfile collector: gauges per custodian and
    /// backup, labelled with the key's fingerprint, the backup ID, the share and the custodian's name. No secret.
    /// </summary>
    public static string ToPrometheus(CustodyStatusResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        void Metric(string name, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var (labels, value) in samples)
                text.Append(name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        static double Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds();
        string BackupLabels(BackupStatus b) => $"key=\"{Escape(b.Manifest.Identity.Fingerprint)}\",backup=\"{b.Manifest.BackupId}\"";
        string ShareLabels(BackupStatus b, CustodianStatus c) =>
            $"{BackupLabels(b)},share=\"{Escape(ShareCheck.Slot(b.Manifest.Groups.Count, c.Share.Group, c.Share.Member))}\",custodian=\"{Escape(c.Share.Custodian)}\"";
        var shares = result.Backups.SelectMany(b => b.Custodians.Select(c => (b, c))).ToList();

        Metric("keyvault_share_check_timestamp_seconds", "Time of the custodian's last confirmed share check; 0 when never.",
            shares.Select(x => (ShareLabels(x.b, x.c), x.c.LastCheck is { } t ? Seconds(t) : 0)));
        Metric("keyvault_share_check_due_timestamp_seconds", "When the custodian's next share check is due.",
            shares.Select(x => (ShareLabels(x.b, x.c), Seconds(x.c.Due))));
        Metric("keyvault_share_check_overdue", "1 when the custodian's share check is overdue.",
            shares.Select(x => (ShareLabels(x.b, x.c), x.c.Overdue ? 1.0 : 0)));
        Metric("keyvault_drill_timestamp_seconds", "Time of the backup's newest drill; 0 when never.",
            result.Backups.Select(b => (BackupLabels(b), b.Drill.Report is { } r ? Seconds(r.CreatedAt) : 0)));
        Metric("keyvault_drill_passed", "1 when the backup's newest drill passed.",
            result.Backups.Select(b => (BackupLabels(b), b.Drill.Report is { } r && r.Outcome == DrillOutcome.Passed ? 1.0 : 0)));
        Metric("keyvault_drill_due_timestamp_seconds", "When the backup's next drill is due.",
            result.Backups.Select(b => (BackupLabels(b), Seconds(b.Drill.Due))));
        Metric("keyvault_drill_overdue", "1 when the backup's drill is overdue.",
            result.Backups.Select(b => (BackupLabels(b), b.Drill.Overdue ? 1.0 : 0)));
        Metric("keyvault_restore_hours_below_threshold", "Hours of the day at which too few custodians are at work to restore the backup.",
            result.Backups.Select(b => (BackupLabels(b), (double)b.Coverage.HoursBelowThreshold.Count)));
        Metric("keyvault_superseded_backups_still_needed", "Backups of the previous key this backup supersedes that are still needed.",
            result.Backups.Select(b => (BackupLabels(b), (double)b.StillNeeded.Count)));
        Metric("keyvault_status_refused_files", "Files given to the status that did not count.", [("", result.Refused.Count)]);
        Metric("keyvault_status_timestamp_seconds", "The moment the status was judged at.", [("", Seconds(result.Policy.AsOf))]);
        return text.ToString();
    }

    // The text format's label escaping: backslash, double quote and line feed.
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
