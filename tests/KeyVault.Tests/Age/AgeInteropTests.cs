using System.Security.Cryptography;
using System.Text;
using KeyVault.Age;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Age;

/// <summary>
/// Interoperability with the stock age tool (Debian package age) in both directions, binary and armored, for
/// X25519 identities and OpenSSH ed25519 keys. Skips locally without the tools and fails in CI.
/// </summary>
public sealed class AgeInteropTests
{
    // Sizes around the 64 KiB chunk boundary: empty, tiny, one full chunk, one byte over, several chunks.
    private static readonly int[] Sizes = [0, 1, 65536, 65537, 200_000];

    private static byte[] Plaintext(int size)
    {
        var data = new byte[size];
        RandomNumberGenerator.Fill(data);
        return data;
    }

    private static void Ok((int ExitCode, string Stdout, string Stderr) run, string what) =>
        Assert.True(run.ExitCode == 0, $"{what} failed with exit code {run.ExitCode}: {run.Stderr}");

    private static (string Age, string Keygen) AgeTools() =>
        (External.RequireTool("age", "age"), External.RequireTool("age-keygen", "age"));

    /// <summary>An age-keygen identity file and its recipient.</summary>
    private static (string KeyFile, AgeRecipient Recipient) AgeKeygen(TempDir dir, string keygen, string name)
    {
        var keyFile = dir.File(name);
        Ok(External.Run(keygen, "-o", keyFile), "age-keygen");
        var pub = External.Run(keygen, "-y", keyFile);
        Ok(pub, "age-keygen -y");
        return (keyFile, AgeRecipient.Parse(pub.Stdout));
    }

    /// <summary>An OpenSSH ed25519 key pair without passphrase; returns the private key path and the public key line.</summary>
    private static (string KeyFile, string PublicLine) SshKeygen(TempDir dir, string name)
    {
        var sshKeygen = External.RequireTool("ssh-keygen", "openssh-client");
        var keyFile = dir.File(name);
        Ok(External.Run(sshKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "custodian@example", "-f", keyFile), "ssh-keygen");
        return (keyFile, File.ReadAllText(keyFile + ".pub").Trim());
    }

    private static byte[] AgeDecrypt(string age, TempDir dir, byte[] sealedFile, string identityFile)
    {
        var input = dir.File("in-" + Guid.NewGuid().ToString("n") + ".age");
        var output = dir.File("out-" + Guid.NewGuid().ToString("n"));
        File.WriteAllBytes(input, sealedFile);
        Ok(External.Run(age, "-d", "-i", identityFile, "-o", output, input), "age -d");
        // age opens its output on the first write, so an empty plaintext leaves no file.
        return File.Exists(output) ? File.ReadAllBytes(output) : [];
    }

