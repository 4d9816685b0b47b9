using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Keys;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>
/// sbtc_signer.dkg_shares rows as the sBTC signer writes them for a signer set of N with one key each (signer/src/wsts_state_machine.rs,
/// get_encrypted_dkg_shares), filled from a fixed random stream instead of a real DKG round: the byte sizes are the real
/// ones because every value is encoded as the signer encodes it (prost, proto3: protobufs/crypto/wsts/state.proto,
/// wsts.proto, crypto/common.proto); only the numbers are invented. docs/dkg-export-format.md, "Size", derives the
/// same sizes on paper.
/// </summary>
internal static class SyntheticDkgRows
{
    /// <summary>The signer set: TestKeys.Key1 first (this signer, id 0), then keys of the scalars 2..N.</summary>
    public static IReadOnlyList<byte[]> SignerSet(int signers)
    {
        var keys = new List<byte[]> { Hex.TryDecode(TestKeys.Key1PublicKey)! };
        for (int i = 2; i <= signers; i++)
        {
            var scalar = new byte[32];
            scalar[31] = (byte)i;
            using var key = SecretKey.FromBytes(scalar);
            keys.Add(Hex.TryDecode(key.PublicKey.Hex66)!);
        }
        return keys;
    }

    /// <summary><paramref name="count"/> rows of DKG rounds among <paramref name="signers"/> signers at <paramref name="threshold"/>, oldest first, the newest verified.</summary>
    public static IReadOnlyList<DkgExportRow> Rows(int count, int signers, int threshold, string seed = "synthetic dkg")
    {
        var random = new DeterministicRandom(seed);
        var set = SignerSet(signers);
        var rows = new List<DkgExportRow>();
        var t0 = new DateTimeOffset(2025, 4, 30, 14, 0, 0, TimeSpan.Zero);
        for (int r = 0; r < count; r++)
        {
            var aggregate = Bytes(random, 33);
            aggregate[0] = (byte)(2 + (aggregate[0] & 1));
            var tweaked = Bytes(random, 33);
            tweaked[0] = (byte)(2 + (tweaked[0] & 1));
            // P2TR: OP_1, a 32-byte push, the tweaked key's x-coordinate.
            byte[] script = [0x51, 0x20, .. tweaked.AsSpan(1)];
            var state = SignerState(random, id: 0, signers, threshold);
            var encrypted = SignerEncryption.Encrypt(TestKeys.Key1, state, Bytes(random, 12));
            var publicShares = PublicShares(random, signers, threshold);
            rows.Add(new DkgExportRow(aggregate, tweaked, encrypted, publicShares, script, set, threshold, t0.AddDays(30 * r),
                r == count - 1 ? "verified" : "unverified", Bytes(random, 32), 890_000 + 4_000 * r));
        }
        return rows;
    }

    /// <summary>wsts::traits::SignerState of a v2 party with one key, as crypto.wsts.SignerState.</summary>
    public static byte[] SignerState(DeterministicRandom random, int id, int signers, int threshold)
    {
        // The private polynomial has threshold coefficients (VSS::random_poly(threshold - 1)); v2 Party::save keeps it.
        var polynomial = new Proto();
        for (int i = 0; i < threshold; i++) polynomial.Message(1, Scalar(random));
        var party = new Proto()
            .Varint(1, (ulong)(id + 1))
            .Message(2, polynomial)
            .Message(3, new Proto().Varint(1, (ulong)(id + 1)).Message(2, Scalar(random)))
            .Message(4, new Proto().Message(1, Scalar(random)).Message(2, Scalar(random)));
        return new Proto()
            .Varint(1, (ulong)id)
            .Packed(2, [(ulong)(id + 1)])
            .Varint(3, (ulong)signers)
            .Varint(4, (ulong)signers)
            .Varint(5, (ulong)threshold)
            .Message(6, Point(random))
            .Message(7, party)
            .ToArray();
    }

    /// <summary>BTreeMap&lt;u32, wsts::net::DkgPublicShares&gt; as crypto.wsts.DkgPublicShares: every signer's broadcast, one party each.</summary>
    public static byte[] PublicShares(DeterministicRandom random, int signers, int threshold)
    {
        var map = new Proto();
        for (int s = 0; s < signers; s++)
        {
            var proof = new Proto()
                .Message(1, new Proto().Message(1, Uint256Small((ulong)s + 1)))
                .Message(2, Point(random))
                .Message(3, Scalar(random));
            var poly = new Proto().Message(1, proof);
            for (int i = 0; i < threshold; i++) poly.Message(2, Point(random));
            var shares = new Proto()
                .Varint(1, 1) // dkg_id: the signers' rounds are numbered from 1
                .Varint(2, (ulong)s)
                .Message(3, new Proto().Varint(1, (ulong)s).Message(2, poly));
            map.Message(1, new Proto().Varint(1, (ulong)s).Message(2, shares));
        }
        return map.ToArray();
    }

    private static byte[] Bytes(DeterministicRandom random, int n)
    {
        var b = new byte[n];
        random.Fill(b);
        return b;
    }

    /// <summary>crypto.Scalar of a random value.</summary>
    private static Proto Scalar(DeterministicRandom random) => new Proto().Message(1, Uint256(Bytes(random, 32)));

    /// <summary>crypto.Point: a random x-coordinate and parity.</summary>
    private static Proto Point(DeterministicRandom random)
    {
        var x = Bytes(random, 33);
        return new Proto().Message(1, Uint256(x.AsSpan(1).ToArray())).Varint(2, (ulong)(x[0] & 1));
    }

    /// <summary>crypto.Uint256 of a big-endian 32-byte number: four fixed64 parts, least significant first, zero parts left out.</summary>
    private static Proto Uint256(byte[] bigEndian)
    {
        var p = new Proto();
        for (int part = 0; part < 4; part++)
            p.Fixed64(part + 1, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bigEndian.AsSpan(24 - 8 * part, 8)));
        return p;
    }

    private static Proto Uint256Small(ulong value) => new Proto().Fixed64(1, value);

    /// <summary>Just enough protobuf (proto3, prost): default values (0, false, empty) are not written.</summary>
    private sealed class Proto
    {
        private readonly List<byte> _bytes = [];

        public Proto Varint(int field, ulong value)
        {
            if (value == 0) return this;
            Key(field, 0);
            Raw(value);
            return this;
        }

        public Proto Fixed64(int field, ulong value)
        {
            if (value == 0) return this;
            Key(field, 1);
            for (int i = 0; i < 8; i++) _bytes.Add((byte)((value >> (8 * i)) & 0xFF));
            return this;
        }

        public Proto Packed(int field, IReadOnlyList<ulong> values)
        {
            var inner = new Proto();
            foreach (var v in values) inner.Raw(v);
            return Length(field, inner._bytes);
        }

        public Proto Message(int field, Proto message) => Length(field, message._bytes);

        public byte[] ToArray() => _bytes.ToArray();

        private Proto Length(int field, List<byte> content)
        {
            Key(field, 2);
            Raw((ulong)content.Count);
            _bytes.AddRange(content);
            return this;
        }

        private void Key(int field, int wire) => Raw((ulong)(field << 3 | wire));

        private void Raw(ulong v)
        {
            while (v >= 0x80)
            {
                _bytes.Add((byte)((v & 0x7F) | 0x80));
                v >>= 7;
            }
            _bytes.Add((byte)v);
        }
    }
}
