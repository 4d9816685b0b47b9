using System.Text;
using System.Text.RegularExpressions;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Shares;
using KeyVault.Signers;
using KeyVault.Tests.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signers;

/// <summary>What is due (docs/status.md), judged at dates the tests choose.</summary>
public sealed partial class CustodyStatusTests : IDisposable
{
    private static readonly TimeSpan Days180 = TimeSpan.FromDays(180);
    private static readonly TimeSpan Days90 = TimeSpan.FromDays(90);
    private readonly SecretKey _key = ManifestTestKit.Key(TestKeys.Key1);
    private readonly ShareSet _set;
    private readonly string _manifestJson;
    private readonly BackupManifest _manifest;

    public CustodyStatusTests()
    {
        _set = ManifestTestKit.Split(_key, SplitLayout.Single(2, 3), "custody status");
        _manifestJson = BackupManifest.Create(_set,
            [
                new ManifestCustodian("Ana \"Zurich\" Silva", TimeZone: "Europe/Zurich"),
                new ManifestCustodian("Bo Tan", TimeZone: "Asia/Singapore"),
                new ManifestCustodian("Cy Hart", TimeZone: "America/New_York"),
            ], _key.PublicKey, new ManifestOptions(ManifestTestKit.SplitDate, false)).Sign(_key);
        _manifest = BackupManifest.ReadAuthentic(_manifestJson);
    }

    public void Dispose()
    {
        _set.Dispose();
        _key.Dispose();
    }

    private byte[] Receipt(int share, DateTimeOffset at) =>
        Encoding.UTF8.GetBytes(ShareCheckReceipt.Of(_manifest, ShareCheck.Against(_manifest, _set.Shares[share].Mnemonic), at).Write());

    private byte[] Report(DateTimeOffset at, bool passed = true) => Encoding.UTF8.GetBytes(new DrillReport
    {
        CreatedAt = at,
        ToolVersion = "1.0.0",
        KeyFile = new KeyFileTested("signer.kvk", new string('c', 64)),
        Expected = new DrillExpected("publicKey", _key.PublicKey.Hex66),
        Derived = _key.PublicKey.Identity(),
        Checks =
        [
            new DrillCheck(DrillCheck.IdentityName, "publicKey", DrillCheckResult.Pass, "key file"),
            new DrillCheck(DrillCheck.DkgSharesName, "02" + new string('5', 64), passed ? DrillCheckResult.Pass : DrillCheckResult.Fail, "checked"),
        ],
    }.Sign(_key));

    private CustodyStatusResult At(DateTimeOffset at, params (string, byte[])[] more) =>
        CustodyStatus.Evaluate(new StatusPolicy(Days180, Days90, at), [("manifest.json", Encoding.UTF8.GetBytes(_manifestJson)), .. more]);

    [Fact]
    public void Checks_and_drills_fall_due_from_the_receipts_and_reports_given()
    {
        var split = ManifestTestKit.SplitDate;
        var files = new[] { ("ana.json", Receipt(0, split.AddDays(100))), ("bo.json", Receipt(1, split.AddDays(150))), ("drill.json", Report(split.AddDays(60))) };

        var early = At(split.AddDays(120), files);
        var b = Assert.Single(early.Backups);
        Assert.Empty(early.Refused);
        Assert.Equal([split.AddDays(100), split.AddDays(150), null], b.Custodians.Select(c => c.LastCheck));
        Assert.Equal([split.AddDays(280), split.AddDays(330), split.AddDays(180)], b.Custodians.Select(c => c.Due));
        Assert.All(b.Custodians, c => Assert.False(c.Overdue));
        Assert.Equal(split.AddDays(150), b.Drill.Due);
        Assert.False(b.NeedsAction);

        // At day 200: Cy never checked (due 180 days after the split), and the drill of day 60 is past its 90 days.
        var late = At(split.AddDays(200), files);
        b = Assert.Single(late.Backups);
        Assert.Equal([false, false, true], b.Custodians.Select(c => c.Overdue));
        Assert.True(b.Drill.Overdue);
        Assert.True(late.NeedsAction);
        var text = string.Join("\n", CustodyStatus.ToText(late));
        Assert.Contains("OVERDUE  share #3 Cy Hart: never checked since handed out 2026-03-02; was due 2026-08-29", text);
        Assert.Contains("OVERDUE  drill: last drill 2026-05-01 pass (drill.json); was due 2026-07-30", text);

        // A newer failed drill is what counts, and it needs action even when recent.
        var failed = At(split.AddDays(120), [.. files, ("failed.json", Report(split.AddDays(110), passed: false))]);
        Assert.True(Assert.Single(failed.Backups).Drill.Failed);
        Assert.True(failed.NeedsAction);
    }

    [Fact]
    public void A_reissued_share_is_due_from_its_reissue_and_a_receipt_of_the_share_it_replaced_does_not_count()
    {
        var at = ManifestTestKit.Later;
        using var reissued = ManifestReissue.Reissue(_manifest, _set.Shares.Take(2).Select(s => s.Mnemonic).ToList(),
            new ReissueRequest(4, "Di Moss", "Cy left", TimeZone: "UTC+05:30", Replaces: 3), at, _key);
        var json = reissued.ManifestJson;
        var result = CustodyStatus.Evaluate(new StatusPolicy(Days180, Days90, at.AddDays(10)),
            [("new.json", Encoding.UTF8.GetBytes(json)), ("old.json", Encoding.UTF8.GetBytes(_manifestJson)), ("cy.json", Receipt(2, at))]);
        var b = Assert.Single(result.Backups);
        Assert.Equal("new.json", b.Source);
        Assert.Equal(["Ana \"Zurich\" Silva", "Bo Tan", "Di Moss"], b.Custodians.Select(c => c.Share.Custodian));
        Assert.Equal(at, b.Custodians[2].HandedOut);
        var refused = Assert.Single(result.Refused);
        Assert.Equal("cy.json", refused.Source);
        Assert.Contains("no current registration", refused.Reason);
    }

