using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KeyVault.Tests.Shares;

/// <summary>
/// A fixed random stream for tests and vector generation: block i is SHA-256(seed ‖ uint32-big-endian(i)),
/// i = 0, 1, 2, …; requests are served from the concatenated blocks in order. (test-vectors/README.md.)
/// </summary>
internal sealed class DeterministicRandom
{
    private readonly byte[] _seed;
    private readonly List<byte> _pending = [];
    private uint _block;

    public DeterministicRandom(string seed) => _seed = Encoding.UTF8.GetBytes(seed);

    public void Fill(Span<byte> destination)
    {
        while (_pending.Count < destination.Length)
        {
            var input = new byte[_seed.Length + 4];
            _seed.CopyTo(input, 0);
            BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(_seed.Length), _block++);
            _pending.AddRange(SHA256.HashData(input));
        }
        for (int i = 0; i < destination.Length; i++) destination[i] = _pending[i];
        _pending.RemoveRange(0, destination.Length);
    }
}
