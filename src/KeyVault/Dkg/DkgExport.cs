using System.Buffers.Binary;
using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>One row of sbtc_signer.dkg_shares with every column the signer's migrations define (0003, 0012).</summary>
/// <param name="AggregateKey">aggregate_key (primary key, 33-byte compressed).</param>
/// <param name="TweakedAggregateKey">tweaked_aggregate_key.</param>
/// <param name="EncryptedPrivateShares">encrypted_private_shares: nonce(12) || ciphertext || tag(16), under the signer key.</param>
/// <param name="PublicShares">public_shares.</param>
/// <param name="ScriptPubkey">script_pubkey.</param>
/// <param name="SignerSetPublicKeys">signer_set_public_keys (BYTEA[]).</param>
/// <param name="SignatureShareThreshold">signature_share_threshold.</param>
/// <param name="CreatedAt">created_at, to the microsecond.</param>
/// <param name="Status">dkg_shares_status, or null in databases from before migration 0012.</param>
/// <param name="StartedAtBlockHash">started_at_bitcoin_block_hash, or null.</param>
/// <param name="StartedAtBlockHeight">started_at_bitcoin_block_height, or null.</param>
public sealed record DkgExportRow(
    byte[] AggregateKey, byte[] TweakedAggregateKey, byte[] EncryptedPrivateShares, byte[] PublicShares, byte[] ScriptPubkey,
    IReadOnlyList<byte[]> SignerSetPublicKeys, int SignatureShareThreshold, DateTimeOffset CreatedAt, string? Status,
    byte[]? StartedAtBlockHash, long? StartedAtBlockHeight)
{
    /// <summary>The columns a drill needs.</summary>
    public DkgShareRow ToShareRow() => new(AggregateKey, EncryptedPrivateShares, Status, CreatedAt);

    /// <summary>True when every column holds the same value.</summary>
    public bool SameAs(DkgExportRow o) =>
        AggregateKey.AsSpan().SequenceEqual(o.AggregateKey) && TweakedAggregateKey.AsSpan().SequenceEqual(o.TweakedAggregateKey)
        && EncryptedPrivateShares.AsSpan().SequenceEqual(o.EncryptedPrivateShares) && PublicShares.AsSpan().SequenceEqual(o.PublicShares)
        && ScriptPubkey.AsSpan().SequenceEqual(o.ScriptPubkey) && SignerSetPublicKeys.Count == o.SignerSetPublicKeys.Count
        && SignerSetPublicKeys.Zip(o.SignerSetPublicKeys).All(p => p.First.AsSpan().SequenceEqual(p.Second))
        && SignatureShareThreshold == o.SignatureShareThreshold && CreatedAt == o.CreatedAt && Status == o.Status
        && (StartedAtBlockHash ?? []).AsSpan().SequenceEqual(o.StartedAtBlockHash ?? []) && (StartedAtBlockHash is null) == (o.StartedAtBlockHash is null)
        && StartedAtBlockHeight == o.StartedAtBlockHeight;
}

/// <summary>
/// KeyVault's DKG-share export (docs/dkg-export-format.md): every row of sbtc_signer.dkg_shares, every column, in a
/// small binary file ending in a SHA-256 of all that precedes it, for cold storage beside the key file. The rows are
/// as public as the database (the shares are encrypted under the signer key); the checksum finds damage, and sealing
/// the file to an age recipient keeps it confidential.
/// </summary>
public static class DkgExport
{
    /// <summary>The first 8 bytes of every export.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'K', (byte)'V', (byte)'D', (byte)'K', 0x0D, 0x0A, 0x1A];

    /// <summary>The format version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Largest export read: a signer's table is a few hundred KiB at most.</summary>
    public const int MaxBytes = 64 << 20;

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>The file for <paramref name="rows"/>, exported at <paramref name="exportedAt"/>.</summary>
    public static byte[] Write(IReadOnlyList<DkgExportRow> rows, DateTimeOffset exportedAt)
    {
        using var ms = new MemoryStream();
        ms.Write(Magic);
        ms.WriteByte(Version);
        I64(ms, (exportedAt - Epoch).Ticks / 10);
        U32(ms, (uint)rows.Count);
        foreach (var r in rows)
        {
            Bytes(ms, r.AggregateKey);
            Bytes(ms, r.TweakedAggregateKey);
            Bytes(ms, r.EncryptedPrivateShares);
            Bytes(ms, r.PublicShares);
            Bytes(ms, r.ScriptPubkey);
            U32(ms, (uint)r.SignerSetPublicKeys.Count);
            foreach (var k in r.SignerSetPublicKeys) Bytes(ms, k);
            U32(ms, unchecked((uint)r.SignatureShareThreshold));
            I64(ms, (r.CreatedAt - Epoch).Ticks / 10);
            ms.WriteByte(r.Status switch { null => 0, "unverified" => 1, "verified" => 2, "failed" => 3,
                _ => throw new ArgumentException("unknown dkg_shares_status", nameof(rows)) });
            ms.WriteByte(r.StartedAtBlockHash is null ? (byte)0 : (byte)1);
            if (r.StartedAtBlockHash is not null) Bytes(ms, r.StartedAtBlockHash);
            ms.WriteByte(r.StartedAtBlockHeight is null ? (byte)0 : (byte)1);
            if (r.StartedAtBlockHeight is { } h) I64(ms, h);
        }
        ms.Write(SHA256.HashData(ms.GetBuffer().AsSpan(0, (int)ms.Length)));
        return ms.ToArray();
    }

