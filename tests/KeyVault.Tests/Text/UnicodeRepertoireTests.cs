using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.Tests.Support;
using KeyVault.Text;

namespace KeyVault.Tests.Text;

/// <summary>
/// Writers refuse text whose NFC a later Unicode version could change (code points unassigned in 14.0.0), and labels
/// refuse invisible characters; readers still accept both (issue 11, point 11).
/// </summary>
public class UnicodeRepertoireTests
{
    private const string Strong = "tumble orbit velvet canyon pickle";

    public static TheoryData<string, string, string, string> Vectors()
    {
        var data = new TheoryData<string, string, string, string>();
        // One case a file (test-vectors/README.md, "One layout"): the body is the text's UTF-8, the header gives its code points.
        foreach (var path in Directory.GetFiles(Path.Combine(External.RepoRoot, "test-vectors", "unicode")).Order(StringComparer.Ordinal))
        {
            var v = VectorFile.Read(path);
            Assert.Equal(Decode(v["code points"]), v.BodyText);
            data.Add(v.Expect, v["field"], v["code points"], v["comment"]);
        }
        return data;
    }

    private static string Decode(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(Convert.ToInt32(h, 16))));

    [Theory]
    [MemberData(nameof(Vectors))]
    public void EachVectorIsAcceptedOrRefusedByEveryWriterOfItsField(string expect, string field, string codePoints, string comment)
    {
        var text = Decode(codePoints);
        bool refuse = expect == "refuse";
        Assert.True(refuse || expect == "accept", comment);
        if (field == "passphrase")
        {
            using var p = Passphrase.FromChars(text);
            var problem = Inputs.NewPassphraseProblem(p);
            Assert.True(refuse == problem is not null, $"{codePoints}: {comment}");
            // The refused character is part of the secret: the message names no code point.
            if (refuse) Assert.DoesNotContain($"{Convert.ToInt32(codePoints.Split(' ').First(h => !UnicodeNfc.IsAssigned(Convert.ToInt32(h, 16))), 16):X4}", problem!.Message);
            return;
        }
        Assert.Equal("label", field);
        Assert.Equal(refuse, Throws(() => KeyFileFormat.EncodeLabel(text)));
        Assert.Equal(refuse, Throws(() => ManifestText.Accept(text, "the key label")));
        Assert.Equal(refuse, Throws(() => CustodianNames.Check(text, 1, [])));
    }

    private static bool Throws(Action write)
    {
        try
        {
            write();
            return false;
        }
        catch (KeyVaultException e) when (e.Kind == ErrorKind.BadInput)
        {
            return true;
        }
    }

    [Fact]
    public void ANewPassphraseFromAFileWithACodePointUnassignedInUnicode14IsRefusedWithoutShowingIt()
    {
        var op = new ScriptedOperator { StandardInput = Encoding.UTF8.GetBytes("a\U0001E08F\u0316 orbit velvet canyon\n") };
        var e = Assert.Throws<KeyVaultException>(() => Inputs.NewPassphrase(op, "-"));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains("does not assign (not shown", e.Message);
        Assert.DoesNotContain("1E08F", e.Message);
        Assert.Contains("Unicode 14.0.0 does not assign", e.Message);
    }

    [Fact]
    public void ATypedNewPassphraseWithAnUnassignedCodePointIsExplainedAndAskedAgain()
    {
        var op = new ScriptedOperator();
        // Refused as soon as it is typed, before it is asked again.
        foreach (var s in new[] { "a\U0001E08F\u0316 orbit velvet canyon", Strong, Strong })
            op.Secrets.Enqueue(s);
        using var p = Inputs.NewPassphrase(op, null);
        Assert.Equal(Encoding.UTF8.GetBytes(Strong), p.Utf8.ToArray());
        Assert.Contains("does not assign (not shown", Assert.Single(op.Problems).Message);
        Assert.DoesNotContain("1E08F", op.Problems[0].Message);
    }

    [Fact]
    public void AnExistingFileIsOpenedWhateverItsPassphraseOrLabelHolds()
    {
        var op = new ScriptedOperator { StandardInput = Encoding.UTF8.GetBytes("a\U0001E08F\u0316\n") };
        using (var p = Inputs.ExistingPassphrase(op, "-"))
            Assert.Equal(Encoding.UTF8.GetBytes("a\U0001E08F\u0316"), p.Utf8.ToArray());

        // A label a writer would now refuse, in a file written before the rule: the reader still parses it.
        var label = Encoding.UTF8.GetBytes("key \U0001E08F\u0316 \u200B");
        var pub = Convert.FromHexString(TestKeys.Key1PublicKey);
        var header = KeyFileFormat.WriteHeader(new KdfParameters(8, 1, 1), new byte[16], new byte[12],
            PublicKey.FromValidCompressed(pub), label);
        var file = header.Concat(new byte[48]).ToArray();
        Assert.Equal("key \U0001E08F\u0316 \u200B", KeyFileFormat.Parse(file).Label);
    }

    [Fact]
    public void TheTablesAreUnicode14()
    {
        Assert.Equal("14.0.0", UnicodeNfc.UnicodeVersion);
        Assert.True(UnicodeNfc.IsAssigned(0x1FAE0));   // MELTING FACE, new in 14.0
        Assert.False(UnicodeNfc.IsAssigned(0x1E08F));  // new in 15.0
        Assert.False(UnicodeNfc.IsAssigned(0x31350));  // CJK Extension H, 15.0
        Assert.True(UnicodeNfc.IsAssigned(0xAC00) && UnicodeNfc.IsAssigned(0xD7A3) && !UnicodeNfc.IsAssigned(0xD7A4));
        Assert.True(UnicodeNfc.IsAssigned(0xE000) && UnicodeNfc.IsAssigned(0x10FFFD));   // private use
        Assert.False(UnicodeNfc.IsAssigned(0xFDD0) || UnicodeNfc.IsAssigned(0xFFFF) || UnicodeNfc.IsAssigned(0x10FFFF));
        foreach (var cp in new[] { 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0xFE0F, 0xE0001, 0x2065 })
            Assert.True(UnicodeNfc.IsDefaultIgnorable(cp), $"U+{cp:X4}");
        foreach (var cp in new[] { 0x0020, 0x00A0, 0x0041, 0x2000, 0xFFF9 })
            Assert.False(UnicodeNfc.IsDefaultIgnorable(cp), $"U+{cp:X4}");
    }
}
