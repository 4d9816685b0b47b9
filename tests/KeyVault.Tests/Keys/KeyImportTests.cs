using System.Text;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Keys;

public class KeyImportTests
{
    private static SecretKey Import(string text, KeyInputFormat format = KeyInputFormat.Auto) =>
        SignerKeyFormats.Import(Encoding.UTF8.GetBytes(text), format);

    public static TheoryData<string, KeyInputFormat> AcceptedInputs => new()
    {
        { TestKeys.Key1, KeyInputFormat.Hex },
        { TestKeys.Key1 + "\n", KeyInputFormat.Hex },
        { TestKeys.Key1 + "01\r\n", KeyInputFormat.Hex },
        { TestKeys.Key1.ToUpperInvariant(), KeyInputFormat.Hex },
        { "\uFEFF" + TestKeys.Key1, KeyInputFormat.Hex },
        { $"[signer]\nnetwork = \"testnet\"\nprivate_key = \"{TestKeys.Key1}01\"\n", KeyInputFormat.SbtcToml },
        { $"# sBTC\n[blocklist_client]\nendpoint = \"http://x\"\n\n[signer]\nprivate_key = '{TestKeys.Key1}'\n", KeyInputFormat.SbtcToml },
        { $"node_host = \"127.0.0.1:20443\"\nstacks_private_key = \"{TestKeys.Key1}01\"\nnetwork = \"testnet\"\n", KeyInputFormat.SbtcToml },
        { $"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n", KeyInputFormat.Env },
        { $"# env\nRUST_LOG=info\nexport SIGNER_SIGNER__PRIVATE_KEY=\"{TestKeys.Key1}01\"\n", KeyInputFormat.Env },
        { $"SIGNER_SIGNER__PRIVATE_KEY='{TestKeys.Key1}'", KeyInputFormat.Env },
        { $"SIGNER_SIGNER__PRIVATE_KEY = {TestKeys.Key1}  \r\nOTHER=1\r\n", KeyInputFormat.Env },
    };

    [Theory]
    [MemberData(nameof(AcceptedInputs))]
    public void Accepted_inputs_are_detected_and_give_the_key(string text, KeyInputFormat detected)
    {
        var body = text.TrimStart('\uFEFF');
        Assert.Equal(detected, SignerKeyFormats.Detect(body));
        using var key = Import(text);
        Assert.Equal(TestKeys.Key1PublicKey, key.PublicKey.Hex66);
    }

    [Fact]
    public void A_forced_stacks_format_reads_stacks_private_key()
    {
        using var key = Import($"stacks_private_key = \"{TestKeys.Key2}01\"\n", KeyInputFormat.StacksToml);
        Assert.Equal(TestKeys.Key2PublicKey, key.PublicKey.Hex66);
        var ex = Assert.Throws<KeyVaultException>(() => Import($"[signer]\nprivate_key = \"{TestKeys.Key2}\"\n", KeyInputFormat.StacksToml));
        Assert.Contains("no private key", ex.Message);
    }

    public static TheoryData<string, string> RejectedInputs => new()
    {
        { TestKeys.Key1[..63], "63 characters" },
        { TestKeys.Key1 + "0", "65 characters" },
        { TestKeys.Key1 + "011", "67 characters" },
        { "", "0 characters" },
        { TestKeys.Key1[..10] + "g" + TestKeys.Key1[11..], "non-hex character at position 11" },
        { "0x" + TestKeys.Key1, "0x" },
        { "0X" + TestKeys.Key1, "0x" },
        { TestKeys.Key1[..32] + " " + TestKeys.Key1[32..], "whitespace" },
        { " " + TestKeys.Key1, "whitespace" },
        { TestKeys.Key1 + "\n\n", "whitespace" },
        { TestKeys.Key1 + "02", "does not end in 01" },
        { TestKeys.Key1 + "00", "does not end in 01" },
        { new string('0', 64), "not a valid secp256k1 key" },
        { "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not a valid secp256k1 key" }, // n
        { "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", "not a valid secp256k1 key" }, // n + 1
        { new string('f', 64), "not a valid secp256k1 key" },
        { "[signer]\nnetwork = \"mainnet\"\n", "no private key" },
        { "[signer]\nprivate_key = 12\n", "not a string" },
        { $"stacks_private_key = \"{TestKeys.Key1}\"\n[signer]\nprivate_key = \"{TestKeys.Key2}\"\n", "more than one private key" },
        { $"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\nSIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key2}\n", "more than one private key" },
        { $"{TestKeys.Key1}\n{TestKeys.Key2}01\n", "more than one private key (2 lines" },
        { $"SIGNER_SIGNER__PRIVATE_KEY=\"{TestKeys.Key1}\n", "not of the form" },
        { $"SIGNER_SIGNER__PRIVATE_KEY=\"{TestKeys.Key1}'\n", "not of the form" },
        { "[signer\nprivate_key = \"x\"\n", "not valid TOML" },
        { $"[signer]\nprivate_key = \"{TestKeys.Key1}02\"\n", "does not end in 01" },
    };