    [Fact]
    public void Working_hours_coverage_follows_each_time_zone_and_its_summer_time()
    {
        // 2 of 3: Zurich (09-17 local), Singapore, New York. In December two are at work together only at 08, 14 and 15 UTC.
        var winter = Assert.Single(At(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)).Backups).Coverage;
        Assert.Equal(Enumerable.Range(0, 24).Except([8, 14, 15]), winter.HoursBelowThreshold);
        // In July Zurich and New York are an hour earlier in UTC: 07, 08, 13 and 14.
        var summer = Assert.Single(At(new DateTimeOffset(2026, 7, 7, 0, 0, 0, TimeSpan.Zero)).Backups).Coverage;
        Assert.Equal(Enumerable.Range(0, 24).Except([7, 8, 13, 14]), summer.HoursBelowThreshold);
        Assert.Equal("00:00-07:00, 09:00-13:00, 15:00-24:00", CustodyStatus.HourRanges(summer.HoursBelowThreshold));
        Assert.Empty(summer.WithoutTimeZone);
        Assert.Empty(summer.UnknownTimeZone);
    }

    [Theory]
    [InlineData("UTC+05:30", 330)]
    [InlineData("UTC-3", -180)]
    [InlineData("UTC", 0)]
    [InlineData("Asia/Kolkata", 330)]
    public void Time_zones_are_iana_names_or_fixed_offsets(string name, int minutes)
    {
        var tz = TimeZones.Find(name);
        Assert.NotNull(tz);
        Assert.Equal(TimeSpan.FromMinutes(minutes), tz.GetUtcOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("UTC+25")]
    [InlineData("UTC+05:3")]
    [InlineData("UTC+")]
    public void Unknown_time_zones_are_not_guessed(string name) => Assert.Null(TimeZones.Find(name));

    [Fact]
    public void Receipts_are_checked_and_altered_files_are_listed_not_used()
    {
        var receipt = Receipt(1, ManifestTestKit.Later);
        var read = ShareCheckReceipt.Read(receipt);
        Assert.Equal((1, 2, "Bo Tan", _manifest.Shares[1].Commitment), (read.Group, read.Member, read.Custodian, read.Commitment));
        Assert.Equal(_manifest.SourceHash, read.Manifest);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(receipt).Replace("2026-09-14", "2027-09-14", StringComparison.Ordinal));
        Assert.Contains("altered", Assert.Throws<KeyVaultException>(() => ShareCheckReceipt.Read(altered)).Message);
        Assert.Throws<ArgumentException>(() => ShareCheckReceipt.Of(_manifest, ShareCheck.Against(_manifest, ManifestTestKit.Split(_key, SplitLayout.Single(2, 3), "other").Shares[0].Mnemonic), ManifestTestKit.Later));

        var forged = Report(ManifestTestKit.Later);
        forged[^20] ^= 1;
        var result = At(ManifestTestKit.Later, ("altered.json", altered), ("notes.txt", "hello"u8.ToArray()), ("forged.json", forged));
        Assert.Equal(["altered.json", "notes.txt", "forged.json"], result.Refused.Select(r => r.Source));
        Assert.All(Assert.Single(result.Backups).Custodians, c => Assert.Null(c.LastCheck));
    }

    [GeneratedRegex("""^(?:# HELP [a-z_]+ .+|# TYPE [a-z_]+ gauge|[a-z_]+(?:\{(?:[a-z_]+="(?:[^"\\\n]|\\["\\n])*",?)+\})? -?[0-9.e+]+)$""")]
    private static partial Regex ExpositionLine();

    [Fact]
    public void The_textfile_is_valid_exposition_with_escaped_labels_and_no_secret()
    {
        var result = At(ManifestTestKit.SplitDate.AddDays(200), ("bo.json", Receipt(1, ManifestTestKit.SplitDate.AddDays(150))));
        var text = CustodyStatus.ToPrometheus(result);
        Assert.EndsWith("\n", text);
        Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.Matches(ExpositionLine(), line));
        var fp = _key.PublicKey.Fingerprint;
        var id = _manifest.BackupId;
        Assert.Contains($"keyvault_share_check_overdue{{key=\"{fp}\",backup=\"{id}\",share=\"#1\",custodian=\"Ana \\\"Zurich\\\" Silva\"}} 1\n", text);
        Assert.Contains($"keyvault_share_check_overdue{{key=\"{fp}\",backup=\"{id}\",share=\"#2\",custodian=\"Bo Tan\"}} 0\n", text);
        Assert.Contains($"keyvault_share_check_timestamp_seconds{{key=\"{fp}\",backup=\"{id}\",share=\"#2\",custodian=\"Bo Tan\"}} "
                        + $"{ManifestTestKit.SplitDate.AddDays(150).ToUnixTimeSeconds()}\n", text);
        Assert.Contains($"keyvault_drill_timestamp_seconds{{key=\"{fp}\",backup=\"{id}\"}} 0\n", text);
        Assert.Contains($"keyvault_drill_overdue{{key=\"{fp}\",backup=\"{id}\"}} 1\n", text);
        Assert.Contains($"keyvault_restore_hours_below_threshold{{key=\"{fp}\",backup=\"{id}\"}} 20\n", text); // September: summer time
        foreach (var share in _set.Shares) Assert.DoesNotContain(share.Mnemonic.Split(' ')[0] + " " + share.Mnemonic.Split(' ')[1], text);
        Assert.DoesNotContain(TestKeys.Key1, text);
    }
}
