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
