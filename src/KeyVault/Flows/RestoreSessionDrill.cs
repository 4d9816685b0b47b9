using KeyVault.Flows;
using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.Keys;
using KeyVault.Restore;
using KeyVault.Drill;

namespace KeyVault.Flows;

/// <summary>What a drill of a restore session found; the key was rebuilt in memory only and the session is unchanged.</summary>
/// <param name="Match">The rebuilt key against the expected identity, field by field.</param>
/// <param name="Fingerprint">The rebuilt key's fingerprint.</param>
public sealed record RestoreDrillResult(IdentityMatch Match, string Fingerprint);

/// <summary>The drill of a restore session (<c>drill --restore-session</c>): the library half; a front end prints the result.</summary>
public static class RestoreSessionDrill
{
    /// <summary>
    /// Drills a session: rebuilds the key in memory from its shares (without writing it or changing the session) and
    /// compares it with <paramref name="expectText"/>, or, without one, with the key of the manifest the session was
    /// started with (the rebuild checks it against that manifest, authenticated at open).
    /// </summary>
    /// <exception cref="KeyVaultException">Usage (no expected identity and no manifest), and those of opening and rebuilding.</exception>
    public static RestoreDrillResult Run(IOperator op, string directory, string? expectText, string? passphraseFile, string? slip39PassphraseFile)
    {
        ArgumentNullException.ThrowIfNull(op);
        var expected = expectText is not null ? DrillRun.ReadExpected(op, expectText)
            : RestoreSession.ReadStatus(directory).PublicKey is { } hex ? ExpectedIdentity.FromPublicKey(PublicKey.ParseHex(hex))
            : throw CustodyError.SessionDrillNeedsExpected();
        using var key = RestoreFlow.Rebuild(op, directory, passphraseFile, slip39PassphraseFile);
        return new RestoreDrillResult(expected.Match(key.PublicKey), key.PublicKey.Fingerprint);
    }
}
