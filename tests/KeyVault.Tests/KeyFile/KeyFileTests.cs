using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Support;
using static KeyVault.Tests.KeyFile.KeyFileVectorGenerator;

namespace KeyVault.Tests.KeyFile;

public class KeyFileTests
{
    /// <summary>Caps far below the defaults, so a bit flip that raises the cost is refused instantly instead of run.</summary>
    private static readonly KdfLimits TinyTestLimits = new(64, 4, 4, 128);

    private static Passphrase Pass(string s = "correct horse battery staple") => Passphrase.FromChars(s.ToCharArray());

    private static byte[] MakeFile(string? label = "sBTC signer mainnet 2026", KdfParameters? kdf = null)
    {
        using var key = SignerKeyFormats.ParseHex(TestKeys.Key1);
        using var pass = Pass();
        return EncryptedKeyFile.Encrypt(key, pass, kdf ?? WeakTestKdf, label);
    }

    private static string Hex(SecretKey key)
    {
        Span<byte> b = stackalloc byte[32];
        key.Export(b);
        return Convert.ToHexStringLower(b);
    }

    [Fact]
    public void Rfc9106Argon2idVectorPassesThroughTheFormatsArgon2Call()
    {
        // RFC 9106 §5.3: Argon2id, m = 32 KiB, t = 3, p = 4, password 32×01, salt 16×02, secret 8×03, associated data 12×04.
        var tag = Argon2Kdf.Argon2id(Enumerable.Repeat((byte)1, 32).ToArray(), Enumerable.Repeat((byte)2, 16).ToArray(),
            Enumerable.Repeat((byte)3, 8).ToArray(), Enumerable.Repeat((byte)4, 12).ToArray(), new KdfParameters(32, 3, 4), 32, TestContext.Current.CancellationToken);
        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void RoundTripGivesBackTheKeyAndTheHeaderNamesIt()
    {
        var file = MakeFile();
        var header = EncryptedKeyFile.Parse(file);
        Assert.Equal(TestKeys.Key1PublicKey, header.PublicKey.Hex66);
        Assert.Equal("sBTC signer mainnet 2026", header.Label);
        Assert.Equal(WeakTestKdf, header.Kdf);
        Assert.Equal(KeyFileEncoding.Binary, header.Encoding);
        Assert.Equal(16, header.SaltLength);
        using var pass = Pass();
        using var key = header.Decrypt(pass);
        Assert.Equal(TestKeys.Key1, Hex(key));
    }

    [Fact]
    public void ArmoredAndBinaryParseToTheSameFile()
    {
        var binary = MakeFile();
        var armored = EncryptedKeyFile.ToArmored(binary);
        var text = Encoding.ASCII.GetString(armored);
        Assert.StartsWith("-----BEGIN KEYVAULT KEY FILE-----\n", text);
        Assert.EndsWith("\n-----END KEYVAULT KEY FILE-----\n", text);
        Assert.All(text.Split('\n')[1..^3], line => Assert.Equal(64, line.Length));
        var header = EncryptedKeyFile.Parse(armored);
        Assert.Equal(KeyFileEncoding.Armored, header.Encoding);
        Assert.Equal(binary, header.ToBinary());
        Assert.Equal(armored, header.ToOriginalEncoding());
        using var pass = Pass();
        using var key = header.Decrypt(pass);
        Assert.Equal(TestKeys.Key1, Hex(key));
    }

    [Fact]
    public void ParseThenWriteGivesBackTheSameBytesForEveryVector()
    {
        foreach (var v in Generate().Where(v => v.Expect == "success"))
        {
            var header = EncryptedKeyFile.Parse(v.Body);
            // A scanned armor's one extra line feed is tolerated on reading, never written.
            Assert.Equal(v.Name == "success-armored-scanned" ? v.Body[..^1] : v.Body, header.ToOriginalEncoding());
        }
    }

    [Fact]
    public void TwoEncryptionsOfTheSameKeyDiffer()
    {
        Assert.NotEqual(MakeFile(), MakeFile());
    }

    [Fact]
    public void ArmoredMaximumFileFitsInOneQrCode()
    {
        var file = MakeFile(label: new string('x', 100));
        var armored = EncryptedKeyFile.ToArmored(file);
        using var generator = new QRCoder.QRCodeGenerator();
        // ECC level Q (25 % of the symbol may be lost): the largest key file (383 bytes armored) needs version 18 of 40.
        using var data = generator.CreateQrCode(armored, QRCoder.QRCodeGenerator.ECCLevel.Q);
        Assert.True(data.Version <= 20, $"needs QR version {data.Version}");
        Assert.True(armored.Length < 400, $"{armored.Length} bytes");
    }

    private static void AssertNoKey(byte[] content, KdfLimits? limits = null)
    {
        KeyVaultException ex;
        try
        {
            var header = EncryptedKeyFile.Parse(content);
            using var pass = Pass();
            using var key = header.Decrypt(pass, limits: limits ?? TinyTestLimits);
            Assert.Fail("a damaged file yielded a key");
            return;
        }
        catch (KeyVaultException e)
        {
            ex = e;
        }
        Assert.Contains(ex.Kind, new[] { ErrorKind.AuthenticationFailed, ErrorKind.DamagedFile, ErrorKind.CostTooHigh });
    }

    [Fact]
    public void EveryBitFlipOfTheBinaryFileIsRejected()
    {
        var file = MakeFile();
        for (int i = 0; i < file.Length * 8; i++)
        {
            var copy = (byte[])file.Clone();
            copy[i / 8] ^= (byte)(1 << (i % 8));
            AssertNoKey(copy);
        }
    }

    [Fact]
    public void EveryBitFlipOfTheArmoredFileIsRejected()
    {
        var file = EncryptedKeyFile.ToArmored(MakeFile());
        for (int i = 0; i < file.Length * 8; i++)
        {
            var copy = (byte[])file.Clone();
            copy[i / 8] ^= (byte)(1 << (i % 8));
            AssertNoKey(copy);
        }
    }

    [Fact]
    public void EveryTruncationIsAFormatFailure()
    {
        foreach (var file in new[] { MakeFile(), EncryptedKeyFile.ToArmored(MakeFile()) })
            for (int n = 0; n < file.Length; n++)
            {
                var ex = Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.Parse(file.AsSpan(0, n)));
                Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
            }
    }

