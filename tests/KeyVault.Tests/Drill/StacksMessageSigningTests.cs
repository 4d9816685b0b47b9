using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>
/// The Stacks signed-message format against the vectors published in stacks.js
/// (packages/encryption/tests/messageSignature.test.ts and packages/transactions/tests/keys.test.ts).
/// </summary>
public class StacksMessageSigningTests
{
    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    [Fact]
    public void Hash_of_hello_world_matches_stacks_js()
    {
        Assert.Equal("619997693db23de4b92ed152444a578a134143d9ad2c0f4dff2615de9d42ad96",
            Hex.Encode(StacksMessageSigning.Hash("hello world")));
    }

    [Fact]
    public void Encoding_matches_stacks_js_for_short_empty_and_long_messages()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("\x17Stacks Signed Message:\n\x0bhello world"), StacksMessageSigning.Encode("hello world"));
        Assert.Equal(Encoding.UTF8.GetBytes("\x17Stacks Signed Message:\n\0"), StacksMessageSigning.Encode(""));
        var sentence = "This is a really long message to test the var_int prefix";
        var longMessage = string.Join(" ", Enumerable.Repeat(sentence, 5));
        Assert.Equal(284, longMessage.Length);
        var encoded = StacksMessageSigning.Encode(longMessage);
        Assert.Equal(new byte[] { 253, 28, 1 }, encoded[24..27]);
        Assert.Equal(Encoding.UTF8.GetBytes(longMessage), encoded[27..]);
    }

    [Fact]
    public void Length_counts_utf8_bytes_not_characters()
    {
        var encoded = StacksMessageSigning.Encode("\u00e9\u20ac"); // 2 + 3 bytes
        Assert.Equal(5, encoded[24]);
        Assert.Equal(24 + 1 + 5, encoded.Length);
    }

    [Fact]
    public void Published_wallet_signature_verifies_and_recovers_its_key()
    {
        const string message = "You are saying that you want to perform action XYZ.";
        const string publicKey = "024cce41b91566d70ec2ed6eb161c6ef9c277bdc034738318ed06f1d5ba09546d6";
        const string signature = "29ef6d718235e5fc32a1b90dd8fc7fa9403fa1b55c2dce46374570b7f3a4815d0215b8565f29a33ef8132dc0db6b00a5f13d85d6aff5c1171271818b9928928c01";
        Assert.Equal("650ff1a80ea3fab019b383d4385fcc52bb4d1cbce4713f3e95889013be3569a5", Hex.Encode(StacksMessageSigning.Hash(message)));
        var sig = Hex.TryDecode(signature)!;
        var key = PublicKey.ParseHex(publicKey);
        Assert.True(StacksMessageSigning.Verify(key, message, sig));
        Assert.Equal(publicKey, StacksMessageSigning.RecoverPublicKey(message, sig)!.Hex66);
        Assert.Equal("STGSJA8EMYDBAJDX6Z4ED8CWW071B6NB97SRAM1E", key.StacksAddress(StacksNetwork.Testnet));
        Assert.False(StacksMessageSigning.Verify(key, message + " ", sig));
    }

    [Fact]
    public void SignHash_reproduces_stacks_js_signMessageHashRsv_vector()
    {
        using var key = Key("bcf62fdd286f9b30b2c289cce3189dbf3b502dcd955b2dc4f67d18d77f3e73c7");
        var hash = SHA256.HashData("Hello World"u8);
        Assert.Equal("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e", Hex.Encode(hash));
        Assert.Equal("f540e429fc6e8a4c27f2782479e739cae99aa21e8cb25d4436f333577bc791cd1d9672055dd1604dd5194b88076e4f859dd93c834785ed589ec38291698d414200",
            Hex.Encode(StacksMessageSigning.SignHash(key, hash)));
        Assert.Equal("0290255f88fa311f5dee9425ce33d7d516c24157e2aae8e25a6c631dd6f7322aef", key.PublicKey.Hex66);
    }

    [Fact]
    public void SignHash_reproduces_the_noble_vector_stacks_js_carries()
    {
        using var key = Key("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        var hash = SHA256.HashData("greetings from noble"u8);
        Assert.Equal("011a775441ecb14943130a16f00cdd41818a83dd04372f3259e3ca7237e3cdaa", Hex.Encode(hash));
        var sig = StacksMessageSigning.SignHash(key, hash);
        Assert.Equal(BigInteger.Parse("114926983411733245831514739773229123958640458736536797227773647312126690926912"),
            new BigInteger(sig.AsSpan(0, 32), isUnsigned: true, isBigEndian: true));
        Assert.Equal(BigInteger.Parse("3148023981578716756961627923124903910422344826113324160219886779423594190576"),
            new BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void Sign_is_deterministic_low_s_and_verifies_only_for_its_key_and_message()
    {
        using var key = Key(TestKeys.Key1);
        using var other = Key(TestKeys.Key2);
        var half = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber) / 2;
        for (int i = 0; i < 32; i++)
        {
            var message = $"drill message {i}";
            var sig = StacksMessageSigning.Sign(key, message);
            Assert.Equal(sig, StacksMessageSigning.Sign(key, message));
            Assert.True(new BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true) <= half);
            Assert.InRange(sig[64], 0, 1);
            Assert.True(StacksMessageSigning.Verify(key.PublicKey, message, sig));
            Assert.Equal(key.PublicKey, StacksMessageSigning.RecoverPublicKey(message, sig));
            Assert.False(StacksMessageSigning.Verify(other.PublicKey, message, sig));
            Assert.False(StacksMessageSigning.Verify(key.PublicKey, message + ".", sig));
        }
    }

    [Fact]
    public void Wrong_recovery_id_high_s_and_bad_lengths_are_rejected()
    {
        using var key = Key(TestKeys.Key1);
        const string message = "keyvault";
        var sig = StacksMessageSigning.Sign(key, message);

        var flippedId = (byte[])sig.Clone();
        flippedId[64] ^= 1;
        Assert.False(StacksMessageSigning.Verify(key.PublicKey, message, flippedId));

        var badId = (byte[])sig.Clone();
        badId[64] = 4;
        Assert.Null(StacksMessageSigning.RecoverPublicKey(message, badId));

        // (r, n - s) with the other parity is the same signature in high-s form; strict verification refuses it.
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var highS = (byte[])sig.Clone();
        (n - s).TryWriteBytes(highS.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        highS[64] ^= 1;
        Assert.False(StacksMessageSigning.Verify(key.PublicKey, message, highS));

        Assert.False(StacksMessageSigning.Verify(key.PublicKey, message, sig.AsSpan(0, 64)));
        Assert.Null(StacksMessageSigning.RecoverPublicKey(message, new byte[65]));
    }
}
