using System.Text;
using KeyVault.Cli;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>A folder with development key 1 in a key file under deliberately weak KDF parameters, and helpers to split it.</summary>
internal sealed class ShareCommandKit : IDisposable
{
    // Weak on purpose: the commands' logic is under test, not Argon2's cost.
    public static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];

    public const string KeyPassphrase = "key file pass velvet orbit canyon";

    public ShareCommandKit(bool armor = false)
    {
        PassFile = Write("pass.txt", KeyPassphrase + "\n");
        var hex = Write("signer.hex", TestKeys.Key1 + "\n");
        KeyFile = Dir.File(armor ? "key.asc" : "key.kvk");
        var console = new TestConsole();
        string[] extra = armor ? ["--armor", "--label", "signer-1"] : [];
        int rc = console.Run(["import", "--from", hex, "--out", KeyFile, "--passphrase-file", PassFile, .. WeakKdf, .. extra]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(hex);
        Directory.CreateDirectory(OutDir);
    }

    public TempDir Dir { get; } = new();

    /// <summary>The key file of development key 1.</summary>
    public string KeyFile { get; }

    /// <summary>A file holding the key file's passphrase.</summary>
    public string PassFile { get; }

    /// <summary>The folder split writes into (created empty).</summary>
    public string OutDir => Dir.File("shares");

    /// <summary>Names in <see cref="OutDir"/>, sorted, hidden temporary files included.</summary>
    public string[] OutEntries() => Directory.GetFileSystemEntries(OutDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public string Write(string name, string text)
    {
        var path = Dir.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    /// <summary>Runs split on the key file with the passphrase file; asserts success.</summary>
    public TestConsole Split(params string[] args)
    {
        var console = new TestConsole();
        int rc = console.Run(["split", KeyFile, "--out-dir", OutDir, "--passphrase-file", PassFile, .. args]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        return console;
    }

    /// <summary>A share file in <see cref="OutDir"/> by name ("share-2", "share-g1-3").</summary>
    public string Share(string stem) => Path.Combine(OutDir, stem + ".txt");

    /// <summary>The canonical mnemonic inside a share file.</summary>
    public static string Mnemonic(string shareFile)
    {
        using var file = ShareFile.Parse(File.ReadAllBytes(shareFile), shareFile);
        // A copy: Dispose wipes the file's own string in place.
        return new string(file.Mnemonic.AsSpan());
    }

    /// <summary>Runs combine --reveal-format hex --out - on share files; returns exit code and console.</summary>
    public static (int Rc, TestConsole Console) RevealFrom(IEnumerable<string> shareFiles, params string[] extra)
    {
        var console = new TestConsole();
        var args = new List<string> { "combine", "--reveal-format", "hex", "--out", "-" };
        foreach (var f in shareFiles) args.AddRange(["--share-file", f]);
        args.AddRange(extra);
        return (console.Run([.. args]), console);
    }

    public void Dispose() => Dir.Dispose();
}
