using System.Buffers.Binary;
using System.Text;

namespace KeyVault.Signing;

/// <summary>
/// The Clarity values the signer's structured-data messages are made of, in their consensus serialization (SIP-005):
/// a type byte, then the value. Only what those messages use is here: uint, string-ascii, principals and tuples.
/// docs/signing.md gives the bytes.
/// </summary>
internal static class ClarityValue
{
    private const byte UIntType = 0x01;
    private const byte StandardPrincipalType = 0x05;
    private const byte ContractPrincipalType = 0x06;
    private const byte TupleType = 0x0c;
    private const byte StringAsciiType = 0x0d;

    /// <summary><c>u</c>: the type byte and 16 bytes big-endian.</summary>
    public static byte[] UInt(UInt128 value)
    {
        var bytes = new byte[17];
        bytes[0] = UIntType;
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(1), value);
        return bytes;
    }

    /// <summary>A string-ascii: the type byte, its length (4 bytes big-endian) and the ASCII bytes.</summary>
    public static byte[] StringAscii(string value)
    {
        if (value.Any(c => c > 0x7e || (c < 0x20 && c is not ('\t' or '\n' or '\r'))))
            throw new ArgumentException("a Clarity string-ascii holds printable ASCII only", nameof(value));
        var bytes = new byte[5 + value.Length];
        bytes[0] = StringAsciiType;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)value.Length);
        Encoding.ASCII.GetBytes(value, bytes.AsSpan(5));
        return bytes;
    }

    /// <summary>
    /// A standard principal (type 0x05, version, 20-byte hash) or a contract principal (type 0x06, version, hash, the
    /// name's length in one byte, the name).
    /// </summary>
    public static byte[] Principal(StacksPrincipal principal)
    {
        var output = new List<byte>(23 + (principal.ContractName?.Length ?? 0))
        {
            principal.ContractName is null ? StandardPrincipalType : ContractPrincipalType,
            principal.Version,
        };
        output.AddRange(principal.Hash160);
        if (principal.ContractName is { } name)
        {
            output.Add((byte)name.Length);
            output.AddRange(Encoding.ASCII.GetBytes(name));
        }
        return [.. output];
    }

    /// <summary>
    /// A tuple: the type byte, the number of fields (4 bytes big-endian), then each field in the ordinal order of its
    /// name (Clarity keeps a tuple's fields sorted, whatever order they were written in): the name's length in one
    /// byte, the name, the serialized value.
    /// </summary>
    public static byte[] Tuple(params (string Name, byte[] Value)[] fields)
    {
        if (fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != fields.Length)
            throw new ArgumentException("a tuple names each field once", nameof(fields));
        var output = new List<byte> { TupleType, 0, 0, 0, 0 };
        BinaryPrimitives.WriteUInt32BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[1..], (uint)fields.Length);
        foreach (var (name, value) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (name.Length is 0 or > 128 || name.Any(c => c > 0x7e))
                throw new ArgumentException($"\"{name}\" is not a Clarity name", nameof(fields));
            output.Add((byte)name.Length);
            output.AddRange(Encoding.ASCII.GetBytes(name));
            output.AddRange(value);
        }
        return [.. output];
    }
}
