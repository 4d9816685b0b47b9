using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.IO;
using Tomlyn;
using Tomlyn.Model;

namespace KeyVault.Keys;

/// <summary>How to read a signer key.</summary>
public enum KeyInputFormat
{
    /// <summary>Decide from the content: bare hex, env file, or TOML config.</summary>
    Auto,
    /// <summary>64 hex characters, or 66 ending in 01.</summary>
    Hex,
    /// <summary>sBTC signer-config.toml: <c>[signer] private_key</c>.</summary>
    SbtcToml,
    /// <summary>stacks-signer config: top-level <c>stacks_private_key</c>.</summary>
    StacksToml,
    /// <summary>Environment file with a <c>SIGNER_SIGNER__PRIVATE_KEY=</c> line.</summary>
    Env,
}

/// <summary>How to write a signer key back out.</summary>
public enum KeyOutputFormat
{
    /// <summary>64 lowercase hex characters.</summary>
    Hex,
    /// <summary>66 lowercase hex characters: the key and the compressed marker 01 (stacks-signer's form).</summary>
    Stacks,
    /// <summary>A <c>[signer]</c> TOML table with <c>private_key</c>, for signer-config.toml.</summary>
    SbtcToml,
    /// <summary>A <c>SIGNER_SIGNER__PRIVATE_KEY=</c> line for an environment file.</summary>
    Env,
}

/// <summary>
/// Reads and writes signer keys in the exact forms the sBTC signer and stacks-signer accept.
/// All parsing of those forms lives here.
/// </summary>
public static class SignerKeyFormats
{
    /// <summary>The environment variable the sBTC signer reads its key from.</summary>
    public const string EnvVariable = "SIGNER_SIGNER__PRIVATE_KEY";

    /// <summary>Parses a key from file or stdin content (UTF-8). The caller wipes <paramref name="content"/>.</summary>
    public static SecretKey Import(ReadOnlySpan<byte> content, KeyInputFormat format = KeyInputFormat.Auto)
    {
        char[] chars;
        try
        {
            chars = new char[new UTF8Encoding(false, true).GetCharCount(content)];
        }
        catch (DecoderFallbackException)
        {
            throw Error.NotUtf8();
        }
        try
        {
            new UTF8Encoding(false, true).GetChars(content, chars);
            return Import(chars, format);
        }
        finally
        {
            SecretBuffers.Wipe(chars);
        }
    }

