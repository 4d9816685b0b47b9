using System.Diagnostics;
using System.Text.Json;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The ceremony run by the self-contained executable the air-gapped laptop receives, as a separate process: a whole
/// rehearsal, and a ceremony killed half-way. ./test.sh publishes the binary; a plain `dotnet test` skips these (CI
/// fails instead). The test machine is online, so both pass --i-know-this-machine-is-online.
/// </summary>
public class CeremonyPublishedBinaryTests : IDisposable
{
    private const string Answers = "threshold = 2\ncustodians = [\"Alice\", \"Bob\", \"Carol\"]\nsheet-check = \"automated\"\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Binary() => PublishedKeyvault.Path();

    private string[] Args(string outDir, params string[] kdf)
    {
        File.WriteAllText(_dir.File("answers.toml"), Answers);
        File.WriteAllText(_dir.File("pass.txt"), "published binary test velvet orbit canyon\n");
        File.WriteAllText(_dir.File("key.hex"), TestKeys.Key2 + "\n");
        return ["ceremony", "--out-dir", outDir, "--answers", _dir.File("answers.toml"), "--passphrase-file", _dir.File("pass.txt"),
            "--import", _dir.File("key.hex"), "--i-know-this-machine-is-online", .. kdf];
    }

    [Fact]
    public void ThePublishedBinaryRunsAWholeRehearsal()
    {
        var binary = Binary();
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        var (code, stdout, stderr) = External.Run(binary, Args(outDir, "--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"));
        Assert.True(code == 0, stderr);
        Assert.Contains(TestKeys.Key2PublicKey, stdout);
        var transcript = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "transcript.json"))).RootElement;
        Assert.Equal(TestKeys.Key2Mainnet, transcript.GetProperty("key").GetProperty("identity").GetProperty("stacksAddress").GetProperty("mainnet").GetString());
        Assert.Equal(10, transcript.GetProperty("files").GetArrayLength());
        // Run as the published single file, the program records its own SHA-256 in the manifest.
        var manifest = KeyVault.Manifest.BackupManifest.ReadAuthentic(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(binary))), manifest.ExecutableSha256);
        Assert.True(new FileInfo(Path.Combine(outDir, "share-3.pdf")).Length > 10_000);
    }

    [Fact]
    public async Task ACeremonyKilledDuringTheDrillLeavesNoFileBehind()
    {
        var binary = Binary();
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        // Argon2 strong enough to take a moment: the process is killed while the drill decrypts the key file again.
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in Args(outDir, "--kdf-memory", "256MiB", "--kdf-iterations", "4", "--kdf-parallelism", "1")) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await WaitForStepThenTerminate(process, "== Step 6 of 7", () =>
            Assert.NotEmpty(Directory.GetFiles(outDir))); // the key file and the shares exist at this point
        var rest = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stdout;
        Assert.True(process.ExitCode == 7, $"exit code {process.ExitCode}\n{rest}"); // 7 = cancelled (docs/ceremony.md)
        Assert.Contains("interrupted by SIGTERM", rest);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public async Task ACeremonyKilledWhileBlockedInAReadEndsWithCancelled()
    {
        var binary = Binary();
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        // The passphrase comes from standard input, which the test never closes: the process blocks in a read that no
        // signal interrupts, so only the signal handler can end it. A passphrase file is read before step 1 (a weak one
        // stops the ceremony before anything is asked), so the read comes right after the self-test.
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        var args = Args(outDir, "--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1");
        args[Array.IndexOf(args, "--passphrase-file") + 1] = "-";
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await WaitForStepThenTerminate(process, "keyvault: self-test passed", () => WaitUntilReadingStandardInput(process.Id));
        var rest = await process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token); // a hang here is the bug: the read kept the process alive
        await stdout;
        Assert.True(process.ExitCode == 7, $"exit code {process.ExitCode}\n{rest}");
        Assert.Contains("interrupted by SIGTERM", rest);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    /// <summary>
    /// Reads the ceremony's stderr until a line starting with <paramref name="stepHeading"/> appears, runs a check, then
    /// sends SIGTERM. A ceremony that never prints the line fails the test after two minutes instead of hanging it.
    /// </summary>
    private static async Task WaitForStepThenTerminate(Process process, string stepHeading, Action beforeSignal)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        string? line = null;
        var seen = new List<string>();
        try
        {
            while ((line = await process.StandardError.ReadLineAsync(deadline.Token)) is not null)
            {
                seen.Add(line);
                if (line.StartsWith(stepHeading, StringComparison.Ordinal)) break;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill();
            Assert.Fail($"no line starting with \"{stepHeading}\" within two minutes:\n{string.Join('\n', seen)}");
        }
        Assert.True(line is not null, string.Join('\n', seen));
        beforeSignal();
        var (killCode, _, killErr) = External.Run("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(killCode == 0, killErr);
    }

    /// <summary>
    /// Waits until one of the process's threads is in read(2) on standard input, as /proc/PID/task/TID/syscall shows (the
    /// syscall number, then its first argument, the descriptor: .NET reads a duplicate of descriptor 0, so the descriptor
    /// is matched by what it refers to), so the signal arrives while the read blocks and not before it.
    /// </summary>
    private static void WaitUntilReadingStandardInput(int pid)
    {
        var read = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "0",
            System.Runtime.InteropServices.Architecture.Arm64 => "63",
            var other => throw new PlatformNotSupportedException($"read(2)'s number on {other} is not known to this test"),
        };
        var stdin = new FileInfo($"/proc/{pid}/fd/0").LinkTarget;
        var states = new List<string>();
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); Thread.Sleep(50))
        {
            states.Clear();
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    // A thread or descriptor may go away between two reads of /proc: that only means "not yet".
                    var state = File.ReadAllText(Path.Combine(task, "syscall")).Trim();
                    states.Add(state);
                    var fields = state.Split(' ');
                    if (fields.Length > 1 && fields[0] == read && stdin is not null
                        && new FileInfo($"/proc/{pid}/fd/{Convert.ToInt32(fields[1], 16)}").LinkTarget == stdin) return;
                }
                catch (IOException)
                {
                }
            }
        }
        Assert.Fail($"the ceremony never blocked reading standard input; its threads were in: {string.Join("; ", states)}");
    }
}
