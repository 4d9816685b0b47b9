using System.Globalization;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Signers;
using KeyVault.Tests.Support;
using SkiaSharp;

namespace KeyVault.Tests.Paper;

/// <summary>The backup-health chart: its PNG's pixels, its PDF's text, and its layout with a full set of 16 signers.</summary>
public class HealthChartTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 23, 59, 59, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SecretKey Key(int n)
    {
        var bytes = new byte[32];
        bytes[30] = 0x5a;
        bytes[31] = (byte)n;
        return SecretKey.FromBytes(bytes);
    }

    private static readonly PublicKey Aggregate = PublicOf(200);
    private static readonly PublicKey OtherAggregate = PublicOf(201);

    private static PublicKey PublicOf(int n)
    {
        using var key = Key(n);
        return key.PublicKey;
    }

    // A signed report whose checks give the standing asked for (NoReport: none).
    private static string? Report(SecretKey key, BackupStanding standing)
    {
        var identity = new DrillCheck(DrillCheck.IdentityName, "publicKey", DrillCheckResult.Pass, "same key");
        DrillCheck Dkg(PublicKey aggregate, DrillCheckResult result) => new(DrillCheck.DkgSharesName, aggregate.Hex66, result, "checked");
        var (days, checks) = standing switch
        {
            BackupStanding.Counts => (10, new[] { identity, Dkg(Aggregate, DrillCheckResult.Pass) }),
            BackupStanding.TooOld => (120, [identity, Dkg(Aggregate, DrillCheckResult.Pass)]),
            BackupStanding.OtherAggregateKey => (5, [identity, Dkg(OtherAggregate, DrillCheckResult.Pass)]),
            BackupStanding.NoDkgProof => (5, [identity]),
            BackupStanding.Failed => (5, [identity, Dkg(Aggregate, DrillCheckResult.Fail)]),
            _ => (0, Array.Empty<DrillCheck>()),
        };
        if (checks.Length == 0) return null;
        return new DrillReport
        {
            CreatedAt = AsOf.AddDays(-days).AddHours(-12),
            ToolVersion = "1.0.0",
            KeyFile = new KeyFileTested("signer.kvk", new string('b', 64)),
            Expected = new DrillExpected("publicKey", key.PublicKey.Hex66),
            Derived = key.PublicKey.Identity(),
            Checks = checks,
        }.Sign(key);
    }

    /// <summary>
    /// A set of <paramref name="count"/> signers (threshold <paramref name="threshold"/>) whose standings cycle through
    /// <paramref name="standings"/> by key number, plus <paramref name="refused"/> reports that count for nobody.
    /// Returns the result and each key's intended standing.
    /// </summary>
    private static (BackupHealthResult Result, Dictionary<PublicKey, BackupStanding> Expected) Build(
        int count, int threshold, BackupStanding[] standings, int refused = 1, string? network = "regtest")
    {
        var expected = new Dictionary<PublicKey, BackupStanding>();
        var reports = new List<(string, string)>();
        var labels = new Dictionary<string, string>();
        for (int i = 0; i < count; i++)
        {
            using var key = Key(i + 1);
            var standing = standings[i % standings.Length];
            expected[key.PublicKey] = standing;
            if (i % 2 == 0) labels[key.PublicKey.Hex66] = $"operator-{i + 1:00} (Zürich office, second floor)";
            if (Report(key, standing) is { } json) reports.Add(($"reports/signer-{i + 1:00}.json", json));
        }
        for (int i = 0; i < refused; i++) reports.Add(($"reports/broken-{i + 1:00}.json", "{ not a report"));
        var set = new SignerSet
        {
            Keys = SignerSet.Sorted(expected.Keys),
            SignaturesRequired = threshold,
            AggregateKey = Aggregate,
            Network = network,
            Labels = labels,
        };
        return (BackupHealth.Evaluate(set, new HealthPolicy(Aggregate, 90, AsOf), reports), expected);
    }

    private static readonly BackupStanding[] EveryStanding =
        [BackupStanding.Counts, BackupStanding.TooOld, BackupStanding.OtherAggregateKey, BackupStanding.NoDkgProof, BackupStanding.Failed, BackupStanding.NoReport];

    // The colour families of the marks, judged from the pixel alone (not from the chart's own constants).
    private static string Family(SKColor c)
    {
        if (c.Green > c.Red + 60 && c.Green > c.Blue + 60) return "green";
        if (c.Red > 200 && c.Green is > 120 and < 190 && c.Blue < 60) return "amber";
        if (c.Red > 160 && c.Green < 80 && c.Blue < 80) return "red";
        if (Math.Abs(c.Red - c.Green) < 8 && Math.Abs(c.Green - c.Blue) < 8 && c.Red is > 110 and < 190) return "grey";
        return $"unexpected {c}";
    }

    private static string FamilyOf(BackupStanding s) => s switch
    {
        BackupStanding.Counts => "green",
        BackupStanding.TooOld => "amber",
        BackupStanding.NoReport => "grey",
        _ => "red",
    };

    private static void AssertMarks(byte[] png, BackupHealthResult result, Dictionary<PublicKey, BackupStanding> expected)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        // A4 landscape at 144 dpi: 841.89 × 595.28 points, two pixels a point.
        Assert.Equal(1684, bitmap.Width);
        Assert.Equal(1191, bitmap.Height);
        int inked = 0;
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                if (bitmap.GetPixel(x, y) != SKColors.White) inked++;
        Assert.True(inked > 2000, $"only {inked} sampled pixels are not white");

        float scale = HealthChart.PngDpi / 72f;
        for (int row = 0; row < result.Set.Keys.Count; row++)
        {
            var centre = HealthChart.MarkCentre(row);
            var pixel = bitmap.GetPixel((int)(centre.X * scale), (int)(centre.Y * scale));
            var standing = expected[result.Set.Keys[row]];
            Assert.True(FamilyOf(standing) == Family(pixel), $"row {row} ({BackupHealthResult.StandingName(standing)}): mark is {Family(pixel)}");
        }
        // Below the last row, where a further mark would be, the page is white.
        var after = HealthChart.MarkCentre(result.Set.Keys.Count);
        Assert.Equal(SKColors.White, bitmap.GetPixel((int)(after.X * scale), (int)(after.Y * scale) + 4));
    }

    [Fact]
    public void Png_has_the_page_size_and_each_rows_mark_has_the_colour_of_its_signers_standing()
    {
        var (result, expected) = Build(6, 3, EveryStanding);
        Assert.Equal(EveryStanding.Order(), result.Signers.Select(s => s.Standing).Order());
        using var chart = new HealthChart();
        AssertMarks(chart.RenderPng(result), result, expected);
    }

    [Theory]
    [InlineData("regtest")]
    [InlineData(null)] // the longest title: "network not stated"
    public void Sixteen_signers_and_many_refused_reports_fit_the_page_without_overlap(string? network)
    {
        var (result, expected) = Build(SignerSet.MaxSigners, 11, EveryStanding, refused: 40, network: network);
        using var chart = new HealthChart();
        AssertMarks(chart.RenderPng(result), result, expected);

        var items = chart.Layout(result);
        var texts = items.Where(i => i.Kind == DrawnKind.Text).ToList();
        foreach (var t in texts)
            Assert.True(t.Box.Left >= 30 && t.Box.Right <= HealthChart.Width - 30 && t.Box.Top >= 20 && t.Box.Bottom <= HealthChart.Height - 12,
                $"'{t.What}' at {t.Box} leaves the page's margins");
        for (int a = 0; a < texts.Count; a++)
            for (int b = a + 1; b < texts.Count; b++)
                Assert.False(SKRect.Intersect(texts[a].Box, texts[b].Box) is { Width: > 0.5f, Height: > 0.5f },
                    $"'{texts[a].What}' overlaps '{texts[b].What}'");
        // Every signer's row is there, each with its standing's word, and the refused list ends with how many were left out.
        foreach (var s in result.Signers)
            Assert.Contains(texts, t => t.What == BackupHealthResult.StandingName(s.Standing)
                                        && Math.Abs(t.Box.MidY - HealthChart.MarkCentre(result.Signers.ToList().IndexOf(s)).Y) < HealthChart.RowHeight / 2);
        var more = Assert.Single(texts, t => t.What.StartsWith("and ", StringComparison.Ordinal));
        int shown = texts.Count(t => t.What.StartsWith("reports/broken-", StringComparison.Ordinal));
        Assert.True(shown >= 3, $"only {shown} refused reports are listed");
        Assert.StartsWith($"and {40 - shown} more", more.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_is_one_page_whose_text_has_the_verdict_every_standing_and_the_short_fingerprint()
    {
        var pdfinfo = External.RequireTool("pdfinfo", "poppler-utils");
        _ = External.RequireTool("pdftotext", "poppler-utils");
        var (result, _) = Build(6, 3, EveryStanding, refused: 2);
        using var chart = new HealthChart();
        var path = _dir.File("health.pdf");
        File.WriteAllBytes(path, chart.RenderPdf(result));

        var (code, info, stderr) = External.Run(pdfinfo, path);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^Pages:\s+1$", info);

        var text = SheetTools.PdfText(path);
        Assert.Contains("BELOW THRESHOLD: 1 of 6 signers verified, threshold 3, margin -2", text, StringComparison.Ordinal);
        Assert.Contains(result.Set.ShortFingerprint, text, StringComparison.Ordinal);
        Assert.Contains("regtest", text, StringComparison.Ordinal);
        Assert.Contains("judged 2026-12-01", text, StringComparison.Ordinal);
        foreach (var standing in EveryStanding)
            Assert.Contains(BackupHealthResult.StandingName(standing), text, StringComparison.Ordinal);
        foreach (var s in result.Signers)
            Assert.Contains(HealthChart.ShortKey(s.Key.Hex66), text, StringComparison.Ordinal);
        Assert.Contains("reports/broken-02.json: not a well-formed drill report", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{result.Signers.Single(s => s.Standing == BackupStanding.TooOld).AgeDays}"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_that_meets_its_threshold_says_so_with_a_signed_margin()
    {
        var (result, _) = Build(4, 2, [BackupStanding.Counts, BackupStanding.Counts, BackupStanding.Counts, BackupStanding.NoReport], refused: 0);
        using var chart = new HealthChart();
        var texts = chart.Layout(result).Where(i => i.Kind == DrawnKind.Text).Select(i => i.What).ToList();
        Assert.Contains("MEETS THRESHOLD: 3 of 4 signers verified, threshold 2, margin +1", texts);
        Assert.Contains("No report was refused.", texts);
    }
}
