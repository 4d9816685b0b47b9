using System.Globalization;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Signers;
using SkiaSharp;

namespace KeyVault.Paper;

/// <summary>
/// The backup health of a signer set as one A4 landscape page a coordinator can post: the verdict, then one row per
/// signer in the set's order (who, when, which aggregate key, with a coloured mark for the standing), then the reports
/// refused. As a PDF, or as a PNG of <see cref="PngDpi"/> dots per inch (1684 × 1191 pixels). Everything on it is
/// public. Creating a chart finds the fonts; not thread-safe.
/// </summary>
/// <remarks>
/// The mark of row <c>i</c> (0 for the set's first signer) is a filled disc centred at <see cref="MarkCentre"/>, in
/// points from the page's top left corner: green for verified, amber for too old, grey for no report, red otherwise.
/// </remarks>
public sealed class HealthChart : IDisposable
{
    /// <summary>The resolution of the PNG, in dots per inch.</summary>
    public const int PngDpi = 144;

    /// <summary>A4 landscape, in points.</summary>
    internal const float Width = 841.89f;
    internal const float Height = 595.28f;

    private const float Margin = 36f;
    private const float RowsTop = 134f;
    internal const float RowHeight = 18f;
    private const float MarkRadius = 4.5f;
    private const float FooterBaseline = Height - 20f;
    private const float RefusedLeading = 10.5f;

    internal static readonly SKColor Green = new(0x1b, 0x8a, 0x3a);
    internal static readonly SKColor Amber = new(0xe8, 0x9a, 0x00);
    internal static readonly SKColor Red = new(0xc6, 0x28, 0x28);
    internal static readonly SKColor Grey = new(0x9a, 0x9a, 0x9a);
    private static readonly SKColor GreenTint = new(0xe3, 0xf4, 0xe7);
    private static readonly SKColor RedTint = new(0xfb, 0xe4, 0xe4);

    // Left edges of the columns (age is right-aligned at its edge plus width).
    private const float SignerX = Margin + 16, KeyX = 190, DrillX = 286, AgeRight = 376, StandingX = 388, ProvedX = 494, DetailX = 596;
    private const float DetailWidth = Width - Margin - DetailX;

    private readonly SheetFonts _fonts;

    /// <summary>Finds the fonts; throws <see cref="Errors.KeyVaultException"/> (OutputFailure) naming what is missing.</summary>
    public HealthChart() => _fonts = SheetRenderer.LoadFonts(SheetFonts.Load);

    internal HealthChart(SheetFonts fonts) => _fonts = fonts;

    /// <summary>The centre of row <paramref name="row"/>'s mark, in points from the top left corner.</summary>
    internal static SKPoint MarkCentre(int row) => new(Margin + 6f, RowsTop + row * RowHeight + RowHeight / 2);

    /// <summary>The chart as a one-page PDF.</summary>
    public byte[] RenderPdf(BackupHealthResult result)
    {
        Check(result);
        return PageRender.Pdf(_fonts, Width, Height, $"KeyVault backup health, signer set {result.Set.ShortFingerprint}",
            DateOnly.FromDateTime(result.Policy.AsOf.UtcDateTime), [p => Draw(p, result)]);
    }

    /// <summary>The chart as a PNG image of <see cref="PngDpi"/> dots per inch.</summary>
    public byte[] RenderPng(BackupHealthResult result)
    {
        Check(result);
        return PageRender.Png(_fonts, Width, Height, PngDpi, p => Draw(p, result), "health chart");
    }

    /// <summary>Lays the chart out on a canvas that keeps nothing; returns every mark with its extent.</summary>
    internal List<DrawnItem> Layout(BackupHealthResult result)
    {
        Check(result);
        return PageRender.Record(_fonts, Width, Height, p => Draw(p, result), audit: true)!;
    }

