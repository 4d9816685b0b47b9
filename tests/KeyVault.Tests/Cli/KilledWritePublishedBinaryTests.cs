using System.Text;
using KeyVault.IO;
using KeyVault.Shares;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Postgres;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// The published executable killed (SIGKILL, which no handler sees) at every call of each system call that writes,
/// flushes, links or renames, as strace's fault injection does it: after each kill, no file under the output folder
/// other than the command's own outputs may hold a secret. Where O_TMPFILE works (the test folder on the build
/// machine's disk, and tmpfs under /dev/shm) secret files have no name until complete; the named-temporary path
/// (file systems that refuse O_TMPFILE, here a bindfs FUSE mount, <see cref="FuseMount"/>) may leave hidden
/// temporaries, which must be of the names the next run removes.
/// ./test.sh publishes the binary; a plain `dotnet test` skips these (CI fails instead).
/// </summary>
public class KilledWritePublishedBinaryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] WeakKdf = PublishedKeyvault.WeakKdf;
    // Every call that changes the output folder or a file in it (writes to the terminal are "write"; files are written with pwrite64).
    private static readonly string[] Syscalls = ["pwrite64", "fsync", "fchmod", "link", "linkat", "rename", "renameat", "renameat2", "unlink", "unlinkat", "ftruncate"];
    // The commit: naming each file (link or linkat, or a rename over the old file) and, on the named path, removing the
    // temporary's name once the file has its own.
    private static readonly string[] CommitSyscalls = ["link", "linkat", "rename", "renameat", "renameat2", "unlink"];
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _database?.Dispose();
        _dir.Dispose();
    }

    private static string Binary() => PublishedKeyvault.Path();

    private string Write(string name, string text) => PublishedKeyvault.Write(_dir, name, text);

    private string KeyFile()
    {
        var path = _dir.File("k.kvk");
        if (File.Exists(path)) return path;
        Write("pass.txt", "old pass velvet orbit canyon\n");
        Write("new-pass.txt", "new pass meadow lantern quartz\n");
        Run(Binary(), ["import", "--from", Write("key.hex", TestKeys.Key1 + "\n"), "--out", path, "--passphrase-file", _dir.File("pass.txt"), .. WeakKdf]);
        return path;
    }

    private string Backup()
    {
        var backup = _dir.File("backup");
        if (Directory.Exists(backup)) return backup;
        Directory.CreateDirectory(backup);
        Run(Binary(), ["split", KeyFile(), "--out-dir", backup, "--threshold", "2", "--shares", "3", "--custodian", "Alice", "--custodian", "Bob",
            "--custodian", "Carol", "--passphrase-file", _dir.File("pass.txt")]);
        return backup;
    }

    private static void Run(string file, string[] args)
    {
        var (code, _, err) = Timed(file, args);
        Assert.True(code == 0, err);
    }

    /// <summary>
    /// A restore session of the 2-of-3 backup in "session-N", started with the backup's manifest, holding its first
    /// <paramref name="shares"/> shares; made once and copied into each output folder.
    /// </summary>
    private string Session(int shares)
    {
        var session = _dir.File($"session-{shares}");
        if (Directory.Exists(session)) return session;
        Write("session-pass.txt", "session pass velvet orbit canyon\n");
        Run(Binary(), ["restore", "start", "--out-dir", session, "--manifest", Path.Combine(Backup(), "manifest.json"),
            "--session-passphrase-file", _dir.File("session-pass.txt"), .. WeakKdf]);
        for (int i = 1; i <= shares; i++)
            Run(Binary(), ["restore", "add", session, "--share-file", Path.Combine(Backup(), $"share-{i}.txt"), "--session-passphrase-file", _dir.File("session-pass.txt")]);
        return session;
    }

    private static void CopyInto(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private SignerDatabase? _database;

    /// <summary>A signer database with two rows of DKG shares encrypted under test key 1 (KEYVAULT_TEST_PG; skips without it).</summary>
    private string Database()
    {
        if (_database is null)
        {
            _database = new SignerDatabase();
            var at = new DateTimeOffset(2025, 7, 1, 6, 30, 15, TimeSpan.Zero);
            for (int i = 1; i <= 2; i++)
                _database.Insert(Convert.FromHexString(("03" + i.ToString("x2")).PadRight(66, 'c')), SignerEncryption.Encrypt(TestKeys.Key1, new byte[700]), "verified", at.AddDays(i));
        }
        return _database.ConnectionString;
    }

    /// <summary>
    /// A writing command: its arguments for an output folder, what to put there first, its outputs (what the folder
    /// holds after a run that went through), and which of them are secrets in a form no text search finds
    /// (<see cref="HoldsSecret"/>). <paramref name="Replaces"/>: the command puts a new file in place of an existing one,
    /// which needs a name between its link and its rename.
    /// </summary>
    private sealed record Scenario(string Name, Func<string, string[]> Args, string[] Outputs, Action<string>? Prepare = null,
        string[]? Opaque = null, bool Replaces = false);

    private string[] ReissueArgs(string o, bool paper) =>
        ["share", "reissue", "--share-file", Path.Combine(Backup(), "share-1.txt"), "--share-file", Path.Combine(Backup(), "share-2.txt"),
         "--manifest", Path.Combine(Backup(), "manifest.json"), "--number", "3", "--custodian", "Carol", "--out-dir", o, .. paper ? ["--paper"] : (string[])[]];

    private Scenario Command(string name) => name switch
    {
        "split" => new(name, o => ["split", KeyFile(), "--out-dir", o, "--threshold", "2", "--shares", "2", "--passphrase-file", _dir.File("pass.txt")],
            ["manifest.json", "share-1.txt", "share-2.txt"]),
        "combine" => new(name, o => ["combine", "--share-file", Path.Combine(Backup(), "share-1.txt"), "--share-file", Path.Combine(Backup(), "share-2.txt"),
            "--reveal-format", "hex", "--out", Path.Combine(o, "key.hex")], ["key.hex"]),
        "combine --force" => new(name, o => ["combine", "--share-file", Path.Combine(Backup(), "share-1.txt"), "--share-file", Path.Combine(Backup(), "share-3.txt"),
            "--reveal-format", "hex", "--out", Path.Combine(o, "key.hex"), "--force"], ["key.hex"], o => File.WriteAllText(Path.Combine(o, "key.hex"), "old\n"), Replaces: true),
        // The key file is encrypted, but only its passphrase stands between a stray copy and the key.
        "passwd" => new(name, o => ["passwd", Path.Combine(o, "k.kvk"), "--passphrase-file", _dir.File("pass.txt"), "--new-passphrase-file", _dir.File("new-pass.txt"), .. WeakKdf],
            ["k.kvk"], o => File.Copy(KeyFile(), Path.Combine(o, "k.kvk")), Opaque: ["k.kvk"], Replaces: true),
        "share reissue" => new(name, o => ReissueArgs(o, paper: false), ["manifest.json", "share-3.txt"]),
        // The sheet prints the share's words and its QR code, drawn in compressed streams: its temporaries are secrets.
        "share reissue --paper" => new(name, o => ReissueArgs(o, paper: true), ["manifest.json", "share-3.pdf", "share-3.txt"], Opaque: ["share-3.pdf"]),
        // Each row's encrypted_private_shares is AES-GCM under the signer's key; the export is as confidential as the
        // database it came from and is created 0600 for that reason, so a stray copy of it counts.
        "dkg export" => new(name, o => ["dkg", "export", "--db", Database(), "--out", Path.Combine(o, "dkg.kvdkg")], ["dkg.kvdkg"], Opaque: ["dkg.kvdkg"]),
        // The session file holds the shares collected so far, encrypted under the session passphrase: a stray copy counts.
        // The new session is put in place of the old one.
        "restore add" => new(name, o => ["restore", "add", o, "--share-file", Path.Combine(Backup(), "share-2.txt"), "--session-passphrase-file", _dir.File("session-pass.txt")],
            ["manifest.json", "recipient.txt", "restore-session.kvrs"], o => CopyInto(Session(1), o), Opaque: ["restore-session.kvrs"], Replaces: true),
        // The revealed key is written beside the session, which is then overwritten and removed (with recipient.txt);
        // the session's own files, there before the run, are not strays (a kill before their removal leaves them).
        "restore finish" => new(name, o => ["restore", "finish", o, "--session-passphrase-file", _dir.File("session-pass.txt"), "--reveal-format", "hex",
            "--out", Path.Combine(o, "key.hex")], ["key.hex", "manifest.json"], o => CopyInto(Session(2), o), Opaque: ["restore-session.kvrs"]),
        _ => throw new ArgumentException(name),
    };

    /// <summary>True when <paramref name="name"/> is a hidden temporary of <paramref name="output"/>: the named path's, or a replacement's.</summary>
    private static bool IsTemporaryOf(string name, string output) =>
        AtomicFile.IsTemporaryOf(name, output) || name.StartsWith($".{output}.new-", StringComparison.Ordinal) || name.StartsWith($"..{output}.new-", StringComparison.Ordinal);

    /// <summary>
    /// A file left by a killed run that holds a secret: the key in hex or share words (20 or more words of the SLIP-0039
    /// list) in any file; a non-empty temporary of one of the scenario's opaque outputs (an encrypted key file or
    /// session, a DKG export, a PDF sheet); or a non-empty file that is no temporary of any output (unknown, so counted).
    /// A temporary of a public output (manifest.json, recipient.txt) without such text is not a secret.
    /// </summary>
    private static bool HoldsSecret(string path, Scenario scenario)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) return false;
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Contains(TestKeys.Key1, StringComparison.OrdinalIgnoreCase)) return true;
        int words = text.Split((char[])[' ', '\n', '\r', '\t', ',', '"'], StringSplitOptions.RemoveEmptyEntries).Count(WordList.IgnoringCase.Contains);
        if (words >= 20) return true;
        var name = Path.GetFileName(path);
        return (scenario.Opaque ?? []).Any(o => IsTemporaryOf(name, o)) || !scenario.Outputs.Any(o => IsTemporaryOf(name, o));
    }

    private record struct Tally(int Kills, int NamedSecrets, int NamedSecretsAtCommit, int PartialSets);

    /// <summary>
    /// Which calls of each of <see cref="Syscalls"/> (1 for the first of its name, 2 for the second, …) touch the output
    /// folder or a file in it, from one run under strace that injects nothing and prints the path of every descriptor.
    /// </summary>
    private Dictionary<string, List<int>> CallsOnOutput(string strace, Scenario scenario, string root)
    {
        var outDir = Directory.CreateDirectory(Path.Combine(root, "count")).FullName;
        scenario.Prepare?.Invoke(outDir);
        var log = _dir.File("calls.txt");
        var (code, _, err) = Timed(strace, ["-f", "-qq", "-y", "-o", log, "-e", "trace=" + string.Join(',', Syscalls), Binary(), .. scenario.Args(outDir)]);
        Assert.True(code == 0, $"{scenario.Name}: exit {code}\n{err}");
        Assert.Equal(scenario.Outputs, Entries(outDir));
        Directory.Delete(outDir, recursive: true);
        var seen = Syscalls.ToDictionary(s => s, _ => 0);
        var calls = Syscalls.ToDictionary(s => s, _ => new List<int>());
        foreach (var line in File.ReadLines(log))
        {
            var call = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
            int paren = call.IndexOf('(');
            if (paren <= 0 || !seen.TryGetValue(call[..paren], out int n)) continue;
            seen[call[..paren]] = ++n;
            if (call.Contains(outDir, StringComparison.Ordinal)) calls[call[..paren]].Add(n);
        }
        return calls;
    }

    /// <summary>
    /// Kills the command at every call of every one of <see cref="Syscalls"/> in turn (the output folder changes only at
    /// those calls, so a kill at any other moment leaves what one of these kills leaves); checks and counts what each
    /// kill left.
    /// </summary>
    private Tally KillAtEveryCall(Scenario scenario, string root, bool named)
    {
        var strace = External.RequireTool("strace", "strace");
        var tally = new Tally();
        var calls = CallsOnOutput(strace, scenario, root);
        Assert.True(calls["fsync"].Count > 0, $"{scenario.Name}: no file was flushed to disk");
        Assert.True(named ? calls["linkat"].Count == 0 : calls["linkat"].Count > 0,
            $"{scenario.Name}: {calls["linkat"].Count} linkat calls on the {(named ? "named" : "O_TMPFILE")} path");
        int run = 0;
        foreach (var (syscall, whens) in calls)
        {
            foreach (var when in whens)
            {
                var outDir = Directory.CreateDirectory(Path.Combine(root, $"run-{run++}")).FullName;
                scenario.Prepare?.Invoke(outDir);
                var before = Entries(outDir);
                var (code, _, err) = Timed(strace, ["-f", "-qq", "-o", "/dev/null", "-e", $"inject={syscall}:signal=KILL:when={when}", Binary(), .. scenario.Args(outDir)]);
                if (code != 128 + 9)
                {
                    // A call on another thread than the one counted first: the run went through.
                    Assert.True(code == 0, $"{scenario.Name}, {syscall} #{when}: exit {code}\n{err}");
                    Assert.Equal(scenario.Outputs, Entries(outDir));
                    Directory.Delete(outDir, recursive: true);
                    continue;
                }
                tally.Kills++;
                var left = Entries(outDir);
                var strays = left.Where(n => !scenario.Outputs.Contains(n) && !before.Contains(n) && HoldsSecret(Path.Combine(outDir, n), scenario)).ToList();
                if (strays.Count > 0)
                {
                    tally.NamedSecrets++;
                    if (CommitSyscalls.Contains(syscall)) tally.NamedSecretsAtCommit++;
                    output.WriteLine($"{scenario.Name}: kill at {syscall} #{when} left {string.Join(", ", strays)}");
                    if (named)
                        Assert.All(strays, n => Assert.True(scenario.Outputs.Any(o => IsTemporaryOf(n, o)),
                            $"{scenario.Name}, {syscall} #{when}: {n} is not a temporary the next run removes"));
                    else
                        // Unnamed: only a replacement's rename over the old file needs a name, between its link and the rename.
                        Assert.True(scenario.Replaces && syscall is "rename" or "renameat" or "renameat2",
                            $"{scenario.Name}, {syscall} #{when}: a secret under a name: {string.Join(", ", strays)}");
                }
                var outputs = left.Where(scenario.Outputs.Contains).Where(n => !before.Contains(n)).ToList();
                if (outputs.Count > 0 && outputs.Count < scenario.Outputs.Count(o => !before.Contains(o)))
                {
                    tally.PartialSets++;
                    output.WriteLine($"{scenario.Name}: kill at {syscall} #{when} left part of the set: {string.Join(", ", outputs)}");
                    Assert.True(CommitSyscalls.Contains(syscall), $"{scenario.Name}, {syscall} #{when}: part of the set named before the commit");
                }
                else if (strays.Count > 0 && outputs.Count == 0)
                {
                    // The next run of the same command removes what the killed one left, and says so.
                    var (again, _, againErr) = Timed(Binary(), scenario.Args(outDir));
                    Assert.True(again == 0, $"{scenario.Name}, after a kill at {syscall} #{when}: exit {again}\n{againErr}");
                    foreach (var stray in strays) Assert.Contains($"removed {stray}, left by an earlier run that was killed", againErr);
                    Assert.Equal(scenario.Outputs, Entries(outDir));
                }
                Directory.Delete(outDir, recursive: true);
            }
        }
        var fileSystem = External.Run("stat", "-f", "-c", "%T", root).Stdout.Trim();
        output.WriteLine($"{scenario.Name} ({(named ? "named temporaries" : "O_TMPFILE")}, {fileSystem} {root}): calls {string.Join(' ', calls.Where(c => c.Value.Count > 0).Select(c => $"{c.Key}={c.Value.Count}"))}; " +
                         $"{tally.Kills} kills, {tally.NamedSecrets} left a named secret ({tally.NamedSecretsAtCommit} at the commit's link or rename), " +
                         $"{tally.PartialSets} left part of a set");
        return tally;
    }

    public static TheoryData<string> Commands() =>
        ["split", "combine", "combine --force", "passwd", "share reissue", "share reissue --paper", "dkg export", "restore add", "restore finish"];

    // The code is the same on every file system that takes O_TMPFILE; tmpfs is checked with a set and a replacement.
    public static TheoryData<string> SetAndReplacement() => ["share reissue", "passwd"];

    // The named path is the one every command took before; checked with a set, a new file, a replacement, and the
    // other commands that write a secret file.
    public static TheoryData<string> NamedPath() =>
        ["share reissue", "combine", "passwd", "share reissue --paper", "dkg export", "restore add", "restore finish"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Killed_at_any_call_in_the_test_folder_leaves_no_secret_under_a_name(string command)
    {
        var scenario = Command(command);
        var tally = KillAtEveryCall(scenario, Directory.CreateDirectory(_dir.File("disk")).FullName, named: false);
        Assert.True(tally.Kills > 0, "no call was killed: the injection did not reach the command");
        if (!scenario.Replaces) Assert.Equal(0, tally.NamedSecrets);
    }

    [Theory]
    [MemberData(nameof(SetAndReplacement))]
    public void Killed_at_any_call_on_tmpfs_leaves_no_secret_under_a_name(string command)
    {
        if (!Directory.Exists("/dev/shm")) External.Unavailable("/dev/shm (tmpfs) is not mounted");
        var root = Directory.CreateDirectory(Path.Combine("/dev/shm", "kv-test-" + Guid.NewGuid().ToString("n"))).FullName;
        try
        {
            var scenario = Command(command);
            var tally = KillAtEveryCall(scenario, root, named: false);
            Assert.True(tally.Kills > 0, "no call was killed: the injection did not reach the command");
            if (!scenario.Replaces) Assert.Equal(0, tally.NamedSecrets);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(NamedPath))]
    public void Killed_at_any_call_on_a_file_system_that_refuses_O_TMPFILE_leaves_only_temporaries_the_next_run_removes(string command)
    {
        using var mount = new FuseMount();
        var tally = KillAtEveryCall(Command(command), mount.Path, named: true);
        Assert.True(tally.NamedSecrets > 0, "the named path left no temporary at any kill: was it taken?");
    }

    private static string[] Entries(string dir) => Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static (int Code, string Stdout, string Stderr) Timed(string file, string[] args) =>
        PublishedKeyvault.Timed(file, args, closeInput: true);
}
