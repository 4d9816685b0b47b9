using KeyVault.Errors;
using KeyVault.Paper;
using KeyVault.Sheets;
using KeyVault.Tests.Support;
using SkiaSharp;

namespace KeyVault.Tests.Paper;

/// <summary>
/// Every mark on a sheet stays on the page and clear of every other: text, rules and the QR code never touch, and a
/// frame only holds text that lies wholly inside it. Checked on both paper sizes with the shortest and the longest
/// texts a sheet accepts. The extents are the glyphs' ink, as SkiaSharp measures them.
/// </summary>
public class SheetLayoutTests
{
    // The organisation and contact at their widest: text that just fits its one printed line.
    private static readonly string LongOrg = "INTERNATIONAL SIGNER OPERATIONS WORKING GROUP MAINNET MMMM";
    private static readonly string LongContact = "signer-operations-on-call-rotation@example-organisation.org";
    private static readonly string LongLabel = "sBTC signer mainnet 2026, production key";
    private static readonly string Hash = new('a', 64);
    private static readonly string LongName = "Maximiliane Alexandra von Hohenzollern";

    public static TheoryData<PaperSize, string> Cases()
    {
        var data = new TheoryData<PaperSize, string>();
        foreach (var size in Enum.GetValues<PaperSize>())
            foreach (var name in Variants.Keys) data.Add(size, name);
        return data;
    }

