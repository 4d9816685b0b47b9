using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.KeyFile;
using KeyVault.Restore;
using KeyVault.Shares;
using KeyVault.Tests.Manifest;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Restore;

/// <summary>
/// The generator of test-vectors/restore-session/ and its check: session files built from fixed salts, nonces and
/// shares (a 2-of-3 backup of test key 1 from a fixed random stream) with the minimum Argon2 parameters, so a second
/// implementation can open them; one case a file, in the layout of <see cref="VectorFile"/>. Run with
/// KEYVAULT_WRITE_VECTORS=1 to (re)write the files.
/// </summary>
public class RestoreSessionVectorTests
{
    private static string Dir => Path.Combine(External.RepoRoot, "test-vectors", "restore-session");

    private const string Passphrase = "correct horse session";
    private static readonly DateTimeOffset Created = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    private static byte[] Fixed(string label, int length)
    {
        var b = new byte[length];
        new DeterministicRandom("keyvault restore-session vector " + label).Fill(b);
        return b;
    }

    internal static SortedDictionary<string, byte[]> Generate()
    {
        using var key = ManifestTestKit.Key();
        using var set = Slip39.Split(key.Span, SplitLayout.Single(2, 3), default, Slip39.DefaultIterationExponent, true,
            new DeterministicRandom("keyvault restore-session vectors v1").Fill);
        var kdf = KdfParameters.Minimum;
        var salt = Fixed("salt", 16);
        using var pass = KeyVault.IO.Passphrase.FromChars(Passphrase);
        var fileKey = Argon2Kdf.DeriveFileKey(pass.Utf8, salt, kdf, null);
        var cases = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);

        void Add(string name, string expect, string comment, IReadOnlyList<int> stored, IReadOnlyList<int> listed, byte[] identity,
            Func<byte[], byte[]>? alterPlaintext = null, Func<byte[], byte[]>? alterFile = null, string passphrase = Passphrase)
        {
            var mnemonics = stored.Select(i => Encoding.ASCII.GetBytes(set.Shares[i].Mnemonic)).ToList();
            var plaintext = RestoreSessionFormat.WritePlaintext(mnemonics, identity);
            if (alterPlaintext is not null) plaintext = alterPlaintext(plaintext);
            var shares = listed.Select((i, n) => new CollectedShare(1, i + 1, null, Created.AddHours(n + 1))).ToList();
            int? id = listed.Count > 0 ? set.Identifier : null;
            var groups = listed.Count > 0 ? new List<GroupNeed> { new(1, 2, listed.Count) } : [];
            var status = new RestoreStatus(Created, listed.Count > 0 ? shares[^1].AddedAt : Created, id, null, null, null,
                listed.Count > 0 ? 1 : null, listed.Count > 0 ? 1 : null, shares, groups);
            var file = RestoreSessionFormat.Seal(fileKey, kdf, salt, Fixed("nonce " + name, 12), status.ToJson(), plaintext);
            if (alterFile is not null) file = alterFile(file);
            var header = new List<(string, string)> { ("expect", expect), ("passphrase", Hex.Encode(Encoding.UTF8.GetBytes(passphrase))) };
            for (int n = 0; n < stored.Count; n++) header.Add(($"share {n + 1}", set.Shares[stored[n]].Mnemonic));
            header.Add(("identity", Hex.Encode(identity)));
            header.Add(("plaintext", Hex.Encode(plaintext)));
            if (expect == "success" && stored.Count >= 2) header.Add(("public key", TestKeys.Key1PublicKey));
            header.Add(("comment", comment));
            cases[name] = VectorFile.Format(header, file);
        }

        Add("empty", "success", "a session just started: no shares, no identity", [], [], []);
        Add("two-shares", "success", "shares #3 and #1 added in that order; enough to rebuild test key 1", [2, 0], [2, 0], []);
        Add("with-identity", "success", "one share and a restore identity blob", [1], [1], Encoding.ASCII.GetBytes("AGE-SECRET-KEY-1EXAMPLEONLY"));
        Add("wrong-passphrase", "auth failure", "the two-shares file opened with another passphrase", [2, 0], [2, 0], [],
            passphrase: "correct horse sessions");
        Add("status-changed", "auth failure", "the two-shares file with the status's first share number changed (3 to 2) after sealing",
            [2, 0], [2, 0], [], alterFile: f => ReplaceOnce(f, "\"member\":3", "\"member\":2"));
        Add("status-disagrees", "damaged", "sealed correctly, but the status lists share #2 where share #3 is stored", [2, 0], [1, 0], []);
        Add("plaintext-trailing-byte", "damaged", "sealed correctly, with one byte after the identity in the plaintext", [0], [0], [],
            alterPlaintext: p => [.. p, 0]);
        Add("version-2", "unsupported", "the two-shares file with version byte 2", [2, 0], [2, 0], [], alterFile: f => { f[8] = 2; return f; });
        CryptographicOperations.ZeroMemory(fileKey);

        return cases;
    }

    private static byte[] ReplaceOnce(byte[] file, string from, string to)
    {
        var text = Encoding.Latin1.GetString(file);
        int i = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(i >= 0);
        return Encoding.Latin1.GetBytes(text[..i] + to + text[(i + from.Length)..]);
    }

    [Fact]
    public void The_committed_vectors_are_what_the_generator_produces()
    {
        VectorFile.AssertFolderIs(Dir, Generate());
    }

    [Fact]
    public void Each_vector_opens_as_its_expect_line_says()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Dir).Order(StringComparer.Ordinal))
        {
            var v = VectorFile.Read(path);
            seen.Add(v.Expect);
            using var dir = new TempDir();
            File.WriteAllBytes(Path.Combine(dir.Path, RestoreSession.FileName), v.Body);
            using var pass = KeyVault.IO.Passphrase.FromChars(Encoding.UTF8.GetString(Hex.TryDecode(v["passphrase"])!));
            string name = Path.GetFileName(path);
            switch (v.Expect)
            {
                case "success":
                    using (var s = RestoreSession.Open(dir.Path, pass))
                    {
                        var expected = v.Header.Where(h => h.Key.StartsWith("share ", StringComparison.Ordinal)).Select(h => Slip39.Decode(h.Value).MemberNumber);
                        Assert.Equal(expected, s.Status.Shares.Select(x => x.Member));
                        Assert.Equal(v["identity"], Hex.Encode(s.ExportRestoreIdentity()));
                        Assert.Equal(v.Get("public key") is not null, s.Status.CanRebuild);
                        if (s.Status.CanRebuild)
                        {
                            using var k = s.Rebuild();
                            Assert.Equal(v["public key"], k.PublicKey.Hex66);
                        }
                    }
                    break;
                case "auth failure":
                    Assert.True(Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind == ErrorKind.AuthenticationFailed, name);
                    break;
                case "damaged":
                case "unsupported":
                    Assert.True(Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind == ErrorKind.DamagedFile, name);
                    break;
                default:
                    Assert.Fail($"unknown expect in {name}");
                    break;
            }
        }
        Assert.Equal(["auth failure", "damaged", "success", "unsupported"], seen.Order(StringComparer.Ordinal));
    }
}
