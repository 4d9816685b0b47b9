using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.KeyFile.Argon2;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Signing;

namespace KeyVault.SelfTest;

/// <summary>
/// Known-answer tests of every primitive the executable relies on, plus the SHA-256 of the executable itself.
/// Each check runs the same library code a real key goes through and compares its output with an answer compiled
/// into the executable, so a miscompiled, damaged or substituted component shows up before a key is touched.
/// </summary>
public static class SelfTests
{
    /// <summary>Name of the last check: the SHA-256 of the running executable.</summary>
    public const string ExecutableCheckName = "executable";

    private static readonly KnownAnswerCheck[] All =
    [
        new("sha-256", "FIPS 180-2 B.1", KnownAnswers.Sha256Abc, () => SHA256.HashData("abc"u8)),
        new("hmac-sha-256", "RFC 4231 case 2", KnownAnswers.HmacSha256Case2,
            () => HMACSHA256.HashData("Jefe"u8, "what do ya want for nothing?"u8)),
        new("pbkdf2-hmac-sha-256", "RFC 7914 s. 11", KnownAnswers.Pbkdf2Passwd,
            () => Rfc2898DeriveBytes.Pbkdf2("passwd"u8, "salt"u8, 1, HashAlgorithmName.SHA256, 64)),
        new("aes-256-gcm", "GCM spec case 16", KnownAnswers.GcmCiphertextAndTag, AesGcmAnswer),
        // The engine is chosen on the CPU at run time (the release is built for the platform's baseline), so it is named.
        new("argon2id", $"RFC 9106 s. 5.3, {EngineName(Argon2Engines.Best)}", KnownAnswers.Argon2idRfc9106, Argon2idAnswer),
        new("secp256k1", "SEC 2 G, RFC 6979 ECDSA", KnownAnswers.PublicKeyOfOne + KnownAnswers.TestKeyPublic + KnownAnswers.SignatureSatoshiNakamoto,
            Secp256k1Answer),
        new("slip39", "SLIP-0039 vector 4", KnownAnswers.Slip39MasterSecret, Slip39Answer),
        new("key-file", "test-vectors/key-file", KnownAnswers.TestKey, KeyFileAnswer),
        new("stacks-message", "stacks.js message vectors", KnownAnswers.StacksHelloWorldHash + KnownAnswers.StacksRsvSignature, StacksMessageAnswer),
    ];

    /// <summary>How the self-test names the Argon2 compression engine derivations use on this CPU.</summary>
    internal static string EngineName(Argon2Engine engine) => engine switch
    {
        Argon2Engine.Avx512 => "AVX-512",
        Argon2Engine.Avx2 => "AVX2",
        Argon2Engine.AdvSimd => "NEON",
        Argon2Engine.Vector128 => "128-bit vectors",
        _ => "scalar",
    };

    /// <summary>
    /// The names of the checks, in the order they run: the core's, then <paramref name="extra"/> (checks of components
    /// outside the core, such as the sheets' QR encoder), then the executable's hash.
    /// </summary>
    public static IReadOnlyList<string> CheckNames(IReadOnlyList<KnownAnswerCheck>? extra = null) =>
        [.. All.Select(a => a.Name), .. (extra ?? []).Select(a => a.Name), ExecutableCheckName];

    /// <summary>
    /// Runs every check of the core and <paramref name="extra"/>, and hashes the running executable
    /// (<see cref="Environment.ProcessPath"/>) when it is the single-file program. A development build runs through the
    /// dotnet host or a small launcher whose hash says nothing about the code: it is not hashed, and nothing is recorded.
    /// </summary>
    public static SelfTestResult Run(IReadOnlyList<KnownAnswerCheck>? extra = null) =>
        IsSingleFile ? Run(Environment.ProcessPath, corrupt: null, extra) : Run(executablePath: null, corrupt: null, extra, developmentBuild: true);

    /// <summary>
    /// True when this library runs inside one executable (a single-file bundle, or native code compiled ahead of time):
    /// its assembly is then not a file beside the program.
    /// </summary>
    public static bool IsSingleFile => !File.Exists(Path.Combine(AppContext.BaseDirectory, AssemblyFileName));

    private const string AssemblyFileName = "KeyVault.Core.dll";

    /// <summary>
    /// Runs every check; the executable check hashes <paramref name="executablePath"/>. <paramref name="corrupt"/>
    /// names a check whose known answer is altered by one bit before the comparison: the hook the tests use to see a
    /// failure reported. It can only make the self-test fail, never pass.
    /// </summary>
    internal static SelfTestResult Run(string? executablePath, string? corrupt, IReadOnlyList<KnownAnswerCheck>? extra = null,
        bool developmentBuild = false)
    {
        KnownAnswerCheck[] all = [.. All, .. extra ?? []];
        if (corrupt is not null && all.All(a => a.Name != corrupt))
            throw new ArgumentException($"no known-answer check is named \"{corrupt}\"", nameof(corrupt));

        var checks = new List<SelfTestCheck>();
        foreach (var answer in all)
        {
            var expected = Convert.FromHexString(answer.Expected);
            if (answer.Name == corrupt) expected[0] ^= 1;
            checks.Add(Check(answer, expected));
        }

        var (check, sha256) = developmentBuild
            ? (new SelfTestCheck(ExecutableCheckName, "SHA-256 of the running file", true,
                "not hashed: a development build, not the single-file executable"), null)
            : HashExecutable(executablePath);
        checks.Add(check);
        return new SelfTestResult(checks, executablePath, sha256);
    }