    [Theory]
    [MemberData(nameof(RejectedInputs))]
    public void Rejected_inputs_name_the_rule_and_never_the_key(string text, string expectedMessagePart)
    {
        var ex = Assert.Throws<KeyVaultException>(() => Import(text));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains(expectedMessagePart, ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(ex.Hint), "every error carries a hint");
        AssertNoKeyMaterial(ex.Message + ex.Hint, text);
    }

    [Fact]
    public void An_env_file_without_the_variable_is_not_taken_as_a_key()
    {
        var ex = Assert.Throws<KeyVaultException>(() => Import("RUST_LOG=info\nOTHER=2\n"));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        ex = Assert.Throws<KeyVaultException>(() => Import("RUST_LOG=info\n", KeyInputFormat.Env));
        Assert.Contains("no private key found in the env file", ex.Message);
    }

    [Fact]
    public void Non_utf8_input_is_rejected()
    {
        var ex = Assert.Throws<KeyVaultException>(() => SignerKeyFormats.Import(new byte[] { 0x41, 0xff, 0xfe }));
        Assert.Contains("UTF-8", ex.Message);
    }

    [Fact]
    public void Random_keys_round_trip_through_every_output_format()
    {
        for (int i = 0; i < 40; i++)
        {
            using var key = KeyGenerator.Generate();
            foreach (var format in Enum.GetValues<KeyOutputFormat>())
            {
                var written = SignerKeyFormats.Export(key, format);
                using var auto = SignerKeyFormats.Import(written);
                Assert.Equal(key.PublicKey, auto.PublicKey);
                var forced = format switch
                {
                    KeyOutputFormat.Hex or KeyOutputFormat.Stacks => KeyInputFormat.Hex,
                    KeyOutputFormat.SbtcToml => KeyInputFormat.SbtcToml,
                    _ => KeyInputFormat.Env,
                };
                using var again = SignerKeyFormats.Import(written, forced);
                Assert.Equal(key.PublicKey, again.PublicKey);
            }
        }
    }

    [Fact]
    public void Export_writes_exactly_what_each_signer_reads()
    {
        using var key = SignerKeyFormats.ParseHex(TestKeys.Key1);
        Assert.Equal(TestKeys.Key1 + "\n", Encoding.UTF8.GetString(SignerKeyFormats.Export(key, KeyOutputFormat.Hex)));
        Assert.Equal(TestKeys.Key1 + "01\n", Encoding.UTF8.GetString(SignerKeyFormats.Export(key, KeyOutputFormat.Stacks)));
        Assert.Equal($"[signer]\nprivate_key = \"{TestKeys.Key1}\"\n", Encoding.UTF8.GetString(SignerKeyFormats.Export(key, KeyOutputFormat.SbtcToml)));
        Assert.Equal($"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n", Encoding.UTF8.GetString(SignerKeyFormats.Export(key, KeyOutputFormat.Env)));
    }

    /// <summary>No 8-character run of hex from the input may appear in an error text.</summary>
    internal static void AssertNoKeyMaterial(string errorText, string input)
    {
        var hexRuns = System.Text.RegularExpressions.Regex.Matches(input, "[0-9a-fA-F]{8,}");
        foreach (System.Text.RegularExpressions.Match run in hexRuns)
            for (int i = 0; i + 8 <= run.Value.Length; i++)
                Assert.DoesNotContain(run.Value.Substring(i, 8), errorText, StringComparison.OrdinalIgnoreCase);
    }
}
