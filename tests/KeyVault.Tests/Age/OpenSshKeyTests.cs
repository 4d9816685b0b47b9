using System.Buffers.Binary;
using System.Text;
using KeyVault.Age;
using KeyVault.Errors;
using KeyVault.Tests.Support;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace KeyVault.Tests.Age;

/// <summary>
/// The OpenSSH private key reader on keys built field by field (PROTOCOL.key), checked against ssh-keygen: the
/// intact key is one ssh-keygen accepts, and each damaged variant is rejected with a reason.
/// </summary>
public sealed class OpenSshKeyTests
{
    private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static byte[] Str(ReadOnlySpan<byte> s)
    {
        var b = new byte[4 + s.Length];
        BinaryPrimitives.WriteInt32BigEndian(b, s.Length);
        s.CopyTo(b.AsSpan(4));
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    /// <summary>An openssh-key-v1 file for <see cref="Seed"/>, with hooks to damage single fields.</summary>
    private static byte[] KeyFile(string cipher = "none", uint check2 = 0x11223344, bool badPadding = false, bool wrongSeed = false, string keyType = "ssh-ed25519")
    {
        var pub = new byte[32];
        Ed25519.GeneratePublicKey(Seed, pub);
        var seed = (byte[])Seed.Clone();
        if (wrongSeed) seed[0] ^= 1;
        var wirePublic = OpenSsh.Blob(pub);
        byte[] section = [.. U32(0x11223344), .. U32(check2), .. Str(Encoding.ASCII.GetBytes(keyType)), .. Str(pub), .. Str([.. seed, .. pub]), .. Str("test@example"u8)];
        var padded = new List<byte>(section);
        for (byte i = 1; padded.Count % 8 != 0; i++) padded.Add(badPadding ? (byte)0 : i);
        byte[] blob = [.. "openssh-key-v1\0"u8, .. Str(Encoding.ASCII.GetBytes(cipher)), .. Str(Encoding.ASCII.GetBytes(cipher == "none" ? "none" : "bcrypt")),
            .. Str(cipher == "none" ? [] : new byte[24]), .. U32(1), .. Str(wirePublic), .. Str(padded.ToArray())];
        var b64 = Convert.ToBase64String(blob);
        var text = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int at = 0; at < b64.Length; at += 70) text.Append(b64, at, Math.Min(70, b64.Length - at)).Append('\n');
        text.Append("-----END OPENSSH PRIVATE KEY-----\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    [Fact]
    public void IntactKeyIsAcceptedByBothSshKeygenAndKeyVault()
    {
        var sshKeygen = External.RequireTool("ssh-keygen", "openssh-client");
        using var dir = new TempDir();
        var path = dir.File("id_ed25519");
        File.WriteAllBytes(path, KeyFile());
        // ssh-keygen refuses private keys that others can read.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var run = External.Run(sshKeygen, "-y", "-f", path);
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var identity = AgeIdentity.FromOpenSsh(File.ReadAllBytes(path), "id_ed25519");
        Assert.Equal(AgeRecipient.Parse(run.Stdout.Trim()), identity.Recipient);
        using var opened = AgeDecryptor.Decrypt(AgeEncryptor.Encrypt("x"u8, [identity.Recipient], false), identity);
        Assert.Equal("x"u8.ToArray(), opened.Span.ToArray());
    }

    [Theory]
    [InlineData("cipher", "passphrase-protected")]
    [InlineData("check", "check numbers differ")]
    [InlineData("padding", "padding")]
    [InlineData("seed", "does not match its public key")]
    [InlineData("type", "does not hold the ssh-ed25519 key")]
    [InlineData("truncated", "base64")]
    [InlineData("no END line", "BEGIN or END")]
    public void DamagedKeysAreRejected(string damage, string expected)
    {
        var file = damage switch
        {
            "cipher" => KeyFile(cipher: "aes256-ctr"),
            "check" => KeyFile(check2: 0x11223345),
            "padding" => KeyFile(badPadding: true),
            "seed" => KeyFile(wrongSeed: true),
            "type" => KeyFile(keyType: "ssh-ed448"),
            "truncated" => Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(KeyFile()).Remove(60, 3)),
            "no END line" => KeyFile()[..^34],
            _ => throw new ArgumentException(damage),
        };
        var ex = Assert.Throws<KeyVaultException>(() => AgeIdentity.ParseFile(file, "id_ed25519"));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("id_ed25519", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
