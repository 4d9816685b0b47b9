namespace KeyVault.Flows;

/// <summary>What retiring a backup of the previous key needs beyond a retirement of one key's backups.</summary>
/// <param name="SuccessorStatementFile">The successor statement from the old backup's key to the new backup's key, accepted by the new key.</param>
/// <param name="DrillReportFile">A drill report of the new key that proves DKG shares, or null.</param>
/// <param name="StillNeeded">True to record the old backup as superseded and still needed when no drill report is given.</param>
public sealed record RetireAcrossRotation(string SuccessorStatementFile, string? DrillReportFile, bool StillNeeded);
