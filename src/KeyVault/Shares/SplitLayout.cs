namespace KeyVault.Shares;

/// <summary>One group of a split: <paramref name="MemberThreshold"/> of its <paramref name="MemberCount"/> shares complete it.</summary>
/// <param name="MemberThreshold">Shares needed from this group, 1 to <paramref name="MemberCount"/> (1 only when the count is 1).</param>
/// <param name="MemberCount">Shares issued for this group, 1 to 16.</param>
public sealed record GroupSpec(int MemberThreshold, int MemberCount);

/// <summary>
/// Who holds what: <see cref="GroupThreshold"/> of the <see cref="Groups"/> must be complete to rebuild the secret.
/// A plain k-of-n split is one group (<see cref="Single"/>), as SLIP-0039 recommends. The constructor enforces
/// every rule of the standard, so a command can check its options before it asks for anything secret.
/// </summary>
public sealed class SplitLayout
{
    /// <summary>Most groups, and most members per group, SLIP-0039 can express (4-bit fields).</summary>
    public const int MaxCount = 16;

    /// <summary>Validates and creates a layout; throws <see cref="Errors.KeyVaultException"/> (BadInput) naming the broken rule.</summary>
    public SplitLayout(int groupThreshold, IReadOnlyList<GroupSpec> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0) throw ShareErrors.NoGroups();
        if (groups.Count > MaxCount) throw ShareErrors.TooManyGroups(groups.Count);
        if (groupThreshold < 1 || groupThreshold > groups.Count) throw ShareErrors.GroupThreshold(groupThreshold, groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            var (threshold, count) = (groups[i].MemberThreshold, groups[i].MemberCount);
            if (count < 1 || count > MaxCount) throw ShareErrors.MemberCount(i + 1, count);
            if (threshold < 1 || threshold > count) throw ShareErrors.MemberThreshold(i + 1, threshold, count);
            if (threshold == 1 && count > 1) throw ShareErrors.ThresholdOneOfMany(i + 1, count);
        }
        GroupThreshold = groupThreshold;
        Groups = groups.ToArray();
    }

    /// <summary>
    /// A single-level <paramref name="threshold"/>-of-<paramref name="count"/> split (one group): the rules every front end
    /// uses for "how many custodians, how many needed", with messages in those terms.
    /// </summary>
    public static SplitLayout Single(long threshold, long count)
    {
        CheckShareCount(count);
        if (threshold == 1 && count > 1) throw ShareErrors.SingleThresholdOne((int)count);
        if (threshold < 1 || threshold > count) throw ShareErrors.SingleThreshold(Clamp(threshold), (int)count);
        return new(1, [new GroupSpec((int)threshold, (int)count)]);
    }

    /// <summary>Checks a number of shares (one per custodian) for a single-level split: 1 to 16.</summary>
    public static void CheckShareCount(long count)
    {
        if (count is < 1 or > MaxCount) throw ShareErrors.SingleShareCount(Clamp(count));
    }

    private static int Clamp(long v) => (int)Math.Clamp(v, -1, 99);

    /// <summary>Groups that must be complete.</summary>
    public int GroupThreshold { get; }

    /// <summary>The groups, in order; group numbers on the shares are positions in this list, 1-based.</summary>
    public IReadOnlyList<GroupSpec> Groups { get; }

    /// <summary>Total number of shares issued.</summary>
    public int ShareCount => Groups.Sum(g => g.MemberCount);

    /// <inheritdoc />
    public override string ToString() => Groups.Count == 1
        ? $"{Groups[0].MemberThreshold}-of-{Groups[0].MemberCount}"
        : $"{GroupThreshold} of {Groups.Count} groups ({string.Join(", ", Groups.Select(g => $"{g.MemberThreshold}-of-{g.MemberCount}"))})";
}
