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

    /// <summary>
    /// How errors name this share: as its sheet does ("share 3", "group 2, share 3": the member number), and where it
    /// came in the input ("given 2nd"), so a message never puts one number where the sheet prints another.
    /// </summary>
    public string Label
    {
        get
        {
            string name = GroupCount > 1 ? $"group {GroupIndex + 1}, share {MemberIndex + 1}" : $"share {MemberIndex + 1}";
            return Position > 0 ? $"{name} (given {Ordinal(Position)})" : name;
        }
    }

    internal static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };

    /// <summary>True when both are the same share: every field and the value (compared in constant time).</summary>
    public bool SameAs(Share other) =>
        Identifier == other.Identifier && Extendable == other.Extendable && IterationExponent == other.IterationExponent
        && GroupIndex == other.GroupIndex && GroupThreshold == other.GroupThreshold && GroupCount == other.GroupCount
        && MemberIndex == other.MemberIndex && MemberThreshold == other.MemberThreshold
        && CryptographicOperations.FixedTimeEquals(Value, other.Value);

    public void Dispose() => CryptographicOperations.ZeroMemory(Value);
}
