using System.Text.Json.Nodes;

namespace KeyVault.Tests.Support;

/// <summary>
/// tests/interop/age-peer.mjs: npm age-encryption with software identities for the hardware stanza types. One JSON
/// request in, one JSON answer out; skips locally without Node.js or the package, fails in CI.
/// </summary>
internal static class AgePeer
{
    public static JsonNode Run(object request) => NodePeer.Run("age-peer.mjs", "age-encryption", request);

    /// <summary>
    /// Opens <paramref name="file"/> in the peer with an identity of <paramref name="type"/> (tag, yubikey or hybrid);
    /// returns the plaintext and the stanza type the file's first stanza has.
    /// </summary>
    public static (byte[] Plaintext, string FirstStanza) Open(string type, string identity, byte[] file)
    {
        var opened = Run(new { op = "decrypt", identity = new { type, identity }, file = Convert.ToBase64String(file) });
        return (Convert.FromBase64String((string)opened["plaintext"]!), (string)opened["stanzas"]![0]![0]!);
    }
}