    private static readonly Dictionary<string, Func<ShareSheet, ShareSheet>> Variants = new()
    {
        ["plain"] = s => s,
        ["nothing recorded"] = s => s with { Custodian = null, Label = null, Origin = null },
        ["short texts"] = s => s with { Label = "signer-1", Origin = new SheetOrigin("Example Signers", "ops@example.org", "keyvault", Hash) },
        ["longest texts"] = s => s with { Custodian = LongName, Label = LongLabel, Origin = new SheetOrigin(LongOrg, LongContact, "keyvault-0.1.0-linux-x64", Hash) },
        ["groups, passphrase"] = s => s with
        {
            Group = new ShareGroup(2, 4, 2), ShareCount = 5, ShareNumber = 1, Threshold = 3, PassphraseProtected = true,
            Label = "signer-1", Origin = new SheetOrigin("Example Signers", "ops@example.org", "keyvault-0.1.0-linux-x64", Hash),
        },
        ["20 words, longest texts"] = s => s with
        {
            Words = PaperFixtures.Shares128[0].Split(' '), Label = LongLabel, Origin = new SheetOrigin(LongOrg, LongContact, "keyvault", Hash),
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NothingOnAShareSheetOverlapsOrLeavesThePage(PaperSize size, string variant)
    {
        using var renderer = new SheetRenderer();
        var sheet = Variants[variant](PaperFixtures.Share(PaperFixtures.Shares256[0]));
        AssertClear(renderer.Layout(sheet, size), size);
        MaybeWrite(renderer.RenderPng(sheet, size, 110), $"share-{size}-{variant}");
    }

    [Theory]
    [InlineData(PaperSize.A4, 1, false)]
    [InlineData(PaperSize.Letter, 1, false)]
    [InlineData(PaperSize.A4, 2, false)]
    [InlineData(PaperSize.Letter, 2, false)]
    [InlineData(PaperSize.A4, 1, true)]
    [InlineData(PaperSize.Letter, 1, true)]
    [InlineData(PaperSize.A4, 2, true)]
    [InlineData(PaperSize.Letter, 2, true)]
    public void NothingOnEitherPageOfASealedShareSheetOverlapsOrLeavesThePage(PaperSize size, int page, bool longest)
    {
        using var renderer = new SheetRenderer();
        using var id = KeyVault.Age.AgeIdentity.Generate();
        // 700 bytes: more than any sealed share file holds, so the armored text is at its longest.
        var armored = KeyVault.Age.AgeEncryptor.Encrypt(new byte[700], [id.Recipient], armor: true);
        var sheet = new SealedShareSheet
        {
            ArmoredLines = SealedShareSheet.Lines(armored),
            Custodian = longest ? LongName : "Alice",
            Recipient = id.Recipient.Text,
            ShareNumber = 2,
            ShareCount = 5,
            Threshold = 3,
            Identifier = 4242,
            Identity = KeyVault.Keys.PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity(),
            Date = new DateOnly(2026, 1, 2),
            Group = longest ? new ShareGroup(2, 4, 2) : null,
            Origin = longest ? new SheetOrigin(LongOrg, LongContact, "keyvault-0.1.0-linux-x64", Hash) : null,
        };
        AssertClear(renderer.Layout(sheet, size, page), size);
    }

    public static TheoryData<PaperSize, int, string> TwoCodeCases()
    {
        var data = new TheoryData<PaperSize, int, string>();
        foreach (var size in Enum.GetValues<PaperSize>())
            for (var page = 1; page <= 3; page++)
                foreach (var recipient in new[] { "post-quantum", "longest printed in full" }) data.Add(size, page, recipient);
        return data;
    }

    [Theory]
    [MemberData(nameof(TwoCodeCases))]
    public void NothingOnAnyPageOfATwoCodeSealedShareSheetOverlapsOrLeavesThePage(PaperSize size, int page, string recipient)
    {
        using var renderer = new SheetRenderer();
        // The largest armored file a sheet takes (3,323 bytes, 53 lines), with every text at its longest.
        var b64 = Convert.ToBase64String(new byte[2403]);
        var lines = new List<string> { "-----BEGIN AGE ENCRYPTED FILE-----" };
        for (var i = 0; i < b64.Length; i += 64) lines.Add(b64.Substring(i, Math.Min(64, b64.Length - i)));
        lines.Add("-----END AGE ENCRYPTED FILE-----");
        var sheet = new SealedShareSheet
        {
            ArmoredLines = lines,
            Custodian = new string('W', 60),
            // A 1,959-character age1pq1 key is printed shortened; a 300-character SSH key in full, on three lines.
            Recipient = recipient == "post-quantum"
                ? "age1pq1" + new string('q', 1952)
                : "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb1hD6ZL2E5mQ8y1b3kYw1n0Wq7Yy1Q2c9b1r4s5t6u ".PadRight(SealedShareLayout.MaxPrintedRecipientLength, 'W'),
            ShareNumber = 2,
            ShareCount = 5,
            Threshold = 3,
            Identifier = 4242,
            Identity = KeyVault.Keys.PublicKey.ParseHex(TestKeys.Key1PublicKey).Identity(),
            Date = new DateOnly(2026, 1, 2),
            Group = new ShareGroup(3, 3, 2),
            Origin = new SheetOrigin(LongOrg, LongContact, "keyvault-0.1.0-linux-x64", Hash),
        };
        Assert.Equal(3, renderer.Pages(sheet));
        var items = renderer.Layout(sheet, size, page);
        AssertClear(items, size);
        Assert.Equal(page == 1 ? 2 : 0, items.Count(i => i.Kind == DrawnKind.Qr));
        // Text keeps to the 40 pt margins, not merely to the printable area; only the codes' white quiet zones overhang.
        var width = size == PaperSize.A4 ? 595.28f : 612f;
        foreach (var text in items.Where(i => i.Kind == DrawnKind.Text))
            Assert.True(text.Box.Left >= 39 && text.Box.Right <= width - 39, $"\"{text.What}\" at {text.Box} crosses the margin");
        if (page == 2) Assert.Contains(items, i => i.What == "-----END AGE ENCRYPTED FILE-----");
    }

    [Theory]
    [InlineData(PaperSize.A4, false)]
    [InlineData(PaperSize.Letter, false)]
    [InlineData(PaperSize.A4, true)]
    [InlineData(PaperSize.Letter, true)]
    public void NothingOnAKeyFileSheetOverlapsOrLeavesThePage(PaperSize size, bool longest)
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.KeyFile();
        if (longest)
        {
            // The largest key file KeyVault writes is 8 armored lines (docs/key-file-format.md); the sheet takes up to its limit.
            var lines = PaperFixtures.ArmoredLines().ToList();
            while (lines.Count < KeyFileSheetLimits.MaxLines) lines.Insert(1, new string('A', KeyFileSheetLimits.MaxLineLength));
            sheet = sheet with { ArmoredLines = lines, Label = LongLabel, Origin = new SheetOrigin(LongOrg, LongContact, "keyvault-0.1.0-linux-x64", Hash) };
        }
        AssertClear(renderer.Layout(sheet, size), size);
        MaybeWrite(renderer.RenderPng(sheet, size, 110), $"key-{size}-{longest}");
    }

    [Fact]
    public void TheMostCrowdedSheetFitsA4AndIsRefusedOnLetterBeforeAnythingIsDrawn()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.Share(PaperFixtures.Shares256[0]) with
        {
            Group = new ShareGroup(2, 4, 2), ShareCount = 5, ShareNumber = 1, Threshold = 3, PassphraseProtected = true,
            Custodian = new string('W', 60), Label = LongLabel + " and more", Origin = new SheetOrigin(LongOrg, LongContact, "keyvault-0.1.0-linux-x64", Hash),
        };
        AssertClear(renderer.Layout(sheet, PaperSize.A4), PaperSize.A4);
        var e = Assert.Throws<KeyVaultException>(() => renderer.Layout(sheet, PaperSize.Letter));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("no room", e.Message);
        Assert.Contains("A4", e.Hint);
        // Check lays a sheet out on both sizes, so a split stops before any secret is read.
        Assert.Throws<KeyVaultException>(() => renderer.Check(sheet));
    }

