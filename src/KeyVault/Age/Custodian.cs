namespace KeyVault.Age;

/// <summary>
/// One custodian of a backup, as the custodians file names them: a name, the recipient their share is sealed to (null
/// for a custodian who receives a paper sheet), the line it came from, and how to reach them.
/// </summary>
/// <param name="Name">The custodian's name, trimmed.</param>
/// <param name="Recipient">The age or ssh-ed25519 public key the share is sealed to, or null for a paper share.</param>
/// <param name="Line">The 1-based line of the custodians file.</param>
public sealed record Custodian(string Name, AgeRecipient? Recipient, int Line)
{
    /// <summary>How to reach the custodian (an e-mail address, a phone number), or null.</summary>
    public string? Contact { get; init; }

    /// <summary>The custodian's time zone (an IANA name such as Europe/Zurich, or UTC+02:00), or null.</summary>
    public string? TimeZone { get; init; }

    /// <summary>True when the share is sealed to <see cref="Recipient"/>; false for a paper sheet.</summary>
    public bool Sealed => Recipient is not null;
}
