namespace KeyVault.Errors;

/// <summary>
/// Every operator-facing error message of the key layer, in one place. None may include secret material:
/// messages name lengths, positions, rules and file names, never the value that broke them.
/// </summary>
internal static class Error
{
    private const string KeyRuleHint =
        "a signer key is 64 hex characters, or 66 ending in 01, with no 0x prefix and no spaces";

    public static KeyVaultException KeyWrongLength(int length) => new(ErrorKind.BadInput,
        $"the private key has {length} characters; the signers accept exactly 64, or 66 ending in 01", KeyRuleHint, facts: ErrorFacts.Of((ErrorFacts.Count, length)));

    public static KeyVaultException KeyWrongSuffix() => new(ErrorKind.BadInput,
        "the private key has 66 characters but does not end in 01 (the compressed-key marker)",
        "a 66-character key must end in 01; remove the last two characters only if you know the key is 64 characters plus a marker");

    public static KeyVaultException KeyHexPrefix() => new(ErrorKind.BadInput,
        "the private key starts with 0x; the signers do not accept a prefix", "remove the 0x prefix");

    public static KeyVaultException KeyWhitespace() => new(ErrorKind.BadInput,
        "the private key contains whitespace; the signers do not accept it", "remove the spaces or line breaks inside the value");

    public static KeyVaultException KeyNotHex(int position) => new(ErrorKind.BadInput,
        $"the private key has a non-hex character at position {position}", KeyRuleHint, facts: ErrorFacts.Of((ErrorFacts.Position, position)));

    public static KeyVaultException KeyWrongByteLength(int length) => new(ErrorKind.BadInput,
        $"a private key is 32 bytes, not {length}");

    public static KeyVaultException KeyOutOfRange() => new(ErrorKind.BadInput,
        "the private key is not a valid secp256k1 key (it is zero or not below the curve order)",
        "check that the key was copied completely; a signer would reject this key too");

    public static KeyVaultException InvalidPublicKey() => new(ErrorKind.BadInput,
        "not a valid compressed secp256k1 public key",
        "give 66 hex characters starting with 02 or 03, as the signers print it");

    public static KeyVaultException NoKeyFound(string format) => new(ErrorKind.BadInput,
        $"no private key found in the {format}",
        "an sBTC config needs [signer] private_key, a stacks-signer config stacks_private_key, an env file SIGNER_SIGNER__PRIVATE_KEY=");

    public static KeyVaultException SeveralKeys(string what) => new(ErrorKind.BadInput,
        $"the input holds more than one private key ({what}); refusing to guess which one is meant",
        "give a file with exactly one key, or name the format to read", code: ErrorCodes.SeveralKeys);

    public static KeyVaultException MalformedToml(int line, int column) => new(ErrorKind.BadInput,
        $"the file is not valid TOML (first problem at line {line}, column {column})",
        "fix the file, or give the key alone as hex", code: ErrorCodes.TomlMalformed, facts: ErrorFacts.Of((ErrorFacts.Line, line), (ErrorFacts.Position, column)));

    public static KeyVaultException KeyNotString(string key) => new(ErrorKind.BadInput,
        $"{key} is present but is not a string", "write the key in quotes, e.g. private_key = \"…\"", facts: ErrorFacts.Of((ErrorFacts.Field, key)));

    public static KeyVaultException MalformedEnvLine(int line) => new(ErrorKind.BadInput,
        $"line {line} of the env file is not of the form SIGNER_SIGNER__PRIVATE_KEY=value",
        "use NAME=value, optionally preceded by export and with the value in matching quotes", facts: ErrorFacts.Of((ErrorFacts.Line, line)));

    public static KeyVaultException NotUtf8() => new(ErrorKind.BadInput,
        "the input is not UTF-8 text", "give a text file holding the key");

    public static KeyVaultException DiceNotARoll(char c, int position) => new(ErrorKind.BadInput,
        $"'{(char.IsControl(c) ? '?' : c)}' at position {position} is not a die roll", "type only the digits 1 to 6");

    public static KeyVaultException DiceTooFew(int have, int need) => new(ErrorKind.BadInput,
        $"{have} dice rolls give too little entropy; at least {need} are needed", $"roll {need - have} more times");
}