    /// <summary>Parses a key from text. The caller wipes <paramref name="text"/>.</summary>
    public static SecretKey Import(ReadOnlySpan<char> text, KeyInputFormat format = KeyInputFormat.Auto)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (format == KeyInputFormat.Auto)
        {
            if (text.IndexOfAny('=', '[') < 0 && CountBareKeyLines(text) is var keys and > 1)
                throw Error.SeveralKeys($"{keys} lines that each hold a key");
            format = Detect(text);
            if (format == KeyInputFormat.Env && HasTomlKeyLine(text))
                throw Error.SeveralKeys($"a {EnvVariable} line and a TOML private key");
        }
        return format switch
        {
            KeyInputFormat.Hex => ParseHex(TrimOneLineEnd(text)),
            KeyInputFormat.Env => ParseEnv(text),
            KeyInputFormat.SbtcToml or KeyInputFormat.StacksToml => ParseToml(text, format),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>Which reading <see cref="KeyInputFormat.Auto"/> chooses for this content.</summary>
    public static KeyInputFormat Detect(ReadOnlySpan<char> text)
    {
        // A lone value (possibly with stray spaces or blank lines, which ParseHex then names) is read as hex.
        if (text.IndexOfAny('=', '[') < 0 && text.Trim().IndexOfAny('\n', '\r') < 0) return KeyInputFormat.Hex;
        foreach (var line in text.EnumerateLines())
            if (EnvName(line, out _) is { } name && name.SequenceEqual(EnvVariable)) return KeyInputFormat.Env;
        return KeyInputFormat.SbtcToml; // TOML: both config shapes are searched
    }

    /// <summary>
    /// Applies the sBTC signer's rules to a key value: exactly 64 hex characters, or 66 whose last two are "01"
    /// (dropped); case-insensitive; no prefix, no whitespace; a scalar in [1, n-1].
    /// </summary>
    public static SecretKey ParseHex(ReadOnlySpan<char> value)
    {
        // A valid key takes one branch-free pass over its characters; only a value already known to be bad is looked
        // at character by character to say what is wrong with it.
        if (!Hex.IsHex(value))
        {
            if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) throw Error.KeyHexPrefix();
            foreach (var c in value)
                if (char.IsWhiteSpace(c)) throw Error.KeyWhitespace();
            if (value.Length != 64 && value.Length != 66) throw Error.KeyWrongLength(value.Length);
            for (int i = 0; i < value.Length; i++)
                if (!Hex.IsHex(value.Slice(i, 1))) throw Error.KeyNotHex(i + 1);
        }
        if (value.Length != 64 && value.Length != 66) throw Error.KeyWrongLength(value.Length);
        if (value.Length == 66 && !value[64..].SequenceEqual("01")) throw Error.KeyWrongSuffix();
        Span<byte> scalar = stackalloc byte[32];
        try
        {
            Hex.TryDecode(value[..64], scalar);
            return SecretKey.FromBytes(scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>Writes the key in a signer's format as UTF-8 text ending in a newline. The caller wipes the result.</summary>
    public static byte[] Export(SecretKey key, KeyOutputFormat format)
    {
        ReadOnlySpan<byte> prefix, suffix;
        switch (format)
        {
            case KeyOutputFormat.Hex: prefix = ""u8; suffix = "\n"u8; break;
            case KeyOutputFormat.Stacks: prefix = ""u8; suffix = "01\n"u8; break;
            case KeyOutputFormat.SbtcToml: prefix = "[signer]\nprivate_key = \""u8; suffix = "\"\n"u8; break;
            case KeyOutputFormat.Env: prefix = "SIGNER_SIGNER__PRIVATE_KEY="u8; suffix = "\n"u8; break;
            default: throw new ArgumentOutOfRangeException(nameof(format));
        }
        var output = new byte[prefix.Length + 64 + suffix.Length];
        prefix.CopyTo(output);
        Hex.EncodeAscii(key.Span, output.AsSpan(prefix.Length, 64));
        suffix.CopyTo(output.AsSpan(prefix.Length + 64));
        return output;
    }

    private static int CountBareKeyLines(ReadOnlySpan<char> text)
    {
        int count = 0;
        foreach (var line in text.EnumerateLines())
        {
            var t = line.Trim();
            if ((t.Length == 64 || t.Length == 66) && Hex.IsHex(t)) count++;
        }
        return count;
    }

    private static ReadOnlySpan<char> TrimOneLineEnd(ReadOnlySpan<char> text)
    {
        if (text.EndsWith("\r\n")) return text[..^2];
        if (text.EndsWith("\n")) return text[..^1];
        return text;
    }

    private static SecretKey ParseEnv(ReadOnlySpan<char> text)
    {
        int lineNumber = 0, found = 0, foundLine = 0;
        foreach (var line in text.EnumerateLines())
        {
            lineNumber++;
            if (EnvName(line, out _) is { } name && name.SequenceEqual(EnvVariable))
            {
                found++;
                foundLine = lineNumber;
            }
        }
        if (found == 0) throw Error.NoKeyFound("env file");
        if (found > 1) throw Error.SeveralKeys($"{found} {EnvVariable} lines");
        lineNumber = 0;
        foreach (var line in text.EnumerateLines())
        {
            if (++lineNumber != foundLine) continue;
            EnvName(line, out var rest);
            var value = rest.TrimEnd();
            if (value.Length > 0 && (value[0] == '"' || value[0] == '\''))
            {
                if (value.Length < 2 || value[^1] != value[0]) throw Error.MalformedEnvLine(lineNumber);
                value = value[1..^1];
            }
            return ParseHex(value);
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>For a line "[export ]NAME=rest", returns NAME and sets rest; otherwise null.</summary>
    private static ReadOnlySpan<char> EnvName(ReadOnlySpan<char> line, out ReadOnlySpan<char> rest)
    {
        rest = default;
        var t = line.TrimStart();
        if (t.StartsWith("export ") || t.StartsWith("export\t")) t = t[7..].TrimStart();
        int eq = t.IndexOf('=');
        if (eq <= 0) return null;
        var name = t[..eq].TrimEnd();
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return null;
        rest = t[(eq + 1)..].TrimStart();
        return name;
    }

    // A file with both an env line and a TOML key would be read as an env file and the TOML key ignored.
    private static bool HasTomlKeyLine(ReadOnlySpan<char> text)
    {
        foreach (var line in text.EnumerateLines())
            if (EnvName(line, out _) is { } name && (name.SequenceEqual("private_key") || name.SequenceEqual("stacks_private_key")))
                return true;
        return false;
    }

    private static SecretKey ParseToml(ReadOnlySpan<char> text, KeyInputFormat format)
    {
        // Tomlyn parses strings only; the copy is wiped as soon as the key value has been taken out.
        string source = new(text);
        TomlTable? table = null;
        try
        {
            try
            {
                // TOML forbids a key or a table defined twice; Tomlyn's model reader keeps the last one, which would
                // silently choose between two keys, so the syntax is validated first.
                Tomlyn.Parsing.SyntaxParser.ParseStrict(source, "config", validate: true);
                table = TomlModel.Read(source, strict: true);
            }
            catch (TomlException ex)
            {
                throw Error.MalformedToml(ex.Line ?? 0, ex.Column ?? 0);
            }
            if (table is null) throw Error.NoKeyFound("TOML file");

            string? sbtc = null, stacks = null;
            bool hasSbtc = table.TryGetValue("signer", out var signer) && signer is TomlTable st
                           && st.TryGetValue("private_key", out var v1) && (sbtc = v1 as string ?? throw Error.KeyNotString("[signer] private_key")) is not null;
            bool hasStacks = table.TryGetValue("stacks_private_key", out var v2)
                             && (stacks = v2 as string ?? throw Error.KeyNotString("stacks_private_key")) is not null;
            try
            {
                if (hasSbtc && hasStacks) throw Error.SeveralKeys("[signer] private_key and stacks_private_key");
                string? value = format switch
                {
                    KeyInputFormat.StacksToml => stacks,
                    _ when hasSbtc => sbtc,
                    _ => stacks,
                };
                if (value is null) throw Error.NoKeyFound(format == KeyInputFormat.StacksToml ? "stacks-signer config" : "TOML file");
                return ParseHex(value);
            }
            finally
            {
                SecretBuffers.WipeString(sbtc);
                SecretBuffers.WipeString(stacks);
            }
        }
        finally
        {
            SecretBuffers.WipeString(source);
        }
    }
}