    [Fact]
    public void AnOrganisationTooWideForItsLineIsRefusedNamingTheField()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.Share(PaperFixtures.Shares256[0]) with { Origin = new SheetOrigin(new string('W', 100)) };
        var e = Assert.Throws<KeyVaultException>(() => renderer.Check(sheet));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("organisation", e.Message);
        Assert.Contains("printed lines", e.Message);
        Assert.DoesNotContain("--", e.Message + e.Hint);
    }

    [Theory]
    [InlineData("contact")]
    [InlineData("organisation")]
    public void ATextLongerThanTheLimitIsRefused(string field)
    {
        using var renderer = new SheetRenderer();
        var text = new string('a', SheetOrigin.MaxTextLength + 1);
        var origin = field == "contact" ? new SheetOrigin(Contact: text) : new SheetOrigin(Org: text);
        var e = Assert.Throws<KeyVaultException>(() => renderer.Check(PaperFixtures.Share(PaperFixtures.Shares256[0]) with { Origin = origin }));
        Assert.Contains(field, e.Message);
        Assert.Contains($"{SheetOrigin.MaxTextLength} characters", e.Message);
    }

    [Fact]
    public void AContactInAScriptTheFontLacksIsRefused()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.KeyFile() with { Origin = new SheetOrigin(Contact: "ops \U00010000") };
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPdf(sheet, PaperSize.A4));
        Assert.Equal(ErrorKind.OutputFailure, e.Kind);
        Assert.Contains("contact", e.Message);
    }

    [Fact]
    public void AMalformedExecutableHashIsRefused()
    {
        using var renderer = new SheetRenderer();
        var sheet = PaperFixtures.KeyFile() with { Origin = new SheetOrigin(ExecutableName: "keyvault", ExecutableSha256: "ABC") };
        var e = Assert.Throws<KeyVaultException>(() => renderer.RenderPdf(sheet, PaperSize.Letter));
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void TheAuditSeesAnOverlapWhenThereIsOne()
    {
        // The check itself must be able to fail: two texts drawn on one spot.
        var items = new List<DrawnItem>
        {
            new(DrawnKind.Text, SKRect.Create(100, 100, 50, 10), "one"),
            new(DrawnKind.Text, SKRect.Create(120, 105, 50, 10), "two"),
        };
        Assert.NotEmpty(Overlaps(items));
        Assert.Empty(Overlaps([items[0], new DrawnItem(DrawnKind.Frame, SKRect.Create(90, 95, 80, 20), "frame")]));
        Assert.NotEmpty(Overlaps([items[0], new DrawnItem(DrawnKind.Frame, SKRect.Create(90, 95, 30, 20), "frame")]));
    }

    private static void AssertClear(List<DrawnItem> items, PaperSize size)
    {
        Assert.NotEmpty(items);
        var (width, height) = size == PaperSize.A4 ? (595.28f, 841.89f) : (612f, 792f);
        // A printer cannot print the outer quarter inch; the margins are 40 pt, the QR's white quiet zone may overhang them.
        var printable = new SKRect(18, 18, width - 18, height - 18);
        foreach (var item in items)
            Assert.True(printable.Contains(item.Box), $"{item.Kind} \"{item.What}\" at {item.Box} leaves the printable area");
        var overlaps = Overlaps(items);
        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps));
    }

    private static List<string> Overlaps(List<DrawnItem> items)
    {
        var found = new List<string>();
        for (var i = 0; i < items.Count; i++)
            for (var j = i + 1; j < items.Count; j++)
            {
                var (a, b) = (items[i], items[j]);
                var both = SKRect.Intersect(a.Box, b.Box);
                if (both.IsEmpty || both.Width * both.Height < 0.01f) continue;
                if (a.Kind == DrawnKind.Frame && b.Kind == DrawnKind.Text && a.Box.Contains(b.Box)) continue;
                if (b.Kind == DrawnKind.Frame && a.Kind == DrawnKind.Text && b.Box.Contains(a.Box)) continue;
                found.Add($"{a.Kind} \"{a.What}\" {a.Box} overlaps {b.Kind} \"{b.What}\" {b.Box}");
            }
        return found;
    }

    // KEYVAULT_WRITE_LAYOUTS=DIR keeps a preview of every case, to look at.
    private static void MaybeWrite(byte[] png, string name)
    {
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_LAYOUTS") is { Length: > 0 } dir)
            File.WriteAllBytes(Path.Combine(dir, name.Replace(' ', '_').Replace(',', '_') + ".png"), png);
    }
}
