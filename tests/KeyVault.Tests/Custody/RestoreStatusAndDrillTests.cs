using KeyVault.Cli;
using KeyVault.Errors;
using KeyVault.Flows;
using KeyVault.Tests.Cli;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Custody;

/// <summary>The library answers what restore status shows (what is still out, the recipient) and runs the session drill.</summary>
public sealed class RestoreStatusAndDrillTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Status_names_the_registered_shares_still_out_and_the_recipient()
    {
        var (dir, recipient) = _k.StartSession();
        var state = RestoreFlow.Status(dir);
        Assert.Equal(["#1 (Alice)", "#2 (Bob)", "#3 (Carol)"], state.StillOut.Select(m => $"{m.Slot} ({m.Custodian})"));
        Assert.Equal(recipient, state.Recipient);

        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(2)).Rc);
        state = RestoreFlow.Status(dir);
        Assert.Equal([(1, 1, "Alice"), (1, 3, "Carol")], state.StillOut.Select(m => (m.Group, m.Member, m.Custodian)));
        Assert.Equal(Path.GetFullPath(dir), state.Directory);
        Assert.Single(state.Status.Shares);
    }

    [Fact]
    public void Status_names_nothing_from_a_manifest_copy_other_than_the_one_the_session_started_with()
    {
        var (dir, _) = _k.StartSession();
        var copy = Path.Combine(dir, "manifest.json");
        File.WriteAllText(copy, File.ReadAllText(copy).Replace("Alice", "Mallory"));
        Assert.Empty(RestoreFlow.Status(dir).StillOut);
        File.Delete(Path.Combine(dir, RestoreFlow.RecipientFileName));
        Assert.Null(RestoreFlow.Status(dir).Recipient);
    }

    [Fact]
    public void Status_without_a_manifest_names_nothing_still_out()
    {
        var (dir, _) = _k.StartSession("bare", withManifest: false);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        var state = RestoreFlow.Status(dir);
        Assert.Empty(state.StillOut);
        Assert.Single(state.Status.Shares);
    }

    [Fact]
    public void The_session_drill_compares_with_the_manifests_key_or_needs_an_expected_identity()
    {
        var (dir, _) = _k.StartSession();
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(3)).Rc);
        var result = KeyVault.Flows.RestoreFlow.Drill(new ScriptedOperator(), dir, null, _k.SessionPass, null);
        Assert.True(result.Match.Matches);
        var other = KeyVault.Flows.RestoreFlow.Drill(new ScriptedOperator(), dir, TestKeys.Key2PublicKey, _k.SessionPass, null);
        Assert.False(other.Match.Matches);
        Assert.Equal(result.Fingerprint, other.Fingerprint);

        var (bare, _) = _k.StartSession("bare", withManifest: false);
        var ex = Assert.Throws<KeyVaultException>(() => KeyVault.Flows.RestoreFlow.Drill(new ScriptedOperator(), bare, null, _k.SessionPass, null));
        Assert.Equal(ErrorKind.Usage, ex.Kind);
        Assert.Equal(ErrorCodes.SessionDrillNeedsExpected, ex.Code);
        Assert.DoesNotContain("--", ex.Message + ex.Hint);
        // The command adds the flag.
        var (rc, console) = CustodyKit.Run("drill", "--restore-session", bare, "--session-passphrase-file", _k.SessionPass);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("keyvault: hint: give --expect", console.StderrText);
    }
}
