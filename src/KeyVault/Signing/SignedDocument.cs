using System.Globalization;
using System.Reflection;

namespace KeyVault.Signing;

/// <summary>
/// What every signed document KeyVault writes (drill report, backup manifest, ceremony transcript) records the same
/// way: the name of its signature scheme and the version of the tool that wrote it.
/// </summary>
public static class SignedDocument
{
    /// <summary>Value of signature.scheme: a Stacks signed message over the canonical JSON (<see cref="StacksMessageSigning"/>).</summary>
    public const string SignatureScheme = "stacks-signed-message-rsv";

    /// <summary>How every document writes a time: UTC to the second, e.g. 2026-01-31T12:00:00Z.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary><paramref name="t"/> in <see cref="TimeFormat"/>.</summary>
    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a time written in <see cref="TimeFormat"/> exactly; false for any other form.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset value)
    {
        bool ok = DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt);
        value = ok ? new DateTimeOffset(dt, TimeSpan.Zero) : default;
        return ok;
    }

    /// <summary>This library's version, the value of tool.version: the informational version without build metadata.</summary>
    public static string ToolVersion
    {
        get
        {
            var info = typeof(SignedDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = info.IndexOf('+');
            return plus < 0 ? info : info[..plus];
        }
    }
}
