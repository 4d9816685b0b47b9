using KeyVault.Errors;

namespace KeyVault.Age;

/// <summary>
/// Every operator-facing message of the age layer, in one place. Messages name lines, stanzas, lengths and rules,
/// never a key, a file key or plaintext.
/// </summary>
internal static class AgeError
{
    private const string ResendHint = "the file was altered or cut short on its way; ask for the file again, sent unchanged";

    // ---- opening a file (AgeException) ----

    public static AgeException Armor(string why) => new(AgeFailure.Armor, ErrorKind.DamagedFile,
        $"the armored age file is not in canonical form: {why}",
        "an armored age file is exactly what age writes when asked for armor: the BEGIN line, base64 lines of 64 characters, the END line; " + ResendHint);

    public static AgeException Header(string why) => new(AgeFailure.Header, ErrorKind.DamagedFile,
        $"the age header is malformed: {why}", "this is not an intact age v1 file; " + ResendHint);

    public static AgeException NotAgeFile() => new(AgeFailure.Header, ErrorKind.DamagedFile,
        "this is not an age file (it starts neither with age-encryption.org/ nor with an armor BEGIN line)",
        "check that the path names the sealed file");

    public static AgeException UnsupportedVersion() => new(AgeFailure.Header, ErrorKind.DamagedFile,
        "the age file has a version line other than age-encryption.org/v1; only v1 is supported",
        "open it with a tool that supports that version");

    public static AgeException Stanza(int index, string type, string why) => new(AgeFailure.Header, ErrorKind.DamagedFile,
        $"recipient stanza {index} ({type}) is malformed: {why}", "this stanza was not written by a correct age implementation; " + ResendHint);

    public static AgeException LowOrderShare(int index, string type) => new(AgeFailure.Header, ErrorKind.DamagedFile,
        $"recipient stanza {index} ({type}) carries a key share that gives an all-zero shared secret; the age specification requires rejecting it",
        "the file was made by faulty or hostile software; do not use it");

    public static AgeException NoMatch(int identities, int stanzas) => new(AgeFailure.NoMatch, ErrorKind.AuthenticationFailed,
        (identities == 1 ? "the given identity" : $"none of the {identities} given identities")
        + (identities, stanzas) switch
        {
            (1, 1) => " does not open the file's recipient stanza",
            (1, _) => $" opens none of the file's {stanzas} recipient stanzas",
            (_, 1) => " opens the file's recipient stanza",
            _ => $" opens any of the file's {stanzas} recipient stanzas",
        },
        "the file was sealed to another key: check which key or session it was meant for");

    public static AgeException Hmac() => new(AgeFailure.Hmac, ErrorKind.DamagedFile,
        "the age header MAC does not match: the header was altered after it was written", ResendHint);

    public static AgeException Payload(string why) => new(AgeFailure.Payload, ErrorKind.DamagedFile,
        $"the age payload does not authenticate: {why}", ResendHint);

    // ---- keys, recipients and custodian lists (BadInput) ----

    public static KeyVaultException RecipientMalformed(string why) => new(ErrorKind.BadInput,
        $"not a valid age recipient: {why}",
        "give an age public key (age1…, as age-keygen prints it) or an OpenSSH ed25519 public key line (ssh-ed25519 AAAA… comment)");

    public static KeyVaultException IdentityMalformed(string source, string why) => new(ErrorKind.BadInput,
        $"{source} is not a usable age identity: {why}",
        "give an age identity file (AGE-SECRET-KEY-1…, as age-keygen writes it) or an unencrypted OpenSSH ed25519 private key");

    public static KeyVaultException SshKeyEncrypted(string source) => new(ErrorKind.BadInput,
        $"{source} is a passphrase-protected OpenSSH key; only unencrypted OpenSSH keys can be read here",
        "open the file with the age tool on the key holder's own machine instead, where it asks for the passphrase");

    public static KeyVaultException NoRecipients() => new(ErrorKind.BadInput,
        "an age file needs at least one recipient", "name at least one recipient");

    public static KeyVaultException CustodianLine(string source, int line, string why) => new(ErrorKind.BadInput,
        $"line {line} of {source}: {why}",
        "each custodian's line is NAME = RECIPIENT (age1… or ssh-ed25519 AAAA… [comment]) for a sealed share, or NAME (or NAME = paper) for a paper sheet; " +
        "indented lines under it may add 'contact: …' and 'time zone: …'; blank lines and lines starting with # are ignored (docs/custodians.md)");

    public static KeyVaultException CustodianFileEmpty(string source) => new(ErrorKind.BadInput,
        $"{source} names no custodian", "write one line per custodian, in share order: NAME = RECIPIENT for a sealed share, NAME for a paper sheet");

    public static KeyVaultException CustodianFileNotText(string source) => new(ErrorKind.BadInput,
        $"{source} is not UTF-8 text", "write the custodians file as plain UTF-8 text");
}
