using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Keys;
using KeyVault.Shares;

namespace KeyVault.Cli.Infrastructure;

/// <summary>What a rebuild from shares used: public facts only, for summaries and drill reports.</summary>
/// <param name="Identifier">The backup's SLIP-0039 identifier.</param>
/// <param name="GroupThreshold">Groups needed.</param>
/// <param name="GroupCount">Groups issued.</param>
/// <param name="Shares">The shares accepted, in the order given.</param>
internal sealed record SharesRebuilt(int Identifier, int GroupThreshold, int GroupCount, IReadOnlyList<ShareInfo> Shares);

/// <summary>
/// Rebuilds a signer key from SLIP-0039 shares given as share files, or typed / scanned one per line at the terminal
/// (no echo), or piped one per line on standard input. Used by <c>combine</c>, <c>drill</c> and <c>ceremony</c>.
/// </summary>
internal static class ShareInput
{
    /// <summary>
    /// Collects shares until they are enough, rebuilds the 32-byte key and checks it against every public key the
    /// share files name. The caller disposes the key.
    /// </summary>
    public static SecretKey Rebuild(CliConsole console, IReadOnlyList<string> shareFiles, string? slip39PassphraseFile, out SharesRebuilt used)
    {
        using var collector = new ShareCollector();
        var infos = new List<ShareInfo>();
        var named = new List<(ShareFile File, string Source)>();
        try
        {
            if (shareFiles.Count > 0)
            {
                foreach (var path in shareFiles)
                {
                    var bytes = Inputs.ReadAll(console, path);
                    ShareFile file;
                    try
                    {
                        file = ShareFile.Parse(bytes, Inputs.Describe(path));
                    }
                    finally
                    {
                        SecretBuffers.Wipe(bytes);
                    }
                    named.Add((file, Inputs.Describe(path)));
                    var status = collector.Add(file.Mnemonic);
                    if (status.DuplicateOf is null) infos.Add(status.Share);
                    console.Error.WriteLine($"keyvault: {Inputs.Describe(path)}: {status.Message}");
                }
                if (!collector.CanRecover) collector.Recover(); // throws "need N more …" naming what is missing
            }
            else
            {
                CollectInteractively(console, collector, infos);
            }

            using var passphrase = ReadSlip39Passphrase(console, slip39PassphraseFile);
            MasterSecret secret;
            try
            {
                secret = collector.Recover(passphrase);
            }
            catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput)
            {
                throw new KeyVaultException(ErrorKind.RebuildFailed, ex.Message, ex.Hint, ex);
            }
            using (secret)
            {
                if (secret.Length != SecretKey.Length)
                    throw new KeyVaultException(ErrorKind.RebuildFailed,
                        $"the shares hold a {secret.Length}-byte secret, not a 32-byte signer key",
                        "these shares back up something else (a wallet seed?); use the sheets of the signer key");
                var key = secret.ToSecretKey();
                try
                {
                    foreach (var (file, source) in named) file.CheckKey(key.PublicKey, source);
                }
                catch
                {
                    key.Dispose();
                    throw;
                }
                var first = infos[0];
                used = new SharesRebuilt(first.Identifier, first.GroupThreshold, first.GroupCount, infos);
                return key;
            }
        }
        finally
        {
            foreach (var (file, _) in named) file.Dispose();
        }
    }

    private static void CollectInteractively(CliConsole console, ShareCollector collector, List<ShareInfo> infos)
    {
        if (console.IsInteractive)
        {
            console.Error.WriteLine("keyvault: type or scan one share per line (the words are not shown); an empty line stops.");
        }
        using var piped = console.IsInteractive ? null : new PipedLines(console);
        int position = 0;
        while (!collector.CanRecover)
        {
            position++;
            char[]? line = piped is null ? console.ReadSecretLine($"Share {position}: ") : piped.Next();
            try
            {
                if (line is null || line.AsSpan().Trim().IsEmpty)
                {
                    if (!console.IsInteractive && line is not null) { position--; continue; }
                    if (collector.Count == 0)
                        throw new KeyVaultException(ErrorKind.Cancelled, "no shares given", "give --share-file FILE for each share, or type them at the prompt");
                    collector.Recover(); // names how many more are needed
                }
                try
                {
                    var status = collector.Add(line);
                    if (status.DuplicateOf is null) infos.Add(status.Share);
                    console.Error.WriteLine($"keyvault: {status.Message}");
                }
                catch (KeyVaultException ex) when (console.IsInteractive && ex.Kind is ErrorKind.BadInput or ErrorKind.RebuildFailed)
                {
                    // At the terminal a mistyped share, or one from another backup, is not fatal: the collector is unchanged,
                    // so say what is wrong and ask again instead of losing the shares typed so far.
                    Reporter.Error(console, ex.Message, ex.Hint ?? "type the share again");
                }
            }
            finally
            {
                SecretBuffers.Wipe(line);
            }
        }
    }

    /// <summary>The SLIP-0039 passphrase: empty unless a file is given (it is printable ASCII by the standard).</summary>
    public static PinnedBytes ReadSlip39Passphrase(CliConsole console, string? path)
    {
        if (path is null) return new PinnedBytes([]);
        var bytes = Inputs.ReadAll(console, path);
        int length = bytes.Length;
        if (bytes.AsSpan().EndsWith("\r\n"u8)) length -= 2;
        else if (bytes.AsSpan().EndsWith("\n"u8)) length -= 1;
        var trimmed = new PinnedBytes(bytes.AsSpan(0, length).ToArray());
        SecretBuffers.Wipe(bytes);
        return trimmed;
    }
}

/// <summary>Shares piped on standard input: one per line; the decoded text is wiped on Dispose.</summary>
internal sealed class PipedLines : IDisposable
{
    private readonly char[] _text;
    private int _cursor;

    public PipedLines(CliConsole console)
    {
        var bytes = Inputs.ReadAll(console, "-");
        try
        {
            _text = System.Text.Encoding.UTF8.GetChars(bytes);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    /// <summary>The next line without its line ending, or null at the end.</summary>
    public char[]? Next()
    {
        if (_cursor >= _text.Length) return null;
        int end = Array.IndexOf(_text, '\n', _cursor);
        if (end < 0) end = _text.Length;
        var line = _text[_cursor..end];
        _cursor = end + 1;
        return line;
    }

    public void Dispose() => SecretBuffers.Wipe(_text);
}

/// <summary>A byte array wiped on Dispose that converts to a span.</summary>
internal sealed class PinnedBytes(byte[] bytes) : IDisposable
{
    public static implicit operator ReadOnlySpan<byte>(PinnedBytes p) => p._bytes;

    private readonly byte[] _bytes = bytes;

    public void Dispose() => SecretBuffers.Wipe(_bytes);
}
