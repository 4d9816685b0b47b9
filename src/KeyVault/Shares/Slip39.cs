using System.Buffers.Binary;
using System.Security.Cryptography;
using KeyVault.Keys;

namespace KeyVault.Shares;

/// <summary>
/// SLIP-0039 Shamir backup: split a secret into mnemonic shares, combine shares back, read a share's metadata.
/// Shares made here can be recovered by other SLIP-0039 implementations (extendable ones, the default, by those that
/// know the 2024 revision), and shares from any implementation are read here. See docs/slip39.md.
/// </summary>
public static class Slip39
{
    /// <summary>The iteration exponent used unless another is asked for: 20000 PBKDF2 iterations in total.</summary>
    public const int DefaultIterationExponent = 1;

    /// <summary>Largest iteration exponent the 4-bit field can hold.</summary>
    public const int MaxIterationExponent = 15;

    /// <summary>Shortest master secret, in bytes (the standard's 128-bit minimum).</summary>
    public const int MinSecretLength = 16;

    /// <summary>Longest master secret <see cref="Split(ReadOnlySpan{byte}, SplitLayout, ReadOnlySpan{byte}, int, bool)"/> accepts, in bytes.</summary>
    public const int MaxSplitSecretLength = 32;

    /// <summary>
    /// Splits <paramref name="masterSecret"/> (16 to 32 bytes, even) into shares for <paramref name="layout"/>.
    /// </summary>
    /// <param name="masterSecret">The secret; the caller keeps and wipes it.</param>
    /// <param name="layout">Group threshold and groups.</param>
    /// <param name="passphrase">Optional SLIP-0039 passphrase, printable ASCII; empty by default, so that recovery needs only the shares.</param>
    /// <param name="iterationExponent">e, 0 to 15: 10000 × 2^e PBKDF2 iterations in total.</param>
    /// <param name="extendable">The extendable-backup flag (the standard's recommendation for new backups).</param>
    public static ShareSet Split(ReadOnlySpan<byte> masterSecret, SplitLayout layout, ReadOnlySpan<byte> passphrase = default,
        int iterationExponent = DefaultIterationExponent, bool extendable = true) =>
        Split(masterSecret, layout, passphrase, iterationExponent, extendable, static b => RandomNumberGenerator.Fill(b));

