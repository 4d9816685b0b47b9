using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Support;
using static KeyVault.Tests.Shares.ShareTestKit;

namespace KeyVault.Tests.Shares;

public class ShareFileTests
{
    private static readonly byte[] Key1 = Hex.TryDecode(TestKeys.Key1)!;
    private static readonly PublicKey Key1Public = PublicKey.ParseHex(TestKeys.Key1PublicKey);

    private static ShareSet Groups() => Split(Key1,
        new SplitLayout(2, [new GroupSpec(1, 1), new GroupSpec(2, 3), new GroupSpec(3, 5)]), "share file");

    [Fact]
    public void WrittenFileHasTheDocumentedLayout()
    {
        using var set = Groups();
        var share = set.Group(3)[1];
        var text = Encoding.UTF8.GetString(ShareFile.Format(share, new ShareFileHeader(Key1Public, "Alice Example", new DateOnly(2025, 6, 1), false)));
        var words = share.Words;
        var expected =
            "# KeyVault SLIP-0039 share: keep it secret; with enough other shares it rebuilds the key\n" +
            "# share: 2 of 5\n" +
            "# member-threshold: 3\n" +
            "# group: 3 of 3\n" +
            "# group-threshold: 2\n" +
            $"# identifier: {set.Identifier}\n" +
            "# extendable: yes\n" +
            "# slip39-passphrase: no\n" +
            $"# fingerprint: {Key1Public.Fingerprint}\n" +
            $"# public-key: {TestKeys.Key1PublicKey}\n" +
            "# custodian: Alice Example\n" +
            "# date: 2025-06-01\n" +
            string.Join(' ', words.Take(11)) + "\n" +
            string.Join(' ', words.Skip(11).Take(11)) + "\n" +
            string.Join(' ', words.Skip(22)) + "\n";
        Assert.Equal(expected, text);
    }

    [Fact]
    public void SingleGroupFilesLeaveOutTheGroupLines()
    {
        using var set = Split(Key1, SplitLayout.Single(2, 3), "single file");
        var text = Encoding.UTF8.GetString(ShareFile.Format(set.Shares[0]));
        Assert.DoesNotContain("# group", text);
        Assert.Contains("# share: 1 of 3\n# member-threshold: 2\n", text);
    }

    [Fact]
    public void ParseReadsBackWhatFormatWrote()
    {
        using var set = Groups();
        var share = set.Group(2)[2];
        var bytes = ShareFile.Format(share, new ShareFileHeader(Key1Public, "Bob", new DateOnly(2024, 2, 29)));
        using var file = ShareFile.Parse(bytes, "bob.share");
        Assert.Equal(share.Mnemonic, file.Mnemonic);
        Assert.Equal(share.Info, file.Share);
        Assert.Equal(3, file.MemberCount);
        Assert.Equal(Key1Public, file.PublicKey);
        Assert.Equal(Key1Public.Fingerprint, file.Fingerprint);
        Assert.Equal("Bob", file.Custodian);
        Assert.Equal(new DateOnly(2024, 2, 29), file.Date);
        file.CheckKey(Key1Public, "bob.share");
    }

    [Fact]
    public void CommentsAreOptionalAndWordsMayBeMessy()
    {
        using var set = Groups();
        var share = set.Group(1)[0];
        var text = "\uFEFF# typed in by hand\r\n\r\n" + string.Join("\r\n", share.Words.Select(w => w[..4].ToUpperInvariant())) + "\r\n";
        using var file = ShareFile.Parse(Encoding.UTF8.GetBytes(text), "typed.txt");
        Assert.Equal(share.Info, file.Share);
        Assert.Null(file.MemberCount);
        Assert.Null(file.PublicKey);
        using var collector = new RecoveryState();
        Assert.Equal(1, collector.Add(file.Mnemonic).Share.GroupNumber);
    }

