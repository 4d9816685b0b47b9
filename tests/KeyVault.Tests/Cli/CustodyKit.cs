using System.Text.Json.Nodes;
using KeyVault.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Development key 1 in a key file (weak KDF), split 2-of-3 to Alice, Bob and Carol with a manifest, and helpers for
/// the custody commands: a session passphrase file and a second split of the same key.
/// </summary>
internal sealed class CustodyKit : IDisposable
{
    public static readonly string[] WeakKdf = ShareCommandKit.WeakKdf;

    public CustodyKit(bool split = true)
    {
        SessionPass = Kit.Write("session-pass.txt", "session pass velvet orbit canyon\n");
        if (split) Kit.Split("--threshold", "2", "--shares", "3", "--custodian", "Alice", "--custodian", "Bob", "--custodian", "Carol",
            "--org", "Example Signers", "--contact", "ops@example.org");
    }

    public ShareCommandKit Kit { get; } = new();

    public string SessionPass { get; }

    public string Manifest => Path.Combine(Kit.OutDir, "manifest.json");

    public string Share(int n) => Kit.Share($"share-{n}");

    public string Dir(string name) => Kit.Dir.File(name);

    /// <summary>Runs keyvault; returns the exit code and the console.</summary>
    public static (int Rc, TestConsole Console) Run(params string[] args)
    {
        var console = new TestConsole();
        return (console.Run(args), console);
    }

    /// <summary>
    /// Runs a non-interactive ceremony into a new folder <paramref name="name"/> that imports development key 1 for
    /// <paramref name="names"/> (2 of them restore it, sheets checked automatically), with <paramref name="extra"/> options;
    /// returns the folder, the exit code and the console.
    /// </summary>
    public (string Dir, int Rc, TestConsole Console) Ceremony(string name, string[] names, params string[] extra)
    {
        var outDir = Dir(name);
        Directory.CreateDirectory(outDir);
        var answers = Kit.Write("answers.toml",
            $"threshold = 2\ncustodians = [{string.Join(", ", names.Select(n => $"\"{n}\""))}]\nsheet-check = \"automated\"\n");
        var import = Kit.Write("signer.hex", TestKeys.Key1 + "\n");
        var console = new TestConsole { Interactive = false };
        int rc = console.Run(["ceremony", "--out-dir", outDir, "--answers", answers, "--passphrase-file", Kit.PassFile, "--import", import,
            .. extra, "--i-know-this-machine-is-online", .. WeakKdf]);
        return (outDir, rc, console);
    }

    /// <summary>Splits the same key again into a new folder (a new backup ID); returns the folder.</summary>
    public string SplitAgain(string name, params string[] extra)
    {
        var dir = Dir(name);
        Directory.CreateDirectory(dir);
        var (rc, console) = Run(["split", Kit.KeyFile, "--out-dir", dir, "--passphrase-file", Kit.PassFile, "--threshold", "2", "--shares", "3",
            .. extra]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        return dir;
    }

    /// <summary>Starts a restore session with weak KDF parameters; returns its folder and the printed recipient.</summary>
    public (string Dir, string Recipient) StartSession(string name = "session", bool withManifest = true, bool postQuantum = false)
    {
        var dir = Dir(name);
        string[] manifest = withManifest ? ["--manifest", Manifest] : [];
        string[] pq = postQuantum ? ["--post-quantum"] : [];
        var (rc, console) = Run(["restore", "start", "--out-dir", dir, "--session-passphrase-file", SessionPass, .. manifest, .. pq, .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        return (dir, console.StdoutText.Trim());
    }

    /// <summary>Adds a share file to a session; returns the exit code and console.</summary>
    public (int Rc, TestConsole Console) Add(string dir, params string[] source) =>
        Run(["restore", "add", dir, "--session-passphrase-file", SessionPass, .. source]);

    /// <summary>The manifest's JSON, to alter in tests.</summary>
    public static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    /// <summary>Names in a folder, sorted, hidden files included.</summary>
    public static string[] Entries(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose() => Kit.Dispose();
}
