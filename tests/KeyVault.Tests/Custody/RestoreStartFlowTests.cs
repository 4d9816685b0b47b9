using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Restore;
using KeyVault.Tests.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Custody;

/// <summary>
/// restore start writes the manifest copy, the session file and recipient.txt as one staged set: a discard (the front
/// end's signal handler) part way leaves none of them, and a killed run's temporaries are removed by the next start.
/// </summary>
public sealed class RestoreStartFlowTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    // The passphrase comes from the kit's file: the operator is asked nothing.
    private static ScriptedOperator Operator() => new();

    [Fact]
    public void A_completed_start_writes_all_three_files()
    {
        var dir = _k.Dir("session");
        FileSet? seen = null;
        var started = RestoreFlow.Start(Operator(), dir, _k.Manifest, _k.SessionPass, KdfParameters.Minimum, guard: f => { seen = f; return null; });
        Assert.NotNull(seen);
        Assert.Equal(["manifest.json", RestoreFlow.RecipientFileName, RestoreSession.FileName], CustodyKit.Entries(dir).Order(StringComparer.Ordinal));
        Assert.Equal(started.Recipient + "\n", File.ReadAllText(started.RecipientFile));
        FileModes.AssertOwnerOnly(Path.Combine(dir, RestoreSession.FileName));
    }

    [Fact]
    public void A_discard_after_the_manifest_copy_is_staged_leaves_nothing()
    {
        var dir = _k.Dir("session");
        FileSet? files = null;
        var op = Operator();
        // The session key is derived after the manifest copy is staged and before the session file is written.
        string[]? staged = null;
        op.OnKdfProgress = purpose =>
        {
            staged ??= CustodyKit.Entries(dir);
            files!.Discard();
        };
        var ex = Assert.Throws<KeyVaultException>(() =>
            RestoreFlow.Start(op, dir, _k.Manifest, _k.SessionPass, KdfParameters.Minimum, guard: f => { files = f; return null; }));
        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        // The manifest copy was staged: without a name (O_TMPFILE), or where files are not created unnamed, hidden.
        Assert.NotNull(staged);
        if (UnnamedFile.Supported) Assert.Empty(staged);
        else Assert.Single(staged, e => e.StartsWith(".manifest.json.", StringComparison.Ordinal));
        Assert.Empty(CustodyKit.Entries(dir));
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => RestoreSession.ReadStatus(dir)).Kind);
    }

    [Fact]
    public void A_failure_while_writing_leaves_nothing_and_the_folder_takes_a_new_start()
    {
        var dir = _k.Dir("session");
        Directory.CreateDirectory(dir);
        // recipient.txt appearing meanwhile makes the last write of the set fail.
        var op = Operator();
        op.OnKdfProgress = _ => File.WriteAllText(Path.Combine(dir, RestoreFlow.RecipientFileName), "age1someoneelse\n");
        var ex = Assert.Throws<KeyVaultException>(() => RestoreFlow.Start(op, dir, _k.Manifest, _k.SessionPass, KdfParameters.Minimum));
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Equal([RestoreFlow.RecipientFileName], CustodyKit.Entries(dir));
        File.Delete(Path.Combine(dir, RestoreFlow.RecipientFileName));
        RestoreFlow.Start(Operator(), dir, _k.Manifest, _k.SessionPass, KdfParameters.Minimum);
        Assert.Equal(3, CustodyKit.Entries(dir).Length);
    }

    [Fact]
    public void Temporaries_of_a_killed_start_are_removed_with_a_note()
    {
        var dir = _k.Dir("session");
        Directory.CreateDirectory(dir);
        string[] left = [".manifest.json.0123456789ab.tmp", $".{RestoreSession.FileName}.abcdef012345.tmp", ".recipient.txt.00112233aabb.tmp"];
        foreach (var name in left) File.WriteAllText(Path.Combine(dir, name), "left by a killed run");
        var op = Operator();
        RestoreFlow.Start(op, dir, _k.Manifest, _k.SessionPass, KdfParameters.Minimum);
        foreach (var name in left) Assert.Contains($"note: removed {name}, left by an earlier run that was killed", op.Transcript);
        Assert.Equal(3, CustodyKit.Entries(dir).Length);
    }
}
