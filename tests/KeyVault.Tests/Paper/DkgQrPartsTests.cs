using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Sheets;
using KeyVault.Tests.Shares;

namespace KeyVault.Tests.Paper;

/// <summary>Base45 (RFC 9285) and the numbered QR framing of docs/dkg-export-format.md, "QR framing".</summary>
public class DkgQrPartsTests
{
    private static byte[] Payload(int length, string seed = "qr parts")
    {
        var b = new byte[length];
        new DeterministicRandom(seed).Fill(b);
        return b;
    }

    [Theory]
    // RFC 9285, section 4.3 and 4.4.
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    [InlineData("", "")]
    public void Base45MatchesTheRfcExamples(string text, string encoded)
    {
        Assert.Equal(encoded, Base45.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base45.TryDecode(encoded)!));
    }

    [Theory]
    [InlineData("GGW")] // 65536: a triple over 0xFFFF
    [InlineData("U6")] // 276: a last pair over 0xFF
    [InlineData("BB8A")] // a lone last character
    [InlineData("bb8")] // lower case is not in the alphabet
    [InlineData("BB#")]
    public void Base45RejectsWhatTheRfcRejects(string text) => Assert.Null(Base45.TryDecode(text));

    [Fact]
    public void Base45RoundTripsEveryTwoByteValue()
    {
        var all = new byte[65536 * 2 + 1];
        for (int v = 0; v < 65536; v++)
        {
            all[2 * v] = (byte)(v >> 8);
            all[2 * v + 1] = (byte)(v & 0xFF);
        }
        all[^1] = 0xFF;
        Assert.Equal(all, Base45.TryDecode(Base45.Encode(all)));
    }

    [Theory]
    [InlineData(1, 640)]
    [InlineData(639, 640)]
    [InlineData(640, 640)]
    [InlineData(641, 640)]
    [InlineData(9943, 640)]
    [InlineData(100, 7)]
    [InlineData(99, 1)]
    public void SplitThenJoinGivesThePayloadBackInAnyOrder(int length, int maxPartBytes)
    {
        var payload = Payload(length);
        var parts = DkgQrParts.Split(payload, DkgPaperContent.ExportFile, maxPartBytes);
        Assert.Equal((length + maxPartBytes - 1) / maxPartBytes, parts.Count);
        for (int k = 0; k < parts.Count; k++)
        {
            Assert.StartsWith($"KVDK1-E-{k + 1:D2}-{parts.Count:D2}-{DkgQrParts.SetId(payload)}-", parts[k]);
            // Every character is in the QR alphanumeric set, so the code is drawn in alphanumeric mode.
            Assert.All(parts[k], c => Assert.Contains(c, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"));
        }
        var (content, back) = DkgQrParts.Join(parts.Reverse());
        Assert.Equal(DkgPaperContent.ExportFile, content);
        Assert.Equal(payload, back);
        // zbarimg's own line form, a repeated scan, blank lines and CRLF are all harmless.
        var scanned = parts.Select(p => "QR-Code:" + p + "\r").Concat(["", parts[0]]).OrderBy(p => p.GetHashCode());
        Assert.Equal(payload, DkgQrParts.Join(scanned).Payload);
    }

    [Fact]
    public void APrivatePartIsMarkedP()
    {
        var parts = DkgQrParts.Split(Payload(50), DkgPaperContent.PrivatePart);
        Assert.StartsWith("KVDK1-P-01-01-", parts[0]);
        Assert.Equal(DkgPaperContent.PrivatePart, DkgQrParts.Join(parts).Content);
    }

    [Fact]
    public void MissingPartsAreNamed()
    {
        var parts = DkgQrParts.Split(Payload(3000), DkgPaperContent.ExportFile);
        var ex = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join(parts.Where((_, i) => i is not (1 or 3))));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("parts 2, 4 of 5 are missing", ex.Message);
    }

    [Fact]
    public void APartWhoseNumberWasChangedFailsItsCheck()
    {
        // Swapping two parts' numbers (as a reader that trusted the order of the pages would) is caught by each part's check.
        var parts = DkgQrParts.Split(Payload(2000), DkgPaperContent.ExportFile).ToList();
        var swapped = parts[0][..8] + "02" + parts[0][10..];
        var ex = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join([swapped, parts[2], parts[3]]));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains("part 2 of 4 fails its check", ex.Message);
    }

    [Fact]
    public void PartsPutTogetherInTheWrongOrderFailTheSetChecksum()
    {
        // Even with valid per-part checks, bytes in another order than the printing's fail the set checksum: rebuild two
        // parts with each other's data under consistent headers, as a forger (or a buggy tool) would have to.
        var payload = Payload(1280);
        var parts = DkgQrParts.Split(payload, DkgPaperContent.ExportFile);
        var reordered = DkgQrParts.Split([.. payload.AsSpan(640), .. payload.AsSpan(0, 640)], DkgPaperContent.ExportFile);
        var forged = reordered.Select(p => WithSet(p, parts[0][14..22])).ToList();
        var ex = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join(forged));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains("do not match their set checksum", ex.Message);
    }

    [Fact]
    public void EveryCorruptedCharacterOfAPartIsCaught()
    {
        var parts = DkgQrParts.Split(Payload(100), DkgPaperContent.ExportFile, 60);
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for (int i = 0; i < parts[1].Length; i++)
        {
            var c = parts[1][i];
            var other = alphabet[(alphabet.IndexOf(c) + 1) % alphabet.Length];
            var damaged = parts[1][..i] + other + parts[1][(i + 1)..];
            var ex = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join([parts[0], damaged]));
            Assert.True(ex.Kind is ErrorKind.DamagedFile or ErrorKind.BadInput, $"character {i}: {ex.Kind}");
        }
    }

    [Fact]
    public void ScansOfTwoPrintingsOrOfSomethingElseAreRefused()
    {
        var a = DkgQrParts.Split(Payload(1000, "a"), DkgPaperContent.ExportFile);
        var b = DkgQrParts.Split(Payload(1000, "b"), DkgPaperContent.ExportFile);
        var mixed = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join([a[0], b[1]]));
        Assert.Contains("different printings", mixed.Message);

        var other = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join([a[0], "ACADEMIC ACID ACNE"]));
        Assert.Equal(ErrorKind.BadInput, other.Kind);
        Assert.Contains("scan 2 is not a code of a KeyVault DKG export sheet", other.Message);

        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => DkgQrParts.Join(["", "  "])).Kind);
    }

    [Fact]
    public void ADuplicateWithOtherContentIsRefused()
    {
        var parts = DkgQrParts.Split(Payload(1000), DkgPaperContent.ExportFile);
        // A part 1 with other data, its own check recomputed, under this printing's set: the second scan of part 1 differs.
        var rebuilt = DkgQrParts.Split(Payload(1000, "other"), DkgPaperContent.ExportFile)[0];
        var ex = Assert.Throws<KeyVaultException>(() => DkgQrParts.Join([parts[0], WithSet(rebuilt, parts[0][14..22]), parts[1]]));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains("scanned twice with different contents", ex.Message);
    }

    /// <summary>A part moved into another set, with its check recomputed as the format defines it.</summary>
    private static string WithSet(string part, string set)
    {
        var head = part[..14] + set + "-";
        var data = Base45.TryDecode(part.AsSpan(DkgQrParts.HeaderLength))!;
        var check = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. Encoding.ASCII.GetBytes(head), .. data]).AsSpan(0, 4));
        return head + check + ":" + part[DkgQrParts.HeaderLength..];
    }
}
