using System.Text;
using KeyVault.Age;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Age;

/// <summary>
/// The recipient types beyond X25519 and ssh-ed25519: p256tag (age1tag1…), piv-p256 (age1yubikey1…) and the hybrid
/// mlkem768x25519 (age1pq1…). test-vectors/age-recipients/ holds one recipient a file, valid or refused with the
/// reason; the refused ones are made here from the specification's examples (run with KEYVAULT_WRITE_VECTORS=1 to
/// rewrite them), and the hybrid example is copied from the specification.
/// </summary>
public sealed class AgeRecipientTypeTests
{
    private const string TagExample = "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e";
    private static string Dir => Path.Combine(External.RepoRoot, "test-vectors", "age-recipients");

    private static byte[] TagPoint()
    {
        var point = new byte[33];
        Assert.True(Bech32.TryDecode(Encoding.ASCII.GetBytes(TagExample), "age1tag", point));
        return point;
    }

    private static string HybridExample() => VectorFile.Read(Path.Combine(Dir, "hybrid-spec-example")).BodyText.Trim();

    /// <summary>A compressed point whose x-coordinate has no point on the curve: the example's x, counted up until none has.</summary>
    private static byte[] OffCurve()
    {
        var p = TagPoint();
        while (true)
        {
            p[^1]++;
            if (!IsOnCurve(p)) return p;
        }
    }

    private static bool IsOnCurve(byte[] compressed)
    {
        try
        {
            AgeRecipient.Parse(Bech32.EncodeToString("age1tag", compressed));
            return true;
        }
        catch (KeyVaultException)
        {
            return false;
        }
    }

    private static string Flip(string s) => s[..^1] + (s[^1] == 'q' ? 'p' : 'q');

    private static string MixCase(string s) => s[..10] + s[10..].ToUpperInvariant();

    internal static SortedDictionary<string, byte[]> Generate()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        void Valid(string name, string type, string text, string comment) =>
            files[name] = VectorFile.Format([("expect", "valid"), ("type", type), ("comment", comment)], text + "\n");
        void Refused(string name, string error, string text, string comment) =>
            files[name] = VectorFile.Format([("expect", "refused"), ("error", error), ("comment", comment)], text + "\n");

        var point = TagPoint();
        var uncompressed = Convert.FromHexString("04" + Convert.ToHexString(point[1..]) + new string('0', 64));
        var yubikey = Bech32.EncodeToString("age1yubikey", point);
        Valid("tag-spec-example", "p256tag", TagExample, "the example age1tag1 recipient of the C2SP age specification");
        Valid("yubikey-example-point", "piv-p256", yubikey, "the point of tag-spec-example under the age1yubikey prefix of age-plugin-yubikey");
        foreach (var (prefix, hrp, example) in new[] { ("tag", "age1tag", TagExample), ("yubikey", "age1yubikey", yubikey) })
        {
            Refused($"{prefix}-bad-checksum", "not valid Bech32", Flip(example), "the last checksum character changed");
            Refused($"{prefix}-mixed-case", "not valid Bech32", MixCase(example), "upper case after the tenth character: Bech32 is all lower or all upper case");
            Refused($"{prefix}-truncated", "not valid Bech32 of a 33-byte", Bech32.EncodeToString(hrp, point[..32]), "a valid checksum over the first 32 bytes of the point only");
            Refused($"{prefix}-not-on-curve", "not a point of the P-256 curve", Bech32.EncodeToString(hrp, OffCurve()),
                "a compressed encoding whose x-coordinate no point of P-256 has");
            Refused($"{prefix}-x-above-prime", "not a point of the P-256 curve", Bech32.EncodeToString(hrp, [0x02, .. Enumerable.Repeat((byte)0xFF, 32)]),
                "x = 2^256 - 1, which is not below the field prime");
            Refused($"{prefix}-infinity", "point at infinity", Bech32.EncodeToString(hrp, [0x00]), "the SEC 1 encoding of the point at infinity, one zero byte");
            Refused($"{prefix}-uncompressed", "uncompressed", Bech32.EncodeToString(hrp, uncompressed), "a 65-byte uncompressed encoding; the recipient is the compressed point");
        }

