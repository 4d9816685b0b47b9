namespace KeyVault.Age;

/// <summary>What the header of an age file says about whether it is sealed to a given recipient.</summary>
public enum AgeAddressing
{
    /// <summary>No stanza can be for this recipient (no stanza of its type, or every SSH tag differs).</summary>
    NotAddressed,
    /// <summary>An ssh-ed25519, p256tag or piv-p256 stanza carries this key's 4-byte tag: sealed to it (or, with odds of 1 in 2^32, to another key with the same tag).</summary>
    TagMatches,
    /// <summary>The file has X25519 or mlkem768x25519 stanzas, which name no recipient by design; only the identity can tell.</summary>
    CannotTell,
}

/// <summary>One recipient stanza as the header shows it, without any key.</summary>
public sealed class AgeStanzaInfo
{
    internal AgeStanzaInfo(AgeStanza stanza) => Arguments = stanza.Arguments;

    /// <summary>The recipient type (the first argument): X25519, ssh-ed25519, scrypt, or another implementation's type.</summary>
    public string Type => Arguments[0];

    /// <summary>All arguments, the type first (public values: ephemeral shares, SSH tags).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// Whether this stanza can be for <paramref name="recipient"/>. An ssh-ed25519 stanza names its key by tag; an
    /// X25519 stanza is anonymous, so for an X25519 recipient the answer is <see cref="AgeAddressing.CannotTell"/>.
    /// </summary>
    public AgeAddressing AddressedTo(AgeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (Type != recipient.StanzaType) return AgeAddressing.NotAddressed;
        return recipient.Type switch
        {
            AgeRecipientType.X25519 or AgeRecipientType.MlKem768X25519 => AgeAddressing.CannotTell,
            AgeRecipientType.SshEd25519 when Arguments[1] == recipient.SshTag => AgeAddressing.TagMatches,
            AgeRecipientType.P256Tag or AgeRecipientType.PivP256 when Arguments[1] == ExpectedTag(recipient) => AgeAddressing.TagMatches,
            _ => AgeAddressing.NotAddressed,
        };
    }

    // The tag a p256tag or piv-p256 stanza for this recipient carries (the stanza's shape was checked on reading).
    private string ExpectedTag(AgeRecipient recipient)
    {
        var compressed = recipient.Point;
        if (recipient.Type == AgeRecipientType.PivP256) return StanzaCrypto.PivTag(compressed);
        var enc = StrictBase64.DecodeRaw(System.Text.Encoding.ASCII.GetBytes(Arguments[2]));
        return enc is null ? "" : StrictBase64.EncodeRaw(StanzaCrypto.P256Tag(enc, compressed));
    }
}

/// <summary>
/// The public facts of an age file, read without a key: its encoding, its stanzas, its payload size. The header
/// MAC and the payload cannot be verified without the file key, so a file that passes <see cref="AgeFile.Inspect"/>
/// is well formed, not yet proven intact.
/// </summary>
public sealed class AgeFileInfo
{
    internal AgeFileInfo(bool armored, IReadOnlyList<AgeStanzaInfo> stanzas, int payloadLength)
    {
        Armored = armored;
        Stanzas = stanzas;
        PayloadLength = payloadLength;
    }

    /// <summary>True when the file is ASCII-armored.</summary>
    public bool Armored { get; }

    /// <summary>The recipient stanzas in file order.</summary>
    public IReadOnlyList<AgeStanzaInfo> Stanzas { get; }

    /// <summary>Payload bytes after the header, nonce included.</summary>
    public int PayloadLength { get; }

    /// <summary>The plaintext length the payload size implies (the chunk layout is fixed, so it is public).</summary>
    public int PlaintextLength
    {
        get
        {
            int sealedBytes = PayloadLength - AgePayload.NonceLength;
            int chunks = Math.Max(1, (sealedBytes + AgePayload.SealedChunkSize - 1) / AgePayload.SealedChunkSize);
            return sealedBytes - chunks * AgePayload.TagLength;
        }
    }

    /// <summary>
    /// The strongest answer any stanza gives for <paramref name="recipient"/>: <see cref="AgeAddressing.TagMatches"/>
    /// if one does, else <see cref="AgeAddressing.CannotTell"/> if one cannot tell, else <see cref="AgeAddressing.NotAddressed"/>.
    /// </summary>
    public AgeAddressing AddressedTo(AgeRecipient recipient)
    {
        var answers = Stanzas.Select(s => s.AddressedTo(recipient)).ToList();
        return answers.Contains(AgeAddressing.TagMatches) ? AgeAddressing.TagMatches
            : answers.Contains(AgeAddressing.CannotTell) ? AgeAddressing.CannotTell
            : AgeAddressing.NotAddressed;
    }
}
