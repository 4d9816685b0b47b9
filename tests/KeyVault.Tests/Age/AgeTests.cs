using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Age;

/// <summary>The age layer on its own: keys, round trips, and every way a sealed file can be damaged.</summary>
public sealed class AgeTests
{
    // The example key pair of the age specification: the identity is 32 bytes of 0x42.
    private const string SpecSecretKey = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
    private const string SpecRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

    private static AgeFailure FailureOf(Action action) => Assert.Throws<AgeException>(action).Failure;

    private static AgeFailure Open(byte[] file, AgeIdentity identity) => FailureOf(() => AgeDecryptor.Decrypt(file, identity).Dispose());

    [Fact]
    public void SpecificationExampleKeyPair()
    {
        using var id = AgeIdentity.ParseSecretKey(Encoding.ASCII.GetBytes(SpecSecretKey));
        Assert.Equal(SpecRecipient, id.Recipient.Text);
        var exported = id.ExportSecretKey();
        Assert.Equal(SpecSecretKey, Encoding.ASCII.GetString(exported));
        Assert.Equal(AgeRecipient.Parse(SpecRecipient), id.Recipient);
        Assert.Equal(AgeRecipient.Parse(SpecRecipient.ToUpperInvariant()), id.Recipient);
        using var lower = AgeIdentity.ParseSecretKey(Encoding.ASCII.GetBytes(SpecSecretKey.ToLowerInvariant()));
        Assert.Equal(id.Recipient, lower.Recipient);
    }

    [Theory]
    [InlineData("A12UEL5L", "a", "")]
    [InlineData("a12uel5l", "a", "")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef", "00443214c74254b635cf84653a56d7c675be77df")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "split", "c5f38b70305f519bf66d85fb6cf03058f3dde463ecd7918f2dc743918f2d")]
    public void Bech32ValidVectors(string text, string hrp, string hex)
    {
        var data = new byte[hex.Length / 2];
        Assert.True(Bech32.TryDecode(Encoding.ASCII.GetBytes(text), hrp, data));
        Assert.Equal(hex, Convert.ToHexStringLower(data));
        Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeToString(hrp, data));
    }

    [Theory]
    [InlineData("a12UEL5L", "a", 0)]   // mixed case
    [InlineData("A1G7SGD8", "a", 0)]   // checksum computed over the uppercase prefix
    [InlineData("pzry9x0s0muk", "pzry9x0s0muk", 0)] // no separator
    [InlineData("x1b4n0q5v", "x", 0)]  // 'b' is not in the alphabet
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef", 19)] // wrong length
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", "abcdef", 20)] // one character changed
    public void Bech32InvalidInputsAreRejected(string text, string hrp, int length) =>
        Assert.False(Bech32.TryDecode(Encoding.ASCII.GetBytes(text), hrp, new byte[length]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(3 * 65536)]
    public void RoundTripAtChunkBoundaries(int size)
    {
        using var id = AgeIdentity.Generate();
        var plain = RandomNumberGenerator.GetBytes(size);
        foreach (bool armor in new[] { false, true })
        {
            var sealedFile = AgeEncryptor.Encrypt(plain, [id.Recipient], armor);
            using var opened = AgeDecryptor.Decrypt(sealedFile, id);
            Assert.Equal(plain, opened.Span.ToArray());
            var info = AgeFile.Inspect(sealedFile);
            Assert.Equal(armor, info.Armored);
            Assert.Equal(size, info.PlaintextLength);
        }
    }

    [Fact]
    public void ArmorIsCanonicalPem()
    {
        using var id = AgeIdentity.Generate();
        var text = Encoding.ASCII.GetString(AgeEncryptor.Encrypt(new byte[500], [id.Recipient], armor: true));
        var lines = text.Split('\n');
        Assert.Equal("-----BEGIN AGE ENCRYPTED FILE-----", lines[0]);
        Assert.Equal("-----END AGE ENCRYPTED FILE-----", lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.All(lines[1..^3], l => Assert.Equal(64, l.Length));
        Assert.InRange(lines[^3].Length, 1, 64);
    }

    [Fact]
    public void WrongIdentityIsNoMatch()
    {
        using var ours = AgeIdentity.Generate();
        using var other = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt("secret"u8, [ours.Recipient], armor: false);
        var ex = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(file, other));
        Assert.Equal(AgeFailure.NoMatch, ex.Failure);
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
    }

    [Fact]
    public void TamperedHeader()
    {
        using var id = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt("secret"u8, [id.Recipient], armor: false);
        int macLine = file.AsSpan().IndexOf("\n--- "u8) + 5;

        // A different but canonical MAC: the identity unwraps the key, the MAC does not verify.
        var badMac = (byte[])file.Clone();
        badMac[macLine] = badMac[macLine] == (byte)'A' ? (byte)'B' : (byte)'A';
        Assert.Equal(AgeFailure.Hmac, Open(badMac, id));

        // A changed wrapped key no longer authenticates under this identity.
        int body = file.AsSpan().IndexOf("\n"u8) + 1;
        body += file.AsSpan(body).IndexOf("\n"u8) + 1;
        var badBody = (byte[])file.Clone();
        badBody[body] = badBody[body] == (byte)'A' ? (byte)'B' : (byte)'A';
        Assert.Equal(AgeFailure.NoMatch, Open(badBody, id));

        // A stray CR makes the header unparseable.
        var crlf = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(file, 0, macLine).Replace("\n", "\r\n"));
        Assert.Equal(AgeFailure.Header, Open([.. crlf, .. file.AsSpan(macLine)], id));
    }

