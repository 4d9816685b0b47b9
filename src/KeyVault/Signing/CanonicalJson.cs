using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KeyVault.Signing;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785) for the values a drill report holds: objects with members sorted by
/// the UTF-16 code units of their names, no whitespace, strings escaped as ECMAScript's JSON.stringify does, and
/// numbers limited to integers of magnitude below 2^53 (which JCS writes as plain decimal). Anything outside that
/// subset — other numbers, duplicate member names, lone surrogates — is refused rather than guessed at.
/// </summary>
internal static class CanonicalJson
{
    private const double MaxSafeInteger = 9007199254740991; // 2^53 - 1

    /// <summary>The canonical UTF-8 bytes of <paramref name="value"/>, skipping top-level members named in <paramref name="omit"/>.</summary>
    /// <exception cref="FormatException">The value is outside the supported subset; the message says why.</exception>
    public static byte[] Serialize(JsonElement value, params string[] omit)
    {
        var sb = new StringBuilder();
        try
        {
            Write(sb, value, omit);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to decode an escaped lone surrogate (in a name or a value); I-JSON forbids them.
            throw new FormatException("a string holds a lone UTF-16 surrogate");
        }
        return new UTF8Encoding(false, true).GetBytes(sb.ToString());
    }

    private static void Write(StringBuilder sb, JsonElement value, string[] omit)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in value.EnumerateObject())
                {
                    if (!seen.Add(p.Name)) throw new FormatException($"member \"{p.Name}\" appears twice");
                    if (Array.IndexOf(omit, p.Name) < 0) members.Add((p.Name, p.Value));
                }
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                sb.Append('{');
                for (int i = 0; i < members.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteString(sb, members[i].Name);
                    sb.Append(':');
                    Write(sb, members[i].Value, []);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                bool first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(sb, item, []);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, value.GetString()!);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var d) || Math.Floor(d) != d || Math.Abs(d) > MaxSafeInteger)
                    throw new FormatException($"the number {value.GetRawText()} is not an integer below 2^53");
                sb.Append(((long)d).ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            default:
                throw new FormatException($"unexpected JSON value kind {value.ValueKind}");
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
                continue;
            }
            if (char.IsSurrogate(c)) throw new FormatException("a string holds a lone UTF-16 surrogate");
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
