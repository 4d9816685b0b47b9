using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The self-contained single-file executable, as the air-gapped laptop receives it. ./test.sh publishes it and
/// sets KEYVAULT_PUBLISHED; a plain `dotnet test` skips these (CI fails instead).
/// </summary>
public class PublishedBinaryTests
{
    private static string Binary() => PublishedKeyvault.Path();

    [Fact]
    public void Published_binary_reports_its_version()
    {
        var (code, stdout, _) = External.Run(Binary(), "--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public void Published_binary_derives_the_identity_of_a_vector_key()
    {
        using var dir = new TempDir();
        var file = dir.File("key.hex");
        File.WriteAllText(file, TestKeys.Key1 + "01\n");
        var (code, stdout, stderr) = External.Run(Binary(), "identity", "--from", file, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains(TestKeys.Key1Testnet, stdout);
        Assert.Contains(TestKeys.Key1PeerId, stdout);
    }
}
