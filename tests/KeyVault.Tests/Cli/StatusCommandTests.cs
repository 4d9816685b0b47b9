using KeyVault.Cli;
using KeyVault.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>share check --receipt and keyvault status through Program.Run, at dates the test chooses.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Receipts_from_share_checks_make_status_say_what_is_due_and_the_textfile_says_the_same()
    {
        var receipts = new List<string>();
        foreach (var n in new[] { 1, 2 })
        {
            var path = _k.Dir($"receipt-{n}.json");
            var (rc, c) = CustodyKit.Run("share", "check", "--share-file", _k.Share(n), "--manifest", _k.Manifest, "--receipt", path);
            Assert.True(rc == ExitCode.Success, c.StderrText);
            Assert.Contains($"receipt:            {path}", c.StdoutText);
            FileModes.AssertPublic(path);
            receipts.Add(path);
        }
        // A receipt is never overwritten, and a share not registered gets none.
        Assert.Equal(ExitCode.OutputFailure, CustodyKit.Run("share", "check", "--share-file", _k.Share(1), "--manifest", _k.Manifest, "--receipt", receipts[0]).Rc);
        Assert.Equal(ExitCode.Usage, CustodyKit.Run("share", "check", "--share-file", _k.Share(1), "--receipt", _k.Dir("x.json")).Rc);

        var created = BackupManifest.ReadAuthentic(File.ReadAllText(_k.Manifest)).CreatedAt;
        var soon = created.AddDays(30).ToString("yyyy-MM-dd");
        var (code, console) = CustodyKit.Run(["status", _k.Manifest, .. receipts, "--at", soon]);
        Assert.True(code == ExitCode.Success, console.StderrText + console.StdoutText);
        Assert.Contains("nothing due", console.StdoutText);

        // A year on, every check and the drill are overdue; the textfile says so too.
        var prom = _k.Dir("keyvault.prom");
        (code, console) = CustodyKit.Run(["status", _k.Manifest, .. receipts, "--at", created.AddDays(365).ToString("yyyy-MM-dd"), "--check-every", "26w",
            "--prometheus", prom]);
        Assert.Equal(ExitCode.Due, code);
        Assert.Contains("ACTION NEEDED", console.StdoutText);
        Assert.Contains("OVERDUE  share #3 Carol: never checked", console.StdoutText);
        Assert.Contains("OVERDUE  drill: never drilled", console.StdoutText);
        Assert.Contains("no time zone recorded for Alice, Bob, Carol", console.StdoutText);
        FileModes.AssertPublic(prom);
        var text = File.ReadAllText(prom);
        Assert.Contains("custodian=\"Carol\"} 1\n", text);
        Assert.Contains("keyvault_restore_hours_below_threshold{", text);

        Assert.Equal(ExitCode.Usage, CustodyKit.Run("status", _k.Manifest, "--check-every", "6 months").Rc);
        Assert.Equal(ExitCode.Usage, CustodyKit.Run("status", _k.Manifest, "--prometheus", _k.Dir("keyvault.txt")).Rc);
        (code, console) = CustodyKit.Run("status", receipts[0]);
        Assert.Equal(ExitCode.BadInput, code);
        Assert.Contains("none of the files given is an authentic manifest", console.StderrText);
    }
}
