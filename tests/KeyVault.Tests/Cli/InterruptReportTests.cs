using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using KeyVault.Cli;
using KeyVault.Cli.Infrastructure;
using KeyVault.IO;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// A signal that takes a set of files away while the main thread is writing it: the main thread then finds the set
/// gone and fails, and the handler reports and ends the command. Exactly one report, the handler's, naming the signal.
/// </summary>
public class InterruptReportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int ErrorLines(string stderr) => Regex.Matches(stderr, "^keyvault: error: ", RegexOptions.Multiline).Count;

    /// <summary>A console, a file set in the temporary folder, and the handler a SIGINT/SIGTERM/SIGHUP would run, whose exits are recorded.</summary>
    private (TestConsole Console, FileSet Files, List<int> Terminated, Action<PosixSignal> Handler) Setup()
    {
        var console = new TestConsole();
        var files = new FileSet(_dir.Path);
        var terminated = new List<int>();
        return (console, files, terminated, Interrupts.Discarding(console, files, terminated.Add));
    }

    [Fact]
    public void The_main_thread_tripping_over_a_discarded_set_leaves_the_report_to_the_handler()
    {
        var (console, files, terminated, handler) = Setup();

        int code = Reporter.Run(console, () =>
        {
            files.Write("share-1.txt", "share-file", "one"u8);
            // The signal arrives on the runtime's thread between two writes.
            var signal = Task.Run(() => handler(PosixSignal.SIGINT));
            SpinWait.SpinUntil(() => !Directory.EnumerateFileSystemEntries(_dir.Path).Any(), TimeSpan.FromSeconds(30));
            files.Write("share-2.txt", "share-file", "two"u8);
            signal.Wait();
            return ExitCode.Success;
        });

        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Equal([ExitCode.Cancelled], terminated);
        Assert.Equal(1, ErrorLines(console.StderrText));
        Assert.Contains("cancelled: interrupted by SIGINT before every file was written", console.StderrText);
        Assert.Contains("overwrote and deleted the 1 file written so far: share-1.txt", console.StderrText);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void A_signal_after_the_set_is_complete_changes_nothing()
    {
        var (console, files, terminated, handler) = Setup();

        int code = Reporter.Run(console, () =>
        {
            files.Write("share-1.txt", "share-file", "one"u8);
            Assert.True(files.Complete());
            handler(PosixSignal.SIGTERM);
            return ExitCode.Success;
        });

        Assert.Equal(ExitCode.Success, code);
        Assert.Empty(terminated);
        Assert.Equal(0, ErrorLines(console.StderrText));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "share-1.txt")));
    }

    [Fact]
    public void A_failure_of_its_own_is_reported_by_the_main_thread_when_no_signal_came()
    {
        var console = new TestConsole();
        var files = new FileSet(_dir.Path);
        _ = Interrupts.Discarding(console, files, _ => Assert.Fail("no signal came"));

        int code = Reporter.Run(console, () => throw FileSet.Interrupted());

        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Equal(1, ErrorLines(console.StderrText));
    }
}
