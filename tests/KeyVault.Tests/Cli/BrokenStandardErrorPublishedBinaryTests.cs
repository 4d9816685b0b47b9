using System.Diagnostics;
using KeyVault.Cli;
using KeyVault.Cli.Infrastructure;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// A command whose report lines cannot be written to standard error (a full disk, an I/O error, a closed descriptor)
/// still writes its files, and says so with exit code 14 rather than failing. ./test.sh publishes the binary; a plain
/// `dotnet test` skips the published-binary cases (CI fails instead).
/// </summary>
public class BrokenStandardErrorPublishedBinaryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Binary() => PublishedKeyvault.Path();

    private string Write(string name, string text) => PublishedKeyvault.Write(_dir, name, text);

    private string KeyFile() => PublishedKeyvault.ImportKey(_dir);

    /// <summary>Runs <paramref name="command"/> through sh with <paramref name="redirect"/> applied to its standard error.</summary>
    private static int RunWithStderr(string redirect, string[] command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in (string[])["-c", $"exec \"$@\" {redirect}", "sh", .. command]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("keyvault did not end within 2 minutes");
        }
        return p.ExitCode;
    }

    public static TheoryData<string> Breakages() => ["2>/dev/full", "2>&-", "EIO"];

    private int Run(string breakage, string[] args)
    {
        if (breakage != "EIO") return RunWithStderr(breakage, [Binary(), .. args]);
        // strace fails every write to the file standard error goes to with EIO (-P: only calls on that file).
        var strace = External.RequireTool("strace", "strace");
        var log = _dir.File("stderr.txt");
        int code = RunWithStderr($"2>'{log}'", [strace, "-f", "-qq", "-o", "/dev/null", "-P", log, "-e", "trace=write", "-e", "inject=write:error=EIO", Binary(), .. args]);
        Assert.True(File.ReadAllText(log).Length == 0, "a line reached standard error: EIO was not injected");
        return code;
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Split_with_no_standard_error_writes_the_whole_set_and_exits_14(string breakage)
    {
        var keyFile = KeyFile();
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        int code = Run(breakage, ["split", keyFile, "--out-dir", outDir, "--threshold", "2", "--shares", "3", "--passphrase-file", _dir.File("pass.txt")]);

        Assert.Equal(ExitCode.ReportLost, code);
        Assert.Equal(["manifest.json", "share-1.txt", "share-2.txt", "share-3.txt"],
            Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var (combined, stdout, err) = External.Run(Binary(), ["combine", "--share-file", Path.Combine(outDir, "share-1.txt"),
            "--share-file", Path.Combine(outDir, "share-3.txt"), "--reveal-format", "hex", "--out", "-"]);
        Assert.True(combined == 0, err);
        Assert.Contains(TestKeys.Key1, stdout);
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Combine_with_no_standard_error_writes_the_key_and_exits_14(string breakage)
    {
        var keyFile = KeyFile();
        var backup = Directory.CreateDirectory(_dir.File("backup")).FullName;
        var (split, _, splitErr) = External.Run(Binary(), ["split", keyFile, "--out-dir", backup, "--threshold", "2", "--shares", "2", "--passphrase-file", _dir.File("pass.txt")]);
        Assert.True(split == 0, splitErr);
        var output = _dir.File("restored.hex");
        int code = Run(breakage, ["combine", "--share-file", Path.Combine(backup, "share-1.txt"), "--share-file", Path.Combine(backup, "share-2.txt"),
            "--reveal-format", "hex", "--out", output]);

        Assert.Equal(ExitCode.ReportLost, code);
        Assert.Equal(TestKeys.Key1, File.ReadAllText(output).Trim());
    }

    [Fact]
    public void A_failed_command_keeps_its_own_exit_code_when_its_error_cannot_be_printed()
    {
        int code = RunWithStderr("2>/dev/full", [Binary(), "identity", "--from", _dir.File("missing.hex")]);
        Assert.Equal(ExitCode.BadInput, code);
    }

    [Fact]
    public void The_report_writer_drops_lines_after_a_failed_write_and_says_so()
    {
        var writer = new ReportWriter(new FailingWriter());
        Assert.False(writer.Lost);
        writer.WriteLine("keyvault: wrote share-1.txt");
        writer.Write('x');
        writer.Flush();
        Assert.True(writer.Lost);
    }

    private sealed class FailingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");
    }
}
