using KeyVault.Paper;

namespace KeyVault.Tests.Paper;

public class WipingBufferStreamTests
{
    [Fact]
    public void GrowingKeepsEveryByteInOrder()
    {
        using var stream = new WipingBufferStream(initialCapacity: 4);
        var expected = new List<byte>();
        for (var i = 0; i < 300; i++)
        {
            var chunk = Enumerable.Range(i, i % 7 + 1).Select(b => (byte)(b & 0xFF)).ToArray();
            stream.Write(chunk);
            expected.AddRange(chunk);
        }
        stream.WriteByte(0xAA);
        expected.Add(0xAA);
        Assert.Equal(expected.ToArray(), stream.ToArray());
        Assert.Equal(expected.Count, stream.Length);
    }

    [Fact]
    public void AbandonedAndFinalBuffersAreZeroed()
    {
        var stream = new WipingBufferStream(initialCapacity: 8);
        stream.Write(Enumerable.Repeat((byte)0x5A, 8).ToArray());
        var first = (byte[])typeof(WipingBufferStream)
            .GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(stream)!;
        stream.Write([1, 2, 3]);
        Assert.All(first, b => Assert.Equal(0, b));
        var last = (byte[])typeof(WipingBufferStream)
            .GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(stream)!;
        Assert.Contains((byte)0x5A, last);
        stream.Dispose();
        Assert.All(last, b => Assert.Equal(0, b));
    }
}
