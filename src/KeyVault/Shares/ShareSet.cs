using KeyVault.IO;

namespace KeyVault.Shares;

/// <summary>One share produced by a split: its metadata and its words. Wiped when its <see cref="ShareSet"/> is disposed.</summary>
public sealed class MnemonicShare
{
    private readonly string[] _words;

    internal MnemonicShare(ShareInfo info, int memberCount, string[] words, string mnemonic)
    {
        Info = info;
        MemberCount = memberCount;
        _words = words;
        Mnemonic = mnemonic;
    }

    /// <summary>The share's public metadata.</summary>
    public ShareInfo Info { get; }

    /// <summary>How many shares were issued in this share's group (not stored in the mnemonic; known only at split time).</summary>
    public int MemberCount { get; }

    /// <summary>The words, in order (for a numbered grid on paper).</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The canonical mnemonic: lowercase words separated by single spaces (for a QR code or a share file).</summary>
    public string Mnemonic { get; }

    internal void Wipe()
    {
        SecretBuffers.WipeString(Mnemonic);
        // The words themselves are the shared word-list constants; only the sequence is secret.
        Array.Clear(_words);
    }

    /// <inheritdoc />
    public override string ToString() => $"MnemonicShare(group {Info.GroupNumber}, member {Info.MemberNumber}, hidden)";
}

/// <summary>
/// Every share of one split, in group order then member order. Dispose wipes the mnemonics, so callers should not
/// keep copies of <see cref="MnemonicShare.Mnemonic"/> beyond writing them out.
/// </summary>
public sealed class ShareSet : IDisposable
{
    internal ShareSet(SplitLayout layout, int identifier, IReadOnlyList<MnemonicShare> shares)
    {
        Layout = layout;
        Identifier = identifier;
        Shares = shares;
    }

    /// <summary>The layout the shares were made for.</summary>
    public SplitLayout Layout { get; }

    /// <summary>The backup's 15-bit identifier (the same in every share; public).</summary>
    public int Identifier { get; }

    /// <summary>All shares: group 1's members first, then group 2's, and so on.</summary>
    public IReadOnlyList<MnemonicShare> Shares { get; }

    /// <summary>The shares of one group, by its 1-based number.</summary>
    public IReadOnlyList<MnemonicShare> Group(int groupNumber) =>
        Shares.Where(s => s.Info.GroupNumber == groupNumber).ToArray();

    /// <summary>
    /// Combines every share before any is written: the collector checks that each extra share lies on the same
    /// polynomial, so one recovery proves all of them, and the rebuilt key must be <paramref name="expected"/>.
    /// </summary>
    public void CheckRebuilds(ReadOnlySpan<byte> passphrase, Keys.PublicKey expected)
    {
        using var secret = Slip39.Combine(Shares.Select(s => s.Mnemonic), passphrase);
        using var rebuilt = secret.ToSecretKey();
        if (!rebuilt.PublicKey.Equals(expected))
            throw new Errors.KeyVaultException(Errors.ErrorKind.OutputFailure, "the new shares did not rebuild the key when checked; nothing was written",
                "please report this; the key file is unchanged");
    }

    /// <summary>Wipes every mnemonic.</summary>
    public void Dispose()
    {
        foreach (var s in Shares) s.Wipe();
    }
}
