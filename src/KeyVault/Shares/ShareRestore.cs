using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Keys;

namespace KeyVault.Shares;

/// <summary>What a rebuild from shares used: public facts only, for summaries and drill reports.</summary>
/// <param name="Identifier">The backup's SLIP-0039 identifier.</param>
/// <param name="GroupThreshold">Groups needed.</param>
/// <param name="GroupCount">Groups issued.</param>
/// <param name="Shares">The shares accepted, in the order given.</param>
public sealed record SharesRebuilt(int Identifier, int GroupThreshold, int GroupCount, IReadOnlyList<ShareInfo> Shares);

/// <summary>
/// Restoring a signer key from SLIP-0039 shares, as a state object (like the reference implementation's recovery
/// state): add shares one at a time — share files, typed or scanned lines — ask what is still missing, finish. A
/// refused share leaves everything collected so far as it was. Share files that name their key are checked against
/// the key rebuilt. Dispose wipes every share.
/// </summary>
public sealed class ShareRestore : IDisposable
{
    private readonly RecoveryState _collector = new();
    private readonly List<ShareInfo> _infos = [];
    private readonly List<(ShareFile File, string Source)> _named = [];

    /// <summary>Distinct shares accepted so far.</summary>
    public int Count => _collector.Count;

    /// <summary>True once the shares are enough to attempt a rebuild.</summary>
    public bool CanFinish => _collector.CanRecover;

    /// <summary>The shares accepted, in the order given.</summary>
    public IReadOnlyList<ShareInfo> Shares => _infos;

    /// <summary>Adds a share typed, scanned or piped (any case and spacing, 4-letter prefixes); throws when it is refused.</summary>
    public ShareStatus Add(ReadOnlySpan<char> mnemonic)
    {
        var status = _collector.Add(mnemonic);
        if (status.DuplicateOf is null) _infos.Add(status.Share);
        return status;
    }

    /// <summary>Adds a share file's share (<paramref name="source"/> names it in messages); throws when it is refused.</summary>
    public ShareStatus AddFile(ReadOnlySpan<byte> content, string source)
    {
        var file = ShareFile.Parse(content, source);
        try
        {
            var status = Add(file.Mnemonic);
            _named.Add((file, source));
            return status;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Throws the "not enough shares: need …" error naming what is missing, unless the shares are enough.</summary>
    public void RequireEnough()
    {
        if (!_collector.CanRecover) _collector.Recover();
    }

    /// <summary>
    /// Rebuilds the 32-byte key with the SLIP-0039 <paramref name="passphrase"/> (empty for none) and checks it against
    /// every public key the share files name. The caller disposes the key.
    /// </summary>
    /// <param name="passphrase">The SLIP-0039 passphrase.</param>
    /// <param name="used">The shares the key was rebuilt from.</param>
    /// <param name="op">When given, told the expected time of a slow decryption (high iteration exponent) and shown its progress.</param>
    public SecretKey Finish(ReadOnlySpan<byte> passphrase, out SharesRebuilt used, IOperator? op = null)
    {
        MasterSecret secret;
        try
        {
            using (Slip39Timing.Announce(op, _infos.Count > 0 ? _infos[0].IterationExponent : 0, "decrypting the master secret"))
                secret = _collector.Recover(passphrase);
        }
        catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput)
        {
            throw new KeyVaultException(ErrorKind.RebuildFailed, ex.Message, ex.Hint, ex, ex.Code);
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
                foreach (var (file, source) in _named) file.CheckKey(key.PublicKey, source);
            }
            catch
            {
                key.Dispose();
                throw;
            }
            var first = _infos[0];
            used = new SharesRebuilt(first.Identifier, first.GroupThreshold, first.GroupCount, _infos.ToList());
            return key;
        }
    }

    /// <summary>Wipes every share collected.</summary>
    public void Dispose()
    {
        _collector.Dispose();
        foreach (var (file, _) in _named) file.Dispose();
        _named.Clear();
    }
}

/// <summary>Reads a SLIP-0039 passphrase file and checks it against the standard's rule before any share is handled.</summary>
internal static class Slip39Passphrase
{
    /// <summary>
    /// The passphrase (empty when <paramref name="path"/> is null), with one trailing line ending removed; refuses
    /// characters outside printable ASCII, and an empty file unless <paramref name="allowEmpty"/>. Dispose wipes it.
    /// </summary>
    public static PinnedBytes Read(IOperator op, string? path, bool allowEmpty)
    {
        if (path is null) return new PinnedBytes([]);
        var bytes = Inputs.ReadAll(op, path);
        int length = bytes.Length;
        if (bytes.AsSpan().EndsWith("\r\n"u8)) length -= 2;
        else if (bytes.AsSpan().EndsWith("\n"u8)) length -= 1;
        var passphrase = new PinnedBytes(bytes.AsSpan(0, length).ToArray());
        SecretBuffers.Wipe(bytes);
        try
        {
            ReadOnlySpan<byte> value = passphrase;
            if (value.IsEmpty && !allowEmpty)
                throw new KeyVaultException(ErrorKind.BadInput, "the SLIP-0039 passphrase file is empty",
                    "leave it out for no passphrase (the sheets then say none is needed)", code: ErrorCodes.Slip39PassphraseEmpty);
            int bad = value.IndexOfAnyExceptInRange((byte)32, (byte)126);
            if (bad >= 0) throw ShareErrors.PassphraseNotAscii(bad + 1);
            return passphrase;
        }
        catch
        {
            passphrase.Dispose();
            throw;
        }
    }
}

/// <summary>A byte array wiped on Dispose that converts to a span.</summary>
internal sealed class PinnedBytes(byte[] bytes) : IDisposable
{
    /// <summary>The bytes, while not disposed.</summary>
    public static implicit operator ReadOnlySpan<byte>(PinnedBytes p) => p._bytes;

    private readonly byte[] _bytes = bytes;

    /// <summary>Wipes the bytes.</summary>
    public void Dispose() => SecretBuffers.Wipe(_bytes);
}
