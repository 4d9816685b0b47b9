namespace KeyVault.Cli.Infrastructure;

/// <summary>Reads a --slip39-passphrase-file and checks it against the standard's rule before any share is handled.</summary>
internal static class Slip39PassphraseFile
{
    /// <summary>
    /// The passphrase (empty when <paramref name="path"/> is null); refuses characters outside printable ASCII, and an
    /// empty file when <paramref name="allowEmpty"/> is false. The caller disposes the result, which wipes it.
    /// </summary>
    public static PinnedBytes Read(CliConsole console, string? path, bool allowEmpty)
    {
        var passphrase = ShareInput.ReadSlip39Passphrase(console, path);
        try
        {
            ReadOnlySpan<byte> bytes = passphrase;
            if (path is not null && bytes.IsEmpty && !allowEmpty) throw ShareCliErrors.Slip39PassphraseEmpty();
            int bad = bytes.IndexOfAnyExceptInRange((byte)32, (byte)126);
            if (bad >= 0) throw ShareCliErrors.Slip39PassphraseNotAscii(bad + 1);
            return passphrase;
        }
        catch
        {
            passphrase.Dispose();
            throw;
        }
    }
}
