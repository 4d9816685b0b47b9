using KeyVault.Sheets;
using QRCoder;
using QRCoder.Exceptions;

namespace KeyVault.Paper;

/// <summary>
/// A QR symbol as a square of dark/light modules, without quiet zone. Error correction is level Q (about 25 % of
/// the symbol may be lost): a sheet spends years in a safe and may come back creased, stained or faded, and the
/// printed QR is large enough that the two versions Q costs over M keep modules near 1 mm.
/// </summary>
internal sealed class QrSymbol
{
    /// <summary>The error-correction level every sheet uses.</summary>
    public const QRCodeGenerator.ECCLevel Ecc = QRCodeGenerator.ECCLevel.Q;

    /// <summary>Most bytes one symbol holds in byte mode at level Q: version 40 (ISO/IEC 18004, table 7).</summary>
    public const int MaxBytesAtQ = 1663;

    /// <summary>Light modules required around the symbol by ISO/IEC 18004.</summary>
    public const int QuietZone = 4;

    private readonly bool[] _dark;

    private QrSymbol(int version, int size, bool[] dark, QRCodeGenerator.ECCLevel level)
    {
        Version = version;
        Level = level;
        Size = size;
        _dark = dark;
    }

    /// <summary>The QR version (1–40); the symbol has 17 + 4·version modules a side.</summary>
    public int Version { get; }

    /// <summary>The error-correction level the symbol was made at.</summary>
    public QRCodeGenerator.ECCLevel Level { get; }

    /// <summary>Modules a side, without quiet zone.</summary>
    public int Size { get; }

    /// <summary>Whether the module at (row, column) is dark.</summary>
    public bool IsDark(int row, int column) => _dark[row * Size + column];

    /// <summary>Encodes <paramref name="payload"/>; QRCoder chooses the mode (alphanumeric when every character allows it).</summary>
    public static QrSymbol Encode(string payload) => Encode(payload, Ecc);

    /// <summary>Encodes <paramref name="payload"/> at error-correction level <paramref name="level"/>.</summary>
    public static QrSymbol Encode(string payload, QRCodeGenerator.ECCLevel level)
    {
        QRCodeData data;
        try
        {
            using var generator = new QRCodeGenerator();
            data = generator.CreateQrCode(payload, level);
        }
        catch (DataTooLongException)
        {
            throw PaperError.PayloadTooLong(payload.Length);
        }

        using (data)
        {
            // QRCoder's matrix carries its own 4-module quiet zone; the sheet draws its own, so crop it off.
            var full = data.ModuleMatrix;
            var size = full.Count - 2 * QuietZone;
            var dark = new bool[size * size];
            for (var r = 0; r < size; r++)
                for (var c = 0; c < size; c++)
                    dark[r * size + c] = full[r + QuietZone][c + QuietZone];
            // The matrix encodes the secret; clear QRCoder's copy as soon as ours exists.
            foreach (var row in full) row.SetAll(false);
            return new QrSymbol(data.Version, size, dark, level);
        }
    }

    /// <summary>
    /// Horizontal runs of dark modules, one (row, first column, length) per run. Drawing one rectangle per run
    /// instead of per module keeps the PDF small and leaves no hairline seams between neighbouring modules.
    /// </summary>
    public IEnumerable<(int Row, int Column, int Length)> DarkRuns()
    {
        for (var r = 0; r < Size; r++)
        {
            var c = 0;
            while (c < Size)
            {
                if (!IsDark(r, c)) { c++; continue; }
                var start = c;
                while (c < Size && IsDark(r, c)) c++;
                yield return (r, start, c - start);
            }
        }
    }

    /// <summary>Clears the module matrix.</summary>
    public void Wipe() => Array.Clear(_dark);
}
