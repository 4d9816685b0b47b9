using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Keys;

/// <summary>The vectors of sbtc-facts.md, which come from the signers' own repositories.</summary>
public class IdentityVectorTests
{
    [Theory]
    [InlineData(TestKeys.Key1 + "01", TestKeys.Key1PublicKey, TestKeys.Key1Testnet, TestKeys.Key1Mainnet)]
    [InlineData(TestKeys.Key2 + "01", TestKeys.Key2PublicKey, TestKeys.Key2Testnet, TestKeys.Key2Mainnet)]
    public void Public_key_and_addresses_match_the_signers(string configValue, string publicKey, string testnet, string mainnet)
    {
        using var key = SignerKeyFormats.ParseHex(configValue);
        var id = key.PublicKey.Identity();
        Assert.Equal(publicKey, id.PublicKey);
        Assert.Equal(testnet, id.TestnetAddress);
        Assert.Equal(mainnet, id.MainnetAddress);
        Assert.Equal(testnet, key.PublicKey.StacksAddress(StacksNetwork.Testnet));
        Assert.Equal(mainnet, key.PublicKey.StacksAddress(StacksNetwork.Mainnet));
    }

    [Theory]
    [InlineData(TestKeys.Key3, TestKeys.Key3PeerId)]
    [InlineData(TestKeys.Key1, TestKeys.Key1PeerId)]
    public void PeerId_matches_the_signer(string hex, string peerId)
    {
        using var key = SignerKeyFormats.ParseHex(hex);
        Assert.Equal(peerId, key.PublicKey.PeerId);
        Assert.StartsWith("16Uiu2HA", key.PublicKey.PeerId);
    }

    [Theory]
    [InlineData(TestKeys.Key1PublicKey, TestKeys.Key1Mainnet)]
    [InlineData(TestKeys.Key2PublicKey, TestKeys.Key2Testnet)]
    public void Fingerprint_is_the_first_four_bytes_of_the_hash160_inside_the_address(string publicKey, string address)
    {
        // The address carries hash160 independently of our Hash160 helper: decode it and compare.
        Assert.True(C32.TryCheckDecode(address, out _, out var hash160));
        var pk = PublicKey.ParseHex(publicKey);
        Assert.Equal(Hex.Encode(hash160.AsSpan(0, 4)), pk.Fingerprint);
        Assert.Equal(hash160, pk.Hash160());
    }

    [Fact]
    public void A_64_character_key_and_its_66_character_form_are_the_same_key()
    {
        using var a = SignerKeyFormats.ParseHex(TestKeys.Key1);
        using var b = SignerKeyFormats.ParseHex(TestKeys.Key1 + "01");
        using var c = SignerKeyFormats.ParseHex(TestKeys.Key1.ToUpperInvariant() + "01");
        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.Equal(a.PublicKey, c.PublicKey);
    }

    [Fact]
    public void The_public_key_parser_rejects_points_not_on_the_curve()
    {
        // x = 5 has no square root on secp256k1 for y² = x³ + 7.
        var bad = "02" + new string('0', 63) + "5";
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => PublicKey.ParseHex(bad));
        Assert.Equal(KeyVault.Errors.ErrorKind.BadInput, ex.Kind);
        Assert.Throws<KeyVault.Errors.KeyVaultException>(() => PublicKey.ParseHex("04" + TestKeys.Key1PublicKey[2..]));
        Assert.Throws<KeyVault.Errors.KeyVaultException>(() => PublicKey.ParseHex(TestKeys.Key1PublicKey[..64]));
    }
}