    /// <summary>Splits the 32 bytes of a signer key; see <see cref="Split(ReadOnlySpan{byte}, SplitLayout, ReadOnlySpan{byte}, int, bool)"/>.</summary>
    public static ShareSet Split(SecretKey key, SplitLayout layout, ReadOnlySpan<byte> passphrase = default,
        int iterationExponent = DefaultIterationExponent, bool extendable = true)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Split(key.Span, layout, passphrase, iterationExponent, extendable);
    }

    /// <summary>The split with an injectable random source, for tests and the vector generator.</summary>
    internal static ShareSet Split(ReadOnlySpan<byte> masterSecret, SplitLayout layout, ReadOnlySpan<byte> passphrase,
        int iterationExponent, bool extendable, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = masterSecret.Length;
        if (n < MinSecretLength || n > MaxSplitSecretLength || n % 2 != 0) throw ShareErrors.SecretLength(n);
        if (iterationExponent < 0 || iterationExponent > MaxIterationExponent) throw ShareErrors.IterationExponent(iterationExponent);
        CheckPassphrase(passphrase);

        Span<byte> idBytes = stackalloc byte[2];
        random(idBytes);
        int identifier = BinaryPrimitives.ReadUInt16BigEndian(idBytes) & 0x7FFF;

        var encrypted = GC.AllocateArray<byte>(n, pinned: true);
        byte[][]? groupValues = null;
        var shares = new List<MnemonicShare>(layout.ShareCount);
        try
        {
            MasterSecretCipher.Encrypt(masterSecret, passphrase, iterationExponent, identifier, extendable, encrypted);
            var groups = layout.Groups;
            groupValues = Shamir.Split(layout.GroupThreshold, groups.Count, encrypted, random);
            for (int g = 0; g < groups.Count; g++)
            {
                var members = Shamir.Split(groups[g].MemberThreshold, groups[g].MemberCount, groupValues[g], random);
                try
                {
                    for (int m = 0; m < members.Length; m++)
                    {
                        var indices = ShareCodec.Encode(identifier, extendable, iterationExponent, g, layout.GroupThreshold,
                            groups.Count, m, groups[g].MemberThreshold, members[m]);
                        try
                        {
                            var info = new ShareInfo(identifier, extendable, iterationExponent, g + 1, layout.GroupThreshold,
                                groups.Count, m + 1, groups[g].MemberThreshold, n);
                            var words = new string[indices.Length];
                            for (int w = 0; w < indices.Length; w++) words[w] = WordList.Words[indices[w]];
                            shares.Add(new MnemonicShare(info, groups[g].MemberCount, words, ShareCodec.ToMnemonic(indices)));
                        }
                        finally
                        {
                            Array.Clear(indices);
                        }
                    }
                }
                finally
                {
                    Wipe(members);
                }
            }
            return new ShareSet(layout, identifier, shares);
        }
        catch
        {
            foreach (var s in shares) s.Wipe();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encrypted);
            Wipe(groupValues);
        }
    }

    /// <summary>
    /// Rebuilds the master secret from mnemonics (typed or scanned text; see <see cref="RecoveryState"/> for the
    /// leniency rules). Exact duplicates are ignored; every other share must fit, and any that does not is named.
    /// </summary>
    /// <param name="mnemonics">The shares, in any order; errors name them by their 1-based position here.</param>
    /// <param name="passphrase">The SLIP-0039 passphrase used at split time (empty by default). A wrong one is not detectable: it gives a different secret.</param>
    /// <exception cref="Errors.KeyVaultException">BadInput for a malformed share, RebuildFailed when the shares cannot rebuild the secret.</exception>
    public static MasterSecret Combine(IEnumerable<string> mnemonics, ReadOnlySpan<byte> passphrase = default)
    {
        ArgumentNullException.ThrowIfNull(mnemonics);
        CheckPassphrase(passphrase);
        using var collector = new RecoveryState();
        foreach (var m in mnemonics) collector.Add(m);
        return collector.Recover(passphrase);
    }

    /// <summary>Decodes one share's metadata (no secret), checking its words, checksum and padding.</summary>
    public static ShareInfo Decode(ReadOnlySpan<char> mnemonic)
    {
        using var share = ShareCodec.Decode(mnemonic, position: 0);
        return share.Info;
    }

    /// <summary>
    /// The words of a valid share in full and in lowercase, however it was typed (any case, 4-letter prefixes), for
    /// printing it where another SLIP-0039 tool may read it. Checks the share as <see cref="Decode"/> does. The words
    /// are word-list constants; only their order is secret, so the caller clears the array after use.
    /// </summary>
    public static string[] CanonicalWords(ReadOnlySpan<char> mnemonic)
    {
        using (ShareCodec.Decode(mnemonic, position: 0)) { }
        var indices = ShareCodec.ParseWords(mnemonic, "the share");
        try
        {
            var words = new string[indices.Length];
            for (int i = 0; i < indices.Length; i++) words[i] = WordList.Words[indices[i]];
            return words;
        }
        finally
        {
            Array.Clear(indices);
        }
    }

    /// <summary>Number of words in a share of a <paramref name="secretLength"/>-byte secret.</summary>
    public static int WordCountFor(int secretLength) => ShareCodec.MetadataWords + (secretLength * 8 + 9) / 10;

    /// <summary>SLIP-0039 passphrases are printable ASCII (32 to 126), so that every implementation reads them alike.</summary>
    internal static void CheckPassphrase(ReadOnlySpan<byte> passphrase)
    {
        int bad = passphrase.IndexOfAnyExceptInRange((byte)32, (byte)126);
        if (bad >= 0) throw ShareErrors.PassphraseNotAscii(bad + 1);
    }

    private static void Wipe(byte[][]? buffers)
    {
        if (buffers is null) return;
        foreach (var b in buffers)
            if (b is not null) CryptographicOperations.ZeroMemory(b);
    }
}