    [Fact]
    public void OneLineFeedAfterTheArmorIsToleratedAsAQrDecoderWritesIt()
    {
        var binary = MakeFile();
        var armored = EncryptedKeyFile.ToArmored(binary);
        var scanned = EncryptedKeyFile.Parse([.. armored, (byte)'\n']);
        Assert.Equal(binary, scanned.ToBinary());
        Assert.Equal(armored, scanned.ToOriginalEncoding());
        using var pass = Pass();
        using var key = scanned.Decrypt(pass);
        Assert.Equal(TestKeys.Key1, Hex(key));
        // Only after the armor: the binary form takes no trailing byte at all.
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.Parse([.. binary, (byte)'\n'])).Kind);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { (byte)'\n', (byte)'\n' })]
    [InlineData(new byte[] { (byte)'\r', (byte)'\n' })]
    [InlineData(new byte[] { 1, 2, 3 })]
    public void TrailingBytesAreAFormatFailure(byte[] extra)
    {
        foreach (var file in new[] { MakeFile(), EncryptedKeyFile.ToArmored(MakeFile()) })
        {
            var ex = Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.Parse([.. file, .. extra]));
            Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        }
    }

    [Fact]
    public void SwappedHeaderFieldsAreRejected()
    {
        var file = MakeFile(kdf: new KdfParameters(32, 2, 1));
        // iterations (bytes 13-16) and parallelism (17-20): 2 passes/1 lane become 1 pass/2 lanes, still valid.
        var swappedKdf = (byte[])file.Clone();
        file.AsSpan(13, 4).CopyTo(swappedKdf.AsSpan(17));
        file.AsSpan(17, 4).CopyTo(swappedKdf.AsSpan(13));
        Assert.Equal(new KdfParameters(32, 1, 2), EncryptedKeyFile.Parse(swappedKdf).Kdf);
        AssertKind(swappedKdf, ErrorKind.AuthenticationFailed);

        // the first 12 bytes of the salt (22-37) and the nonce (38-49)
        var swappedNonce = (byte[])file.Clone();
        file.AsSpan(22, 12).CopyTo(swappedNonce.AsSpan(38));
        file.AsSpan(38, 12).CopyTo(swappedNonce.AsSpan(22));
        AssertKind(swappedNonce, ErrorKind.AuthenticationFailed);

        // memory and iterations: 32 KiB/2 passes become 2 KiB/32 passes, which the format forbids
        var swappedMemory = (byte[])file.Clone();
        file.AsSpan(9, 4).CopyTo(swappedMemory.AsSpan(13));
        file.AsSpan(13, 4).CopyTo(swappedMemory.AsSpan(9));
        AssertKind(swappedMemory, ErrorKind.DamagedFile);
    }

    private static void AssertKind(byte[] file, ErrorKind kind)
    {
        var ex = Assert.Throws<KeyVaultException>(() =>
        {
            using var pass = Pass();
            using var key = EncryptedKeyFile.Parse(file).Decrypt(pass, limits: TinyTestLimits);
        });
        Assert.Equal(kind, ex.Kind);
    }

    [Fact]
    public void WrongPassphraseIsAnAuthenticationFailureWithTheDocumentedMessage()
    {
        var header = EncryptedKeyFile.Parse(MakeFile());
        using var wrong = Pass("correct horse battery stapler");
        var ex = Assert.Throws<KeyVaultException>(() => header.Decrypt(wrong));
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.StartsWith("wrong passphrase or damaged file", ex.Message);
    }

    [Fact]
    public void CostCapsAreCheckedBeforeAnyWork()
    {
        // With a cap below the file's own cost, Decrypt must refuse, and must not report progress (no derivation ran).
        var header = EncryptedKeyFile.Parse(MakeFile(kdf: new KdfParameters(32, 2, 1)));
        var reports = new List<KdfProgress>();
        using var pass = Pass();
        var ex = Assert.Throws<KeyVaultException>(() => header.Decrypt(pass, new SyncProgress(reports), new KdfLimits(16, 16, 16, 1 << 20)));
        Assert.Equal(ErrorKind.CostTooHigh, ex.Kind);
        Assert.Empty(reports);
    }

    [Fact]
    public void ProgressEndsWithOneFinishedReport()
    {
        var header = EncryptedKeyFile.Parse(MakeFile());
        var reports = new List<KdfProgress>();
        using var pass = Pass();
        using var key = header.Decrypt(pass, new SyncProgress(reports));
        Assert.True(reports[^1].Finished);
        Assert.Single(reports, r => r.Finished);
    }

    private sealed class SyncProgress(List<KdfProgress> into) : IProgress<KdfProgress>
    {
        public void Report(KdfProgress value)
        {
            lock (into) into.Add(value);
        }
    }

    [Theory]
    [InlineData(0L, 1L, 1L)]
    [InlineData(8L, 0L, 1L)]
    [InlineData(8L, 1L, 0L)]
    [InlineData(15L, 1L, 2L)]
    public void EncryptRefusesParametersTheFormatForbids(long m, long t, long p)
    {
        var ex = Assert.Throws<KeyVaultException>(() => MakeFile(kdf: new KdfParameters(m, t, p)));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
    }

    [Theory]
    [InlineData(4L * 1024 * 1024 + 1, 1L, 1L)]
    [InlineData(8L, 17L, 1L)]
    [InlineData(136L, 1L, 17L)]
    [InlineData(2L * 1024 * 1024, 9L, 1L)]
    public void EncryptRefusesParametersAboveTheCaps(long m, long t, long p)
    {
        var ex = Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.CheckWritable(new KdfParameters(m, t, p), null));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("limit", ex.Message);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("rtl\u202Eoverride")]
    [InlineData("bom\uFEFF")]
    public void EncryptRefusesForbiddenLabels(string label)
    {
        var ex = Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.CheckWritable(WeakTestKdf, label));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
    }

    [Fact]
    public void LabelIsNormalisedToNfcAndLimitedTo100Bytes()
    {
        Assert.Equal("Z\u00FCrich", EncryptedKeyFile.Parse(MakeFile(label: "Zu\u0308rich")).Label);
        Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.CheckWritable(WeakTestKdf, new string('\u00E9', 51)));
        EncryptedKeyFile.CheckWritable(WeakTestKdf, new string('\u00E9', 50));
    }

    [Fact]
    public void NotAKeyFileSaysSo()
    {
        var ex = Assert.Throws<KeyVaultException>(() => EncryptedKeyFile.Parse(Encoding.ASCII.GetBytes(TestKeys.Key1 + "\n")));
        Assert.Equal(ErrorKind.DamagedFile, ex.Kind);
        Assert.Contains("not a KeyVault key file", ex.Message);
        Assert.False(EncryptedKeyFile.LooksLikeKeyFile(Encoding.ASCII.GetBytes(TestKeys.Key1)));
        Assert.True(EncryptedKeyFile.LooksLikeKeyFile(MakeFile()));
    }

    [Fact]
    public void DefaultsAndCapsAreTheDocumentedNumbers()
    {
        Assert.Equal(new KdfParameters(1048576, 3, 4), KdfParameters.Default);
        Assert.Equal(new KdfLimits(4194304, 16, 16, 16777216), KdfLimits.Default);
        Assert.Null(KdfLimits.Default.Exceeded(KdfParameters.Default));
        Assert.Null(KdfLimits.Default.Exceeded(KdfLimits.Default.Slowest));
        Assert.Equal(new KdfParameters(4194304, 4, 1), KdfLimits.Default.Slowest);
    }
}