    [Fact]
    public void SecondStanzaThatIsNotOurs_InsertedAfterSealing_FailsTheMac()
    {
        using var ours = AgeIdentity.Generate();
        using var attacker = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt("secret"u8, [ours.Recipient], armor: false);
        var foreign = AgeEncryptor.Encrypt("other"u8, [attacker.Recipient], armor: false);
        // Lift the attacker's stanza (its arrow line and body line) into our header, before the MAC line.
        var foreignText = Encoding.Latin1.GetString(foreign);
        int start = foreignText.IndexOf("\n-> ", StringComparison.Ordinal) + 1;
        int end = foreignText.IndexOf("\n---", StringComparison.Ordinal) + 1;
        var text = Encoding.Latin1.GetString(file);
        int mac = text.IndexOf("\n---", StringComparison.Ordinal) + 1;
        var spliced = Encoding.Latin1.GetBytes(text[..mac] + foreignText[start..end] + text[mac..]);
        Assert.Equal(2, AgeFile.Inspect(spliced).Stanzas.Count);
        Assert.Equal(AgeFailure.Hmac, Open(spliced, ours));
    }

    [Fact]
    public void TamperedPayloadFailsAuthentication()
    {
        using var id = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt(new byte[100], [id.Recipient], armor: false);
        var bad = (byte[])file.Clone();
        bad[^20] ^= 1;
        Assert.Equal(AgeFailure.Payload, Open(bad, id));
        Assert.Equal(AgeFailure.Payload, Open([.. file, 0], id));
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        using var id = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt(new byte[40], [id.Recipient], armor: false);
        int headerLength = file.AsSpan().IndexOf("\n--- "u8) + 1 + 48;
        for (int n = 0; n < file.Length; n++)
        {
            var failure = Open(file[..n], id);
            // Cut inside the header or the nonce: a header failure; anywhere in the chunk: a payload failure.
            Assert.Equal(n < headerLength + AgePayload.NonceLength ? AgeFailure.Header : AgeFailure.Payload, failure);
        }
    }

    [Fact]
    public void EveryBitFlipIsRejected()
    {
        using var id = AgeIdentity.Generate();
        foreach (bool armor in new[] { false, true })
        {
            var file = AgeEncryptor.Encrypt("a share file"u8, [id.Recipient], armor);
            for (int bit = 0; bit < file.Length * 8; bit++)
            {
                var flipped = (byte[])file.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                try
                {
                    AgeDecryptor.Decrypt(flipped, id).Dispose();
                    Assert.Fail($"a flip of bit {bit} (armor {armor}) went unnoticed");
                }
                catch (AgeException)
                {
                }
            }
        }
    }

