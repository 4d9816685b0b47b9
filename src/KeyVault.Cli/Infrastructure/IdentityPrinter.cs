using System.Text.Json;
using KeyVault.Keys;

namespace KeyVault.Cli.Infrastructure;

/// <summary>Prints a public identity as text or as the documented JSON object.</summary>
internal static class IdentityPrinter
{
    /// <summary>Writes the identity; JSON is one object on one line, nothing else.</summary>
    public static void Print(TextWriter output, SignerIdentity id, bool json, string? label = null)
    {
        if (json)
        {
            output.WriteLine(ToJson(id));
            return;
        }
        if (label is not null) output.WriteLine($"label          {label}");
        output.WriteLine($"public key     {id.PublicKey}");
        output.WriteLine($"fingerprint    {id.Fingerprint}");
        output.WriteLine($"mainnet        {id.MainnetAddress}");
        output.WriteLine($"testnet        {id.TestnetAddress}");
        output.WriteLine($"peer id        {id.PeerId}");
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
