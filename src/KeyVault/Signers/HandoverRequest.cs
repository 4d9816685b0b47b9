namespace KeyVault.Signers;

/// <summary>What the operator states for a handover record (<see cref="HandoverRecord.Prepare"/>).</summary>
public sealed record HandoverRequest
{
    /// <summary>The final pg_dump of the old instance's database: one file (plain, custom or tar format).</summary>
    public required string DumpPath { get; init; }

    /// <summary>The bytes of the drill report keyvault drill wrote for that dump.</summary>
    public required byte[] DrillReport { get; init; }

    /// <summary>When the old instance stopped (UTC).</summary>
    public required DateTimeOffset StoppedAt { get; init; }

    /// <summary>The Bitcoin block height the old instance had seen last when it stopped.</summary>
    public required long StoppedAtBlockHeight { get; init; }

    /// <summary>That block's hash (64 hex characters), or null.</summary>
    public string? StoppedAtBlockHash { get; init; }

    /// <summary>The new host's name, as the operators know it.</summary>
    public required string NewHost { get; init; }

    /// <summary>When the record is made (UTC; whole seconds are recorded).</summary>
    public required DateTimeOffset Now { get; init; }
}
