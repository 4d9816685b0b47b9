using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Age;

/// <summary>
/// The community age test vectors (CCTV, vendored in test-vectors/age/testdata): every vector for a feature
/// KeyVault implements must give its expected outcome; vectors for features it does not implement are skipped by
/// name, and the list of those names must be exactly the vectors that use the features.
/// </summary>
public sealed class AgeVectorTests
{
    private const string ScryptReason = "scrypt passphrase recipients are not implemented (KeyVault seals to public keys only)";

    /// <summary>Every vector that is not run, by name, with why.</summary>
    private static readonly IReadOnlyDictionary<string, string> Skipped = new Dictionary<string, string>
    {
        ["armor_scrypt"] = ScryptReason,
        ["scrypt"] = ScryptReason,
        ["scrypt_and_x25519"] = ScryptReason,
        ["scrypt_bad_tag"] = ScryptReason,
        ["scrypt_double"] = ScryptReason,
        ["scrypt_extra_argument"] = ScryptReason,
        ["scrypt_long_file_key"] = ScryptReason,
        ["scrypt_no_match"] = ScryptReason,
        ["scrypt_not_canonical_body"] = ScryptReason,
        ["scrypt_not_canonical_salt"] = ScryptReason,
        ["scrypt_salt_long"] = ScryptReason,
        ["scrypt_salt_missing"] = ScryptReason,
        ["scrypt_salt_short"] = ScryptReason,
        ["scrypt_uppercase"] = ScryptReason,
        ["scrypt_work_factor_23"] = ScryptReason,
        ["scrypt_work_factor_hex"] = ScryptReason,
        ["scrypt_work_factor_leading_garbage"] = ScryptReason,
        ["scrypt_work_factor_leading_plus"] = ScryptReason,
        ["scrypt_work_factor_leading_zero_decimal"] = ScryptReason,
        ["scrypt_work_factor_leading_zero_octal"] = ScryptReason,
        ["scrypt_work_factor_missing"] = ScryptReason,
        ["scrypt_work_factor_negative"] = ScryptReason,
        ["scrypt_work_factor_overflow"] = ScryptReason,
        ["scrypt_work_factor_trailing_garbage"] = ScryptReason,
        ["scrypt_work_factor_wrong"] = ScryptReason,
        ["scrypt_work_factor_zero"] = ScryptReason,
    };

    private static string Folder => Path.Combine(External.RepoRoot, "test-vectors", "age", "testdata");

    private static IEnumerable<string> AllNames() =>
        Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static IEnumerable<TheoryDataRow<string>> Vectors() =>
        AllNames().Where(n => !Skipped.ContainsKey(n)).Select(n => new TheoryDataRow<string>(n));

    public static IEnumerable<TheoryDataRow<string>> UnsupportedVectors() =>
        Skipped.Keys.Order(StringComparer.Ordinal).Select(n => new TheoryDataRow<string>(n));

