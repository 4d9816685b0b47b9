namespace KeyVault.Flows;

/// <summary>How the ceremony was driven.</summary>
public enum CeremonyMode
{
    /// <summary>An operator answered every question at the terminal ("interactive").</summary>
    Interactive,
    /// <summary>A rehearsal: the answers came from a file and the sheet checks were automated ("answers-file").</summary>
    AnswersFile,
}

/// <summary>Where the key came from.</summary>
public enum CeremonyKeySource
{
    /// <summary>Generated from the system CSPRNG ("generated").</summary>
    Generated,
    /// <summary>Generated from the system CSPRNG mixed with dice rolls ("generated-with-dice").</summary>
    GeneratedWithDice,
    /// <summary>An existing signer key, imported ("imported").</summary>
    Imported,
}

/// <summary>How a custodian's sheet was checked before the custodian left with it.</summary>
public enum SheetCheckMethod
{
    /// <summary>The whole share was typed or scanned back and matched ("full-share").</summary>
    FullShare,
    /// <summary>Randomly chosen words were typed back and matched ("words").</summary>
    Words,
    /// <summary>No person checked: the written share file was read back from disk and matched ("automated").</summary>
    Automated,
    /// <summary>
    /// The share was sealed to the custodian's key, so no one at the ceremony can read it: the sealed file was read back
    /// and proven addressed to that key alone and intact, holding the share ("sealed").
    /// </summary>
    Sealed,
}

/// <summary>The result of the offline check at the start of the ceremony.</summary>
/// <param name="Offline">True when no network interface other than loopback was connected.</param>
/// <param name="ConnectedInterfaces">The names of the connected interfaces (empty when offline).</param>
/// <param name="Overridden">True when the ceremony went on although the machine was online (a rehearsal).</param>
public sealed record OfflineCheck(bool Offline, IReadOnlyList<string> ConnectedInterfaces, bool Overridden);

/// <summary>One custodian: who holds which share, and how their sheet was checked.</summary>
/// <param name="Name">The custodian's name as printed on the sheet.</param>
/// <param name="ShareNumber">The share's member number, 1-based, as printed on the sheet.</param>
/// <param name="Method">How the sheet was checked.</param>
/// <param name="WordPositions">For <see cref="SheetCheckMethod.Words"/>: the 1-based positions asked (never the words); otherwise empty.</param>
/// <param name="Attempts">Attempts until the check passed (1 when the first one did).</param>
/// <param name="Prints">How many times the operator was told to print the sheet (more than 1 after a re-print).</param>
public sealed record CustodianRecord(string Name, int ShareNumber, SheetCheckMethod Method, IReadOnlyList<int> WordPositions, int Attempts, int Prints)
{
    /// <summary>For a sealed share: the recipient (age1… or ssh-ed25519 …) it is sealed to; otherwise null.</summary>
    public string? SealedTo { get; init; }
}

/// <summary>The encrypted key file written by the ceremony.</summary>
/// <param name="Name">Its file name.</param>
/// <param name="MemoryKiB">Argon2id memory.</param>
/// <param name="Iterations">Argon2id passes.</param>
/// <param name="Parallelism">Argon2id lanes.</param>
public sealed record TranscriptKeyFile(string Name, long MemoryKiB, long Iterations, long Parallelism);

/// <summary>The drill run at the end of the ceremony.</summary>
/// <param name="SharesUsed">The share numbers of the threshold subset the key was rebuilt from, ascending.</param>
/// <param name="KeyFileOpened">True when the key file, read back from disk, opened with the passphrase and held the same key.</param>
/// <param name="Result">The drill report's result: pass, identity-mismatch, dkg-shares-not-opened or fail.</param>
/// <param name="ReportFile">The signed drill report's file name.</param>
public sealed record TranscriptDrill(IReadOnlyList<int> SharesUsed, bool KeyFileOpened, string Result, string ReportFile);
