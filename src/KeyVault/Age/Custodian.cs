namespace KeyVault.Age;

/// <summary>One custodian of a sealed split: a name, the recipient their share is sealed to, and the line it came from.</summary>
/// <param name="Name">The custodian's name, trimmed.</param>
/// <param name="Recipient">The age or ssh-ed25519 public key the share is sealed to.</param>
/// <param name="Line">The 1-based line of the custodians file.</param>
public sealed record Custodian(string Name, AgeRecipient Recipient, int Line);