    [Theory]
    [InlineData("rewrapped at 76 columns")]
    [InlineData("padding removed")]
    [InlineData("a blank line after BEGIN")]
    [InlineData("mixed line endings")]
    [InlineData("text after END")]
    [InlineData("text before BEGIN")]
    [InlineData("lowercase label")]
    [InlineData("space at a line end")]
    public void NonCanonicalArmorIsRejected(string change)
    {
        using var id = AgeIdentity.Generate();
        var text = Encoding.ASCII.GetString(AgeEncryptor.Encrypt(new byte[101], [id.Recipient], armor: true));
        var lines = text.TrimEnd('\n').Split('\n');
        var base64 = string.Concat(lines[1..^1]);
        string bad = change switch
        {
            "rewrapped at 76 columns" => lines[0] + "\n" + string.Join("\n", base64.Chunk(76).Select(c => new string(c))) + "\n" + lines[^1] + "\n",
            "padding removed" => text.Replace("=", ""),
            "a blank line after BEGIN" => text.Replace("-----\n", "-----\n\n", StringComparison.Ordinal).Replace("-----\n\n-----END", "-----\n-----END"),
            "mixed line endings" => lines[0] + "\r\n" + string.Join("\n", lines[1..]) + "\n",
            "text after END" => text + "garbage\n",
            "text before BEGIN" => "garbage\n" + text,
            "lowercase label" => text.Replace("AGE ENCRYPTED FILE", "age encrypted file"),
            "space at a line end" => text.Replace("\n" + lines[2], " \n" + lines[2]),
            _ => throw new ArgumentException(change),
        };
        Assert.NotEqual(text, bad);
        Assert.Equal(AgeFailure.Armor, FailureOf(() => AgeDecryptor.Decrypt(Encoding.ASCII.GetBytes(bad), id).Dispose()));
    }

    [Fact]
    public void ArmorToleratesCrlfAndSurroundingWhitespace()
    {
        using var id = AgeIdentity.Generate();
        var text = Encoding.ASCII.GetString(AgeEncryptor.Encrypt("x"u8, [id.Recipient], armor: true));
        foreach (var variant in new[] { text.Replace("\n", "\r\n"), " \n\t" + text + "\n\n ", text.TrimEnd('\n') })
        {
            using var opened = AgeDecryptor.Decrypt(Encoding.ASCII.GetBytes(variant), id);
            Assert.Equal("x"u8.ToArray(), opened.Span.ToArray());
        }
    }

    [Fact]
    public void SecretsAreWipedOnDispose()
    {
        var id = AgeIdentity.Generate();
        var opened = AgeDecryptor.Decrypt(AgeEncryptor.Encrypt("secret"u8, [id.Recipient], false), id);
        Assert.False(opened.IsWiped);
        Assert.DoesNotContain("secret", opened.ToString());
        opened.Dispose();
        Assert.True(opened.IsWiped);
        Assert.Throws<ObjectDisposedException>(() => opened.Span.Length);

        Assert.DoesNotContain("AGE-SECRET-KEY", id.ToString());
        Assert.False(id.IsWiped);
        id.Dispose();
        Assert.True(id.IsWiped);
        Assert.Throws<ObjectDisposedException>(() => id.ExportSecretKey());
    }