    [Theory]
    [MemberData(nameof(UnsupportedVectors))]
    public void AVectorOfAFeatureNotImplementedIsRefusedWithoutReleasingPlaintext(string name)
    {
        var v = Vector.Read(name);
        var identities = new List<AgeIdentity>();
        try
        {
            foreach (var i in v.Identities)
            {
                try
                {
                    identities.Add(AgeIdentity.ParseSecretKey(Encoding.ASCII.GetBytes(i)));
                }
                catch (KeyVault.Errors.KeyVaultException ex)
                {
                    // An identity KeyVault does not read is refused as input, before any file is touched.
                    Assert.Equal(KeyVault.Errors.ErrorKind.BadInput, ex.Kind);
                }
            }
            // A passphrase vector names no identity KeyVault could hold: try it as a custodian would, with an age key.
            if (identities.Count == 0) identities.Add(AgeIdentity.Generate());
            long released = 0;
            var ex2 = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(v.Body, identities, v.Armored, chunk => released += chunk.Length));
            Assert.Contains(ex2.Failure, new[] { AgeFailure.Header, AgeFailure.NoMatch, AgeFailure.Armor });
            Assert.Equal(0, released);
        }
        finally
        {
            foreach (var id in identities) id.Dispose();
        }
    }

    [Fact]
    public void SkipListIsExactlyTheVectorsThatNeedUnimplementedFeatures()
    {
        var needing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in AllNames())
        {
            var v = Vector.Read(name);
            bool scrypt = v.Passphrases.Count > 0 || v.StanzaTypes.Contains("scrypt");
            if (scrypt) Assert.Equal(ScryptReason, Skipped.GetValueOrDefault(name));
            if (scrypt) needing.Add(name);
        }
        Assert.Equal(needing, new SortedSet<string>(Skipped.Keys, StringComparer.Ordinal));
        Assert.Equal(143, AllNames().Count());
        Assert.Equal(26, Skipped.Count);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VectorGivesItsExpectedResult(string name)
    {
        var v = Vector.Read(name);
        var identities = v.Identities.Select(i => AgeIdentity.ParseSecretKey(Encoding.ASCII.GetBytes(i))).ToList();
        // Two vectors (empty, armor_empty) name no identity because they fail before one is needed.
        if (identities.Count == 0) identities.Add(AgeIdentity.Generate());
        using var released = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AgePlaintext? plaintext = null;
        AgeException? failure = null;
        try
        {
            plaintext = AgeDecryptor.Decrypt(v.Body, identities, v.Armored, chunk => released.AppendData(chunk));
        }
        catch (AgeException ex)
        {
            failure = ex;
        }
        using (plaintext)
        {
            string? outcome = failure is null ? "success" : failure.Failure switch
            {
                AgeFailure.Armor => "armor failure",
                AgeFailure.Header => "header failure",
                AgeFailure.NoMatch => "no match",
                AgeFailure.Hmac => "HMAC failure",
                AgeFailure.Payload => "payload failure",
                _ => null,
            };
            Assert.True(v.Expect == outcome, $"{name}: expected {v.Expect}, got {outcome}{(failure is null ? "" : $" ({failure.Message})")}");
            // What a streaming reader would have handed out, even before a payload failure, must match the vector.
            if (v.PayloadHash is not null && v.Expect is "success" or "payload failure")
                Assert.Equal(v.PayloadHash, Convert.ToHexStringLower(released.GetHashAndReset()));
            if (plaintext is not null)
                Assert.Equal(v.PayloadHash, Convert.ToHexStringLower(SHA256.HashData(plaintext.Span)));
        }
        foreach (var id in identities) id.Dispose();
    }

    /// <summary>The vectors with an encoding to round-trip: a valid armor, or a header that parses and a file key.</summary>
    public static IEnumerable<TheoryDataRow<string>> RoundTripVectors() =>
        AllNames().Where(n => !Skipped.ContainsKey(n)).Where(n =>
        {
            var v = Vector.Read(n);
            return v.Expect != "armor failure" && (v.Armored || (v.Expect != "header failure" && v.FileKey is not null));
        }).Select(n => new TheoryDataRow<string>(n));

    [Theory]
    [MemberData(nameof(RoundTripVectors))]
    public void EncodingsRoundTrip(string name)
    {
        var v = Vector.Read(name);
        byte[] binary;
        if (v.Armored)
        {
            binary = AgeArmor.Decode(v.Body);
            // Re-armoring gives the canonical text: LF endings, no surrounding whitespace, a final LF.
            var canonical = Encoding.ASCII.GetString(v.Body).Replace("\r\n", "\n").Trim(' ', '\t', '\r', '\n') + "\n";
            Assert.Equal(canonical, Encoding.ASCII.GetString(AgeArmor.Encode(binary)));
        }
        else binary = v.Body;
        if (v.Expect is "header failure" || v.FileKey is null) return;

        // Parse → write gives back the same header bytes (the MAC too, except where the vector's MAC is wrong).
        var header = AgeHeader.Parse(binary);
        var written = AgeHeader.Write(header.Stanzas, v.FileKey);
        if (v.Expect is "HMAC failure")
            Assert.Equal(binary.AsSpan(0, header.MacInputLength).ToArray(), written.AsSpan(0, header.MacInputLength).ToArray());
        else
            Assert.Equal(binary.AsSpan(0, header.Length).ToArray(), written);

        if (v.Expect is "success")
        {
            // Sealing the plaintext again with the vector's file key and nonce gives back the same payload.
            var payload = binary.AsSpan(header.Length);
            var plain = new byte[payload.Length];
            int n = AgePayload.Decrypt(v.FileKey, payload, plain);
            var again = new byte[AgePayload.Length(n)];
            AgePayload.Encrypt(v.FileKey, payload[..AgePayload.NonceLength], plain.AsSpan(0, n), again);
            Assert.Equal(payload.ToArray(), again);
        }
    }

    /// <summary>One vector file: "key: value" lines, a blank line, then the (possibly zlib-compressed) age file.</summary>
    private sealed record Vector(string Expect, string? PayloadHash, byte[]? FileKey, List<string> Identities, List<string> Passphrases,
        bool Armored, byte[] Body)
    {
        public static Vector Read(string name)
        {
            var file = File.ReadAllBytes(Path.Combine(Folder, name));
            int split = file.AsSpan().IndexOf("\n\n"u8);
            var fields = Encoding.UTF8.GetString(file, 0, split).Split('\n')
                .Select(l => (Key: l[..l.IndexOf(": ", StringComparison.Ordinal)], Value: l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
                .ToList();
            string? One(string key) => fields.Where(f => f.Key == key).Select(f => f.Value).SingleOrDefault();
            var body = file[(split + 2)..];
            if (One("compressed") == "zlib")
            {
                using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
                using var ms = new MemoryStream();
                z.CopyTo(ms);
                body = ms.ToArray();
            }
            var fileKey = One("file key");
            return new Vector(One("expect")!, One("payload"), fileKey is null ? null : Convert.FromHexString(fileKey),
                fields.Where(f => f.Key == "identity").Select(f => f.Value).ToList(),
                fields.Where(f => f.Key == "passphrase").Select(f => f.Value).ToList(),
                One("armored") == "yes", body);
        }

        /// <summary>The first argument of every line that starts a stanza, read leniently (for classifying only).</summary>
        public HashSet<string> StanzaTypes
        {
            get
            {
                byte[] text = Body;
                if (Armored)
                {
                    try { text = AgeArmor.Decode(Body); } catch (AgeException) { }
                }
                return Encoding.Latin1.GetString(text).Split('\n')
                    .Where(l => l.StartsWith("-> ", StringComparison.Ordinal))
                    .Select(l => l[3..].Split(' ')[0]).ToHashSet();
            }
        }
    }
}
