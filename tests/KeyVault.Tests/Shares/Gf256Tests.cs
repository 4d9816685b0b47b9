using KeyVault.Shares;

namespace KeyVault.Tests.Shares;

public class Gf256Tests
{
    // A deliberately different, slow and branchy reference: schoolbook polynomial product over GF(2) into 16 bits,
    // then long division by the Rijndael polynomial 0x11B.
    private static int ReferenceMultiply(int a, int b)
    {
        int product = 0;
        for (int i = 0; i < 8; i++)
            if ((b & (1 << i)) != 0) product ^= a << i;
        for (int bit = 15; bit >= 8; bit--)
            if ((product & (1 << bit)) != 0) product ^= 0x11B << (bit - 8);
        return product;
    }

    [Fact]
    public void MultiplyMatchesReferenceForAllPairs()
    {
        for (int a = 0; a < 256; a++)
            for (int b = 0; b < 256; b++)
                Assert.True(ReferenceMultiply(a, b) == Gf256.Multiply((byte)a, (byte)b), $"{a} * {b}");
    }

    [Fact]
    public void InverseIsTheUniqueReciprocalForAllNonZero()
    {
        for (int a = 1; a < 256; a++)
        {
            int reciprocal = Enumerable.Range(1, 255).Single(b => ReferenceMultiply(a, b) == 1);
            Assert.Equal(reciprocal, Gf256.Inverse((byte)a));
        }
        Assert.Equal(0, Gf256.Inverse(0));
    }

    [Fact]
    public void KnownProductFromFips197()
    {
        // FIPS-197 section 4.2: {57} • {83} = {c1}.
        Assert.Equal(0xC1, Gf256.Multiply(0x57, 0x83));
    }
}
