using System.Security.Cryptography;
using System.Text;
using KeyVault.Errors;
using KeyVault.Text;

namespace KeyVault.IO;

/// <summary>
/// A passphrase as the formats consume it: Unicode NFC, encoded UTF-8, in a pinned buffer wiped on Dispose.
/// </summary>
public sealed class Passphrase : IDisposable
{
    /// <summary>Longest passphrase accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 1024;

    private readonly byte[] _utf8;

    private Passphrase(byte[] utf8) => _utf8 = utf8;

    /// <summary>The NFC UTF-8 bytes; valid until Dispose.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>Normalises typed characters to NFC and encodes them. The caller wipes <paramref name="chars"/>.</summary>
    public static Passphrase FromChars(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) throw Empty();
        // Normalised straight into a pinned buffer that is wiped: no string, no builder, no copy the collector can move.
        var nfc = GC.AllocateArray<char>(UnicodeNfc.MaxNormalizedLength(chars.Length), pinned: true);
        try
        {
            int length;
            try
            {
                length = UnicodeNfc.Normalize(chars, nfc);
            }
            catch (ArgumentException)
            {
                throw new KeyVaultException(ErrorKind.BadInput, "the passphrase contains invalid Unicode (a lone surrogate)",
                    "type the passphrase again");
            }
            var strict = new UTF8Encoding(false, true);
            var text = nfc.AsSpan(0, length);
            int count = strict.GetByteCount(text);
            if (count > MaxBytes) throw TooLong();
            var bytes = GC.AllocateArray<byte>(count, pinned: true);
            strict.GetBytes(text, bytes);
            return new Passphrase(bytes);
        }
        finally
        {
            SecretBuffers.Wipe(nfc);
        }
    }

    /// <summary>
    /// Reads a passphrase file's bytes: strict UTF-8, one trailing line ending ("\n" or "\r\n") removed, then NFC.
    /// The caller wipes <paramref name="content"/>.
    /// </summary>
    public static Passphrase FromFileContent(ReadOnlySpan<byte> content)
    {
        if (content.EndsWith("\r\n"u8)) content = content[..^2];
        else if (content.EndsWith("\n"u8)) content = content[..^1];
        if (content.IsEmpty) throw Empty();
        if (content.Length > MaxBytes * 4) throw TooLong();
        var strict = new UTF8Encoding(false, true);
        char[] chars;
        try
        {
            chars = new char[strict.GetCharCount(content)];
        }
        catch (DecoderFallbackException)
        {
            throw new KeyVaultException(ErrorKind.BadInput, "the passphrase file is not valid UTF-8",
                "save the passphrase as UTF-8 text");
        }
        try
        {
            strict.GetChars(content, chars);
            return FromChars(chars);
        }
        finally
        {
            SecretBuffers.Wipe(chars);
        }
    }

    /// <summary>True when both hold the same bytes (constant time).</summary>
    public bool SameAs(Passphrase other) => CryptographicOperations.FixedTimeEquals(_utf8, other._utf8);

    /// <summary>Wipes the passphrase.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_utf8);

    /// <inheritdoc />
    public override string ToString() => "Passphrase(hidden)";

    private static KeyVaultException Empty() => new(ErrorKind.BadInput, "the passphrase is empty",
        "a key file needs a passphrase; give a non-empty one");

    private static KeyVaultException TooLong() => new(ErrorKind.BadInput,
        $"the passphrase is longer than {MaxBytes} bytes", "use a shorter passphrase");
}
