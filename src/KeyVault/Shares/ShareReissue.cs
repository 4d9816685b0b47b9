using System.Security.Cryptography;

namespace KeyVault.Shares;

/// <summary>
/// A share computed from other shares of its group: the same identifier, flags, iteration exponent and group fields,
/// and the value of the group's polynomial at another member index. Dispose wipes the words.
/// </summary>
public sealed class ReissuedShare : IDisposable
{
    private readonly MnemonicShare _share;

    internal ReissuedShare(MnemonicShare share, string commitment, bool wasGiven)
    {
        _share = share;
        Commitment = commitment;
        WasGiven = wasGiven;
    }

    /// <summary>The share's public metadata.</summary>
    public ShareInfo Info => _share.Info;

    /// <summary>The words, in order.</summary>
    public IReadOnlyList<string> Words => _share.Words;

    /// <summary>The canonical mnemonic (lowercase words, single spaces).</summary>
    public string Mnemonic => _share.Mnemonic;

    /// <summary>The share as a split would have produced it (for the sheet and share-file writers).</summary>
    public MnemonicShare AsMnemonicShare => _share;

    /// <summary>The share's manifest commitment.</summary>
    public string Commitment { get; }

    /// <summary>True when the computed index was among the shares given (the result is then a copy of it).</summary>
    public bool WasGiven { get; }

    /// <summary>Wipes the words.</summary>
    public void Dispose() => _share.Wipe();

    /// <inheritdoc />
    public override string ToString() => $"ReissuedShare(group {Info.GroupNumber}, member {Info.MemberNumber}, hidden)";
}

/// <summary>
/// SLIP-0039 share reissue: from at least the member threshold of one group's shares, the share at another member
/// index of the same polynomial (docs/slip39.md, "Reissuing a share"). Every other share stays valid.
/// </summary>
internal static class ShareReissue
{
    /// <summary>
    /// Computes share <paramref name="shareNumber"/> (1 to 16, as printed) of group <paramref name="groupNumber"/>
    /// (null: the one group the shares belong to) from <paramref name="mnemonics"/>. Shares of other groups are
    /// accepted (they are checked to belong to the same backup) but not used.
    /// </summary>
    /// <exception cref="Errors.KeyVaultException">
    /// BadInput: a malformed share, a number out of range, a new number in a threshold-1 group; RebuildFailed: shares of
    /// different backups, fewer than the member threshold, or shares that do not lie on one polynomial (digest mismatch);
    /// Usage: shares of several groups and no group named.
    /// </exception>
    public static ReissuedShare Compute(IReadOnlyList<string> mnemonics, int shareNumber, int? groupNumber = null)
    {
        ArgumentNullException.ThrowIfNull(mnemonics);
        using var collector = new RecoveryState();
        foreach (var m in mnemonics) collector.Add(m);
        return Compute(collector, shareNumber, groupNumber);
    }

    internal static ReissuedShare Compute(RecoveryState collector, int shareNumber, int? groupNumber, int memberCount = 0)
    {
        var shares = collector.Accepted;
        if (shares.Count == 0) throw ShareErrors.NoShares();
        if (shareNumber is < 1 or > SplitLayout.MaxCount) throw ShareErrors.NumberOutOfRange(shareNumber);
        var first = shares[0];
        int group = groupNumber ?? (shares.Select(s => s.GroupIndex).Distinct().Count() == 1 ? first.GroupIndex + 1 : throw ShareErrors.GroupAmbiguous());
        if (group < 1 || group > first.GroupCount) throw ShareErrors.GroupOutOfRange(group, first.GroupCount);

        var members = shares.Where(s => s.GroupIndex == group - 1).ToList();
        int threshold = members.Count > 0 ? members[0].MemberThreshold : 0;
        if (members.Count == 0 || members.Count < threshold) throw ShareErrors.TooFewShares(group, members.Count, threshold);

        byte x = (byte)(shareNumber - 1);
        int n = first.Value.Length;
        var value = GC.AllocateArray<byte>(n, pinned: true);
        try
        {
            var given = members.FirstOrDefault(s => s.MemberIndex == x);
            if (threshold == 1)
            {
                // A degree-0 polynomial: the one share is the group's value; SLIP-0039 forbids a second share of it.
                if (given is null) throw ShareErrors.ThresholdOneGroup(group);
            }
            else
            {
                CheckOnOnePolynomial(members, threshold);
            }
            if (given is not null) given.Value.CopyTo(value, 0);
            else Shamir.Interpolate(x, members.Take(threshold).Select(s => (byte)s.MemberIndex).ToArray(),
                members.Take(threshold).Select(s => s.Value).ToArray(), value);

            var indices = ShareCodec.Encode(first.Identifier, first.Extendable, first.IterationExponent, group - 1,
                first.GroupThreshold, first.GroupCount, x, threshold, value);
            try
            {
                var info = new ShareInfo(first.Identifier, first.Extendable, first.IterationExponent, group, first.GroupThreshold,
                    first.GroupCount, shareNumber, threshold, n);
                var words = new string[indices.Length];
                for (int w = 0; w < indices.Length; w++) words[w] = WordList.Words[indices[w]];
                var commitment = ShareCommitment.Compute(first.Identifier, first.Extendable, first.IterationExponent, group - 1,
                    first.GroupThreshold, first.GroupCount, x, threshold, value);
                // The member count is not part of a share: only a caller that knows it (from a manifest) gives it.
                return new ReissuedShare(new MnemonicShare(info, memberCount, words, ShareCodec.ToMnemonic(indices)), commitment, given is not null);
            }
            finally
            {
                Array.Clear(indices);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    /// <summary>
    /// The first threshold shares must pass SLIP-0039's digest check (so they are genuine shares of one polynomial, not
    /// merely shares with matching headers), and every further share must lie on that polynomial.
    /// </summary>
    private static void CheckOnOnePolynomial(List<Share> members, int threshold)
    {
        int n = members[0].Value.Length;
        var xs = members.Take(threshold).Select(s => (byte)s.MemberIndex).ToArray();
        var ys = members.Take(threshold).Select(s => s.Value).ToArray();
        var secret = GC.AllocateArray<byte>(n, pinned: true);
        var probe = GC.AllocateArray<byte>(n, pinned: true);
        try
        {
            if (!Shamir.TryRecover(threshold, xs, ys, secret))
                throw ShareErrors.DigestMismatch($"the {threshold} shares of group {members[0].GroupIndex + 1}");
            var unfit = new List<string>();
            foreach (var extra in members.Skip(threshold))
            {
                Shamir.Interpolate((byte)extra.MemberIndex, xs, ys, probe);
                if (!CryptographicOperations.FixedTimeEquals(probe, extra.Value)) unfit.Add(extra.Label);
            }
            if (unfit.Count > 0) throw ShareErrors.Unfit(unfit, "the other shares of their group");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(probe);
        }
    }
}
