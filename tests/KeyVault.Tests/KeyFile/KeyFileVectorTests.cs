using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Tests.Support;
using static KeyVault.Tests.KeyFile.KeyFileVectorGenerator;

namespace KeyVault.Tests.KeyFile;

public class KeyFileVectorTests
{
    private static string VectorDir => Path.Combine(External.RepoRoot, "test-vectors", "key-file");

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(VectorDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)) data.Add(f!);
        return data;
    }

    [Fact]
    public void CheckedInVectorsAreExactlyWhatTheGeneratorWrites()
    {
        var generated = Generate();
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
        {
            Directory.CreateDirectory(VectorDir);
            foreach (var old in Directory.GetFiles(VectorDir)) File.Delete(old);
            foreach (var v in generated) File.WriteAllBytes(Path.Combine(VectorDir, v.Name), v.ToFile());
        }
        var onDisk = Directory.GetFiles(VectorDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(generated.Select(v => v.Name).Order(StringComparer.Ordinal), onDisk);
        foreach (var v in generated)
            Assert.True(v.ToFile().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(VectorDir, v.Name))), $"{v.Name} differs from the generator's output");
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void VectorHasItsExpectedOutcome(string name)
    {
        var v = Vector.Read(name, File.ReadAllBytes(Path.Combine(VectorDir, name)));
        using var passphrase = Passphrase.FromFileContent(v.Passphrase);
        string outcome;
        try
        {
            var header = EncryptedKeyFile.Parse(v.Body);
            using var key = header.Decrypt(passphrase);
            Span<byte> scalar = stackalloc byte[32];
            key.Export(scalar);
            Assert.Equal(v.Key, Convert.ToHexStringLower(scalar));
            Assert.Equal(v.PublicKey, header.PublicKey.Hex66);
            Assert.Equal(v.Label, header.Label);
            outcome = "success";
        }
        catch (KeyVaultException ex)
        {
            outcome = ex.Kind switch
            {
                ErrorKind.AuthenticationFailed => "auth failure",
                ErrorKind.DamagedFile => "format failure",
                ErrorKind.CostTooHigh => "cost cap",
                _ => $"unexpected {ex.Kind}: {ex.Message}",
            };
        }
        Assert.Equal(v.Expect, outcome);
    }

    [Fact]
    public void EveryOutcomeIsCovered()
    {
        var expects = Generate().GroupBy(v => v.Expect).ToDictionary(g => g.Key, g => g.Count());
        foreach (var e in new[] { "success", "auth failure", "format failure", "cost cap" })
            Assert.True(expects.GetValueOrDefault(e) >= 4, $"fewer than 4 '{e}' vectors");
    }
}
