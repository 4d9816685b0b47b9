namespace KeyVault.Shares;

/// <summary>
/// Arithmetic in GF(256) with the Rijndael polynomial x^8 + x^4 + x^3 + x + 1, as SLIP-0039 requires.
/// </summary>
/// <remarks>
/// Share values and the secret pass through these functions, so they never index a table with an operand and
/// never branch on one: log/exp tables (the usual shortcut) leak the operand through cache timing, and an
/// attacker who can time the laptop during a ceremony must learn nothing about the key. Multiplication is the
/// carry-less shift-and-add with every conditional step turned into a mask; inversion is x^254 (Fermat: x^255 = 1
/// for x ≠ 0) by a fixed chain of squarings and multiplications. Both cost the same for every input.
/// </remarks>
internal static class Gf256
{
    /// <summary>Product of <paramref name="a"/> and <paramref name="b"/>; constant time.</summary>
    public static byte Multiply(byte a, byte b)
    {
        int x = a, y = b, product = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            // -(y & 1) is all ones when the low bit of y is set, else zero: "add x if the bit is set" without a branch.
            product ^= x & -(y & 1);
            y >>= 1;
            // Multiply x by the polynomial variable; when bit 7 falls off, reduce by the polynomial (0x11B) with a mask.
            int overflow = -((x >> 7) & 1);
            x = ((x << 1) ^ (overflow & 0x1B)) & 0xFF;
        }
        return (byte)product;
    }

    /// <summary>Multiplicative inverse, x^254; maps 0 to 0. Constant time.</summary>
    public static byte Inverse(byte a)
    {
        // 254 = 2 + 4 + 8 + 16 + 32 + 64 + 128: accumulate the squares a^2, a^4, …, a^128.
        byte square = a, result = 1;
        for (int i = 0; i < 7; i++)
        {
            square = Multiply(square, square);
            result = Multiply(result, square);
        }
        return result;
    }

    /// <summary>Quotient a / b for b ≠ 0.</summary>
    public static byte Divide(byte a, byte b) => Multiply(a, Inverse(b));
}
