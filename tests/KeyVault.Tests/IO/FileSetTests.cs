using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Paper;
using KeyVault.Shares;
using KeyVault.Sheets;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.IO;

/// <summary>
/// The ceremony's file registry against a signal handler that discards on another thread: no file written after
/// the discard began may survive it, however the two threads interleave.
/// </summary>
public partial class FileSetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Text = "not a secret"u8.ToArray();

    [Fact]
    public void DiscardDeletesWhatWasWrittenAndStrayTemporaryFiles()
    {
        var files = new FileSet(_dir.Path);
        files.RequireFree(["share-1.txt", "share-2.txt"]);
        var share = files.PathOf("share-1.txt");
        var report = files.PathOf("drill-report.json");
        files.Write(Path.GetFileName(share), "share-file", Text);
        files.Write(Path.GetFileName(report), "drill-report", Text);
        File.WriteAllText(files.PathOf(".share-2.txt.0123456789ab.tmp"), "half-written");

        var deleted = files.Discard();

        Assert.Equal(["share-1.txt", "drill-report.json"], deleted!);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void AWriteAfterDiscardCreatesNothingAndThrowsCancelled()
    {
        var files = new FileSet(_dir.Path);
        var first = files.PathOf("share-1.txt");
        files.Write(Path.GetFileName(first), "share-file", Text);
        Assert.Equal(["share-1.txt"], files.Discard()!);

        var ex = Assert.Throws<KeyVaultException>(() => files.Write("share-2.txt", "share-file", Text));

        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Contains("interrupted", ex.Message);
        Assert.Empty(_dir.Entries());
        Assert.False(files.Complete());
    }

    [Fact]
    public void ACompletedCeremonyKeepsItsFilesWhenASignalComesLate()
    {
        var files = new FileSet(_dir.Path);
        var transcript = files.PathOf("transcript.json");
        files.Write(Path.GetFileName(transcript), "transcript", Text);
        Assert.True(files.Complete());

        Assert.Null(files.Discard());
        Assert.Equal(["transcript.json"], _dir.Entries());
    }

    [Fact]
    public void ConcurrentWritesAndDiscardNeverLeaveAFileBehind()
    {
        int writtenBeforeDiscard = 0, refused = 0, refusedButPresent = 0;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            var dir = Directory.CreateDirectory(_dir.File($"run-{iteration}")).FullName;
            var files = new FileSet(dir);
            using var start = new Barrier(2);
            int written = 0;
            var writer = new Thread(() =>
            {
                start.SignalAndWait();
                // Writes until the registry refuses: a discard always comes, so the loop ends.
                for (int n = 1; ; n++)
                {
                    var path = files.PathOf($"share-{n}.txt");
                    try
                    {
                        files.Write(Path.GetFileName(path), "share-file", Text);
                        Interlocked.Increment(ref written);
                    }
                    catch (KeyVaultException ex) when (ex.Kind == ErrorKind.Cancelled)
                    {
                        // Asserting here would throw on a thread of its own; counted and asserted below instead.
                        if (File.Exists(path)) Interlocked.Increment(ref refusedButPresent);
                        Interlocked.Increment(ref refused);
                        return;
                    }
                }
            });
            var discarder = new Thread(() =>
            {
                start.SignalAndWait();
                // Every other round lets one write land first, so a loaded machine that schedules the discard before the
                // writer still exercises a discard among writes in progress.
                if (iteration % 2 == 0) SpinWait.SpinUntil(() => Volatile.Read(ref written) > 0);
                Thread.SpinWait(Random.Shared.Next(0, 20_000));
                files.Discard();
            });
            writer.Start();
            discarder.Start();
            writer.Join();
            discarder.Join();

            Assert.Empty(Directory.GetFileSystemEntries(dir));
            writtenBeforeDiscard += written;
        }
        Assert.Equal(300, refused);
        Assert.Equal(0, refusedButPresent);
        Assert.True(writtenBeforeDiscard > 0, "no write ever landed before the discard: the race was not exercised");
    }

    [GeneratedRegex(@"^Share (\d+) \(")]
    private static partial Regex SharePrompt();

    [Fact]
    public void ASignalWhileTheOperatorIsBeingAskedDeletesEverythingAndEndsWithCancelled()
    {
        var outDir = Directory.CreateDirectory(_dir.File("out")).FullName;
        var passFile = _dir.File("pass.txt");
        File.WriteAllText(passFile, "ceremony signal test passphrase velvet orbit canyon\n");
        // Weak on purpose: the signal handling is under test, not Argon2's cost.
        var settings = new CeremonySettings
        {
            OutDir = outDir, Network = StacksNetwork.Mainnet, PaperSize = PaperSize.A4, Kdf = new KdfParameters(8, 1, 1), PassphraseFile = passFile,
        };
        var console = new TestConsole();
        foreach (var line in new[] { "yes", "yes", "3", "2", "Alice", "Bob", "Carol", "yes" }) console.Lines.Enqueue(line);

        int? exitCode = null;
        string[]? entriesAtExit = null;
        using var terminated = new ManualResetEventSlim();
        using var renderer = new SheetRenderer();
        var run = new CeremonyFlow(console, settings, renderer, console.Network);
        void Interrupt() => run.Interrupt("SIGTERM", deleted =>
        {
            run.ReportDiscarded(deleted);
            console.Error.WriteLine(run.InterruptedError().Message);
            exitCode = ExitCode.Cancelled;
            entriesAtExit = Directory.GetFileSystemEntries(outDir);
            terminated.Set();
        });
        console.SecretResponder = prompt =>
        {
            var share = SharePrompt().Match(prompt).Groups[1].Value;
            var path = Path.Combine(outDir, $"share-{share}.txt");
            using var file = ShareFile.Parse(File.ReadAllBytes(path), "share");
            var typed = new string(file.Mnemonic);
            if (share == "2")
            {
                // The main thread stays blocked in this read until the handler has ended the "process".
                _ = Task.Run(Interrupt);
                Assert.True(terminated.Wait(TimeSpan.FromMinutes(1)), "the signal handler did not end the process");
            }
            return typed;
        };

        var ex = Assert.Throws<KeyVaultException>(() => run.Run());

        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Equal(ExitCode.Cancelled, exitCode);
        Assert.Empty(entriesAtExit!);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        Assert.Contains("interrupted by SIGTERM", console.StderrText);
        Assert.Contains("share-1.txt", console.StderrText[console.StderrText.IndexOf("the ceremony stopped", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("== Step 6 of 7", console.StderrText);
    }

    [Fact]
    public void ATemporaryLeftAsASecondNameOfThePublishedFileIsDeletedWithoutZeroingTheFile()
    {
        // A run killed between linking its temporary to the final name and deleting the temporary leaves two names of
        // one file; the next run's clean-up must not overwrite it with zeros through the temporary's name.
        using var dir = new TempDir();
        var published = dir.File("share-1.txt");
        File.WriteAllText(published, "academic acid acne\n");
        var linked = dir.File(".share-1.txt.0123456789ab.tmp");
        var (code, _, err) = External.Run("ln", published, linked);
        Assert.True(code == 0, err);
        var stale = dir.File(".share-2.txt.0123456789ab.tmp");
        File.WriteAllText(stale, "a share never published\n");

        var removed = FileSet.RemoveTemporaries(dir.Path, ["share-1.txt", "share-2.txt"]);

        Assert.Equal([".share-1.txt.0123456789ab.tmp", ".share-2.txt.0123456789ab.tmp"], removed.Order(StringComparer.Ordinal));
        Assert.Equal("academic acid acne\n", File.ReadAllText(published));
        Assert.Equal(["share-1.txt"], dir.Entries());
    }
}
