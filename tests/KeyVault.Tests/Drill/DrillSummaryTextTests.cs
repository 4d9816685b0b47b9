using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Keys;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Drill;

/// <summary>The drill's summary as an operator reads it when only shares are tested: the table's columns and the grammar.</summary>
public class DrillSummaryTextTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] ShareFiles(string keyHex, string seed)
    {
        using var key = SecretKey.FromBytes(Hex.TryDecode(keyHex)!);
        using var set = ShareTestKit.Split(Hex.TryDecode(keyHex)!, SplitLayout.Single(2, 3), seed);
        return set.Shares.Take(2).Select(share =>
        {
            var path = _dir.File($"{seed}-{share.Info.MemberNumber}.txt");
            File.WriteAllBytes(path, ShareFile.Format(share, new ShareFileHeader(key.PublicKey, null, new DateOnly(2025, 5, 1))));
            return path;
        }).ToArray();
    }

    [Fact]
    public void With_only_shares_the_expected_value_is_separated_from_its_label_and_the_verb_agrees()
    {
        var files = ShareFiles(TestKeys.Key1, "summary pass");
        var console = new TestConsole();
        int rc = console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--share-file", .. files]);

        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains($"    expected  {TestKeys.Key1PublicKey}\n", console.StdoutText);
        Assert.Contains($"    shares    {TestKeys.Key1PublicKey}  PASS", console.StdoutText);
        Assert.Contains("RESULT: PASS: the shares rebuild the expected key", console.StdoutText);
        Assert.DoesNotContain("shares rebuilds", console.StdoutText);
    }

    [Fact]
    public void A_mismatch_found_by_shares_alone_is_worded_in_the_plural()
    {
        var files = ShareFiles(TestKeys.Key2, "summary mismatch");
        var console = new TestConsole();
        int rc = console.Run(["drill", "--expect", TestKeys.Key1PublicKey, "--share-file", .. files]);

        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Contains($"    expected  {TestKeys.Key1PublicKey}\n", console.StdoutText);
        Assert.Contains("RESULT: FAIL (identity mismatch): the shares rebuild key", console.StdoutText);
    }
}
