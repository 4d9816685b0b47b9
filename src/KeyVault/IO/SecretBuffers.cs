using System.Security.Cryptography;

namespace KeyVault.IO;

/// <summary>Helpers for secret text that has to pass through managed strings or char arrays.</summary>
internal static class SecretBuffers
{
    /// <summary>
    /// Overwrites the characters of a string that this process created and owns (never a literal or an interned
    /// string). Used where a library insists on a <see cref="string"/> — Unicode normalisation, TOML parsing —
    /// so the secret does not outlive its use in the heap.
    /// </summary>
    public static unsafe void WipeString(string? s)
    {
        if (string.IsNullOrEmpty(s) || string.IsInterned(s) is not null) return;
        fixed (char* p = s)
            new Span<char>(p, s.Length).Clear();
    }

    /// <summary>Zeroes a char array.</summary>
    public static void Wipe(char[]? chars)
    {
        if (chars is not null) Array.Clear(chars);
    }

    /// <summary>Zeroes a byte array.</summary>
    public static void Wipe(byte[]? bytes)
    {
        if (bytes is not null) CryptographicOperations.ZeroMemory(bytes);
    }
}
