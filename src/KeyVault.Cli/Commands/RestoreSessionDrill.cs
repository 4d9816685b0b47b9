using KeyVault.Cli.Infrastructure;

namespace KeyVault.Cli.Commands;

/// <summary>
/// <c>drill --restore-session DIR</c>: proves a restore session's shares rebuild the expected key, in memory, without
/// writing the key or changing the session (<see cref="KeyVault.Flows.RestoreSessionDrill.Run"/>); this prints the comparison. Kept apart
/// from the key-file and share drill, which it does not combine with.
/// </summary>
internal static class RestoreSessionDrill
{
    public static int Run(CliConsole console, string? expectText, string directory, string? sessionPassphraseFile, string? slip39PassphraseFile)
    {
        SharedOptions.AtMostOneStdin(expectText, sessionPassphraseFile, slip39PassphraseFile);
        var result = KeyVault.Flows.RestoreSessionDrill.Run(console, directory, expectText, sessionPassphraseFile, slip39PassphraseFile);
        foreach (var f in result.Match.Fields)
            console.Out.WriteLine($"{f.Field,-22} expected {f.Expected}  rebuilt {f.Derived}  {(f.Equal ? "ok" : "DIFFERENT")}");
        console.Out.WriteLine(result.Match.Matches
            ? $"PASS: the restore session's shares rebuild key {result.Fingerprint}; the key was not written and the session is unchanged"
            : "FAIL: the restore session's shares rebuild a different key than expected");
        return result.Match.Matches ? ExitCode.Success : ExitCode.IdentityMismatch;
    }
}
