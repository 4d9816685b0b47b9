using System.Text.RegularExpressions;
using KeyVault.Codecs;
using KeyVault.Errors;

namespace KeyVault.Signing;

/// <summary>
/// A Stacks principal: a standard principal (an address, <c>SP…</c>) or a contract principal (<c>SP….name</c>), as
/// Clarity parses it. <see cref="ToString"/> writes the canonical form (the address re-encoded in upper case).
/// </summary>
internal sealed partial class StacksPrincipal
{
    /// <summary>The longest contract name Clarity serializes.</summary>
    public const int MaxContractNameLength = 40;

    private readonly byte[] _hash160;

    private StacksPrincipal(byte version, byte[] hash160, string? contractName)
    {
        Version = version;
        _hash160 = hash160;
        ContractName = contractName;
    }

    /// <summary>The address version (22 SP and 20 SM on mainnet, 26 ST and 21 SN on testnet).</summary>
    public byte Version { get; }

    /// <summary>The 20-byte hash the address encodes.</summary>
    public ReadOnlySpan<byte> Hash160 => _hash160;

    /// <summary>The contract's name, or null for a standard principal.</summary>
    public string? ContractName { get; }

    /// <summary>True for the mainnet address versions (22, 20); false for testnet's (26, 21) and any other.</summary>
    public bool IsMainnet => Version is 22 or 20;

    /// <summary>True for the testnet address versions (26, 21).</summary>
    public bool IsTestnet => Version is 26 or 21;

    /// <summary>
    /// Parses <c>ADDRESS</c> or <c>ADDRESS.contract-name</c> (a leading <c>'</c>, as Clarity writes a principal
    /// literal, is allowed). The address's checksum must hold; a contract name is a letter followed by letters,
    /// digits, <c>-</c> or <c>_</c>, at most 40 characters.
    /// </summary>
    public static StacksPrincipal Parse(string text)
    {
        var literal = text.Trim();
        if (literal.StartsWith('\'')) literal = literal[1..];
        string address = literal;
        string? name = null;
        int dot = literal.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            address = literal[..dot];
            name = literal[(dot + 1)..];
            if (name.Length > MaxContractNameLength || !ContractNamePattern().IsMatch(name))
                throw new KeyVaultException(ErrorKind.BadInput,
                    $"\"{name}\" is not a contract name",
                    $"a contract name is a letter followed by letters, digits, - or _, at most {MaxContractNameLength} characters");
        }
        if (!C32.TryCheckDecode(address, out var version, out var hash))
            throw new KeyVaultException(ErrorKind.BadInput, $"\"{address}\" is not a Stacks address",
                "give the principal as a Stacks address (SP…, ST…) or ADDRESS.contract-name; check it for typing errors");
        return new StacksPrincipal(version, hash, name);
    }

    /// <summary>The canonical text: the address, and <c>.name</c> for a contract.</summary>
    public override string ToString()
    {
        var address = C32.CheckEncode(Version, _hash160);
        return ContractName is null ? address : $"{address}.{ContractName}";
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_-]*$")]
    private static partial Regex ContractNamePattern();
}