    [Theory]
    [InlineData(SpecSecretKey, "secret key")]
    [InlineData("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwk", "Bech32")]
    [InlineData("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ", "Bech32")]
    [InlineData("age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5", "not valid Bech32 of 1216 bytes")]
    [InlineData("age1yubikey1qds33lxxw9gaj82vqedjulgtedqeqxhv3tnu5f28zq3lpwpp25j4u9fu8kq", "not valid Bech32 of a 33-byte")]
    [InlineData("age1fido1qds33lxxw9gaj82vqedjulgtedqeqxhv3tnu5f28zq3lpwpp25j4u9fu8kg", "plugin fido")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host", "ssh-ed25519 keys are")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr=", "canonical base64")]
    [InlineData("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ==", "does not hold an ssh-ed25519 key")]
    [InlineData("ssh-ed25519", "no key")]
    [InlineData("hello", "starts neither")]
    public void MalformedRecipientsAreRejected(string text, string expected)
    {
        var ex = Assert.Throws<KeyVaultException>(() => AgeRecipient.Parse(text));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void LowOrderRecipientIsRejected()
    {
        // u = 0 is a point of order 2 (and 32 zero bytes are valid Bech32).
        var ex = Assert.Throws<KeyVaultException>(() => AgeRecipient.Parse(Bech32.EncodeToString("age", new byte[32])));
        Assert.Contains("low-order", ex.Message);
    }

    [Fact]
    public void SshRecipientParsesWithComment()
    {
        var r = AgeRecipient.Parse("  ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr test@picky.com \n");
        Assert.Equal(AgeRecipientType.SshEd25519, r.Type);
        Assert.Equal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr", r.Text);
        Assert.Equal("test@picky.com", r.Comment);
        Assert.Equal(r, AgeRecipient.Parse(r.Text));
        Assert.NotNull(r.SshTag);
        Assert.Equal(6, r.SshTag!.Length);
    }

    [Fact]
    public void NoRecipientsIsRejected() =>
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => AgeEncryptor.Encrypt("x"u8, [], false)).Kind);

    [Fact]
    public void InspectTellsWhichRecipientAFileIsFor()
    {
        using var x = AgeIdentity.Generate();
        var ssh = AgeRecipient.Parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr");
        var otherSsh = SshRecipientFromSeed(7);

        var toSsh = AgeFile.Inspect(AgeEncryptor.Encrypt("x"u8, [ssh], false));
        Assert.Equal("ssh-ed25519", Assert.Single(toSsh.Stanzas).Type);
        Assert.Equal(AgeAddressing.TagMatches, toSsh.AddressedTo(ssh));
        Assert.Equal(AgeAddressing.NotAddressed, toSsh.AddressedTo(otherSsh));
        Assert.Equal(AgeAddressing.NotAddressed, toSsh.AddressedTo(x.Recipient));

        var toX = AgeFile.Inspect(AgeEncryptor.Encrypt("x"u8, [x.Recipient], true));
        Assert.Equal("X25519", Assert.Single(toX.Stanzas).Type);
        Assert.Equal(AgeAddressing.CannotTell, toX.AddressedTo(x.Recipient));
        Assert.Equal(AgeAddressing.NotAddressed, toX.AddressedTo(ssh));
    }

    private static AgeRecipient SshRecipientFromSeed(byte fill)
    {
        var seed = Enumerable.Repeat(fill, 32).ToArray();
        var edPublic = new byte[32];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(seed, edPublic);
        return AgeRecipient.Parse("ssh-ed25519 " + Convert.ToBase64String(OpenSsh.Blob(edPublic)));
    }

    [Fact]
    public void InspectRejectsMalformedFiles()
    {
        using var id = AgeIdentity.Generate();
        var file = AgeEncryptor.Encrypt(new byte[10], [id.Recipient], false);
        Assert.Equal(AgeFailure.Payload, FailureOf(() => AgeFile.Inspect(file[..^11])));
        Assert.Equal(AgeFailure.Header, FailureOf(() => AgeFile.Inspect(file[..^42])));
        Assert.Equal(AgeFailure.Header, FailureOf(() => AgeFile.Inspect("not an age file"u8)));
        Assert.Equal(AgeFailure.Armor, FailureOf(() => AgeFile.Inspect("-----BEGIN AGE ENCRYPTED FILE-----\nxx"u8)));
    }

    [Fact]
    public void IdentityFileWithCommentsAndSeveralKeys()
    {
        var content = Encoding.ASCII.GetBytes($"# created: 2026-01-01T00:00:00Z\r\n# public key: {SpecRecipient}\r\n{SpecSecretKey}\r\n\n{SpecSecretKey.ToLowerInvariant()}\n");
        var ids = AgeIdentity.ParseFile(content, "keys.txt");
        Assert.Equal(2, ids.Count);
        Assert.All(ids, i => Assert.Equal(SpecRecipient, i.Recipient.Text));
        foreach (var i in ids) i.Dispose();

        var ex = Assert.Throws<KeyVaultException>(() => AgeIdentity.ParseFile("# only a comment\n"u8, "keys.txt"));
        Assert.Contains("keys.txt", ex.Message);
        ex = Assert.Throws<KeyVaultException>(() => AgeIdentity.ParseFile(Encoding.ASCII.GetBytes("# c\n" + SpecSecretKey[..^1] + "Y\n"), "keys.txt"));
        Assert.Contains("line 2 of keys.txt", ex.Message);
        Assert.DoesNotContain(SpecSecretKey[20..40], ex.Message);
    }

    [Fact]
    public void PassphraseProtectedOpenSshKeyIsRefusedClearly()
    {
        var sshKeygen = External.RequireTool("ssh-keygen", "openssh-client");
        using var dir = new TempDir();
        var run = External.Run(sshKeygen, "-q", "-t", "ed25519", "-N", "correct horse", "-f", dir.File("id"));
        Assert.Equal(0, run.ExitCode);
        var ex = Assert.Throws<KeyVaultException>(() => AgeIdentity.ParseFile(File.ReadAllBytes(dir.File("id")), "id"));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("passphrase-protected", ex.Message);
    }

    [Fact]
    public void ErrorMessagesNameNoCommandLineFlag()
    {
        foreach (var m in typeof(AgeError).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            var args = m.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)1 : "x").ToArray();
            var ex = (KeyVaultException)m.Invoke(null, args)!;
            Assert.DoesNotContain(" --", ex.Message + " " + ex.Hint);
            Assert.DoesNotContain("keyvault ", ex.Message + " " + ex.Hint);
        }
    }
}
