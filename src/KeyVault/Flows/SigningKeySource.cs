namespace KeyVault.Flows;

/// <summary>
/// Where a command that signs with the cold key finds it: an encrypted key file, or SLIP-0039 share files (plain, or
/// sealed and opened with age identities). Exactly one of <see cref="KeyFile"/> and <see cref="ShareFiles"/> is given.
/// </summary>
public sealed record SigningKeySource
{
    /// <summary>The encrypted key file, or null when the key comes from shares.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The file holding the key file's passphrase; null asks for it without echo.</summary>
    public string? PassphraseFile { get; init; }

    /// <summary>The share files (empty when the key comes from a key file).</summary>
    public IReadOnlyList<string> ShareFiles { get; init; } = [];

    /// <summary>The file holding the SLIP-0039 passphrase the shares were made with; null for none.</summary>
    public string? Slip39PassphraseFile { get; init; }

    /// <summary>The age identity files that open sealed share files.</summary>
    public IReadOnlyList<string> Identities { get; init; } = [];
}
