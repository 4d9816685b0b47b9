using System.Text;
using KeyVault.Codecs;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

public class ExpectedIdentityTests
{
    private static PublicKey Key1 => PublicKey.ParseHex(TestKeys.Key1PublicKey);
    private static PublicKey Key2 => PublicKey.ParseHex(TestKeys.Key2PublicKey);

    private static ExpectedIdentity FromFile(string text) => ExpectedIdentity.FromFileContent(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(TestKeys.Key1PublicKey)]
    [InlineData("  035249137286C077CCEE65ECC43E724B9B9E5A588E3D7F51E3B62F9624C2A49E46\n")]
    public void Public_key_value_matches_only_its_key(string value)
    {
        var expected = ExpectedIdentity.ParseValue(value);
        Assert.Equal(ExpectedIdentityKind.PublicKey, expected.Kind);
        Assert.Equal(TestKeys.Key1PublicKey, expected.Value);

        var match = expected.Match(Key1);
        Assert.True(match.Matches);
        Assert.Equal("publicKey", Assert.Single(match.Fields).Field);

        var mismatch = expected.Match(Key2);
        Assert.False(mismatch.Matches);
        var field = Assert.Single(mismatch.Fields);
        Assert.Equal(TestKeys.Key1PublicKey, field.Expected);
        Assert.Equal(TestKeys.Key2PublicKey, field.Derived);
    }

    [Theory]
    [InlineData(TestKeys.Key1Mainnet, StacksNetwork.Mainnet, "stacksAddress.mainnet")]
    [InlineData(TestKeys.Key1Testnet, StacksNetwork.Testnet, "stacksAddress.testnet")]
    public void Address_compares_hash160_on_its_own_network(string address, StacksNetwork network, string field)
    {
        var expected = ExpectedIdentity.ParseValue(address.ToLowerInvariant());
        Assert.Equal(ExpectedIdentityKind.StacksAddress, expected.Kind);
        Assert.Null(expected.PublicKey);
        Assert.Equal(network, expected.Network);
        Assert.Equal(address, expected.Value); // canonical upper-case form

        var match = expected.Match(Key1);
        Assert.True(match.Matches);
        Assert.Equal(field, Assert.Single(match.Fields).Field);

        var mismatch = Assert.Single(expected.Match(Key2).Fields);
        Assert.False(mismatch.Equal);
        Assert.Equal(Key2.StacksAddress(network), mismatch.Derived);
    }

    [Fact]
    public void Address_with_a_wrong_checksum_is_refused()
    {
        var broken = TestKeys.Key1Mainnet[..^1] + (TestKeys.Key1Mainnet[^1] == '0' ? '1' : '0');
        var ex = Assert.Throws<KeyVaultException>(() => ExpectedIdentity.ParseValue(broken));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("c32check", ex.Message);
        Assert.NotNull(ex.Hint);
    }

    [Theory]
    [InlineData(20, "SM")]
    [InlineData(21, "SN")]
    public void Multisig_addresses_are_refused_with_a_reason(byte version, string prefix)
    {
        var address = C32.CheckEncode(version, Key1.Hash160());
        Assert.StartsWith(prefix, address);
        var ex = Assert.Throws<KeyVaultException>(() => ExpectedIdentity.ParseValue(address));
        Assert.Contains("multi-signature", ex.Message);
    }

