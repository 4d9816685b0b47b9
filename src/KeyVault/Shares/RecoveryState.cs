using System.Security.Cryptography;

namespace KeyVault.Shares;

/// <summary>
/// The one recovery state of SLIP-0039 (as the reference implementation's RecoveryState): every way KeyVault rebuilds
/// or extends a backup goes through it: a restore in memory (<see cref="ShareRestore"/>), a restore session kept on
/// disk over days (Restore.RestoreSession), a reissue, a sheet check-back and <see cref="Slip39.Combine"/>. It collects
/// shares one at a time, as an operator types them or scans their QR codes, and rebuilds the secret once there are
/// enough. Input is lenient (any case, any whitespace, 4-letter prefixes); meaning is strict: a share
/// that is malformed, from another backup or contradicts an earlier one is refused with an error that names it,
/// and is not kept. An exact repeat is ignored. Dispose wipes the collected share values.
/// </summary>
internal sealed class RecoveryState : IDisposable
{
    private readonly List<Share> _shares = [];
    private int _offered;

    /// <summary>Number of distinct shares accepted.</summary>
    public int Count => _shares.Count;

    /// <summary>The accepted shares, in the order given (for reissue and restore sessions, which need their fields and values).</summary>
    internal IReadOnlyList<Share> Accepted => _shares;

    /// <summary>
    /// Adds one share. Returns what was made of it and how far recovery is; throws <see cref="Errors.KeyVaultException"/>
    /// when the share is refused (the state is unchanged apart from counting the position).
    /// </summary>
    public ShareStatus Add(ReadOnlySpan<char> mnemonic)
    {
        int position = ++_offered;
        var share = ShareCodec.Decode(mnemonic, position);
        try
        {
            if (_shares.Count > 0) CheckSameBackup(share, _shares[0]);
            foreach (var other in _shares)
            {
                if (other.GroupIndex != share.GroupIndex) continue;
                if (other.MemberIndex == share.MemberIndex)
                {
                    if (share.SameAs(other))
                    {
                        share.Dispose();
                        return Status(share, other.Position);
                    }
                    throw ShareErrors.DuplicateMember(share, other);
                }
                if (other.MemberThreshold != share.MemberThreshold) throw ShareErrors.MemberThresholdMismatch(share, other);
            }
        }
        catch
        {
            share.Dispose();
            throw;
        }
        _shares.Add(share);
        return Status(share, null);
    }

    /// <summary>True when enough shares have been accepted to attempt recovery.</summary>
    public bool CanRecover => _shares.Count > 0 && Status(_shares[^1], null).CanRecover;

    /// <summary>
    /// Rebuilds the master secret. Every accepted share of a complete group must fit: with more shares than needed,
    /// threshold-sized subsets are tried and the shares that do not fit are named in the error.
    /// </summary>
    /// <param name="passphrase">The SLIP-0039 passphrase (printable ASCII; empty by default).</param>
    public MasterSecret Recover(ReadOnlySpan<byte> passphrase = default)
    {
        Slip39.CheckPassphrase(passphrase);
        if (_shares.Count == 0) throw ShareErrors.NoShares();
        var status = Status(_shares[^1], null);
        if (!status.CanRecover) throw ShareErrors.NotEnough(status.Need);

        var first = _shares[0];
        var encrypted = RecoverEncryptedSecret();
        try
        {
            var secret = GC.AllocateArray<byte>(encrypted.Length, pinned: true);
            MasterSecretCipher.Decrypt(encrypted, passphrase, first.IterationExponent, first.Identifier, first.Extendable, secret);
            return new MasterSecret(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encrypted);
        }
    }

    /// <summary>Wipes every collected share value.</summary>
    public void Dispose()
    {
        foreach (var s in _shares) s.Dispose();
        _shares.Clear();
    }

    private static void CheckSameBackup(Share share, Share first)
    {
        if (share.Identifier != first.Identifier)
            throw ShareErrors.DifferentBackup(share, first, "identifier", $"{share.Identifier}", $"{first.Identifier}");
        if (share.Extendable != first.Extendable)
            throw ShareErrors.DifferentBackup(share, first, "extendable-backup flag", OnOff(share.Extendable), OnOff(first.Extendable));
        if (share.IterationExponent != first.IterationExponent)
            throw ShareErrors.DifferentBackup(share, first, "iteration exponent", $"{share.IterationExponent}", $"{first.IterationExponent}");
        if (share.GroupThreshold != first.GroupThreshold)
            throw ShareErrors.DifferentBackup(share, first, "group threshold", $"{share.GroupThreshold}", $"{first.GroupThreshold}");
        if (share.GroupCount != first.GroupCount)
            throw ShareErrors.DifferentBackup(share, first, "group count", $"{share.GroupCount}", $"{first.GroupCount}");
        if (share.Value.Length != first.Value.Length)
            throw ShareErrors.DifferentBackup(share, first, "length", $"{Slip39.WordCountFor(share.Value.Length)} words",
                $"{Slip39.WordCountFor(first.Value.Length)} words");
    }

