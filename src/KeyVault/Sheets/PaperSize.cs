namespace KeyVault.Sheets;

/// <summary>The paper a sheet is laid out for.</summary>
public enum PaperSize
{
    /// <summary>ISO A4, 210 × 297 mm.</summary>
    A4,
    /// <summary>US Letter, 8.5 × 11 in.</summary>
    Letter,
}

/// <summary>Page dimensions in PDF points (1/72 in).</summary>
internal static class PaperSizes
{
    public static (float Width, float Height) Points(PaperSize size) => size switch
    {
        PaperSize.A4 => (595.28f, 841.89f),
        PaperSize.Letter => (612f, 792f),
        _ => throw PaperError.UnknownPaperSize(size),
    };
}