    /// <summary>The export's time and rows; throws DamagedFile naming what is wrong (a flipped bit fails the checksum).</summary>
    public static (DateTimeOffset ExportedAt, IReadOnlyList<DkgExportRow> Rows) Read(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length > MaxBytes) throw Damaged(source, "it is larger than any signer's DKG table");
        if (file.Length < Magic.Length + 1 + 8 + 4 + 32 || !file[..Magic.Length].SequenceEqual(Magic))
            throw Damaged(source, "it does not start as a KeyVault DKG export");
        if (file[Magic.Length] != Version) throw Damaged(source, $"its format version is {file[Magic.Length]}, this KeyVault reads version {Version}");
        var body = file[..^32];
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(body), file[^32..]))
            throw Damaged(source, "its SHA-256 checksum does not match: the file is damaged");
        var r = new Reader(body[(Magic.Length + 1)..].ToArray(), source, Damaged);
        var exportedAt = Epoch.AddTicks(r.I64() * 10);
        var count = r.U32();
        var rows = new List<DkgExportRow>();
        for (uint i = 0; i < count; i++)
        {
            var ak = r.Bytes();
            var tweaked = r.Bytes();
            var enc = r.Bytes();
            var pub = r.Bytes();
            var script = r.Bytes();
            var n = r.U32();
            var keys = new List<byte[]>();
            for (uint k = 0; k < n; k++) keys.Add(r.Bytes());
            var threshold = unchecked((int)r.U32());
            var created = Epoch.AddTicks(r.I64() * 10);
            var status = r.Byte() switch { 0 => null, 1 => "unverified", 2 => "verified", 3 => "failed", _ => throw Damaged(source, "a row has an unknown status") };
            byte[]? hash = r.Byte() switch { 0 => null, 1 => r.Bytes(), _ => throw Damaged(source, "a presence flag is neither 0 nor 1") };
            long? height = r.Byte() switch { 0 => null, 1 => r.I64(), _ => throw Damaged(source, "a presence flag is neither 0 nor 1") };
            rows.Add(new DkgExportRow(ak, tweaked, enc, pub, script, keys, threshold, created, status, hash, height));
        }
        if (!r.AtEnd) throw Damaged(source, "bytes follow the last row");
        return (exportedAt, rows);
    }

    internal static void Bytes(Stream s, byte[] b)
    {
        U32(s, (uint)b.Length);
        s.Write(b);
    }

    internal static void U32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    internal static void I64(Stream s, long v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, v);
        s.Write(b);
    }

    private static KeyVaultException Damaged(string source, string why) => new(ErrorKind.DamagedFile,
        $"{source} is not a readable DKG export: {why}", "use another copy of the export, or export again from the signer's database");

    internal sealed class Reader(byte[] data, string source, Func<string, string, KeyVaultException> damaged)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        private ReadOnlySpan<byte> Take(long n)
        {
            if (n < 0 || n > data.Length - _at) throw damaged(source, "a length runs past the end of the file");
            var s = data.AsSpan(_at, (int)n);
            _at += (int)n;
            return s;
        }

        public byte Byte() => Take(1)[0];
        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
        public long I64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
        public byte[] Bytes() => Take(U32()).ToArray();
    }
}

/// <summary>
/// A DKG export file as a drill's source of rows (sealed exports are opened by the caller first), or the private part
/// of one as read back from paper: both hold every column a drill judges.
/// </summary>
/// <param name="content">The export's bytes.</param>
/// <param name="name">The file name, for reports.</param>
public sealed class DkgExportSource(byte[] content, string name) : IDkgShareSource
{
    /// <inheritdoc />
    public string Description => $"DKG export {name}";

    /// <inheritdoc />
    public IReadOnlyList<DkgShareRow> ReadRows() => content.AsSpan().StartsWith(DkgPrivatePart.Magic)
        ? DkgPrivatePart.Read(content, name).Rows
        : DkgExport.Read(content, name).Rows.Select(r => r.ToShareRow()).ToList();
}

/// <summary>A DKG export as stored: bare, or sealed to a cold-storage age recipient (docs/dkg-export-format.md).</summary>
public static class DkgExportFile
{
    /// <summary>True when the file is an age file (binary or armored) rather than a bare export.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> file) => file.StartsWith("age-encryption.org/v1\n"u8) || Age.AgeFile.IsArmored(file);

    /// <summary>The export sealed to <paramref name="recipient"/>; opens with the stock age tool.</summary>
    public static byte[] Seal(byte[] export, Age.AgeRecipient recipient, bool armor) => Age.AgeEncryptor.Encrypt(export, [recipient], armor);

    /// <summary>The bare export in <paramref name="file"/>, opening it with <paramref name="identities"/> when it is sealed.</summary>
    public static byte[] Open(ReadOnlySpan<byte> file, string source, IReadOnlyList<Age.AgeIdentity> identities)
    {
        if (!IsSealed(file)) return file.ToArray();
        if (identities.Count == 0)
            throw new KeyVaultException(ErrorKind.BadInput, $"{source} is sealed with age, and no identity was given to open it",
                "give the cold-storage identity (an age key file or an OpenSSH key)", code: ErrorCodes.DkgExportSealed);
        using var plaintext = Age.AgeDecryptor.Decrypt(file, identities);
        return plaintext.Span.ToArray();
    }
}