    [Fact]
    public void Other_address_versions_are_refused()
    {
        var ex = Assert.Throws<KeyVaultException>(() => ExpectedIdentity.ParseValue(C32.CheckEncode(0, Key1.Hash160())));
        Assert.Contains("version 0", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("0x035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46")]
    [InlineData(TestKeys.Key1)] // a private key given by mistake: refused, and never echoed
    public void Values_that_are_neither_key_nor_address_are_refused_without_echo(string value)
    {
        var ex = Assert.Throws<KeyVaultException>(() => ExpectedIdentity.ParseValue(value));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        if (value.Trim().Length > 0) Assert.DoesNotContain(value.Trim(), ex.Message + ex.Hint);
    }

    [Fact]
    public void Sixty_six_hex_characters_off_the_curve_are_refused()
    {
        var notAPoint = "02" + new string('f', 64); // x = 2^256 - 1 is above the field prime
        Assert.Throws<KeyVaultException>(() => ExpectedIdentity.ParseValue(notAPoint));
    }

    [Fact]
    public void Identity_json_written_by_keyvault_identity_is_accepted_and_compares_every_field()
    {
        var console = new TestConsole();
        Assert.Equal(0, console.Run("identity", "--public-key", TestKeys.Key1PublicKey, "--json"));

        var expected = FromFile(console.StdoutText);
        Assert.Equal(ExpectedIdentityKind.IdentityFile, expected.Kind);
        Assert.Equal(Key1, expected.PublicKey);

        var match = expected.Match(Key1);
        Assert.True(match.Matches);
        Assert.Equal(["publicKey", "fingerprint", "stacksAddress.mainnet", "stacksAddress.testnet", "peerId"],
            match.Fields.Select(f => f.Field).ToArray());
        var mismatch = expected.Match(Key2);
        Assert.All(mismatch.Fields, f => Assert.False(f.Equal));
        Assert.Equal(TestKeys.Key1PeerId, mismatch.Fields[^1].Expected);
    }

    private static string IdentityJson(string publicKey, string fingerprint, string mainnet, string testnet, string peerId) =>
        $$"""{"publicKey":"{{publicKey}}","fingerprint":"{{fingerprint}}","stacksAddress":{"mainnet":"{{mainnet}}","testnet":"{{testnet}}"},"peerId":"{{peerId}}"}""";

    [Theory]
    [InlineData("publicKey")]
    [InlineData("fingerprint")]
    [InlineData("stacksAddress.mainnet")]
    [InlineData("stacksAddress.testnet")]
    [InlineData("peerId")]
    public void Identity_json_that_mixes_two_keys_is_refused_naming_the_field(string field)
    {
        var k1 = Key1.Identity();
        var k2 = Key2.Identity();
        string json = field switch
        {
            // An upper-case key is the same key but not what the tool writes: the file was edited.
            "publicKey" => IdentityJson(k1.PublicKey.ToUpperInvariant(), k1.Fingerprint, k1.MainnetAddress, k1.TestnetAddress, k1.PeerId),
            "fingerprint" => IdentityJson(k1.PublicKey, k2.Fingerprint, k1.MainnetAddress, k1.TestnetAddress, k1.PeerId),
            "stacksAddress.mainnet" => IdentityJson(k1.PublicKey, k1.Fingerprint, k2.MainnetAddress, k1.TestnetAddress, k1.PeerId),
            "stacksAddress.testnet" => IdentityJson(k1.PublicKey, k1.Fingerprint, k1.MainnetAddress, k2.TestnetAddress, k1.PeerId),
            _ => IdentityJson(k1.PublicKey, k1.Fingerprint, k1.MainnetAddress, k1.TestnetAddress, k2.PeerId),
        };
        var ex = Assert.Throws<KeyVaultException>(() => FromFile(json));
        Assert.Contains($"\"{field}\"", ex.Message);
        Assert.Contains("not self-consistent", ex.Message);
    }

    [Theory]
    [InlineData("""{"publicKey":"035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46"}""", "fingerprint")]
    [InlineData("""{"publicKey":1}""", "publicKey")]
    [InlineData("""{"publicKey":"035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46","fingerprint":"8f8a2ab2","stacksAddress":"x","peerId":"p"}""", "stacksAddress")]
    public void Identity_json_with_missing_fields_is_refused(string json, string field)
    {
        var ex = Assert.Throws<KeyVaultException>(() => FromFile(json));
        Assert.Contains($"\"{field}\"", ex.Message);
    }

    [Fact]
    public void Broken_identity_json_is_refused_with_its_position()
    {
        var ex = Assert.Throws<KeyVaultException>(() => FromFile("{\"publicKey\": \n"));
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains("line", ex.Message);
    }

    [Theory]
    [InlineData("[signer]\nnetwork = \"testnet\"\nprivate_key = \"" + TestKeys.Key1 + "\"\n")]
    [InlineData("stacks_private_key = \"" + TestKeys.Key1 + "01\"\nnode_host = \"127.0.0.1:20443\"\n")]
    [InlineData("SIGNER_SIGNER__PRIVATE_KEY=" + TestKeys.Key1 + "\n")]
    public void Signer_config_gives_its_public_identity(string config)
    {
        var expected = FromFile(config);
        Assert.Equal(ExpectedIdentityKind.SignerConfig, expected.Kind);
        Assert.Equal(TestKeys.Key1PublicKey, expected.Value);
        Assert.True(expected.Match(Key1).Matches);
        Assert.False(expected.Match(Key2).Matches);
        Assert.DoesNotContain(TestKeys.Key1, expected.ToString());
    }

    [Fact]
    public void Malformed_signer_config_reports_the_key_layer_error()
    {
        var ex = Assert.Throws<KeyVaultException>(() => FromFile("[signer]\nprivate_key = \"abc\"\n"));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("3 characters", ex.Message);
    }
}
