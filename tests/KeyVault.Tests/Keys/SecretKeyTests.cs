using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Keys;

public class SecretKeyTests
{
    [Fact]
    public void Dispose_wipes_the_secret_and_later_use_fails()
    {
        var key = SignerKeyFormats.ParseHex(TestKeys.Key1);
        Assert.False(key.IsWiped);
        key.Dispose();
        Assert.True(key.IsWiped);
        Assert.Throws<ObjectDisposedException>(() => key.Export(new byte[32]));
    }

    [Fact]
    public void ToString_shows_the_fingerprint_and_nothing_secret()
    {
        using var key = SignerKeyFormats.ParseHex(TestKeys.Key1);
        var text = key.ToString();
        Assert.Contains(key.PublicKey.Fingerprint, text);
        KeyImportTests.AssertNoKeyMaterial(text, TestKeys.Key1);
    }

    [Fact]
    public void Export_copies_the_scalar()
    {
        using var key = SignerKeyFormats.ParseHex(TestKeys.Key2);
        var buf = new byte[32];
        key.Export(buf);
        Assert.Equal(TestKeys.Key2, Convert.ToHexStringLower(buf));
    }

    [Fact]
    public void Generation_rejects_zero_and_out_of_range_draws()
    {
        var n = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        var draws = new Queue<byte[]>([new byte[32], n, Enumerable.Repeat((byte)0xff, 32).ToArray(), Convert.FromHexString(TestKeys.Key3)]);
        int calls = 0;
        using var key = KeyGenerator.Generate(buf => { calls++; draws.Dequeue().CopyTo(buf, 0); });
        Assert.Equal(4, calls);
        Assert.Equal(TestKeys.Key3PeerId, key.PublicKey.PeerId);
    }

    [Fact]
    public void The_largest_valid_scalar_is_accepted()
    {
        using var key = SecretKey.FromBytes(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
        // n-1 is -1: its public key is the negation of G, whose x is G's x.
        Assert.Equal("0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", key.PublicKey.Hex66);
    }

    [Fact]
    public void Generated_keys_differ()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            using var key = KeyGenerator.Generate();
            Assert.True(seen.Add(key.PublicKey.Hex66));
        }
    }
}
