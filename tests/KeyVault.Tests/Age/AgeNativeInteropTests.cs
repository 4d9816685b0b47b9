using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KeyVault.Age;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Age;

/// <summary>
/// Interoperability for the recipient types the stock age tool of Debian does not know, against npm age-encryption
/// (tests/interop/age-peer.mjs): files KeyVault seals to p256tag, piv-p256 and hybrid recipients made by the peer open
/// there (the p256tag and piv-p256 identities are software keys written from the published algorithms), and files the
/// peer seals to a KeyVault hybrid identity open in KeyVault, binary and armored. Skips locally without Node.js and
/// the packages, fails in CI.
/// </summary>
public sealed class AgeNativeInteropTests
{
    private static JsonNode Peer(object request) => AgePeer.Run(request);

    [Theory]
    [InlineData("tag", "p256tag")]
    [InlineData("yubikey", "piv-p256")]
    [InlineData("hybrid", "mlkem768x25519")]
    public void What_KeyVault_seals_opens_in_age_encryption(string type, string stanza)
    {
        var key = Peer(new { op = "keygen", type });
        var recipient = AgeRecipient.Parse((string)key["recipient"]!);
        Assert.Equal(stanza, recipient.StanzaType);
        foreach (var size in new[] { 0, 1, 600, 65536, 65537 })
        {
            var plaintext = RandomNumberGenerator.GetBytes(size);
            foreach (var armor in new[] { false, true })
            {
                var file = AgeEncryptor.Encrypt(plaintext, [recipient], armor);
                var (opened, first) = AgePeer.Open(type, (string)key["identity"]!, file);
                Assert.Equal(plaintext, opened);
                Assert.Equal(stanza, first);
            }
        }
    }

    [Fact]
    public void The_peers_software_tag_identity_opens_what_age_encryption_itself_seals_to_a_tag_recipient()
    {
        // age-encryption seals to age1tag1 recipients but has no identity for them: this checks the test identity of
        // age-peer.mjs against age-encryption's own sealing, so the test above does not rest on that identity alone.
        var key = Peer(new { op = "keygen", type = "tag" });
        var plaintext = RandomNumberGenerator.GetBytes(100);
        var sealedFile = Peer(new { op = "encrypt", recipients = new[] { (string)key["recipient"]! }, plaintext = Convert.ToBase64String(plaintext), armor = false });
        var (opened, first) = AgePeer.Open("tag", (string)key["identity"]!, Convert.FromBase64String((string)sealedFile["file"]!));
        Assert.Equal(plaintext, opened);
        Assert.Equal("p256tag", first);
        Assert.Equal(AgeAddressing.TagMatches, AgeFile.Inspect(Convert.FromBase64String((string)sealedFile["file"]!)).AddressedTo(AgeRecipient.Parse((string)key["recipient"]!)));
    }

    [Fact]
    public void A_file_age_encryption_seals_to_a_KeyVault_hybrid_identity_opens_in_KeyVault()
    {
        using var session = AgeIdentity.GenerateHybrid();
        foreach (var armor in new[] { false, true })
        {
            var plaintext = RandomNumberGenerator.GetBytes(700);
            var sealedFile = Peer(new { op = "encrypt", recipients = new[] { session.Recipient.Text }, plaintext = Convert.ToBase64String(plaintext), armor });
            var file = Convert.FromBase64String((string)sealedFile["file"]!);
            Assert.Equal(armor, AgeFile.IsArmored(file));
            using var opened = AgeDecryptor.Decrypt(file, session);
            Assert.Equal(plaintext, opened.Span.ToArray());
        }
    }

    [Fact]
    public void A_KeyVault_hybrid_identity_is_an_age_identity_and_the_peer_derives_the_same_recipient()
    {
        using var session = AgeIdentity.GenerateHybrid();
        var secret = session.ExportSecretKey();
        try
        {
            var file = AgeEncryptor.Encrypt("returned share"u8, [session.Recipient], armor: true);
            var (opened, _) = AgePeer.Open("hybrid", Encoding.ASCII.GetString(secret), file);
            Assert.Equal("returned share", Encoding.ASCII.GetString(opened));
            var derived = Peer(new { op = "recipient", identity = Encoding.ASCII.GetString(secret) });
            Assert.Equal(session.Recipient.Text, (string)derived["recipient"]!);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
