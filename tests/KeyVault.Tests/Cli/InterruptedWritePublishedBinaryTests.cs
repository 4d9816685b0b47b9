using KeyVault.IO;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The published executable interrupted while it writes, as an outside review did it: strace injects a signal at the
/// Nth call of a system call (a file's flush to disk, a hard link that gives a file its name), and a run with its
/// standard input closed. ./test.sh publishes the binary; a plain `dotnet test` skips these (CI fails instead).
/// </summary>
public class InterruptedWritePublishedBinaryTests : IDisposable
{
    private static readonly string[] WeakKdf = PublishedKeyvault.WeakKdf;
    // Sorted as Entries() sorts: the manifest is part of the set, written last.
    private static readonly string[] SplitFiles = ["manifest.json", "share-1.pdf", "share-1.txt", "share-2.pdf", "share-2.txt", "share-3.pdf", "share-3.txt"];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Binary() => PublishedKeyvault.Path();

    private string Write(string name, string text) => PublishedKeyvault.Write(_dir, name, text);

    private string KeyFile() => PublishedKeyvault.ImportKey(_dir);

    /// <summary>Runs the binary under strace, which sends <paramref name="signal"/> at the <paramref name="when"/>th <paramref name="syscall"/>.</summary>
    /// <remarks>
    /// "link" is the naming step: link on the named-temporary path, linkat where files are created unnamed (O_TMPFILE).
    /// </remarks>
    private static (int Code, string Stderr) RunInjected(string syscall, string signal, int when, params string[] args)
    {
        var strace = External.RequireTool("strace", "strace");
        if (syscall == "link") syscall = "link,linkat";
        var (code, _, err) = Timed(strace, ["-f", "-o", "/dev/null", "-e", $"inject={syscall}:signal={signal}:when={when}", Binary(), .. args]);
        return (code, err);
    }

    /// <summary>
    /// The calls that name a file in <paramref name="outDir"/>, from one run of <paramref name="args"/> under strace that
    /// injects nothing; the output is then removed. On a file system that refuses O_TMPFILE there is no linkat there.
    /// </summary>
    private static string[] NamingCalls(string outDir, string[] args)
    {
        var strace = External.RequireTool("strace", "strace");
        var log = Path.Combine(Path.GetDirectoryName(outDir)!, "calls.txt");
        var (code, _, err) = Timed(strace, ["-f", "-qq", "-y", "-o", log, "-e", "trace=open,openat,link,linkat", Binary(), .. args]);
        Assert.True(code == 0, err);
        foreach (var entry in Directory.GetFileSystemEntries(outDir)) File.Delete(entry);
        var calls = File.ReadLines(log).Where(l => l.Contains(outDir, StringComparison.Ordinal))
            .Select(l => l.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "").ToArray();
        File.Delete(log);
        // The file system refused the unnamed file, and the files were named by link from their temporaries.
        Assert.Contains(calls, c => c.Contains("O_TMPFILE", StringComparison.Ordinal) && c.Contains("EOPNOTSUPP", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("link(", StringComparison.Ordinal));
        return calls;
    }

    private static (int Code, string Stdout, string Stderr) Timed(string file, params string[] args) => PublishedKeyvault.Timed(file, args);

    private string[] SplitArgs(string outDir) =>
        ["split", KeyFile(), "--out-dir", outDir, "--threshold", "2", "--shares", "3", "--paper", "--passphrase-file", _dir.File("pass.txt")];

    private static string[] Entries(string dir) => Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public static TheoryData<string, string, int> Interruptions()
    {
        var data = new TheoryData<string, string, int>();
        // fsync: each file's flush while the set is written; link: the naming at the end.
        for (int when = 1; when <= 6; when++) data.Add("fsync", "INT", when);
        foreach (var signal in new[] { "TERM", "HUP" }) data.Add("fsync", signal, 3);
        foreach (var signal in new[] { "INT", "TERM", "HUP" }) data.Add("link", signal, 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Interruptions))]
    public void Split_with_paper_interrupted_by_a_signal_leaves_all_of_the_set_or_nothing(string syscall, string signal, int when)
    {
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        var (code, err) = RunInjected(syscall, signal, when, SplitArgs(outDir));

        if (code == 0 || code == 128 + SignalNumber(signal))
        {
            // The signal was handled only after the set was complete (the runtime dispatches it on its own thread): the
            // run either ended normally or, its handlers already released, by the signal's default action.
            Assert.Equal(SplitFiles, Entries(outDir));
        }
        else
        {
            Assert.True(code == 7, $"exit {code}\n{err}");
            Assert.Contains($"interrupted by SIG{signal}", err);
            Assert.Empty(Entries(outDir));
        }
    }

