using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.KeyFile;

/// <summary>
/// The program that writes test-vectors/key-file/. Every random byte comes from <see cref="FixedRandom"/>, so the
/// output is the same on every run; <see cref="KeyFileVectorTests"/> checks the checked-in files against it.
/// Regenerate with: KEYVAULT_WRITE_VECTORS=1 dotnet test tests/KeyVault.Tests --filter "FullyQualifiedName~KeyFileVectorTests"
/// </summary>
internal static class KeyFileVectorGenerator
{
    /// <summary>Deliberately weak Argon2 parameters (8 KiB, 1 pass, 1 lane) so the vectors open in microseconds. Never for real keys.</summary>
    public static readonly KdfParameters WeakTestKdf = KdfParameters.Minimum;

    /// <summary>Still weak, but with two lanes and two passes, to exercise parallelism.</summary>
    public static readonly KdfParameters WeakTwoLaneKdf = new(32, 2, 2);

    public sealed record Vector(string Name, string Expect, byte[] Passphrase, string? Key, string? PublicKey, string? Label, string Comment, byte[] Body)
    {
        public byte[] ToFile()
        {
            var sb = new StringBuilder();
            sb.Append($"expect: {Expect}\n");
            sb.Append($"passphrase: {Convert.ToHexStringLower(Passphrase)}\n");
            if (Key is not null) sb.Append($"key: {Key}\n");
            if (PublicKey is not null) sb.Append($"public key: {PublicKey}\n");
            if (Label is not null) sb.Append($"label: {Label}\n");
            sb.Append($"comment: {Comment}\n\n");
            return [.. Encoding.UTF8.GetBytes(sb.ToString()), .. Body];
        }

        public static Vector Read(string name, byte[] file)
        {
            int split = file.AsSpan().IndexOf("\n\n"u8);
            var fields = Encoding.UTF8.GetString(file, 0, split).Split('\n')
                .ToDictionary(l => l[..l.IndexOf(": ", StringComparison.Ordinal)], l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
            return new Vector(name, fields["expect"], Convert.FromHexString(fields["passphrase"]), fields.GetValueOrDefault("key"),
                fields.GetValueOrDefault("public key"), fields.GetValueOrDefault("label"), fields["comment"], file[(split + 2)..]);
        }
    }

    /// <summary>SHA-256 in counter mode over a fixed seed: a reproducible stand-in for the CSPRNG.</summary>
    public sealed class FixedRandom(string seed)
    {
        private uint _counter;

        public void Fill(Span<byte> destination)
        {
            Span<byte> block = stackalloc byte[32];
            Span<byte> input = stackalloc byte[Encoding.UTF8.GetByteCount(seed) + 4];
            Encoding.UTF8.GetBytes(seed, input);
            for (int at = 0; at < destination.Length; at += 32)
            {
                BinaryPrimitives.WriteUInt32BigEndian(input[^4..], _counter++);
                SHA256.HashData(input, block);
                block[..Math.Min(32, destination.Length - at)].CopyTo(destination[at..]);
            }
        }

        public byte[] Bytes(int n)
        {
            var b = new byte[n];
            Fill(b);
            return b;
        }
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static SecretKey Key(string hex) => SignerKeyFormats.ParseHex(hex);

    private static byte[] Encrypt(FixedRandom rng, string keyHex, byte[] passphraseUtf8, KdfParameters kdf, string? label)
    {
        using var key = Key(keyHex);
        using var pass = Passphrase.FromFileContent(passphraseUtf8);
        return EncryptedKeyFile.Encrypt(key, pass, kdf, label, null, rng.Fill);
    }

    /// <summary>A file with any header and any 32-byte plaintext, under a correct tag: for the rules a tag cannot enforce.</summary>
    private static byte[] Seal(byte[] header, ReadOnlySpan<byte> passwordBytes, ReadOnlySpan<byte> salt, KdfParameters kdf, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext)
    {
        var fileKey = Argon2Kdf.DeriveFileKey(passwordBytes, salt, kdf, null);
        var file = new byte[header.Length + 48];
        header.CopyTo(file, 0);
        using var gcm = new AesGcm(fileKey, 16);
        gcm.Encrypt(nonce, plaintext, file.AsSpan(header.Length, 32), file.AsSpan(header.Length + 32, 16), header);
        return file;
    }

