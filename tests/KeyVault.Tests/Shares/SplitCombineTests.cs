using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Support;
using static KeyVault.Tests.Shares.ShareTestKit;

namespace KeyVault.Tests.Shares;

public class SplitCombineTests
{
    private static readonly byte[] Key1 = Hex.TryDecode(TestKeys.Key1)!;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(5, 7)]
    public void EveryThresholdSubsetInShuffledOrderRecoversAndEverySmallerSubsetSaysHowManyAreMissing(int k, int n)
    {
        using var set = Split(Key1, SplitLayout.Single(k, n), $"subsets {k} {n}");
        var mnemonics = set.Shares.Select(s => s.Mnemonic).ToArray();
        var rng = new Random(k * 100 + n);
        foreach (var subset in Subsets(n, k))
        {
            var chosen = subset.Select(i => mnemonics[i]).ToArray();
            rng.Shuffle(chosen);
            using var secret = Slip39.Combine(chosen);
            Assert.Equal(Key1, secret.Bytes.ToArray());
        }
        for (int size = 1; size < k; size++)
        {
            foreach (var subset in Subsets(n, size))
            {
                var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(subset.Select(i => mnemonics[i])));
                Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
                Assert.Contains($"need {k - size} more share{(k - size == 1 ? "" : "s")}", e.Message);
            }
        }
    }

    [Fact]
    public void EveryQualifyingSetOfGroupsRecoversAndMissingGroupsAreCounted()
    {
        var layout = new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]);
        using var set = Split(Key1, layout, "groups");
        var byGroup = Enumerable.Range(1, 3).Select(g => set.Group(g).Select(s => s.Mnemonic).ToArray()).ToArray();
        var rng = new Random(7);
        foreach (var groups in Subsets(3, 2))
        {
            // Every threshold subset of each chosen group.
            var options = groups.Select(g => Subsets(byGroup[g].Length, layout.Groups[g].MemberThreshold)
                .Select(s => s.Select(i => byGroup[g][i]).ToArray()).ToArray()).ToArray();
            foreach (var a in options[0])
                foreach (var b in options[1])
                {
                    var chosen = a.Concat(b).ToArray();
                    rng.Shuffle(chosen);
                    using var secret = Slip39.Combine(chosen);
                    Assert.Equal(Key1, secret.Bytes.ToArray());
                }
        }

        // One complete group (group 1) and two shares of group 3 (threshold 3).
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([byGroup[0][0], byGroup[2][0], byGroup[2][1]]));
        Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
        Assert.Contains("need 1 more group (2 of 3 groups must be complete, 1 is)", e.Message);
        Assert.Contains("need 1 more share of group 3", e.Message);
    }

    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(3, 5, 5)]
    [InlineData(5, 16, 16)]
    [InlineData(2, 3, 3)]
    public void WithMoreThanThresholdSharesTheCorruptedOneIsNamed(int k, int n, int given)
    {
        using var set = Split(Key1, SplitLayout.Single(k, n), $"corrupt {k} {n}");
        for (int bad = 0; bad < given; bad++)
        {
            var mnemonics = set.Shares.Take(given).Select(s => s.Mnemonic).ToArray();
            mnemonics[bad] = Tamper(mnemonics[bad], bad % 16);
            var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics));
            Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
            Assert.StartsWith($"share {bad + 1} (given {Share.Ordinal(bad + 1)}) does not fit with the other shares", e.Message);
            Assert.Contains("the other shares are enough", e.Hint);

            // Without the named share the rest rebuild the key.
            using var secret = Slip39.Combine(mnemonics.Where((_, i) => i != bad));
            Assert.Equal(Key1, secret.Bytes.ToArray());
        }
    }

    [Fact]
    public void TwoCorruptedSharesAmongSixOfThreeOfSixAreBothNamed()
    {
        using var set = Split(Key1, SplitLayout.Single(3, 6), "two bad");
        var mnemonics = set.Shares.Select(s => s.Mnemonic).ToArray();
        mnemonics[1] = Tamper(mnemonics[1]);
        mnemonics[4] = Tamper(mnemonics[4], 3);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics));
        Assert.StartsWith("share 2 (given 2nd) and share 5 (given 5th) do not fit", e.Message);
    }

    [Fact]
    public void TooManyCorruptedSharesToIdentifyIsReportedAsSuch()
    {
        using var set = Split(Key1, SplitLayout.Single(3, 5), "too many bad");
        var mnemonics = set.Shares.Take(4).Select(s => s.Mnemonic).ToArray();
        mnemonics[0] = Tamper(mnemonics[0]);
        mnemonics[2] = Tamper(mnemonics[2]);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics));
        Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
        Assert.Contains("no 3 of the 4 shares fit together (digest mismatch)", e.Message);
    }

    [Fact]
    public void ExactlyThresholdSharesWithOneCorruptedFailTheDigest()
    {
        using var set = Split(Key1, SplitLayout.Single(3, 5), "digest");
        var mnemonics = set.Shares.Take(3).Select(s => s.Mnemonic).ToArray();
        mnemonics[1] = Tamper(mnemonics[1]);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics));
        Assert.Contains("the 3 shares do not fit together (digest mismatch)", e.Message);
    }

    [Fact]
    public void ACorruptedShareInOneGroupIsNamedWithItsGroup()
    {
        var layout = new SplitLayout(2, [new GroupSpec(2, 3), new GroupSpec(2, 3)]);
        using var set = Split(Key1, layout, "group corrupt");
        var g1 = set.Group(1).Select(s => s.Mnemonic).ToArray();
        var g2 = set.Group(2).Select(s => s.Mnemonic).Take(2).ToArray();
        g1[2] = Tamper(g1[2]);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([.. g1, .. g2]));
        Assert.StartsWith("group 1, share 3 (given 3rd) does not fit with the other shares of their group", e.Message);
    }

    [Fact]
    public void AnExtraGroupThatDoesNotFitIsNamed()
    {
        // Groups of threshold 1 have no digest of their own, so a forged one is caught only at the group level.
        var layout = new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(1, 1), new GroupSpec(1, 1)]);
        using var set = Split(Key1, layout, "bad group");
        var mnemonics = set.Shares.Select(s => s.Mnemonic).ToArray();
        mnemonics[2] = Tamper(mnemonics[2]);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics));
        Assert.Equal("group 3 does not fit with the other groups: it was altered or belongs to a different backup with the same identifier", e.Message);
    }

    [Fact]
    public void RoundTripOverRandomSecretsLayoutsAndPassphrases()
    {
        var rng = new Random(20240509);
        for (int round = 0; round < 40; round++)
        {
            int length = rng.Next(2) == 0 ? 16 : 32;
            var secret = new byte[length];
            rng.NextBytes(secret);
            int groupCount = rng.Next(1, 5);
            var groups = Enumerable.Range(0, groupCount).Select(_ =>
            {
                int count = rng.Next(1, 7);
                return new GroupSpec(count == 1 ? 1 : rng.Next(2, count + 1), count);
            }).ToArray();
            var layout = new SplitLayout(rng.Next(1, groupCount + 1), groups);
            string passphrase = rng.Next(2) == 0 ? "" : $"pass {round} !~";
            bool extendable = rng.Next(2) == 0;

            using var set = Split(secret, layout, $"round {round}", passphrase, extendable);
            Assert.All(set.Shares, s => Assert.Equal(Slip39.WordCountFor(length), s.Words.Count));
            // A random qualifying selection: random groups, random members, shuffled.
            var chosen = Enumerable.Range(1, groupCount).OrderBy(_ => rng.Next()).Take(layout.GroupThreshold)
                .SelectMany(g => set.Group(g).OrderBy(_ => rng.Next()).Take(layout.Groups[g - 1].MemberThreshold))
                .Select(s => s.Mnemonic).OrderBy(_ => rng.Next()).ToArray();
            using var recovered = Slip39.Combine(chosen, System.Text.Encoding.ASCII.GetBytes(passphrase));
            Assert.Equal(secret, recovered.Bytes.ToArray());

            if (passphrase.Length > 0)
            {
                // A wrong passphrase is not detectable by design: it decrypts to another secret.
                using var other = Slip39.Combine(chosen);
                Assert.NotEqual(secret, other.Bytes.ToArray());
            }
        }
    }

    [Fact]
    public void ExtendableAndOriginalBackupsOfTheSameSecretDifferInTheirChecksumString()
    {
        using var ext = Split(Key1, SplitLayout.Single(1, 1), "flag", extendable: true);
        using var orig = Split(Key1, SplitLayout.Single(1, 1), "flag", extendable: false);
        Assert.True(Slip39.Decode(ext.Shares[0].Mnemonic).Extendable);
        Assert.False(Slip39.Decode(orig.Shares[0].Mnemonic).Extendable);
        using var a = Slip39.Combine([ext.Shares[0].Mnemonic]);
        using var b = Slip39.Combine([orig.Shares[0].Mnemonic]);
        Assert.Equal(a.Bytes.ToArray(), b.Bytes.ToArray());
    }

    [Fact]
    public void ExtendableBackupsOfOneSecretWithDifferentIdentifiersShareTheEncryptedSecret()
    {
        // The point of the flag: the identifier is not in the salt, so a new set of shares (new identifier) of the
        // same encrypted secret opens with the same passphrase to the same secret.
        using var first = Split(Key1, SplitLayout.Single(1, 1), "ext one", "pw");
        using var second = Split(Key1, SplitLayout.Single(1, 1), "ext two", "pw");
        var i1 = Slip39.Decode(first.Shares[0].Mnemonic);
        var i2 = Slip39.Decode(second.Shares[0].Mnemonic);
        Assert.NotEqual(i1.Identifier, i2.Identifier);
        using var s1 = ShareCodec.Decode(first.Shares[0].Mnemonic, 1);
        using var s2 = ShareCodec.Decode(second.Shares[0].Mnemonic, 1);
        Assert.Equal(s1.Value, s2.Value);
    }

    [Fact]
    public void SharesFromTwoBackupsAreRefusedNamingTheShare()
    {
        using var a = Split(Key1, SplitLayout.Single(2, 3), "backup a");
        using var b = Split(Key1, SplitLayout.Single(2, 3), "backup b");
        Assert.NotEqual(a.Identifier, b.Identifier);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([a.Shares[0].Mnemonic, b.Shares[1].Mnemonic]));
        Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
        Assert.Equal($"share 2 (given 2nd) is not from the same backup as share 1 (given 1st): its identifier is {b.Identifier}, not {a.Identifier}", e.Message);
    }

    [Fact]
    public void ExactDuplicatesAreIgnored()
    {
        using var set = Split(Key1, SplitLayout.Single(2, 3), "dups");
        var m = set.Shares.Select(s => s.Mnemonic).ToArray();
        using var secret = Slip39.Combine([m[0], m[0], m[2], m[0].ToUpperInvariant(), m[2]]);
        Assert.Equal(Key1, secret.Bytes.ToArray());
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([m[1], m[1], m[1]]));
        Assert.Contains("need 1 more share (2 required, 1 given)", e.Message);
    }

    [Fact]
    public void InputIsLenientAboutCaseWhitespaceAndPrefixes()
    {
        using var set = Split(Key1, SplitLayout.Single(2, 3), "lenient");
        var words0 = set.Shares[0].Words;
        var words1 = set.Shares[1].Words;
        string prefixes = string.Join("\n", words0.Select((w, i) => i % 2 == 0 ? w[..4].ToUpperInvariant() : w));
        string messy = "\t " + string.Join("  \r\n ", words1.Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + " \u00A0\n";
        using var secret = Slip39.Combine([prefixes, messy]);
        Assert.Equal(Key1, secret.Bytes.ToArray());
    }

    [Fact]
    public void UnknownAndTooShortWordsAreNamedByPosition()
    {
        using var set = Split(Key1, SplitLayout.Single(2, 3), "bad words");
        var words = set.Shares[1].Words.ToArray();
        var m0 = set.Shares[0].Mnemonic;

        words[6] = "qqqq";
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([m0, string.Join(' ', words)]));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Equal("word 7 of share 2 is not in the SLIP-0039 word list", e.Message);

        words[6] = set.Shares[1].Words[6][..3];
        e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([m0, string.Join(' ', words)]));
        Assert.Equal("word 7 of share 2 has only 3 letters, which does not identify a word", e.Message);

        words[6] = set.Shares[1].Words[6] + "x";
        e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([m0, string.Join(' ', words)]));
        Assert.Equal("word 7 of share 2 is not in the SLIP-0039 word list", e.Message);
    }

    [Fact]
    public void ASwappedOrChangedWordFailsTheChecksumAndNamesTheShare()
    {
        using var set = Split(Key1, SplitLayout.Single(2, 3), "checksum");
        var words = set.Shares[2].Words.ToArray();
        (words[10], words[11]) = (words[11], words[10]);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([set.Shares[0].Mnemonic, string.Join(' ', words)]));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.StartsWith("share 2 has an invalid checksum", e.Message);
    }

    [Fact]
    public void MissingOrExtraWordsAreReportedAsLength()
    {
        using var set = Split(Key1, SplitLayout.Single(1, 1), "length");
        var words = set.Shares[0].Words;
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Decode(string.Join(' ', words.Take(19))));
        Assert.Contains("19 words; a SLIP-0039 share has at least 20", e.Message);
        e = Assert.Throws<KeyVaultException>(() => Slip39.Decode(string.Join(' ', words.Concat(["acid"]))));
        Assert.Contains("34 words, which is not a valid SLIP-0039 share length", e.Message);
        e = Assert.Throws<KeyVaultException>(() => Slip39.Decode(string.Join(' ', Enumerable.Repeat("acid", 60))));
        Assert.Contains("60 words", e.Message);
        e = Assert.Throws<KeyVaultException>(() => Slip39.Decode(" \n "));
        Assert.Equal("the share is empty", e.Message);
    }

    [Fact]
    public void DecodeGivesMetadataWithoutTheSecret()
    {
        var layout = new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]);
        using var set = Split(Key1, layout, "decode", exponent: 2);
        var share = set.Group(3)[3];
        var info = Slip39.Decode(share.Mnemonic);
        Assert.Equal(new ShareInfo(set.Identifier, true, 2, 3, 2, 3, 4, 3, 32), info);
        Assert.Equal(share.Info, info);
        Assert.Equal(33, info.WordCount);
        Assert.Equal(5, share.MemberCount);
    }

    [Fact]
    public void SixteenByteSecretsGiveTwentyWordShares()
    {
        var secret = Bytes("sixteen", 16);
        using var set = Split(secret, SplitLayout.Single(2, 2), "sixteen");
        Assert.All(set.Shares, s => Assert.Equal(20, s.Words.Count));
        using var back = Slip39.Combine(set.Shares.Select(s => s.Mnemonic));
        Assert.Equal(secret, back.Bytes.ToArray());
    }

    [Fact]
    public void SplittingASignerKeyAndRebuildingItGivesTheSameIdentity()
    {
        using var key = SecretKey.FromBytes(Key1);
        using var set = Slip39.Split(key, SplitLayout.Single(2, 3), iterationExponent: WeakExponent);
        using var secret = Slip39.Combine([set.Shares[2].Mnemonic, set.Shares[0].Mnemonic]);
        using var rebuilt = secret.ToSecretKey();
        Assert.Equal(TestKeys.Key1PublicKey, rebuilt.PublicKey.Hex66);
    }

    [Fact]
    public void DisposingWipesTheSecretAndTheMnemonics()
    {
        var set = Split(Key1, SplitLayout.Single(2, 3), "wipe");
        var mnemonic = set.Shares[0].Mnemonic;
        var secret = Slip39.Combine(set.Shares.Take(2).Select(s => s.Mnemonic));
        Assert.False(secret.IsWiped);
        Assert.DoesNotContain(Hex.Encode(Key1), secret.ToString());
        secret.Dispose();
        Assert.True(secret.IsWiped);
        Assert.Throws<ObjectDisposedException>(() => secret.Bytes.Length);
        set.Dispose();
        Assert.All(mnemonic, c => Assert.Equal('\0', c));
        Assert.All(set.Shares[0].Words, w => Assert.Null(w));
    }

    [Theory]
    [InlineData(3, 2, "a threshold of 3 is not possible with 2 shares; it must be 2 to 2")]
    [InlineData(0, 2, "a threshold of 0 is not possible with 2 shares")]
    [InlineData(1, 3, "1-of-3")]
    [InlineData(2, 17, "17 shares is not possible")]
    [InlineData(1, 0, "0 shares is not possible")]
    public void BadGroupParametersAreRefusedWithAMessageSayingWhy(int threshold, int count, string expected)
    {
        var e = Assert.Throws<KeyVaultException>(() => SplitLayout.Single(threshold, count));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void BadLayoutsAndOptionsAreRefused()
    {
        Assert.Contains("no groups", Assert.Throws<KeyVaultException>(() => new SplitLayout(1, [])).Message);
        Assert.Contains("17 groups", Assert.Throws<KeyVaultException>(() =>
            new SplitLayout(1, Enumerable.Repeat(new GroupSpec(1, 1), 17).ToArray())).Message);
        Assert.Contains("group threshold is 3 but there are 2 groups", Assert.Throws<KeyVaultException>(() =>
            new SplitLayout(3, [new GroupSpec(1, 1), new GroupSpec(1, 1)])).Message);
        Assert.Contains("group threshold is 0", Assert.Throws<KeyVaultException>(() =>
            new SplitLayout(0, [new GroupSpec(1, 1)])).Message);
        // A group's member threshold follows the same rule as a single group's: 1-of-n with n > 1 is refused, so the
        // message names 2 as the lowest threshold (it once said "1 to 3").
        Assert.Contains("group 1 has a threshold of 4 for 3 members; the threshold must be 2 to 3", Assert.Throws<KeyVaultException>(() =>
            new SplitLayout(1, [new GroupSpec(4, 3)])).Message);
        Assert.Contains("the threshold must be 1", Assert.Throws<KeyVaultException>(() =>
            new SplitLayout(1, [new GroupSpec(2, 1)])).Message);

        var layout = SplitLayout.Single(2, 3);
        foreach (var length in new[] { 0, 15, 17, 33, 64 })
            Assert.Contains($"the secret is {length} bytes", Assert.Throws<KeyVaultException>(() =>
                Slip39.Split(new byte[length], layout)).Message);
        Assert.Contains("iteration exponent is 16", Assert.Throws<KeyVaultException>(() =>
            Slip39.Split(Key1, layout, iterationExponent: 16)).Message);
        Assert.Contains("iteration exponent is -1", Assert.Throws<KeyVaultException>(() =>
            Slip39.Split(Key1, layout, iterationExponent: -1)).Message);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Split(Key1, layout, "caf\u00e9"u8));
        Assert.Equal("the SLIP-0039 passphrase has a character outside printable ASCII (at byte 4)", e.Message);
        Assert.Throws<KeyVaultException>(() => Slip39.Combine(["x"], "tab\there"u8));
    }

    [Fact]
    public void NoSharesIsAnError()
    {
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine([]));
        Assert.Equal(ErrorKind.RebuildFailed, e.Kind);
        Assert.Equal("no shares were given", e.Message);
    }

    [Fact]
    public void TheIdentifierAndSharesComeFromTheRandomSource()
    {
        using var a = Split(Key1, SplitLayout.Single(3, 5), "same seed");
        using var b = Split(Key1, SplitLayout.Single(3, 5), "same seed");
        using var c = Split(Key1, SplitLayout.Single(3, 5), "other seed");
        Assert.Equal(a.Shares.Select(s => s.Mnemonic), b.Shares.Select(s => s.Mnemonic));
        Assert.NotEqual(a.Shares.Select(s => s.Mnemonic), c.Shares.Select(s => s.Mnemonic));
        // The production path draws from the OS: two splits differ.
        using var d = Slip39.Split(Key1, SplitLayout.Single(3, 5), iterationExponent: WeakExponent);
        using var f = Slip39.Split(Key1, SplitLayout.Single(3, 5), iterationExponent: WeakExponent);
        Assert.NotEqual(d.Shares[0].Mnemonic, f.Shares[0].Mnemonic);
    }
}