    private static int SignalNumber(string name) => name switch { "HUP" => 1, "INT" => 2, "TERM" => 15, _ => throw new ArgumentException(name) };

    [Fact]
    public void Split_at_fsync_3_under_SIGINT_is_cancelled_with_nothing_left()
    {
        // The case the review reported: three files of six written, enough for 2-of-3, left behind with exit 130.
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        var (code, err) = RunInjected("fsync", "INT", 3, SplitArgs(outDir));
        Assert.True(code == 7, $"exit {code}\n{err}");
        Assert.Empty(Entries(outDir));
    }

    [Fact]
    public void Split_killed_by_SIGKILL_on_a_file_system_that_refuses_O_TMPFILE_leaves_only_temporaries_and_the_next_run_removes_them()
    {
        using var mount = new FuseMount();
        var outDir = Directory.CreateDirectory(Path.Combine(mount.Path, "out")).FullName;
        Assert.DoesNotContain(NamingCalls(outDir, SplitArgs(outDir)), c => c.StartsWith("linkat(", StringComparison.Ordinal));
        var (code, err) = RunInjected("fsync", "KILL", 4, SplitArgs(outDir));
        Assert.True(code != 0, err);
        var left = Entries(outDir);
        Assert.NotEmpty(left);
        Assert.All(left, name => Assert.True(SplitFiles.Any(f => AtomicFile.IsTemporaryOf(name, f)), $"{name} is not a temporary of the set"));

        var (again, _, againErr) = Timed(Binary(), SplitArgs(outDir));
        Assert.True(again == 0, againErr);
        foreach (var name in left) Assert.Contains($"removed {name}, left by an earlier run that was killed", againErr);
        Assert.Equal(SplitFiles, Entries(outDir));
    }

    [Fact]
    public void Split_killed_by_SIGKILL_while_unnamed_leaves_nothing()
    {
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        var (code, err) = RunInjected("fsync", "KILL", 4, SplitArgs(outDir));
        Assert.True(code == 128 + 9, $"exit {code}\n{err}");
        Assert.Empty(Entries(outDir));
        var (again, _, againErr) = Timed(Binary(), SplitArgs(outDir));
        Assert.True(again == 0, againErr);
        Assert.DoesNotContain("left by an earlier run that was killed", againErr);
        Assert.Equal(SplitFiles, Entries(outDir));
    }

    // Sorted as Entries() sorts: the re-created share 3 of a 2-of-3 split, its sheet and the re-signed manifest.
    private static readonly string[] ReissueFiles = ["manifest.json", "share-3.pdf", "share-3.txt"];

    /// <summary>A plain 2-of-3 split in "backup"; returns the reissue arguments that re-create share 3 into <paramref name="outDir"/>.</summary>
    private string[] ReissueArgs(string outDir)
    {
        var backup = _dir.File("backup");
        if (!Directory.Exists(backup))
        {
            Directory.CreateDirectory(backup);
            var (code, _, err) = Timed(Binary(), ["split", KeyFile(), "--out-dir", backup, "--threshold", "2", "--shares", "3",
                "--custodian", "Alice", "--custodian", "Bob", "--custodian", "Carol", "--passphrase-file", _dir.File("pass.txt")]);
            Assert.True(code == 0, err);
        }
        return ["share", "reissue", "--share-file", Path.Combine(backup, "share-1.txt"), "--share-file", Path.Combine(backup, "share-2.txt"),
            "--manifest", Path.Combine(backup, "manifest.json"), "--number", "3", "--custodian", "Carol", "--paper", "--out-dir", outDir];
    }

