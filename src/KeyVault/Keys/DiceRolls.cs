using System.Security.Cryptography;
using KeyVault.Errors;

namespace KeyVault.Keys;

/// <summary>
/// Rolls of a fair six-sided die typed by the operator, kept in a wiped buffer. Each roll carries log2(6) ≈ 2.585 bits,
/// so <see cref="MinimumRolls"/> = 100 rolls carry ≈ 258 bits, at least the 256 bits of a key.
/// </summary>
public sealed class DiceRolls : IDisposable
{
    /// <summary>Rolls needed for at least 256 bits of entropy.</summary>
    public const int MinimumRolls = 100;

    private byte[] _rolls = GC.AllocateArray<byte>(128, pinned: true);

    /// <summary>How many rolls have been accepted.</summary>
    public int Count { get; private set; }

    /// <summary>Rolls still needed before <see cref="IsEnough"/>.</summary>
    public int Remaining => Math.Max(0, MinimumRolls - Count);

    /// <summary>True once at least <see cref="MinimumRolls"/> rolls are in.</summary>
    public bool IsEnough => Count >= MinimumRolls;

    /// <summary>
    /// Adds the rolls in <paramref name="text"/>: digits 1–6, with spaces, commas and line breaks ignored.
    /// Any other character rejects the whole line, so a typo is never half-accepted.
    /// </summary>
    public void Add(ReadOnlySpan<char> text)
    {
        int added = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ' ' or ',' or '\t' or '\r' or '\n') continue;
            if (c < '1' || c > '6') throw Error.DiceNotARoll(c, i + 1);
            added++;
        }
        EnsureCapacity(Count + added);
        foreach (char c in text)
            if (c >= '1' && c <= '6') _rolls[Count++] = (byte)c;
    }

    /// <summary>Throws unless enough rolls are in.</summary>
    public void RequireEnough()
    {
        if (!IsEnough) throw Error.DiceTooFew(Count, MinimumRolls);
    }

    internal ReadOnlySpan<byte> Span => _rolls.AsSpan(0, Count);

    private void EnsureCapacity(int needed)
    {
        if (needed <= _rolls.Length) return;
        var bigger = GC.AllocateArray<byte>(Math.Max(needed, _rolls.Length * 2), pinned: true);
        _rolls.AsSpan(0, Count).CopyTo(bigger);
        CryptographicOperations.ZeroMemory(_rolls);
        _rolls = bigger;
    }

    /// <summary>Wipes the rolls.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_rolls);
        Count = 0;
    }
}
