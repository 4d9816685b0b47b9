using KeyVault.Errors;

namespace KeyVault.Age;

/// <summary>
/// Why an age file could not be opened, in the classes the age test vectors distinguish, in the order decryption
/// meets them: armor, then header, then identities, then the header MAC, then the payload.
/// </summary>
public enum AgeFailure
{
    /// <summary>The ASCII armor is malformed or not canonical.</summary>
    Armor,
    /// <summary>The header does not parse, or a stanza addressed to a given identity is malformed.</summary>
    Header,
    /// <summary>The header parses, but none of the given identities unwraps a stanza.</summary>
    NoMatch,
    /// <summary>An identity unwrapped the file key, but the header MAC does not match: the header was altered.</summary>
    Hmac,
    /// <summary>The payload does not decrypt and authenticate to its end: altered, truncated or extended.</summary>
    Payload,
}

/// <summary>An age file that cannot be opened; <see cref="Failure"/> says at which stage.</summary>
public sealed class AgeException : KeyVaultException
{
    internal AgeException(AgeFailure failure, ErrorKind kind, string message, string? hint)
        : base(kind, message, hint) => Failure = failure;

    /// <summary>The stage of decryption that failed.</summary>
    public AgeFailure Failure { get; }
}
