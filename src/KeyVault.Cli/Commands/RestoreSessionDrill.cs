using KeyVault.Cli.Infrastructure;
using KeyVault.Custody;
using KeyVault.Drill;
using KeyVault.Keys;
using KeyVault.Restore;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>drill --restore-session DIR</c>: proves a restore session's shares rebuild the expected key, in memory, without
/// writing the key or changing the session. Kept apart from the key-file and share drill, which it does not combine with.
/// </summary>
internal static class RestoreSessionDrill
{
    public static int Run(CliConsole console, string? expectText, string directory, string? sessionPassphraseFile, string? slip39PassphraseFile)
    {
        SharedOptions.AtMostOneStdin(expectText, sessionPassphraseFile, slip39PassphraseFile);
        // Without --expect, a session started with a manifest expects the manifest's key (the rebuild checks it
        // against the manifest authenticated at open; the public status only says which key that is).
        var expected = expectText is not null ? DrillRun.ReadExpected(console, expectText)
            : RestoreSession.ReadStatus(directory).PublicKey is { } hex ? ExpectedIdentity.FromPublicKey(PublicKey.ParseHex(hex))
            : throw DrillCliError.NoExpect();
        using var key = RestoreFlow.Rebuild(console, directory, sessionPassphraseFile, slip39PassphraseFile);
        var match = expected.Match(key.PublicKey);
        foreach (var f in match.Fields)
            console.Out.WriteLine($"{f.Field,-22} expected {f.Expected}  rebuilt {f.Derived}  {(f.Equal ? "ok" : "DIFFERENT")}");
        console.Out.WriteLine(match.Matches
            ? $"PASS: the restore session's shares rebuild key {key.PublicKey.Fingerprint}; the key was not written and the session is unchanged"
            : "FAIL: the restore session's shares rebuild a different key than expected");
        return match.Matches ? ExitCode.Success : ExitCode.IdentityMismatch;
    }
}