    private static SelfTestCheck Check(KnownAnswerCheck answer, byte[] expected)
    {
        byte[] actual;
        try
        {
            actual = answer.Compute();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The inputs are public test vectors, so the exception's own message may be shown.
            return new SelfTestCheck(answer.Name, answer.Reference, false, $"{ex.GetType().Name}: {ex.Message}");
        }
        if (actual.AsSpan().SequenceEqual(expected)) return new SelfTestCheck(answer.Name, answer.Reference, true, "");
        return new SelfTestCheck(answer.Name, answer.Reference, false,
            $"computed {Abbreviate(actual)}, the known answer is {Abbreviate(expected)}");
    }

    private static string Abbreviate(byte[] bytes)
    {
        var hex = Hex.Encode(bytes);
        // A hash-sized answer is shown whole, so a failure report can be compared with the source by eye.
        return bytes.Length <= 32 ? hex : $"{hex[..32]}… ({bytes.Length} bytes)";
    }

    private static (SelfTestCheck Check, string? Sha256) HashExecutable(string? path)
    {
        const string reference = "SHA-256 of the running file";
        if (string.IsNullOrEmpty(path))
            return (new SelfTestCheck(ExecutableCheckName, reference, false, "the runtime does not report the executable's path"), null);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var sha256 = Hex.Encode(SHA256.HashData(stream));
            return (new SelfTestCheck(ExecutableCheckName, reference, true, $"{sha256}  {path}"), sha256);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new SelfTestCheck(ExecutableCheckName, reference, false, $"{path} could not be read ({ex.GetType().Name})"), null);
        }
    }

    private static byte[] AesGcmAnswer()
    {
        var key = Convert.FromHexString(KnownAnswers.GcmKey);
        var iv = Convert.FromHexString(KnownAnswers.GcmIv);
        var plaintext = Convert.FromHexString(KnownAnswers.GcmPlaintext);
        var aad = Convert.FromHexString(KnownAnswers.GcmAad);
        var output = new byte[plaintext.Length + 16];
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(iv, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), aad);

        // Decryption is the direction a key file uses: the known ciphertext must open, and must not with one tag bit flipped.
        var known = Convert.FromHexString(KnownAnswers.GcmCiphertextAndTag);
        var opened = new byte[plaintext.Length];
        gcm.Decrypt(iv, known.AsSpan(0, plaintext.Length), known.AsSpan(plaintext.Length), opened, aad);
        if (!opened.AsSpan().SequenceEqual(plaintext)) throw new CryptographicException("decryption gave another plaintext");
        known[^1] ^= 1;
        try
        {
            gcm.Decrypt(iv, known.AsSpan(0, plaintext.Length), known.AsSpan(plaintext.Length), opened, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return output;
        }
        throw new CryptographicException("a flipped tag bit was accepted");
    }

    private static byte[] Argon2idAnswer()
    {
        // Through the library's one Argon2id entry point, so whatever implementation sits behind it is the one checked.
        var tag = Argon2Kdf.Argon2id(Filled(32, 0x01), Filled(16, 0x02), Filled(8, 0x03), Filled(12, 0x04),
            new KdfParameters(32, 3, 4), 32);
        return [.. tag];
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static byte[] Secp256k1Answer()
    {
        var one = new byte[SecretKey.Length];
        one[^1] = 1;
        using var keyOne = SecretKey.FromBytes(one);
        using var testKey = SecretKey.FromBytes(Convert.FromHexString(KnownAnswers.TestKey));
        var hash = SHA256.HashData("Satoshi Nakamoto"u8);
        var signature = StacksMessageSigning.SignHash(keyOne, hash);
        if (!StacksMessageSigning.VerifyHash(keyOne.PublicKey, hash, signature))
            throw new CryptographicException("the signature made does not verify");
        return [.. keyOne.PublicKey.Compressed, .. testKey.PublicKey.Compressed, .. signature.AsSpan(0, 64)];
    }

    private static byte[] Slip39Answer()
    {
        using var secret = Slip39.Combine(KnownAnswers.Slip39Mnemonics, "TREZOR"u8);
        return secret.Bytes.ToArray();
    }

    private static byte[] KeyFileAnswer()
    {
        var header = EncryptedKeyFile.Parse(Convert.FromHexString(KnownAnswers.KeyFile));
        using var passphrase = Passphrase.FromChars(KnownAnswers.KeyFilePassphrase);
        using var key = header.Decrypt(passphrase);
        var bytes = new byte[SecretKey.Length];
        key.Export(bytes);
        if (key.PublicKey.Hex66 != KnownAnswers.TestKeyPublic) throw new CryptographicException("the key's public key is not the header's");
        return bytes;
    }

    private static byte[] StacksMessageAnswer()
    {
        // The drill report's signature scheme: the signed-message hash, then a recoverable RFC 6979 signature of a hash.
        var hash = StacksMessageSigning.Hash("hello world");
        using var key = SecretKey.FromBytes(Convert.FromHexString(KnownAnswers.StacksRsvKey));
        var signed = SHA256.HashData(Encoding.UTF8.GetBytes(KnownAnswers.StacksRsvMessage));
        var signature = StacksMessageSigning.SignHash(key, signed);
        // verify-report finds the signer by recovering the key from the signature: that must give the signing key back.
        var recovered = StacksMessageSigning.RecoverPublicKeyFromHash(signed, signature);
        if (recovered is null || !recovered.Equals(key.PublicKey)) throw new CryptographicException("the signature does not recover the signing key");
        return [.. hash, .. signature];
    }
}

/// <summary>One known-answer check: a computation and the answer it must give.</summary>
/// <param name="Name">Short name, printed.</param>
/// <param name="Reference">Where the known answer comes from.</param>
/// <param name="Expected">The known answer, hex.</param>
/// <param name="Compute">Computes the answer with the code under test.</param>
public sealed record KnownAnswerCheck(string Name, string Reference, string Expected, Func<byte[]> Compute);