    private static byte[] Header(KdfParameters kdf, byte[] salt, byte[] nonce, byte[] publicKey, byte[] label)
    {
        // Written field by field (not through the library) so invalid values can be expressed.
        var h = new List<byte>();
        h.AddRange(KeyFileFormat.Magic.ToArray());
        h.Add(1);
        Span<byte> u = stackalloc byte[4];
        foreach (var v in new[] { kdf.MemoryKiB, kdf.Iterations, kdf.Parallelism })
        {
            BinaryPrimitives.WriteUInt32BigEndian(u, (uint)v);
            h.AddRange(u.ToArray());
        }
        h.Add((byte)salt.Length);
        h.AddRange(salt);
        h.AddRange(nonce);
        h.AddRange(publicKey);
        h.Add((byte)label.Length);
        h.AddRange(label);
        return [.. h];
    }

    private static byte[] With(byte[] file, int offset, params byte[] bytes)
    {
        var copy = (byte[])file.Clone();
        bytes.CopyTo(copy, offset);
        return copy;
    }

    private static byte[] Armor(byte[] binary) => KeyFileFormat.Armor(binary);

    public static IReadOnlyList<Vector> Generate()
    {
        var rng = new FixedRandom("KeyVault key-file test vectors v1");
        var list = new List<Vector>();
        var k1 = TestKeys.Key1; var k1Pub = TestKeys.Key1PublicKey;
        var k2 = TestKeys.Key2; var k2Pub = TestKeys.Key2PublicKey;
        var k3 = TestKeys.Key3; var k3Pub = Key(k3).PublicKey.Hex66;
        var pass1 = Utf8("correct horse battery staple");
        var pass2 = Utf8("vector passphrase");
        var passUnicode = Utf8("Z\u00FCrich-Stra\u00DFe 9 \u2713 \u043A\u043B\u044E\u0447");   // already NFC
        var passNfd = Utf8("Zu\u0308rich");                                                    // typed decomposed
        var passNfc = Utf8("Z\u00FCrich");
        const string label = "sBTC signer mainnet 2026";

        var basic = Encrypt(rng, k1, pass1, WeakTestKdf, null);
        list.Add(new("success-binary-minimal", "success", pass1, k1, k1Pub, null, "binary form, no label, weak test KDF (8 KiB, 1 pass, 1 lane)", basic));

        var labelled = Encrypt(rng, k2, pass2, WeakTestKdf, label);
        list.Add(new("success-armored-label", "success", pass2, k2, k2Pub, label, "armored form with a label", Armor(labelled)));
        list.Add(new("success-armored-scanned", "success", pass2, k2, k2Pub, label,
            "success-armored-label as a QR decoder saves it: one more line feed after the END line", [.. Armor(labelled), (byte)'\n']));
        list.Add(new("success-binary-label", "success", pass2, k2, k2Pub, label, "the same file as success-armored-label, binary", labelled));

        var unicodeLabel = "Tr\u00E9sor \u2014 \u043A\u043B\u044E\u0447 2026";
        var unicode = Encrypt(rng, k3, passUnicode, WeakTwoLaneKdf, unicodeLabel);
        list.Add(new("success-non-ascii-passphrase", "success", passUnicode, k3, k3Pub, unicodeLabel,
            "non-ASCII passphrase and label (both NFC), 32 KiB, 2 passes, 2 lanes", unicode));

        var nfcFile = Encrypt(rng, k1, passNfc, WeakTestKdf, null);
        list.Add(new("success-passphrase-normalised", "success", passNfd, k1, k1Pub, null,
            "the passphrase is given decomposed (u + U+0308); the file was written with its NFC form: readers MUST normalise", nfcFile));

        byte[] salt32File;
        {
            var salt = rng.Bytes(32); var nonce = rng.Bytes(12);
            var header = Header(WeakTestKdf, salt, nonce, Convert.FromHexString(k2Pub), []);
            salt32File = Seal(header, pass1, salt, WeakTestKdf, nonce, Convert.FromHexString(k2));
            list.Add(new("success-salt-32", "success", pass1, k2, k2Pub, null, "a 32-byte salt (readers accept 16 to 64)", salt32File));
            list.Add(new("success-armored-padded", "success", pass1, k2, k2Pub, null, "success-salt-32 armored: 148 bytes, so the base64 ends in ==", Armor(salt32File)));
        }
        var longLabel = new string('x', 98) + "\u00E9";   // 100 UTF-8 bytes
        list.Add(new("success-label-100-bytes", "success", pass1, k1, k1Pub, longLabel, "the longest label allowed (100 UTF-8 bytes)",
            Encrypt(rng, k1, pass1, WeakTestKdf, longLabel)));

        // ---- authentication failures: the format is fine, the tag is not ----
        list.Add(new("auth-wrong-passphrase", "auth failure", Utf8("correct horse battery stable"), null, null, null,
            "success-binary-minimal with a different passphrase", basic));
        int labelAt = labelled.Length - 48 - 1;
        list.Add(new("auth-label-changed", "auth failure", pass2, null, null, null,
            "success-binary-label with the label's last character changed (2026 to 2027)", With(labelled, labelAt, (byte)'7')));
        list.Add(new("auth-iterations-changed", "auth failure", pass1, null, null, null,
            "success-binary-minimal with the iterations changed from 1 to 2 (still valid, still within limits)", With(basic, 16, 2)));
        list.Add(new("auth-public-key-replaced", "auth failure", pass1, null, null, null,
            "success-binary-minimal with another valid public key in the header", With(basic, 22 + 16 + 12, Convert.FromHexString(k2Pub))));
        list.Add(new("auth-ciphertext-flipped", "auth failure", pass1, null, null, null,
            "success-binary-minimal with one bit of the encrypted key flipped", With(basic, basic.Length - 48, (byte)(basic[^48] ^ 0x01))));
        list.Add(new("auth-tag-flipped", "auth failure", pass1, null, null, null,
            "success-binary-minimal with one bit of the tag flipped", With(basic, basic.Length - 1, (byte)(basic[^1] ^ 0x80))));
        {
            // A writer that forgot to normalise: Argon2 ran over the decomposed bytes.
            var salt = rng.Bytes(16); var nonce = rng.Bytes(12);
            var header = Header(WeakTestKdf, salt, nonce, Convert.FromHexString(k1Pub), []);
            list.Add(new("auth-writer-did-not-normalise", "auth failure", passNfd, null, null, null,
                "written with the decomposed passphrase bytes as Argon2 input; a reader that normalises (as it MUST) fails",
                Seal(header, passNfd, salt, WeakTestKdf, nonce, Convert.FromHexString(k1))));
        }

        // ---- format failures: rejected before any key derivation (or, for the last three, after decryption) ----
        list.Add(new("format-bad-magic", "format failure", pass1, null, null, null, "first byte 0x89 changed to 0x88", With(basic, 0, 0x88)));
        list.Add(new("format-version-2", "format failure", pass1, null, null, null, "version byte 2", With(basic, 8, 2)));
        list.Add(new("format-version-0", "format failure", pass1, null, null, null, "version byte 0", With(basic, 8, 0)));
        list.Add(new("format-truncated", "format failure", pass1, null, null, null, "the last byte of the tag is missing", basic[..^1]));
        list.Add(new("format-header-only", "format failure", pass1, null, null, null, "the encrypted key and tag are missing", basic[..^48]));
        list.Add(new("format-trailing-byte", "format failure", pass1, null, null, null, "one 0x00 byte after the tag", [.. basic, 0]));
        list.Add(new("format-salt-length-15", "format failure", pass1, null, null, null, "salt length byte 15 (below 16)", With(basic, 21, 15)));
        list.Add(new("format-salt-length-65", "format failure", pass1, null, null, null, "salt length byte 65 (above 64)", With(basic, 21, 65)));
        list.Add(new("format-iterations-0", "format failure", pass1, null, null, null, "iterations 0", With(basic, 13, 0, 0, 0, 0)));
        list.Add(new("format-parallelism-0", "format failure", pass1, null, null, null, "parallelism 0", With(basic, 17, 0, 0, 0, 0)));
        list.Add(new("format-memory-below-8-per-lane", "format failure", pass1, null, null, null, "memory 8 KiB with 2 lanes (needs 16)", With(basic, 17, 0, 0, 0, 2)));
        list.Add(new("format-public-key-prefix-04", "format failure", pass1, null, null, null, "public key prefix byte 0x04 (only 02 and 03)", With(basic, 22 + 16 + 12, 0x04)));
        {
            // x = 5 is not the x-coordinate of any secp256k1 point (5^3 + 7 = 132 is not a square mod p).
            var notOnCurve = new byte[33];
            notOnCurve[0] = 0x02; notOnCurve[32] = 0x05;
            list.Add(new("format-public-key-not-on-curve", "format failure", pass1, null, null, null, "public key 02 00..05: no point has x = 5",
                With(basic, 22 + 16 + 12, notOnCurve)));
            // x = p + 1 (p the field prime): a reader that reduced x mod p would find the valid x = 1 (1 + 7 = 8 is a square mod p).
            var xNotBelowP = Convert.FromHexString("02FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30");
            list.Add(new("format-public-key-x-not-below-p", "format failure", pass1, null, null, null,
                "public key 02 || (p + 1): the x-coordinate is not below the field prime, though x mod p = 1 is on the curve",
                With(basic, 22 + 16 + 12, xNotBelowP)));
        }
        {
            var salt = rng.Bytes(16); var nonce = rng.Bytes(12);
            var pub = Convert.FromHexString(k1Pub); var key = Convert.FromHexString(k1);
            byte[] Bad(byte[] labelBytes) => Seal(Header(WeakTestKdf, salt, nonce, pub, labelBytes), pass1, salt, WeakTestKdf, nonce, key);
            list.Add(new("format-label-101-bytes", "format failure", pass1, null, null, null, "label length 101 (valid tag)", Bad(Utf8(new string('x', 101)))));
            list.Add(new("format-label-not-utf8", "format failure", pass1, null, null, null, "label bytes C3 28 are not UTF-8 (valid tag)", Bad([0xC3, 0x28])));
            list.Add(new("format-label-overlong-utf8", "format failure", pass1, null, null, null, "label C0 AF is an overlong '/' (valid tag)", Bad([0xC0, 0xAF])));
            list.Add(new("format-label-not-nfc", "format failure", pass1, null, null, null, "label 'Zu' + U+0308 + 'rich' is not NFC (valid tag)", Bad(passNfd)));
            list.Add(new("format-label-newline", "format failure", pass1, null, null, null, "label contains a line feed (valid tag)", Bad(Utf8("line1\nline2"))));
            list.Add(new("format-label-bidi-override", "format failure", pass1, null, null, null, "label contains U+202E (valid tag)", Bad(Utf8("abc\u202Edef"))));
            list.Add(new("format-key-does-not-match-header", "format failure", pass1, null, null, null,
                "valid tag, but the decrypted key is Key2 while the header names Key1's public key",
                Seal(Header(WeakTestKdf, salt, nonce, pub, []), pass1, salt, WeakTestKdf, nonce, Convert.FromHexString(k2))));
            list.Add(new("format-decrypted-key-zero", "format failure", pass1, null, null, null, "valid tag, decrypted key is 32 zero bytes",
                Seal(Header(WeakTestKdf, salt, nonce, pub, []), pass1, salt, WeakTestKdf, nonce, new byte[32])));
            list.Add(new("format-decrypted-key-is-order", "format failure", pass1, null, null, null, "valid tag, decrypted key equals the curve order n",
                Seal(Header(WeakTestKdf, salt, nonce, pub, []), pass1, salt, WeakTestKdf, nonce, Secp256k1.OrderBytes)));
        }
        var armored = Encoding.ASCII.GetString(Armor(labelled));
        byte[] A(string s) => Encoding.ASCII.GetBytes(s);
        list.Add(new("format-armor-crlf", "format failure", pass2, null, null, null, "success-armored-label with CR LF line endings", A(armored.Replace("\n", "\r\n"))));
        list.Add(new("format-armor-no-final-newline", "format failure", pass2, null, null, null, "success-armored-label without the last line feed", A(armored[..^1])));
        list.Add(new("format-armor-trailing-space", "format failure", pass2, null, null, null, "a space after the END line", A(armored + " ")));
        list.Add(new("format-armor-two-extra-newlines", "format failure", pass2, null, null, null,
            "success-armored-label followed by two more line feeds (only one is tolerated)", A(armored + "\n\n")));
        list.Add(new("format-armor-extra-crlf", "format failure", pass2, null, null, null,
            "success-armored-label followed by CR LF (the one tolerated extra line ending is a bare line feed)", A(armored + "\r\n")));
        list.Add(new("format-armor-leading-text", "format failure", pass2, null, null, null, "a line of text before the BEGIN line", A("key file:\n" + armored)));
        {
            var lines = armored.Split('\n');
            var body = string.Concat(lines[1..^2]);
            var wide = lines[0] + "\n" + string.Join("\n", Enumerable.Range(0, (body.Length + 75) / 76).Select(i => body.Substring(i * 76, Math.Min(76, body.Length - i * 76)))) + "\n" + lines[^2] + "\n";
            list.Add(new("format-armor-76-columns", "format failure", pass2, null, null, null, "the same base64 in 76-character lines", A(wide)));
            // Changing the last base64 character before '==' in its low bit, which decoding discards, gives text that
            // decodes to the same bytes but is not the canonical encoding.
            var padded = Encoding.ASCII.GetString(Armor(salt32File));
            int padAt = padded.IndexOf("==", StringComparison.Ordinal);
            var nonCanonical = padded[..(padAt - 1)] + NonCanonicalTwin(padded[padAt - 1]) + padded[padAt..];
            list.Add(new("format-armor-non-canonical-padding-bits", "format failure", pass1, null, null, null,
                "last base64 character before the padding has non-zero discarded bits (decodes to the same bytes)", A(nonCanonical)));
            list.Add(new("format-armor-lowercase-label", "format failure", pass2, null, null, null, "BEGIN line in lower case",
                A(armored.Replace("BEGIN KEYVAULT KEY FILE", "BEGIN keyvault key file"))));
        }

        // ---- cost caps: refused before any work; the tag is random, so a reader that does the work reports auth failure ----
        KdfParameters[] costly = [new(4L * 1024 * 1024 + 1, 1, 1), new(8, 17, 1), new(17 * 8, 1, 17), new(2L * 1024 * 1024, 9, 1)];
        string[] costNames = ["cost-memory-above-4gib", "cost-iterations-17", "cost-parallelism-17", "cost-work-above-16gib"];
        string[] costWhy = ["memory 4 GiB + 1 KiB", "17 passes", "17 lanes", "2 GiB × 9 passes = 18 GiB of work, each value within its own cap"];
        for (int i = 0; i < costly.Length; i++)
        {
            var header = Header(costly[i], rng.Bytes(16), rng.Bytes(12), Convert.FromHexString(k1Pub), []);
            list.Add(new(costNames[i], "cost cap", pass1, null, null, null, costWhy[i] + "; random ciphertext and tag", [.. header, .. rng.Bytes(48)]));
        }
        return list;
    }

    private static char NonCanonicalTwin(char c)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return alphabet[alphabet.IndexOf(c) ^ 0x01];
    }
}