    private static string OnOff(bool flag) => flag ? "on" : "off";

    private ShareStatus Status(Share last, int? duplicateOf)
    {
        var groups = _shares.GroupBy(s => s.GroupIndex).OrderBy(g => g.Key)
            .Select(g => new GroupProgress(g.Key + 1, g.First().MemberThreshold, g.Count())).ToList();
        return new ShareStatus(last.Label, last.Position, last.Info, duplicateOf, groups);
    }

    /// <summary>
    /// Member level: each complete group's value from its shares; then group level: the encrypted master secret
    /// from the groups' values. Both levels check the digest and that every extra point lies on the same polynomial.
    /// </summary>
    private byte[] RecoverEncryptedSecret()
    {
        var first = _shares[0];
        int n = first.Value.Length;
        bool hasGroups = first.GroupCount > 1;
        var groupXs = new List<byte>();
        var groupValues = new List<byte[]>();
        var groupLabels = new List<string>();
        var unfit = new List<string>();
        try
        {
            foreach (var group in _shares.GroupBy(s => s.GroupIndex).OrderBy(g => g.Key))
            {
                var members = group.ToList();
                int threshold = members[0].MemberThreshold;
                if (members.Count < threshold) continue;
                var value = GC.AllocateArray<byte>(n, pinned: true);
                groupValues.Add(value);
                groupXs.Add((byte)group.Key);
                groupLabels.Add($"group {group.Key + 1}");
                string what = hasGroups ? $"shares of group {group.Key + 1}" : "shares";
                unfit.AddRange(Solve(threshold, members.Select(m => (byte)m.MemberIndex).ToArray(),
                    members.Select(m => m.Value).ToArray(), members.Select(m => m.Label).ToArray(), what, value));
            }
            if (unfit.Count > 0) throw ShareErrors.Unfit(unfit, hasGroups ? "the other shares of their group" : "the other shares");

            var encrypted = GC.AllocateArray<byte>(n, pinned: true);
            try
            {
                var badGroups = Solve(first.GroupThreshold, groupXs.ToArray(), groupValues.ToArray(), groupLabels.ToArray(), "groups", encrypted);
                if (badGroups.Count > 0) throw ShareErrors.Unfit(badGroups, "the other groups");
                return encrypted;
            }
            catch
            {
                CryptographicOperations.ZeroMemory(encrypted);
                throw;
            }
        }
        finally
        {
            foreach (var v in groupValues) CryptographicOperations.ZeroMemory(v);
        }
    }

    /// <summary>
    /// Finds <paramref name="threshold"/> of the points that pass the digest check (trying them in input order first,
    /// then every other subset), writes the value at x = 255 to <paramref name="result"/> and returns the labels of
    /// the points that are not on that polynomial. Throws when no subset passes.
    /// </summary>
    private static List<string> Solve(int threshold, byte[] xs, byte[][] ys, string[] labels, string what, Span<byte> result)
    {
        int count = xs.Length;
        if (threshold == 1)
        {
            // No digest at threshold 1: every point is the value itself, so all of them must be identical.
            var differ = Enumerable.Range(1, count - 1).Where(i => !CryptographicOperations.FixedTimeEquals(ys[i], ys[0])).ToList();
            if (differ.Count > 0)
                throw ShareErrors.Disagree([labels[0], .. differ.Select(i => labels[i])],
                    "the threshold is 1, so each of them alone is the whole value and they must be identical");
            ys[0].CopyTo(result);
            return [];
        }

        var pick = Enumerable.Range(0, threshold).ToArray();
        var subXs = new byte[threshold];
        var subYs = new byte[threshold][];
        var probe = GC.AllocateArray<byte>(result.Length, pinned: true);
        try
        {
            do
            {
                for (int i = 0; i < threshold; i++)
                {
                    subXs[i] = xs[pick[i]];
                    subYs[i] = ys[pick[i]];
                }
                if (!Shamir.TryRecover(threshold, subXs, subYs, result)) continue;
                var unfit = new List<string>();
                for (int i = 0; i < count; i++)
                {
                    if (Array.IndexOf(pick, i) >= 0) continue;
                    Shamir.Interpolate(xs[i], subXs, subYs, probe);
                    if (!CryptographicOperations.FixedTimeEquals(probe, ys[i])) unfit.Add(labels[i]);
                }
                return unfit;
            }
            while (NextSubset(pick, count));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(probe);
        }
        if (count == threshold) throw ShareErrors.DigestMismatch($"the {count} {what}");
        throw ShareErrors.NoFittingSubset(what, threshold, count);
    }

    /// <summary>Advances <paramref name="pick"/> to the next k-subset of 0…n−1 in lexicographic order; false after the last.</summary>
    private static bool NextSubset(int[] pick, int n)
    {
        int k = pick.Length;
        int i = k - 1;
        while (i >= 0 && pick[i] == n - k + i) i--;
        if (i < 0) return false;
        pick[i]++;
        for (int j = i + 1; j < k; j++) pick[j] = pick[j - 1] + 1;
        return true;
    }
}
