using System.Security.Cryptography;
using System.Text;
using KeyVault.Codecs;
using KeyVault.Shares;
using KeyVault.Tests.Shares;

namespace KeyVault.Tests.Manifest;

public class ShareCommitmentTests
{
    [Fact]
    public void The_commitment_is_SHA256_of_the_byte_string_the_spec_defines()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, ManifestTestKit.Layout(2, [1, 1], [2, 3], [3, 5]), "commitment spec");
        foreach (var s in set.Shares)
        {
            using var share = ShareCodec.Decode(s.Mnemonic, 0);
            // Built here from docs/manifest.md section 3, independently of ShareCommitment.CommittedBytes.
            var tag = Encoding.ASCII.GetBytes("keyvault/backup-manifest/share-commitment/v1");
            var expected = new List<byte> { (byte)tag.Length };
            expected.AddRange(tag);
            expected.Add((byte)(share.Identifier >> 8));
            expected.Add((byte)(share.Identifier & 0xFF));
            expected.Add(share.Extendable ? (byte)1 : (byte)0);
            expected.Add((byte)share.IterationExponent);
            expected.Add((byte)(s.Info.GroupNumber - 1));
            expected.Add((byte)s.Info.GroupThreshold);
            expected.Add((byte)s.Info.GroupCount);
            expected.Add((byte)(s.Info.MemberNumber - 1));
            expected.Add((byte)s.Info.MemberThreshold);
            expected.Add(0);
            expected.Add(32);
            expected.AddRange(share.Value);
            Assert.Equal(Hex.Encode(SHA256.HashData(expected.ToArray())), ShareCommitment.Of(s.Mnemonic));
        }
    }

    [Fact]
    public void Typed_forms_of_one_share_commit_alike_and_every_share_differs()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "commitment typed");
        var m = set.Shares[0].Mnemonic;
        var sloppy = string.Join("\n", m.ToUpperInvariant().Split(' ').Select(w => w.Length > 4 ? w[..4] : w));
        Assert.Equal(ShareCommitment.Of(m), ShareCommitment.Of(sloppy));
        Assert.Equal(5, set.Shares.Select(s => ShareCommitment.Of(s.Mnemonic)).Distinct().Count());
    }

    [Fact]
    public void The_same_value_at_another_index_commits_differently()
    {
        // A 1-of-1 group's share is the group value itself; moving it to another member index must change the commitment.
        var value = ShareTestKit.Bytes("same value", 32);
        var a = ShareCommitment.Compute(100, true, 1, 0, 1, 1, 0, 1, value);
        var b = ShareCommitment.Compute(100, true, 1, 0, 1, 1, 1, 1, value);
        var c = ShareCommitment.Compute(101, true, 1, 0, 1, 1, 0, 1, value);
        var d = ShareCommitment.Compute(100, false, 1, 0, 1, 1, 0, 1, value);
        Assert.Equal(4, new[] { a, b, c, d }.Distinct().Count());
    }

    [Fact]
    public void A_malformed_share_is_bad_input()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "commitment bad");
        var words = set.Shares[0].Mnemonic.Split(' ');
        (words[5], words[6]) = (words[6], words[5]);
        var ex = Assert.Throws<KeyVault.Errors.KeyVaultException>(() => ShareCommitment.Of(string.Join(' ', words)));
        Assert.Equal(KeyVault.Errors.ErrorKind.BadInput, ex.Kind);
    }
}
