using System.Diagnostics;

namespace KeyVault.Tests.Support;

/// <summary>
/// The published keyvault executable the end-to-end tests drive (KEYVAULT_PUBLISHED; ./test.sh publishes it), and the
/// few inputs they all start from.
/// </summary>
internal static class PublishedKeyvault
{
    /// <summary>Argon2 parameters small enough for a test.</summary>
    public static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];

    /// <summary>The passphrase of <see cref="ImportKey"/>'s key file.</summary>
    public const string Passphrase = "old pass velvet orbit canyon";

    /// <summary>The executable's path; skips the test (fails it in CI) when it is not set.</summary>
    public static string Path()
    {
        var path = Environment.GetEnvironmentVariable("KEYVAULT_PUBLISHED");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            External.Unavailable("KEYVAULT_PUBLISHED is not set to the published keyvault (run ./test.sh)");
        return path!;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in <paramref name="dir"/>; returns the path.</summary>
    public static string Write(TempDir dir, string name, string text)
    {
        var path = dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>k.kvk in <paramref name="dir"/>: test key 1 imported under <see cref="Passphrase"/> (pass.txt), made once.</summary>
    public static string ImportKey(TempDir dir)
    {
        var path = dir.File("k.kvk");
        if (File.Exists(path)) return path;
        var (code, _, err) = External.Run(Path(), ["import", "--from", Write(dir, "key.hex", TestKeys.Key1 + "\n"), "--out", path,
            "--passphrase-file", Write(dir, "pass.txt", Passphrase + "\n"), .. WeakKdf]);
        Assert.True(code == 0, err);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (and <paramref name="env"/>), its standard input closed
    /// when <paramref name="closeInput"/>; fails the test if it has not ended within 2 minutes.
    /// </summary>
    public static (int Code, string Stdout, string Stderr) Timed(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null,
        bool closeInput = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = closeInput, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        if (closeInput) p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{System.IO.Path.GetFileName(file)} {string.Join(' ', args)} did not end within 2 minutes");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