    // Labels and report names come from the operators' files: a letter the fonts lack would print as a box.
    private void Check(BackupHealthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var s in result.Signers) SheetFonts.RequireGlyphs(_fonts.Sans, s.Name, "a signer's label");
        foreach (var x in result.Rejected) SheetFonts.RequireGlyphs(_fonts.Sans, x.Source, "a report's name");
        if (result.Set.Network is { } network) SheetFonts.RequireGlyphs(_fonts.SansBold, network, "the network");
    }

    /// <summary>The colour of a standing's mark.</summary>
    internal static SKColor MarkColor(BackupStanding standing) => standing switch
    {
        BackupStanding.Counts => Green,
        BackupStanding.TooOld => Amber,
        BackupStanding.NoReport => Grey,
        _ => Red,
    };

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>First 8 and last 4 hex digits of a compressed key, enough to tell the keys of one set apart.</summary>
    internal static string ShortKey(string hex66) => hex66[..8] + Typography.Ellipsis + hex66[^4..];

    /// <summary>The aggregate keys whose DKG shares the drill opened, the one judged against first.</summary>
    private static string Proved(SignerHealth s, BackupHealthResult r)
    {
        if (s.Report is null) return "-";
        var keys = s.Report.Checks
            .Where(c => c.Name == DrillCheck.DkgSharesName && c.Result == DrillCheckResult.Pass && c.Subject.Length == 66 && Hex.IsHex(c.Subject))
            .Select(c => c.Subject).Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => k == r.Policy.AggregateKey.Hex66).ToList();
        if (keys.Count == 0) return "none";
        return ShortKey(keys[0]) + (keys.Count > 1 ? $" +{keys.Count - 1}" : "");
    }

    private void Draw(SheetPainter p, BackupHealthResult r)
    {
        var dot = $" {Typography.MiddleDot} ";
        var set = r.Set;
        float right = Width - Margin;
        var title = $"Backup health of signer set {set.ShortFingerprint}{dot}{set.Network ?? "network not stated"}{dot}judged {Day(r.Policy.AsOf)}";
        // 16 points, or smaller when the line would run past the right margin.
        float titleSize = Math.Min(16f, 16f * (right - Margin) / p.Measure(title, _fonts.SansBold, 16f));
        p.Text(title, Margin, 56, _fonts.SansBold, titleSize, SheetPainter.Ink);
        p.Text($"aggregate key {r.Policy.AggregateKey.Hex66}{dot}drills count up to {r.Policy.MaxAgeDays} days old{dot}"
               + $"{set.Keys.Count} signers, {r.Threshold} required", Margin, 72, _fonts.Sans, 8.5f, SheetPainter.Soft);

        var band = new SKRect(Margin, 82, right, 110);
        p.Box(band, r.MeetsThreshold ? Green : Red, r.MeetsThreshold ? GreenTint : RedTint, radius: 3f, thickness: 1f);
        var margin = r.Margin.ToString("+0;-0;0", CultureInfo.InvariantCulture);
        p.Text($"{(r.MeetsThreshold ? "MEETS THRESHOLD" : "BELOW THRESHOLD")}: {r.Verified} of {set.Keys.Count} signers verified, "
               + $"threshold {r.Threshold}, margin {margin}", Margin + 10, 101, _fonts.SansBold, 13, SheetPainter.Ink);

        float head = RowsTop - 6;
        p.Caps("SIGNER", SignerX, head, SheetPainter.Muted);
        p.Caps("KEY", KeyX, head, SheetPainter.Muted);
        p.Caps("DRILL", DrillX, head, SheetPainter.Muted);
        p.Caps("AGE", AgeRight, head, SheetPainter.Muted, align: SKTextAlign.Right);
        p.Caps("STANDING", StandingX, head, SheetPainter.Muted);
        p.Caps("DKG SHARES OF", ProvedX, head, SheetPainter.Muted);
        p.Caps("DETAIL", DetailX, head, SheetPainter.Muted);
        p.Line(Margin, RowsTop - 2, right, RowsTop - 2, SheetPainter.Hairline);

        for (int i = 0; i < r.Signers.Count; i++)
        {
            var s = r.Signers[i];
            float top = RowsTop + i * RowHeight, baseline = top + 12.5f;
            var centre = MarkCentre(i);
            p.Disc(centre.X, centre.Y, MarkRadius, MarkColor(s.Standing));
            p.Text(Clip(p, s.Name, _fonts.Sans, 9, KeyX - SignerX - 8), SignerX, baseline, _fonts.Sans, 9, SheetPainter.Ink);
            p.Text(ShortKey(s.Key.Hex66), KeyX, baseline, _fonts.Mono, 8.5f, SheetPainter.Ink);
            p.Text(s.Report is null ? "-" : Day(s.Report.CreatedAt), DrillX, baseline, _fonts.Sans, 9, SheetPainter.Ink);
            p.Text(s.AgeDays is { } age ? age.ToString(CultureInfo.InvariantCulture) : "-", AgeRight, baseline, _fonts.Sans, 9, SheetPainter.Ink,
                SKTextAlign.Right);
            p.Text(BackupHealthResult.StandingName(s.Standing), StandingX, baseline, _fonts.SansBold, 9, SheetPainter.Ink);
            p.Text(Proved(s, r), ProvedX, baseline, _fonts.Mono, 8.5f, SheetPainter.Ink);
            p.Text(Clip(p, s.Detail, _fonts.Sans, 8, DetailWidth), DetailX, baseline, _fonts.Sans, 8, SheetPainter.Soft);
            p.Line(Margin, top + RowHeight, right, top + RowHeight, SheetPainter.Tint);
        }

        float y = RowsTop + r.Signers.Count * RowHeight + 22;
        if (r.Rejected.Count == 0)
            p.Text("No report was refused.", Margin, y, _fonts.Sans, 8.5f, SheetPainter.Muted);
        else
        {
            p.Caps($"REFUSED REPORTS ({r.Rejected.Count}): THEY COUNT FOR NOBODY", Margin, y, SheetPainter.Muted);
            y += 13;
            // The last line that fits says how many more there are when not all do.
            int room = (int)((FooterBaseline - 14 - y) / RefusedLeading) + 1;
            int shown = r.Rejected.Count <= room ? r.Rejected.Count : Math.Max(0, room - 1);
            foreach (var x in r.Rejected.Take(shown))
            {
                p.Text(Clip(p, $"{x.Source}: {x.Reason}", _fonts.Sans, 8, right - Margin), Margin, y, _fonts.Sans, 8, SheetPainter.Soft);
                y += RefusedLeading;
            }
            if (shown < r.Rejected.Count)
                p.Text($"and {r.Rejected.Count - shown} more, not shown here", Margin, y, _fonts.Sans, 8, SheetPainter.Soft);
        }

        p.Line(Margin, FooterBaseline - 10, right, FooterBaseline - 10, SheetPainter.Hairline);
        p.Text($"KeyVault {SheetRenderer.ToolVersion} backup health{dot}public data: no private key or share is shown",
            Margin, FooterBaseline, _fonts.Sans, 7, SheetPainter.Muted);
        p.Text($"signer set fingerprint {set.Fingerprint}", right, FooterBaseline, _fonts.Mono, 7, SheetPainter.Muted, SKTextAlign.Right);
    }

    /// <summary><paramref name="text"/>, cut and ended with an ellipsis when it is wider than <paramref name="width"/>.</summary>
    private static string Clip(SheetPainter p, string text, SKTypeface face, float size, float width)
    {
        if (p.Measure(text, face, size) <= width) return text;
        int n = text.Length;
        while (n > 0 && p.Measure(string.Concat(text.AsSpan(0, n), Typography.Ellipsis.ToString()), face, size) > width) n--;
        if (n > 0 && char.IsHighSurrogate(text[n - 1])) n--;
        return string.Concat(text.AsSpan(0, n), Typography.Ellipsis.ToString());
    }

    /// <inheritdoc />
    public void Dispose() => _fonts.Dispose();
}
