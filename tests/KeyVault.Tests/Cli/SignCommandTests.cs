using System.Text;
using KeyVault.Cli;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary><c>keyvault sign message</c> with a key file made with deliberately weak KDF options.</summary>
public class SignCommandTests : IDisposable
{
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private const string Passphrase = "pw one velvet orbit canyon";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteFile(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private string ImportKey1()
    {
        var path = _dir.File("cold.kvk");
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", WriteFile("signer.hex", TestKeys.Key1 + "\n"), "--out", path,
            "--passphrase-file", WriteFile("import-pass.txt", Passphrase + "\n"), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(_dir.File("signer.hex"));
        return path;
    }

    private static string Field(string stdout, string name) =>
        stdout.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[name.Length..].Trim();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignsAMessageThatVerifiesAndPrintsNothingSecret(bool fromFile)
    {
        var key = ImportKey1();
        var text = "I, operator of signer 3, rotate to the new key.\nSecond line ü\n";
        string[] input = fromFile ? [WriteFile("statement.txt", text)] : ["--message", text];
        var console = new TestConsole();
        int rc = console.Run(["sign", "message", .. input, "--key-file", key, "--passphrase-file", WriteFile("pass.txt", Passphrase)]);
        Assert.True(rc == ExitCode.Success, console.StderrText);

        Assert.Equal(TestKeys.Key1PublicKey, Field(console.StdoutText, "public-key"));
        var signature = Convert.FromHexString(Field(console.StdoutText, "signature"));
        Assert.Equal(StacksMessageSigning.SignatureLength, signature.Length);
        Assert.Equal(TestKeys.Key1PublicKey, StacksMessageSigning.RecoverPublicKey(text, signature)!.Hex66);
        Assert.False(StacksMessageSigning.RecoverPublicKey(text + ".", signature)?.Hex66 == TestKeys.Key1PublicKey);

        // The operator sees what is signed and which key signed it, and the key itself never appears.
        Assert.Contains("I, operator of signer 3, rotate to the new key.", console.StderrText);
        Assert.Contains("fingerprint", console.StderrText);
        Assert.DoesNotContain(TestKeys.Key1, console.StdoutText + console.StderrText, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("neither")]
    [InlineData("both")]
    [InlineData("missing-file")]
    [InlineData("no-key")]
    public void BadInputsAreRefusedBeforeThePassphraseIsAsked(string kind)
    {
        var key = ImportKey1();
        string[] args = kind switch
        {
            "neither" => ["sign", "message", "--key-file", key],
            "both" => ["sign", "message", WriteFile("s.txt", "x"), "--message", "y", "--key-file", key],
            "missing-file" => ["sign", "message", _dir.File("absent.txt"), "--key-file", key],
            _ => ["sign", "message", "--message", "y"],
        };
        var console = new TestConsole();
        console.Secrets.Enqueue(Passphrase);
        Assert.Equal(ExitCode.Usage, console.Run(args));
        Assert.Empty(console.Prompts);
        Assert.Equal("", console.StdoutText);
    }

    [Fact]
    public void AWrongPassphraseSignsNothing()
    {
        var key = ImportKey1();
        var console = new TestConsole();
        Assert.NotEqual(ExitCode.Success, console.Run("sign", "message", "--message", "x", "--key-file", key,
            "--passphrase-file", WriteFile("wrong.txt", "not the passphrase")));
        Assert.DoesNotContain("signature", console.StdoutText);
    }

    [Fact]
    public void SignsWithTheKeyTheSharesRebuild()
    {
        using var kit = new ShareCommandKit();
        kit.Split("--threshold", "2", "--shares", "3");
        var console = new TestConsole();
        int rc = console.Run("sign", "message", "--message", "from shares", "--share-file", kit.Share("share-1"), "--share-file", kit.Share("share-3"));
        Assert.True(rc == ExitCode.Success, console.StderrText);
        var signature = Convert.FromHexString(Field(console.StdoutText, "signature"));
        Assert.Equal(TestKeys.Key1PublicKey, StacksMessageSigning.RecoverPublicKey("from shares", signature)!.Hex66);
        Assert.DoesNotContain(TestKeys.Key1, console.StdoutText + console.StderrText, StringComparison.OrdinalIgnoreCase);
    }
}
