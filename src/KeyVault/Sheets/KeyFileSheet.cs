using KeyVault.Keys;

namespace KeyVault.Sheets;

/// <summary>
/// Everything printed on the sheet of an encrypted key file: its ASCII-armored text (printed and in a QR code),
/// the public identity of the key inside, and the key-derivation parameters a restorer will need to expect.
/// </summary>
/// <param name="ArmoredLines">The armored key file, one entry per line, without line terminators.</param>
/// <param name="Identity">The public identity of the key in the file.</param>
/// <param name="Network">Which Stacks address of the key to print.</param>
/// <param name="Date">The date printed on the sheet.</param>
/// <param name="Kdf">The key-derivation parameters, as they should be shown.</param>
/// <param name="Label">A short label naming the key (e.g. the signer's name), or null.</param>
/// <param name="Origin">Whom to tell if the sheet is lost or exposed and which executable made it; null as <see cref="SheetOrigin.None"/>.</param>
public sealed record KeyFileSheet(
    IReadOnlyList<string> ArmoredLines,
    SignerIdentity Identity,
    StacksNetwork Network,
    DateOnly Date,
    KdfDisplay Kdf,
    string? Label = null,
    SheetOrigin? Origin = null);

/// <summary>Key-derivation parameters of an encrypted key file, as display strings (the paper layer does not interpret them).</summary>
/// <param name="Algorithm">The KDF's name, e.g. "Argon2id".</param>
/// <param name="MemoryKiB">Memory cost in KiB.</param>
/// <param name="Iterations">Number of passes.</param>
/// <param name="Parallelism">Degree of parallelism (lanes).</param>
public sealed record KdfDisplay(string Algorithm, string MemoryKiB, string Iterations, string Parallelism);
