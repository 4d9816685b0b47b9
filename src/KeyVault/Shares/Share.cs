using System.Security.Cryptography;

namespace KeyVault.Shares;

/// <summary>
/// One decoded share inside the library: its fields as stored (indices 0-based, thresholds as counts) and its value
/// in a pinned buffer that <see cref="Dispose"/> wipes. <see cref="Position"/> is where it came in the input,
/// 1-based, so errors can name it; 0 means a share decoded on its own.
/// </summary>
internal sealed class Share : IDisposable
{
    public Share(int identifier, bool extendable, int iterationExponent, int groupIndex, int groupThreshold,
        int groupCount, int memberIndex, int memberThreshold, byte[] value, int position)
    {
        Identifier = identifier;
        Extendable = extendable;
        IterationExponent = iterationExponent;
        GroupIndex = groupIndex;
        GroupThreshold = groupThreshold;
        GroupCount = groupCount;
        MemberIndex = memberIndex;
        MemberThreshold = memberThreshold;
        Value = value;
        Position = position;
    }

    public int Identifier { get; }
    public bool Extendable { get; }
    public int IterationExponent { get; }
    /// <summary>The group's x coordinate, 0 to 15.</summary>
    public int GroupIndex { get; }
    public int GroupThreshold { get; }
    public int GroupCount { get; }
    /// <summary>The member's x coordinate, 0 to 15.</summary>
    public int MemberIndex { get; }
    public int MemberThreshold { get; }
    /// <summary>The share value (pinned; wiped on Dispose).</summary>
    public byte[] Value { get; }
    public int Position { get; }

    public ShareInfo Info => new(Identifier, Extendable, IterationExponent, GroupIndex + 1, GroupThreshold, GroupCount,
        MemberIndex + 1, MemberThreshold, Value.Length);

    /// <summary>How errors name this share: its input position and, once decoded, its group and member.</summary>
    public string Label
    {
        get
        {
            string where = GroupCount > 1 ? $"group {GroupIndex + 1}, member {MemberIndex + 1}" : $"member {MemberIndex + 1}";
            return Position > 0 ? $"share {Position} ({where})" : $"the share ({where})";
        }
    }

    /// <summary>True when both are the same share: every field and the value (compared in constant time).</summary>
    public bool SameAs(Share other) =>
        Identifier == other.Identifier && Extendable == other.Extendable && IterationExponent == other.IterationExponent
        && GroupIndex == other.GroupIndex && GroupThreshold == other.GroupThreshold && GroupCount == other.GroupCount
        && MemberIndex == other.MemberIndex && MemberThreshold == other.MemberThreshold
        && CryptographicOperations.FixedTimeEquals(Value, other.Value);

    public void Dispose() => CryptographicOperations.ZeroMemory(Value);
}
