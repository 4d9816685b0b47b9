using KeyVault.Drill;
using KeyVault.Manifest;

namespace KeyVault.Signers;

/// <summary>What custody status judges against (docs/status.md).</summary>
/// <param name="CheckEvery">How often each custodian confirms their share (a share check with a receipt).</param>
/// <param name="DrillEvery">How often the backup is drilled.</param>
/// <param name="AsOf">The moment judged (now, or a chosen date).</param>
/// <param name="WorkStartHour">First local hour of a custodian's working day (0 to 23).</param>
/// <param name="WorkEndHour">Local hour at which it ends (1 to 24, after the start).</param>
public sealed record StatusPolicy(TimeSpan CheckEvery, TimeSpan DrillEvery, DateTimeOffset AsOf, int WorkStartHour = 9, int WorkEndHour = 17);

/// <summary>One custodian's share: when it was last confirmed and when the next check is due.</summary>
/// <param name="Share">The manifest's entry.</param>
/// <param name="HandedOut">When the share was issued: the split, or its latest reissue.</param>
/// <param name="LastCheck">The newest receipt's check time, or null when none was given.</param>
/// <param name="Due">When the next check is due: the last check, or the hand-out, plus the policy's period.</param>
/// <param name="Overdue">True when <see cref="Due"/> has passed.</param>
public sealed record CustodianStatus(ManifestShare Share, DateTimeOffset HandedOut, DateTimeOffset? LastCheck, DateTimeOffset Due, bool Overdue);

/// <summary>The backup's newest drill and when the next one is due.</summary>
/// <param name="Report">The newest authentic drill report of the backup's key that tested the key file or this backup's shares, or null.</param>
/// <param name="Source">Where that report was read from, or null.</param>
/// <param name="Due">When the next drill is due: the last drill, or the backup's creation, plus the policy's period.</param>
/// <param name="Overdue">True when <see cref="Due"/> has passed.</param>
public sealed record DrillStatus(DrillReport? Report, string? Source, DateTimeOffset Due, bool Overdue)
{
    /// <summary>True when the newest drill did not pass.</summary>
    public bool Failed => Report is not null && Report.Outcome != DrillOutcome.Passed;
}

/// <summary>When in the day enough custodians are at work to restore the backup.</summary>
/// <param name="HoursBelowThreshold">The hours of the day, in UTC (0 to 23), at whose start fewer custodians than the backup needs are in their working hours.</param>
/// <param name="WithoutTimeZone">Custodians the manifest records no time zone for: counted as never at work.</param>
/// <param name="UnknownTimeZone">Custodians whose time zone is not one this system knows: counted as never at work.</param>
public sealed record CoverageStatus(IReadOnlyList<int> HoursBelowThreshold, IReadOnlyList<string> WithoutTimeZone, IReadOnlyList<string> UnknownTimeZone);

/// <summary>One backup's status.</summary>
/// <param name="Manifest">The newest authentic revision given.</param>
/// <param name="Source">Where it was read from.</param>
/// <param name="Custodians">Every share whose custodian holds it (departed ones left out), in manifest order.</param>
/// <param name="Drill">The drill.</param>
/// <param name="Coverage">The working-hours coverage.</param>
public sealed record BackupStatus(BackupManifest Manifest, string Source, IReadOnlyList<CustodianStatus> Custodians, DrillStatus Drill, CoverageStatus Coverage)
{
    /// <summary>Backups of the previous key this manifest records as superseded, still needed.</summary>
    public IReadOnlyList<RetiredBackup> StillNeeded => Manifest.Retired.Where(r => r.StillNeeded).ToList();

    /// <summary>True when a check or the drill is overdue, or the newest drill failed.</summary>
    public bool NeedsAction => Custodians.Any(c => c.Overdue) || Drill.Overdue || Drill.Failed;
}

/// <summary>A file status did not use, and why.</summary>
/// <param name="Source">Where it was read from.</param>
/// <param name="Reason">Why it was not used.</param>
public sealed record StatusRefusal(string Source, string Reason);
