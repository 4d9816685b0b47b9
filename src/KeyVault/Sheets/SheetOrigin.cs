namespace KeyVault.Sheets;

/// <summary>
/// Who the holder of a sheet tells when it is lost or exposed, and which KeyVault executable made it: printed on
/// every share sheet and key-file sheet (docs/paper.md, "If this sheet is lost or exposed").
/// </summary>
/// <param name="Org">The organisation that holds the key (as recorded in manifest.json), or null: the sheet then says "not recorded".</param>
/// <param name="Contact">Whom to tell about the sheet (e-mail, phone), or null: the sheet then says "not recorded".</param>
/// <param name="ExecutableName">The file name of the KeyVault executable making the sheet, or null for a development build.</param>
/// <param name="ExecutableSha256">SHA-256 of that executable, 64 lowercase hex characters, or null when unknown.</param>
public sealed record SheetOrigin(string? Org = null, string? Contact = null, string? ExecutableName = null, string? ExecutableSha256 = null)
{
    /// <summary>Most characters of the organisation or the contact (the manifest allows 100 UTF-8 bytes); each must also fit one printed line.</summary>
    public const int MaxTextLength = 100;

    /// <summary>Nothing recorded: no organisation, no contact, a development build.</summary>
    public static SheetOrigin None { get; } = new();
}

/// <summary>How much room a sheet gives each text of <see cref="SheetOrigin"/> and the key label.</summary>
internal static class SheetOriginLimits
{
    /// <summary>Printed lines an organisation, contact or key label may take: one, so that every sheet keeps room for its words.</summary>
    public const int MaxPrintedLines = 1;
}
