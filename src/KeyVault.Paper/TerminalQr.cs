using System.Text;

namespace KeyVault.Paper;

/// <summary>
/// A QR code as lines of text for a terminal (docs/custodians.md, "The session recipient"): each character is two
/// modules stacked, drawn with the Unicode half blocks, so a version-6 symbol with its quiet zone takes 49 columns and
/// 25 lines. Light modules are drawn as block characters and dark ones as spaces, as <c>qrencode -t UTF8</c> does:
/// on the usual light-on-dark terminal the code appears dark on light, the way a camera expects it.
/// </summary>
public static class TerminalQr
{
    private const char Both = '\u2588', Upper = '\u2580', Lower = '\u2584', Neither = ' ';

    /// <summary>The lines of a level-Q QR code of <paramref name="text"/> (public text only: nothing is wiped).</summary>
    public static IReadOnlyList<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var symbol = QrSymbol.Encode(text);
        int q = QrSymbol.QuietZone, side = symbol.Size + 2 * q;
        bool Light(int row, int column)
        {
            int r = row - q, c = column - q;
            return r < 0 || c < 0 || r >= symbol.Size || c >= symbol.Size || !symbol.IsDark(r, c);
        }
        var lines = new List<string>((side + 1) / 2);
        var line = new StringBuilder(side);
        for (int row = 0; row < side; row += 2)
        {
            line.Clear();
            for (int column = 0; column < side; column++)
            {
                // An odd side leaves the last character's lower half outside the symbol: light, like the quiet zone.
                bool top = Light(row, column), bottom = row + 1 >= side || Light(row + 1, column);
                line.Append(top ? bottom ? Both : Upper : bottom ? Lower : Neither);
            }
            lines.Add(line.ToString());
        }
        return lines;
    }
}
