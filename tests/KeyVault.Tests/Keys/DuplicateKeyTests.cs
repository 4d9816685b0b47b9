using System.Text;
using KeyVault.Cli;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Keys;

/// <summary>
/// A config that names the key twice is refused, never read "last one wins": the operator would get a key that is
/// not the one they meant. TOML itself forbids a key or a table defined twice.
/// </summary>
public class DuplicateKeyTests
{
    public static TheoryData<string, string> Ambiguous => new()
    {
        { "private_key twice in [signer]", $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\nprivate_key = \"{TestKeys.Key2}\"\n" },
        { "the same key twice", $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\nprivate_key = \"{TestKeys.Key1}\"\n" },
        { "[signer] twice", $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\n\n[signer]\nprivate_key = \"{TestKeys.Key2}\"\n" },
        { "[signer] twice, the key once", $"[signer]\nnetwork = \"testnet\"\n\n[signer]\nprivate_key = \"{TestKeys.Key2}\"\n" },
        { "stacks_private_key twice", $"stacks_private_key = \"{TestKeys.Key1}\"\nstacks_private_key = \"{TestKeys.Key2}\"\n" },
        { "an env line and a TOML key", $"SIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n[signer]\nprivate_key = \"{TestKeys.Key2}\"\n" },
        { "a TOML key and an env line", $"stacks_private_key = \"{TestKeys.Key2}\"\nSIGNER_SIGNER__PRIVATE_KEY={TestKeys.Key1}\n" },
    };

    [Theory]
    [MemberData(nameof(Ambiguous))]
    public void A_key_given_twice_is_refused_as_bad_input(string why, string text)
    {
        var ex = Assert.Throws<KeyVaultException>(() => SignerKeyFormats.Import(Encoding.UTF8.GetBytes(text)));
        Assert.True(ex.Kind == ErrorKind.BadInput, $"{why}: {ex.Kind} {ex.Message}");
        Assert.DoesNotContain(TestKeys.Key1, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestKeys.Key2, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Identity_of_a_config_with_a_duplicated_key_exits_2()
    {
        using var dir = new TempDir();
        var config = dir.File("signer-config.toml");
        File.WriteAllText(config, $"[signer]\nprivate_key = \"{TestKeys.Key1}\"\nprivate_key = \"{TestKeys.Key2}\"\n");
        var console = new TestConsole();
        Assert.Equal(ExitCode.BadInput, console.Run("identity", "--from", config));
        Assert.Empty(console.StdoutText);
        Assert.Contains("keyvault: error:", console.StderrText);
    }
}