    public static TheoryData<string, string, int> ReissueInterruptions()
    {
        var data = new TheoryData<string, string, int>();
        // fsync: the share file, its sheet and the manifest as they are staged; link: the naming at the end.
        for (int when = 1; when <= 3; when++) data.Add("fsync", "TERM", when);
        data.Add("fsync", "INT", 2);
        data.Add("fsync", "HUP", 1);
        foreach (var signal in new[] { "INT", "TERM" }) data.Add("link", signal, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReissueInterruptions))]
    public void Reissue_interrupted_by_a_signal_leaves_all_of_the_set_or_nothing(string syscall, string signal, int when)
    {
        var args = ReissueArgs(Directory.CreateDirectory(_dir.File("out")).FullName);
        var outDir = _dir.File("out");
        var (code, err) = RunInjected(syscall, signal, when, args);

        if (code == 0 || code == 128 + SignalNumber(signal))
        {
            Assert.Equal(ReissueFiles, Entries(outDir));
        }
        else
        {
            // Before the fix: exit 143 with share-3.txt (a plaintext share, no manifest) or its hidden temporary left.
            Assert.True(code == 7, $"exit {code}\n{err}");
            Assert.Contains($"interrupted by SIG{signal}", err);
            Assert.Empty(Entries(outDir));
        }
    }

    [Fact]
    public void Reissue_killed_by_SIGKILL_on_a_file_system_that_refuses_O_TMPFILE_leaves_only_temporaries_and_the_next_run_removes_them()
    {
        using var mount = new FuseMount();
        var outDir = Directory.CreateDirectory(Path.Combine(mount.Path, "out")).FullName;
        var args = ReissueArgs(outDir);
        Assert.DoesNotContain(NamingCalls(outDir, args), c => c.StartsWith("linkat(", StringComparison.Ordinal));
        var (code, err) = RunInjected("fsync", "KILL", 2, args);
        Assert.True(code != 0, err);
        var left = Entries(outDir);
        Assert.NotEmpty(left);
        Assert.All(left, name => Assert.True(ReissueFiles.Any(f => AtomicFile.IsTemporaryOf(name, f)), $"{name} is not a temporary of the set"));

        var (again, _, againErr) = Timed(Binary(), args);
        Assert.True(again == 0, againErr);
        foreach (var name in left) Assert.Contains($"removed {name}, left by an earlier run that was killed", againErr);
        Assert.Equal(ReissueFiles, Entries(outDir));
    }

    private static readonly string[] RestoreStartFiles = ["manifest.json", "recipient.txt", "restore-session.kvrs"];

    private string[] RestoreStartArgs(string outDir)
    {
        ReissueArgs(outDir);
        return ["restore", "start", "--out-dir", outDir, "--manifest", Path.Combine(_dir.File("backup"), "manifest.json"),
            "--session-passphrase-file", Write("session.txt", "session pass velvet orbit canyon\n"), .. WeakKdf];
    }

    public static TheoryData<string, string, int> RestoreStartInterruptions()
    {
        var data = new TheoryData<string, string, int>();
        // fsync: the manifest copy, the session file and recipient.txt as they are staged; link: the naming at the end.
        for (int when = 1; when <= 3; when++) data.Add("fsync", "TERM", when);
        data.Add("fsync", "INT", 2);
        data.Add("link", "TERM", 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(RestoreStartInterruptions))]
    public void Restore_start_interrupted_by_a_signal_leaves_all_three_files_or_none(string syscall, string signal, int when)
    {
        var outDir = Directory.CreateDirectory(_dir.File("session")).FullName;
        var (code, err) = RunInjected(syscall, signal, when, RestoreStartArgs(outDir));

        if (code == 0 || code == 128 + SignalNumber(signal))
        {
            Assert.Equal(RestoreStartFiles, Entries(outDir));
        }
        else
        {
            // Before the fix: exit 143 with a stray manifest.json or .manifest.json.*.tmp left.
            Assert.True(code == 7, $"exit {code}\n{err}");
            Assert.Contains($"interrupted by SIG{signal}", err);
            Assert.Empty(Entries(outDir));
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void Reveal_interrupted_as_it_names_the_key_leaves_no_temporary(string signal)
    {
        var keyFile = KeyFile();
        var (code, err) = RunInjected("link", signal, 1, "reveal", keyFile, "--out", _dir.File("r.hex"), "--passphrase-file", _dir.File("pass.txt"));
        // The handler lets a write under way finish (a signal at the naming step then may find the command done), and
        // either way nothing hidden stays behind; without a handler the key stayed in ".r.hex.HEX.tmp".
        Assert.True(code is 0 or 7 || code == 128 + SignalNumber(signal), $"exit {code}\n{err}");
        Assert.DoesNotContain(Entries(_dir.Path), e => e.StartsWith('.'));
        if (code == 7) Assert.Contains($"interrupted by SIG{signal}", err);
    }

    [Fact]
    public void Passwd_interrupted_as_it_replaces_the_file_leaves_no_temporary_and_a_file_that_opens()
    {
        var keyFile = KeyFile();
        var (code, err) = RunInjected("link", "TERM", 1, "passwd", keyFile, "--passphrase-file", _dir.File("pass.txt"),
            "--new-passphrase-file", Write("new.txt", "new pass velvet orbit canyon\n"));
        Assert.True(code is 0 or 7 or 128 + 15, $"exit {code}\n{err}");
        Assert.DoesNotContain(Entries(_dir.Path), e => e.StartsWith('.'));
        // Either passphrase, never neither: the old file or the complete new one is in place.
        var old = Timed(Binary(), "inspect", keyFile);
        Assert.True(old.Code == 0, old.Stderr);
        var opensOld = Timed(Binary(), "reveal", keyFile, "--out", "-", "--passphrase-file", _dir.File("pass.txt")).Code == 0;
        var opensNew = Timed(Binary(), "reveal", keyFile, "--out", "-", "--passphrase-file", _dir.File("new.txt")).Code == 0;
        Assert.True(opensOld ^ opensNew);
        if (code == 0) Assert.True(opensNew, "passwd reported success, so the new passphrase must open the file");
        // Cancelled: the new file is in place exactly when the report says the replacement was already complete.
        if (code == 7) Assert.Equal(err.Contains($"already complete before the signal, and kept: {keyFile}"), opensNew);
    }

    public static TheoryData<string[]> ReadsFromStandardInput() => new()
    {
        { ["reveal", "{key}", "--out", "{dir}/x.hex", "--passphrase-file", "-"] },
        { ["combine", "--reveal-format", "hex", "--out", "{dir}/c.hex"] },
        { ["drill", "--expect", TestKeys.Key1PublicKey, "--shares"] },
    };

    [Theory]
    [MemberData(nameof(ReadsFromStandardInput))]
    public void A_closed_standard_input_fails_at_once_with_one_line(string[] template)
    {
        var keyFile = KeyFile();
        var args = template.Select(a => a.Replace("{key}", keyFile).Replace("{dir}", _dir.Path)).ToArray();
        // sh closes descriptor 0 and then becomes keyvault, as `keyvault … <&-` in a shell does.
        var (code, _, err) = Timed("/bin/sh", ["-c", "exec \"$0\" \"$@\" <&-", Binary(), .. args]);

        Assert.True(code == 1, $"exit {code}\n{err}");
        Assert.Contains("keyvault: error: standard input is closed, so nothing can be read from it\n", err);
        Assert.DoesNotContain(Entries(_dir.Path), e => e.StartsWith('.') || e.StartsWith('x') || e.StartsWith('c'));
    }
}
