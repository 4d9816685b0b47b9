using System.Text.Json;
using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

public class IdentityCommandTests
{
    [Fact]
    public void Identity_of_a_config_file_prints_the_signers_identity()
    {
        using var dir = new TempDir();
        var config = dir.File("signer-config.toml");
        File.WriteAllText(config, $"[signer]\nnetwork = \"testnet\"\nprivate_key = \"{TestKeys.Key1}01\"\n");
        var console = new TestConsole();
        Assert.Equal(ExitCode.Success, console.Run("identity", "--from", config));
        Assert.Contains(TestKeys.Key1PublicKey, console.StdoutText);
        Assert.Contains(TestKeys.Key1Mainnet, console.StdoutText);
        Assert.Contains(TestKeys.Key1Testnet, console.StdoutText);
        Assert.Contains(TestKeys.Key1PeerId, console.StdoutText);
        Assert.DoesNotContain(TestKeys.Key1, console.StdoutText + console.StderrText);
    }

    [Fact]
    public void Json_output_is_one_object_with_the_documented_fields()
    {
        var console = new TestConsole().WithStdin($"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n");
        Assert.Equal(0, console.Run("identity", "--from", "-", "--json"));
        using var doc = JsonDocument.Parse(console.StdoutText);
        var root = doc.RootElement;
        Assert.Equal(["publicKey", "fingerprint", "stacksAddress", "peerId"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TestKeys.Key1PublicKey, root.GetProperty("publicKey").GetString());
        Assert.Equal(TestKeys.Key1Mainnet, root.GetProperty("stacksAddress").GetProperty("mainnet").GetString());
        Assert.Equal(TestKeys.Key1Testnet, root.GetProperty("stacksAddress").GetProperty("testnet").GetString());
        Assert.Equal(TestKeys.Key1PeerId, root.GetProperty("peerId").GetString());
        Assert.Matches("^[0-9a-f]{8}$", root.GetProperty("fingerprint").GetString());
        Assert.Equal("", console.StderrText);
    }

    [Fact]
    public void Identity_of_a_public_key_needs_no_secret()
    {
        var console = new TestConsole();
        Assert.Equal(0, console.Run("identity", "--public-key", TestKeys.Key2PublicKey));
        Assert.Contains(TestKeys.Key2Mainnet, console.StdoutText);
    }

    [Theory]
    [InlineData("0x" + TestKeys.Key1, "0x")]
    [InlineData(TestKeys.Key1 + "02", "does not end in 01")]
    [InlineData("[signer]\nnetwork = \"mainnet\"\n", "no private key")]
    public void Bad_input_is_one_error_line_a_hint_and_exit_code_2(string content, string messagePart)
    {
        var console = new TestConsole().WithStdin(content);
        Assert.Equal(ExitCode.BadInput, console.Run("identity", "--from", "-"));
        var lines = console.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("keyvault: error: ", lines[0]);
        Assert.Contains(messagePart, lines[0]);
        Assert.StartsWith("keyvault: hint: ", lines[1]);
        Assert.Equal("", console.StdoutText);
        Keys.KeyImportTests.AssertNoKeyMaterial(console.StderrText, content);
    }

    [Theory]
    [InlineData(TestKeys.Key1)]
    [InlineData(TestKeys.Key1 + "01")]
    [InlineData("duckling enlarge academic academic agency result length solution fridge kidney coal piece deal husband")]
    public void A_secret_given_where_a_file_name_belongs_is_never_repeated(string secret)
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("identity", "--from", secret));
        Assert.Contains("looks like a key or a share", console.StderrText);
        Keys.KeyImportTests.AssertNoKeyMaterial(console.StderrText, secret);
        Assert.DoesNotContain("fridge kidney", console.StderrText);
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("identity", "--from", "/nonexistent/signer.toml"));
        Assert.Contains("does not exist", console.StderrText);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("identity", "--from", "a", "--public-key", TestKeys.Key1PublicKey)]
    [InlineData("identity", "--bogus")]
    [InlineData("identity", "--format", "wif", "--from", "-")]
    [InlineData("no-such-command")]
    public void Usage_errors_exit_with_1(params string[] args)
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run(args));
    }

    [Fact]
    public void Version_and_help_are_available()
    {
        var console = new TestConsole();
        Assert.Equal(0, console.Run("--version"));
        Assert.Matches(@"^\d+\.\d+\.\d+", console.StdoutText);
        var help = new TestConsole();
        Assert.Equal(0, help.Run("identity", "--help"));
        Assert.Contains("--public-key", help.StdoutText);
    }
}
