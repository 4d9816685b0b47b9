using System.Text.Json;

namespace KeyVault.Keys;

/// <summary>A public identity as the operator reads it (aligned lines), or as the documented JSON object.</summary>
internal static class IdentityText
{
    /// <summary>The identity as aligned lines: label (if any), public key, fingerprint, both addresses, PeerId.</summary>
    public static IReadOnlyList<string> Lines(SignerIdentity id, string? label = null)
    {
        var lines = new List<string>();
        if (label is not null) lines.Add($"label          {label}");
        lines.Add($"public key     {id.PublicKey}");
        lines.Add($"fingerprint    {id.Fingerprint}");
        lines.Add($"mainnet        {id.MainnetAddress}");
        lines.Add($"testnet        {id.TestnetAddress}");
        lines.Add($"peer id        {id.PeerId}");
        return lines;
    }

    /// <summary>Writes the identity; JSON is one object on one line, nothing else.</summary>
    public static void Print(TextWriter output, SignerIdentity id, bool json, string? label = null)
    {
        if (json)
        {
            output.WriteLine(ToJson(id));
            return;
        }
        foreach (var line in Lines(id, label)) output.WriteLine(line);
    }

    /// <summary>{"publicKey","fingerprint","stacksAddress":{"mainnet","testnet"},"peerId"}.</summary>
    public static string ToJson(SignerIdentity id)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            id.WriteJson(w);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
