using System.Security.Cryptography;
using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>Encrypts the way the sBTC signer does (wsts::util::encrypt): nonce(12) || AES-256-GCM(raw key) ciphertext || tag(16).</summary>
internal static class SignerEncryption
{
    public static byte[] Encrypt(string keyHex, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> nonce)
    {
        var key = Hex.TryDecode(keyHex)!;
        var blob = new byte[12 + plaintext.Length + 16];
        nonce.CopyTo(blob);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(12, plaintext.Length), blob.AsSpan(12 + plaintext.Length));
        return blob;
    }

    public static byte[] Encrypt(string keyHex, ReadOnlySpan<byte> plaintext) =>
        Encrypt(keyHex, plaintext, RandomNumberGenerator.GetBytes(12));
}

public class DkgSharesTests
{
    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    // Stands in for a protobuf SignerState; its content is irrelevant to the tag check.
    private static readonly byte[] Plaintext = Enumerable.Range(0, 300).Select(i => unchecked((byte)(i * 7))).ToArray();

    [Fact]
    public void Blob_opens_with_the_key_it_was_encrypted_under_and_not_with_another()
    {
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, Plaintext);
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        Assert.True(DkgShares.Opens(key1, blob));
        Assert.Equal(DkgBlobOutcome.Opened, DkgShares.Check(key1, blob));
        Assert.False(DkgShares.Opens(key2, blob));
        Assert.Equal(DkgBlobOutcome.NotOpened, DkgShares.Check(key2, blob));
    }

    [Fact]
    public void Any_flipped_bit_in_nonce_ciphertext_or_tag_stops_it_opening()
    {
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, Plaintext);
        using var key = Key(TestKeys.Key1);
        foreach (var index in new[] { 0, 11, 12, 12 + Plaintext.Length / 2, 12 + Plaintext.Length - 1, blob.Length - 16, blob.Length - 1 })
        {
            var damaged = (byte[])blob.Clone();
            damaged[index] ^= 0x01;
            Assert.Equal(DkgBlobOutcome.NotOpened, DkgShares.Check(key, damaged));
        }
    }

    [Fact]
    public void Truncated_blobs_do_not_open_and_too_short_ones_are_malformed()
    {
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, Plaintext);
        using var key = Key(TestKeys.Key1);
        Assert.Equal(DkgBlobOutcome.NotOpened, DkgShares.Check(key, blob.AsSpan(0, blob.Length - 1)));
        Assert.Equal(DkgBlobOutcome.NotOpened, DkgShares.Check(key, blob.AsSpan(0, 40)));
        Assert.Equal(DkgBlobOutcome.Malformed, DkgShares.Check(key, blob.AsSpan(0, 27)));
        Assert.Equal(DkgBlobOutcome.Malformed, DkgShares.Check(key, []));
    }

    [Fact]
    public void Empty_plaintext_is_still_authenticated()
    {
        var blob = SignerEncryption.Encrypt(TestKeys.Key1, []);
        Assert.Equal(28, blob.Length);
        using var key1 = Key(TestKeys.Key1);
        using var key2 = Key(TestKeys.Key2);
        Assert.True(DkgShares.Opens(key1, blob));
        Assert.False(DkgShares.Opens(key2, blob));
    }

    [Theory]
    [InlineData("\\x00112233445566778899aabbccddeeff", "00112233445566778899aabbccddeeff")]
    [InlineData("0x00112233445566778899AABBCCDDEEFF\n", "00112233445566778899aabbccddeeff")]
    [InlineData("  0X0011 2233\n4455\r\n66778899aabbccddeeff  ", "00112233445566778899aabbccddeeff")]
    [InlineData("00ff", "00ff")]
    public void Blob_hex_accepts_psql_and_0x_forms(string text, string expected)
    {
        Assert.Equal(expected, Hex.Encode(DkgShares.ParseBlobHex(text)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" \\x \n", "empty")]
    [InlineData("abc", "odd")]
    [InlineData("\\x00g1", "position 5")]
    [InlineData("  0x12 3z", "position 9")]
    public void Malformed_blob_hex_is_refused(string text, string expected)
    {
        var ex = Assert.Throws<KeyVaultException>(() => DkgShares.ParseBlobHex(text));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains(expected, ex.Message);
        Assert.NotNull(ex.Hint);
    }

    [Fact]
    public void Checks_describe_each_outcome_and_never_the_plaintext()
    {
        var opened = DrillCheck.FromDkgBlob("shares.hex", DkgBlobOutcome.Opened, 328);
        Assert.Equal((DrillCheck.DkgSharesName, "shares.hex", DrillCheckResult.Pass), (opened.Name, opened.Subject, opened.Result));
        Assert.Contains("opened", opened.Detail);
        var notOpened = DrillCheck.FromDkgBlob("shares.hex", DkgBlobOutcome.NotOpened, 328);
        Assert.Equal(DrillCheckResult.Fail, notOpened.Result);
        Assert.StartsWith("not opened", notOpened.Detail);

        var row = new DkgShareRow(Hex.TryDecode(TestKeys.Key2PublicKey)!, SignerEncryption.Encrypt(TestKeys.Key1, Plaintext), "verified",
            new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var key = Key(TestKeys.Key1);
        var check = DrillCheck.FromDkgRow(Assert.Single(DkgShareRows.CheckAll(key, [row])));
        Assert.Equal(TestKeys.Key2PublicKey, check.Subject);
        Assert.Equal(DrillCheckResult.Pass, check.Result);
        Assert.Contains("status verified", check.Detail);
        Assert.Contains("2025-03-01T12:00:00Z", check.Detail);
        Assert.DoesNotContain(Hex.Encode(Plaintext.AsSpan(0, 8)), check.Detail);
    }
}