    [Theory]
    [InlineData("# share: 2 of 5", "# share: 3 of 5", "line 2: the comment 'share' says member number 3, but the share's words say 2")]
    [InlineData("# member-threshold: 3", "# member-threshold: 2", "line 3: the comment 'member-threshold' says member threshold 2, but the share's words say 3")]
    [InlineData("# group: 3 of 3", "# group: 1 of 3", "line 4: the comment 'group' says group number 1, but the share's words say 3")]
    [InlineData("# group: 3 of 3", "# group: 3 of 4", "line 4: the comment 'group' says group count 4, but the share's words say 3")]
    [InlineData("# group-threshold: 2", "# group-threshold: 1", "line 5: the comment 'group-threshold' says group threshold 1, but the share's words say 2")]
    [InlineData("# share: 2 of 5", "# share: 2 of 2", "line 2: the comment says 2 shares were issued, fewer than the member threshold 3 in the words")]
    [InlineData("# date: 2025-06-01", "# date: 1 June 2025", "the date is not of the form YYYY-MM-DD")]
    [InlineData("# share: 2 of 5", "# share: two of five", "the field 'share' is not of the form 'n of N'")]
    [InlineData("# custodian: Alice", "# custodian:", "the custodian field is empty")]
    [InlineData("# date: 2025-06-01", "# date: 2025-06-01\n# date: 2025-06-02", "line 12: the field 'date' appears twice (first on line 11)")]
    [InlineData("# extendable: yes", "# extendable: no", "line 7: the comment 'extendable' says no, but the share's words say yes")]
    [InlineData("# extendable: yes", "# extendable: true", "line 7: the field 'extendable' is neither 'yes' nor 'no'")]
    public void CommentsThatContradictTheWordsAreErrors(string line, string replacement, string expected)
    {
        using var set = Groups();
        var text = Encoding.UTF8.GetString(ShareFile.Format(set.Group(3)[1], new ShareFileHeader(Key1Public, "Alice", new DateOnly(2025, 6, 1))));
        Assert.Contains(line + "\n", text);
        var edited = text.Replace(line + "\n", replacement + "\n");
        var e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(edited), "alice.share"));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.StartsWith("alice.share, line ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void IdentifierAndKeyCommentsAreChecked()
    {
        using var set = Groups();
        var text = Encoding.UTF8.GetString(ShareFile.Format(set.Group(1)[0], new ShareFileHeader(Key1Public)));

        var e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(
            text.Replace($"# identifier: {set.Identifier}\n", $"# identifier: {(set.Identifier + 1) % 32768}\n")), "f"));
        Assert.Contains("the comment 'identifier' says identifier", e.Message);

        e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(
            text.Replace($"# fingerprint: {Key1Public.Fingerprint}", "# fingerprint: 00000000")), "f"));
        Assert.Contains("the fingerprint 00000000 does not belong to the public key", e.Message);

        e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(
            text.Replace(TestKeys.Key1PublicKey, "02" + new string('0', 64))), "f"));
        Assert.Contains("the public key is not a valid compressed secp256k1 key", e.Message);

        using var file = ShareFile.Parse(Encoding.UTF8.GetBytes(text), "carol.share");
        using var other = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key2)!);
        e = Assert.Throws<KeyVaultException>(() => file.CheckKey(other.PublicKey, "carol.share"));
        Assert.Equal(ErrorKind.IdentityMismatch, e.Kind);
        Assert.Equal($"carol.share names key {Key1Public.Fingerprint}, but the shares rebuilt key {other.PublicKey.Fingerprint}", e.Message);
    }

    [Fact]
    public void UnknownKeysAndFreeCommentsAreIgnored()
    {
        using var set = Groups();
        var text = "# printed on 2025-06-01 by the ceremony laptop\n# future-field: whatever\n" + set.Group(1)[0].Mnemonic + "\n";
        using var file = ShareFile.Parse(Encoding.UTF8.GetBytes(text), "f");
        Assert.Equal(set.Group(1)[0].Info, file.Share);
    }

    [Fact]
    public void BrokenWordsAreReportedWithTheFileName()
    {
        using var set = Groups();
        var e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes("# share: 1 of 1\n"), "empty.share"));
        Assert.Equal("empty.share holds no share words", e.Message);
        var words = set.Group(1)[0].Words.ToArray();
        words[3] = "zzzz";
        e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(string.Join(' ', words)), "dave.share"));
        Assert.Equal("word 4 of dave.share is not in the SLIP-0039 word list", e.Message);
        e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse([0xFF, 0xFE, 0x00], "bin.share"));
        Assert.Equal("bin.share is not UTF-8 text", e.Message);
    }

    [Fact]
    public void CustodianNamesMustBeOneLine()
    {
        using var set = Groups();
        var e = Assert.Throws<KeyVaultException>(() => ShareFile.Format(set.Shares[0], new ShareFileHeader(Custodian: "Eve\nMallory")));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
    }

    [Fact]
    public void FilesSayWhetherTheBackupIsExtendableAndWhetherItHasAPassphrase()
    {
        using var plain = Split(Key1, SplitLayout.Single(2, 3), "old tools", extendable: false);
        var text = Encoding.UTF8.GetString(ShareFile.Format(plain.Shares[0], new ShareFileHeader(Key1Public, Slip39Passphrase: true)));
        Assert.Contains($"# identifier: {plain.Identifier}\n# extendable: no\n# slip39-passphrase: yes\n# fingerprint: ", text);
        using (var file = ShareFile.Parse(Encoding.UTF8.GetBytes(text), "f"))
        {
            Assert.False(file.Share.Extendable);
            Assert.True(file.Slip39Passphrase);
        }

        // A writer that does not know leaves the line out, and a reader then does not claim to know either.
        var unknown = Encoding.UTF8.GetString(ShareFile.Format(plain.Shares[0], new ShareFileHeader(Key1Public)));
        Assert.DoesNotContain("slip39-passphrase", unknown);
        using (var file = ShareFile.Parse(Encoding.UTF8.GetBytes(unknown), "f")) Assert.Null(file.Slip39Passphrase);

        var e = Assert.Throws<KeyVaultException>(() => ShareFile.Parse(Encoding.UTF8.GetBytes(
            text.Replace("# slip39-passphrase: yes", "# slip39-passphrase: Yes")), "f"));
        Assert.Equal("f, line 6: the field 'slip39-passphrase' is neither 'yes' nor 'no'", e.Message);
    }

    [Theory]
    [InlineData(true, "the backup was made with a SLIP-0039 passphrase, and it was missing or wrong", "give the backup's SLIP-0039 passphrase")]
    [InlineData(null, "", "was the backup made with a SLIP-0039 passphrase? give it")]
    [InlineData(false, "", "the file says the backup has no SLIP-0039 passphrase, so give none")]
    public void AKeyMismatchNamesAMissingPassphraseFirstUnlessTheFileRulesItOut(bool? passphrase, string cause, string hintStart)
    {
        using var set = Groups();
        var bytes = ShareFile.Format(set.Group(1)[0], new ShareFileHeader(Key1Public, Slip39Passphrase: passphrase));
        using var file = ShareFile.Parse(bytes, "carol.share");
        using var other = SecretKey.FromBytes(Hex.TryDecode(TestKeys.Key2)!);
        var e = Assert.Throws<KeyVaultException>(() => file.CheckKey(other.PublicKey, "carol.share"));
        Assert.Equal(ErrorKind.IdentityMismatch, e.Kind);
        var named = $"carol.share names key {Key1Public.Fingerprint}, but the shares rebuilt key {other.PublicKey.Fingerprint}";
        Assert.Equal(cause.Length == 0 ? named : $"{named}: {cause} (SLIP-0039 cannot tell; a different passphrase rebuilds a different key)", e.Message);
        Assert.StartsWith(hintStart, e.Hint);
        // The library's hint names no option; the command line says which one gives the passphrase, by the error's code.
        Assert.DoesNotContain("--", e.Hint);
        Assert.Equal(passphrase switch { true => ErrorCodes.Slip39PassphraseWrong, null => ErrorCodes.Slip39PassphraseMaybe, false => null }, e.Code);
    }
}