        var hybrid = HybridExample();
        var key = new byte[1216];
        Assert.True(Bech32.TryDecode(Encoding.ASCII.GetBytes(hybrid), "age1pq", key));
        Refused("hybrid-bad-checksum", "not valid Bech32", Flip(hybrid), "hybrid-spec-example with the last checksum character changed");
        Refused("hybrid-mixed-case", "not valid Bech32", MixCase(hybrid), "hybrid-spec-example in upper case after the tenth character");
        Refused("hybrid-truncated", "not valid Bech32 of 1216 bytes", Bech32.EncodeToString("age1pq", key[..1215]), "a valid checksum over the first 1215 bytes of the key only");
        var coefficient = (byte[])key.Clone();
        coefficient[0] = 0xFF;
        coefficient[1] |= 0x0F; // the first 12-bit coefficient of the ML-KEM key becomes 4095, not below q = 3329
        Refused("hybrid-coefficient-out-of-range", "not a valid ML-KEM-768 + X25519", Bech32.EncodeToString("age1pq", coefficient),
            "hybrid-spec-example with its first ML-KEM coefficient set to 4095 (FIPS 203 modulus check)");
        var lowOrder = (byte[])key.Clone();
        Array.Clear(lowOrder, 1184, 32);
        Refused("hybrid-x25519-low-order", "not a valid ML-KEM-768 + X25519", Bech32.EncodeToString("age1pq", lowOrder),
            "hybrid-spec-example with its X25519 part set to zero, a point of low order");
        Refused("tagpq-unsupported", "age1tagpq1", Bech32.EncodeToString("age1tagpq", new byte[40]), "a hybrid tag recipient, which KeyVault does not seal to");
        Refused("plugin-unsupported", "plugin", Bech32.EncodeToString("age1se", point), "a recipient of another age plugin (age1se1…)");
        files["hybrid-spec-example"] = File.ReadAllBytes(Path.Combine(Dir, "hybrid-spec-example"));
        return files;
    }

    [Fact]
    public void Committed_vectors_are_what_the_generator_produces() => VectorFile.AssertFolderIs(Dir, Generate());

    [Fact]
    public void Every_vector_parses_or_is_refused_as_it_says()
    {
        int valid = 0, refused = 0;
        foreach (var path in Directory.GetFiles(Dir).Where(p => !p.EndsWith("README.md", StringComparison.Ordinal)))
        {
            var v = VectorFile.Read(path);
            var text = v.BodyText.TrimEnd('\n');
            if (v.Expect == "valid")
            {
                var r = AgeRecipient.Parse(text);
                Assert.Equal(v["type"], r.StanzaType);
                Assert.Equal(text, r.Text);
                if (v.Get("identity") is { } identity)
                {
                    using var id = AgeIdentity.ParseSecretKey(Encoding.ASCII.GetBytes(identity));
                    Assert.Equal(text, id.Recipient.Text);
                }
                valid++;
            }
            else
            {
                Assert.Equal("refused", v.Expect);
                var ex = Assert.Throws<KeyVaultException>(() => AgeRecipient.Parse(text));
                Assert.Equal(ErrorKind.BadInput, ex.Kind);
                Assert.Contains(v["error"], ex.Message);
                if (text.Length > 30) Assert.DoesNotContain(text[10..30], ex.Message + ex.Hint);
                refused++;
            }
        }
        Assert.Equal((3, 21), (valid, refused));
    }

    [Fact]
    public void A_hybrid_identity_opens_what_is_sealed_to_it_and_exports_as_age_writes_it()
    {
        using var id = AgeIdentity.GenerateHybrid();
        Assert.Equal(AgeRecipientType.MlKem768X25519, id.Type);
        Assert.True(id.Recipient.IsPostQuantum);
        Assert.StartsWith("age1pq1", id.Recipient.Text);
        Assert.Equal(1959, id.Recipient.Text.Length);
        foreach (var armor in new[] { false, true })
        {
            var file = AgeEncryptor.Encrypt("share words"u8, [id.Recipient], armor);
            using var opened = AgeDecryptor.Decrypt(file, id);
            Assert.Equal("share words", Encoding.ASCII.GetString(opened.Span));
            var info = AgeFile.Inspect(file);
            Assert.Equal("mlkem768x25519", Assert.Single(info.Stanzas).Type);
            Assert.Equal(AgeAddressing.CannotTell, info.AddressedTo(id.Recipient));
        }
        var exported = id.ExportSecretKey();
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", Encoding.ASCII.GetString(exported));
        using var again = AgeIdentity.ParseSecretKey(exported);
        Assert.Equal(id.Recipient, again.Recipient);
        using var other = AgeIdentity.GenerateHybrid();
        var ex = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(AgeEncryptor.Encrypt("x"u8, [id.Recipient], false), other));
        Assert.Equal(AgeFailure.NoMatch, ex.Failure);
        id.Dispose();
        Assert.True(id.IsWiped);
    }

    [Fact]
    public void Tag_and_yubikey_stanzas_name_their_recipient_and_have_the_specified_shape()
    {
        var tag = AgeRecipient.Parse(TagExample);
        var yubikey = AgeRecipient.Parse(Bech32.EncodeToString("age1yubikey", TagPoint()));
        var other = AgeRecipient.Parse(Bech32.EncodeToString("age1tag", OtherPoint()));
        foreach (var (r, type, shareLength) in new[] { (tag, "p256tag", 65), (yubikey, "piv-p256", 33) })
        {
            var info = AgeFile.Inspect(AgeEncryptor.Encrypt("x"u8, [r], false));
            var stanza = Assert.Single(info.Stanzas);
            Assert.Equal(type, stanza.Type);
            Assert.Equal(3, stanza.Arguments.Count);
            Assert.Equal(6, stanza.Arguments[1].Length);
            Assert.Equal(shareLength, StrictBase64.DecodeRaw(Encoding.ASCII.GetBytes(stanza.Arguments[2]))!.Length);
            Assert.Equal(AgeAddressing.TagMatches, info.AddressedTo(r));
            Assert.Equal(AgeAddressing.NotAddressed, info.AddressedTo(other));
        }
        // The piv-p256 tag is fixed per key; the p256tag tag changes with every ephemeral key.
        string TagOf(AgeRecipient r) => AgeFile.Inspect(AgeEncryptor.Encrypt("x"u8, [r], false)).Stanzas[0].Arguments[1];
        Assert.Equal(TagOf(yubikey), TagOf(yubikey));
        Assert.NotEqual(TagOf(tag), TagOf(tag));
    }

    private static byte[] OtherPoint()
    {
        var p = TagPoint();
        do p[^1]--; while (!IsOnCurve(p));
        return p;
    }

    [Theory]
    [InlineData("p256tag", 2, 65, "arguments after the type")]
    [InlineData("p256tag", 3, 64, "base64 of 65 bytes")]
    [InlineData("piv-p256", 3, 32, "base64 of 33 bytes")]
    [InlineData("mlkem768x25519", 2, 1119, "base64 of 1120 bytes")]
    public void A_malformed_stanza_of_a_sealing_type_is_a_damaged_header(string type, int arguments, int shareLength, string expected)
    {
        var args = new List<string> { type };
        if (arguments == 3) args.Add("AAAAAA");
        args.Add(StrictBase64.EncodeRaw(new byte[shareLength]));
        var header = AgeHeader.Write([new AgeStanza(args, new byte[32])], new byte[16]);
        var file = new byte[header.Length + AgePayload.Length(1)];
        header.CopyTo(file, 0);
        AgePayload.Encrypt(new byte[16], new byte[16], "x"u8, file.AsSpan(header.Length));
        var ex = Assert.Throws<AgeException>(() => AgeFile.Inspect(file));
        Assert.Equal(AgeFailure.Header, ex.Failure);
        Assert.Contains(expected, ex.Message);
    }
}