    private static byte[] AgeEncrypt(string age, TempDir dir, byte[] plaintext, bool armor, params string[] recipientArgs)
    {
        var input = dir.File("plain-" + Guid.NewGuid().ToString("n"));
        var output = dir.File("sealed-" + Guid.NewGuid().ToString("n") + ".age");
        File.WriteAllBytes(input, plaintext);
        Ok(External.Run(age, [.. recipientArgs, .. armor ? new[] { "-a" } : [], "-o", output, input]), "age -r");
        return File.ReadAllBytes(output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyVaultSealsToAgeKeygenIdentity_AgeOpens(bool armor)
    {
        var (age, keygen) = AgeTools();
        using var dir = new TempDir();
        var (keyFile, recipient) = AgeKeygen(dir, keygen, "key.txt");
        foreach (int size in Sizes)
        {
            var plain = Plaintext(size);
            var sealedFile = AgeEncryptor.Encrypt(plain, [recipient], armor);
            Assert.Equal(armor, AgeFile.IsArmored(sealedFile));
            Assert.Equal(plain, AgeDecrypt(age, dir, sealedFile, keyFile));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyVaultSealsToSshEd25519Key_AgeOpensWithThePrivateKey(bool armor)
    {
        var (age, _) = AgeTools();
        using var dir = new TempDir();
        var (keyFile, publicLine) = SshKeygen(dir, "id_ed25519");
        var recipient = AgeRecipient.Parse(publicLine);
        Assert.Equal(AgeRecipientType.SshEd25519, recipient.Type);
        Assert.Equal("custodian@example", recipient.Comment);
        foreach (int size in Sizes)
        {
            var plain = Plaintext(size);
            Assert.Equal(plain, AgeDecrypt(age, dir, AgeEncryptor.Encrypt(plain, [recipient], armor), keyFile));
        }
    }

    [Fact]
    public void KeyVaultSealsToSeveralRecipients_EachOpensWithAge()
    {
        var (age, keygen) = AgeTools();
        using var dir = new TempDir();
        var (ageKey, ageRecipient) = AgeKeygen(dir, keygen, "key.txt");
        var (sshKey, sshLine) = SshKeygen(dir, "id_ed25519");
        var plain = Plaintext(1000);
        var sealedFile = AgeEncryptor.Encrypt(plain, [ageRecipient, AgeRecipient.Parse(sshLine)], armor: true);
        Assert.Equal(plain, AgeDecrypt(age, dir, sealedFile, ageKey));
        Assert.Equal(plain, AgeDecrypt(age, dir, sealedFile, sshKey));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AgeSealsToKeyVaultGeneratedRecipient_KeyVaultOpens(bool armor)
    {
        var (age, _) = AgeTools();
        using var dir = new TempDir();
        using var identity = AgeIdentity.Generate();
        foreach (int size in Sizes)
        {
            var plain = Plaintext(size);
            var sealedFile = AgeEncrypt(age, dir, plain, armor, "-r", identity.Recipient.Text);
            using var opened = AgeDecryptor.Decrypt(sealedFile, identity);
            Assert.Equal(plain, opened.Span.ToArray());
        }
    }

    [Fact]
    public void AgeKeygenIdentityFile_IsReadByKeyVault()
    {
        var (age, keygen) = AgeTools();
        using var dir = new TempDir();
        var (keyFile, recipient) = AgeKeygen(dir, keygen, "key.txt");
        var identities = AgeIdentity.ParseFile(File.ReadAllBytes(keyFile), "key.txt");
        Assert.Single(identities);
        Assert.Equal(recipient, identities[0].Recipient);
        var plain = Plaintext(70_000);
        using var opened = AgeDecryptor.Decrypt(AgeEncrypt(age, dir, plain, false, "-e", "-i", keyFile), identities);
        Assert.Equal(plain, opened.Span.ToArray());
        identities[0].Dispose();
    }

    [Fact]
    public void KeyVaultExportedIdentity_IsReadByAge()
    {
        var (age, _) = AgeTools();
        using var dir = new TempDir();
        using var identity = AgeIdentity.Generate();
        var secret = identity.ExportSecretKey();
        File.WriteAllBytes(dir.File("session.key"), [.. secret, (byte)'\n']);
        CryptographicOperations.ZeroMemory(secret);
        var plain = Plaintext(100);
        Assert.Equal(plain, AgeDecrypt(age, dir, AgeEncryptor.Encrypt(plain, [identity.Recipient], false), dir.File("session.key")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AgeSealsToSshPublicKeyFile_KeyVaultOpensWithTheOpenSshPrivateKey(bool armor)
    {
        var (age, _) = AgeTools();
        using var dir = new TempDir();
        var (keyFile, _) = SshKeygen(dir, "id_ed25519");
        using var identity = AgeIdentity.FromOpenSsh(File.ReadAllBytes(keyFile), "id_ed25519");
        foreach (int size in Sizes)
        {
            var plain = Plaintext(size);
            var sealedFile = AgeEncrypt(age, dir, plain, armor, "-R", keyFile + ".pub");
            // Without the key, the header already tells which SSH key the file is for.
            Assert.Equal(AgeAddressing.TagMatches, AgeFile.Inspect(sealedFile).AddressedTo(identity.Recipient));
            using var opened = AgeDecryptor.Decrypt(sealedFile, identity);
            Assert.Equal(plain, opened.Span.ToArray());
        }
    }

    [Fact]
    public void RemoteReturn_AgeDecryptsAndResealsInAPipe_KeyVaultSessionOpens()
    {
        // What a custodian runs: age -d -i KEY share.age | age -r SESSION -a > return.age
        var (age, _) = AgeTools();
        var bash = External.RequireTool("bash", "bash");
        using var dir = new TempDir();
        var (sshKey, sshLine) = SshKeygen(dir, "id_ed25519");
        var share = Encoding.UTF8.GetBytes("# share file\nword word word\n");
        File.WriteAllBytes(dir.File("share-1.age"), AgeEncryptor.Encrypt(share, [AgeRecipient.Parse(sshLine)], armor: false));
        using var session = AgeIdentity.Generate();
        Ok(External.Run(bash, "-c", "set -o pipefail; \"$0\" -d -i \"$1\" \"$2\" | \"$0\" -r \"$3\" -a > \"$4\"",
            age, sshKey, dir.File("share-1.age"), session.Recipient.Text, dir.File("return.age")), "the custodian's pipe");

        var returned = File.ReadAllBytes(dir.File("return.age"));
        var info = AgeFile.Inspect(returned);
        Assert.True(info.Armored);
        Assert.Equal(AgeAddressing.CannotTell, info.AddressedTo(session.Recipient));
        Assert.Equal(share.Length, info.PlaintextLength);
        using var opened = AgeDecryptor.Decrypt(returned, session);
        Assert.Equal(share, opened.Span.ToArray());
    }

    [Fact]
    public void AgeFileForTwoRecipients_OpensWithOursAndIgnoresTheOtherStanza()
    {
        var (age, _) = AgeTools();
        using var dir = new TempDir();
        using var ours = AgeIdentity.Generate();
        using var other = AgeIdentity.Generate();
        var (_, sshLine) = SshKeygen(dir, "id_other");
        File.WriteAllText(dir.File("other.pub"), sshLine + "\n");
        var plain = Plaintext(10);
        var sealedFile = AgeEncrypt(age, dir, plain, false, "-r", other.Recipient.Text, "-R", dir.File("other.pub"), "-r", ours.Recipient.Text);
        Assert.Equal(3, AgeFile.Inspect(sealedFile).Stanzas.Count);
        using var opened = AgeDecryptor.Decrypt(sealedFile, ours);
        Assert.Equal(plain, opened.Span.ToArray());
    }
}
