namespace KeyVault.Shares;

/// <summary>How far one group is: <see cref="SharesGiven"/> of the <see cref="MemberThreshold"/> it needs.</summary>
/// <param name="GroupNumber">The group, 1-based.</param>
/// <param name="MemberThreshold">Shares this group needs.</param>
/// <param name="SharesGiven">Distinct shares of this group accepted so far.</param>
public sealed record GroupProgress(int GroupNumber, int MemberThreshold, int SharesGiven)
{
    /// <summary>Shares still missing from this group (0 when complete).</summary>
    public int SharesNeeded => Math.Max(0, MemberThreshold - SharesGiven);

    /// <summary>True when the group has enough shares.</summary>
    public bool IsComplete => SharesGiven >= MemberThreshold;
}

/// <summary>
/// What a <see cref="RecoveryState"/> made of the share just added, and how far recovery is. Holds no secret;
/// <see cref="Message"/> is the line an interactive command prints after each share.
/// </summary>
public sealed class ShareStatus
{
    internal ShareStatus(string label, int position, ShareInfo share, int? duplicateOf, IReadOnlyList<GroupProgress> groups)
    {
        Position = position;
        Share = share;
        DuplicateOf = duplicateOf;
        Groups = groups;
        CompleteGroups = groups.Count(g => g.IsComplete);
        CanRecover = CompleteGroups >= share.GroupThreshold;
        Need = CanRecover ? "" : NeedText(share.GroupThreshold, share.GroupCount, groups);
        string what = duplicateOf is int first ? $"{label} is the same as the share given {Shares.Share.Ordinal(first)}; ignored" : $"{label} accepted";
        Message = $"{what}: {Progress()}; {(CanRecover ? "enough shares to rebuild the secret" : Need)}";
    }

    /// <summary>1-based position of the share just added, counting every share offered to the collector.</summary>
    public int Position { get; }

    /// <summary>Metadata of the share just added.</summary>
    public ShareInfo Share { get; }

    /// <summary>Set when the share was an exact copy of the share at this position, and was ignored.</summary>
    public int? DuplicateOf { get; }

    /// <summary>Groups that have at least one share, by group number.</summary>
    public IReadOnlyList<GroupProgress> Groups { get; }

    /// <summary>Groups with enough shares.</summary>
    public int CompleteGroups { get; }

    /// <summary>True when there are enough shares to attempt recovery.</summary>
    public bool CanRecover { get; }

    /// <summary>What is still missing ("need 1 more share", "need 1 more group (…); need 2 more shares of group 3"), or empty.</summary>
    public string Need { get; }

    /// <summary>One line for the operator: what happened to the share and what is still needed.</summary>
    public string Message { get; }

    private string Progress()
    {
        if (Share.GroupCount == 1)
            return $"{Groups[0].SharesGiven} of {Groups[0].MemberThreshold} shares";
        var groups = string.Join(", ", Groups.Select(g => $"group {g.GroupNumber} {Math.Min(g.SharesGiven, g.MemberThreshold)} of {g.MemberThreshold}"));
        return $"{CompleteGroups} of {Share.GroupThreshold} groups complete ({groups})";
    }

    /// <summary>The shortfall in words; shared with the "not enough shares" error so both say the same.</summary>
    internal static string NeedText(int groupThreshold, int groupCount, IReadOnlyList<GroupProgress> groups)
    {
        if (groupCount == 1)
        {
            var g = groups[0];
            return $"need {g.SharesNeeded} more share{ShareErrors.S(g.SharesNeeded)} ({g.MemberThreshold} required, {g.SharesGiven} given)";
        }
        int complete = groups.Count(g => g.IsComplete);
        int missing = groupThreshold - complete;
        var parts = new List<string>
        {
            $"need {missing} more group{ShareErrors.S(missing)} ({groupThreshold} of {groupCount} groups must be complete, {complete} {(complete == 1 ? "is" : "are")})",
        };
        foreach (var g in groups.Where(g => !g.IsComplete).OrderBy(g => g.SharesNeeded).ThenBy(g => g.GroupNumber))
            parts.Add($"need {g.SharesNeeded} more share{ShareErrors.S(g.SharesNeeded)} of group {g.GroupNumber}");
        return string.Join("; ", parts);
    }

}
