using System.Text.Json;
using KeyVault.Drill;
using KeyVault.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Interop;

/// <summary>
/// The committed vectors read by second implementations written from the format texts alone: the Node.js readers in
/// tests/interop (drill-reader.js, manifest-reader.js, dkg-export-reader.js, restore-session-reader.js). Each prints one
/// JSON line per file with its verdict, the verdict the vector must have, and the facts it decoded; here the verdicts
/// are asserted and the facts compared with what KeyVault computes for the same file.
/// </summary>
public class IndependentReaderTests
{
    private static readonly string InteropDir = Path.Combine(External.RepoRoot, "tests", "interop");
    private static readonly string VectorDir = Path.Combine(External.RepoRoot, "test-vectors");

    private sealed record Line(string File, string Verdict, string? Expected, bool Ok, string? Reason, JsonElement Facts);

    private static (int Code, List<Line> Lines, string Stderr) RunReader(string reader, params string[] files)
    {
        var node = External.RequireTool("node", "nodejs");
        var (code, stdout, stderr) = External.Run(node, [Path.Combine(InteropDir, reader), .. files]);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var e = JsonDocument.Parse(l).RootElement.Clone();
            return new Line(e.GetProperty("file").GetString()!, e.GetProperty("verdict").GetString()!,
                e.GetProperty("expected").GetString(), e.GetProperty("ok").GetBoolean(),
                e.GetProperty("reason").GetString(), e.GetProperty("facts"));
        }).ToList();
        return (code, lines, stderr);
    }

    private static string[] Folder(string name) =>
        Directory.GetFiles(Path.Combine(VectorDir, name)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

    private static Line Only(List<Line> lines, string file) => Assert.Single(lines, l => l.File == file);

    [Theory]
    [InlineData("drill-reader.js", "drill", 8)]
    [InlineData("manifest-reader.js", "manifest", 10)]
    [InlineData("dkg-export-reader.js", "dkg-export", 4)]
    public void Every_vector_has_its_expected_verdict(string reader, string folder, int count)
    {
        var files = Folder(folder);
        var (code, lines, stderr) = RunReader(reader, files);
        Assert.Equal(count, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.NotNull(l.Expected); // every committed vector is known to the reader
            Assert.True(l.Ok, $"{l.File}: {l.Verdict}, expected {l.Expected}: {l.Reason}");
        });
        Assert.True(code == 0, $"{reader} exited {code}: {stderr}");
    }

    [Fact]
    public void Drill_reader_rejects_the_tampered_and_foreign_reports_for_the_right_reason_and_agrees_with_KeyVault()
    {
        var (_, lines, _) = RunReader("drill-reader.js", Folder("drill"));
        Assert.Contains("signature invalid", Only(lines, "report-tampered.json").Reason);
        Assert.Contains("signer is not derived.publicKey", Only(lines, "report-other-signer.json").Reason);
        Assert.Contains("does not verify with test key 1", Only(lines, "dkg-blob-key1-flipped.hex").Reason);
        Assert.Equal("identity-mismatch", Only(lines, "report-identity-mismatch.json").Facts.GetProperty("result").GetString());
        Assert.Equal(TestKeys.Key1PublicKey, Only(lines, "report-valid.json").Facts.GetProperty("signer").GetString());

        foreach (var name in new[] { "report-valid.json", "report-tampered.json", "report-identity-mismatch.json", "report-other-signer.json" })
        {
            var facts = Only(lines, name).Facts;
            var mine = DrillReport.Verify(File.ReadAllText(Path.Combine(VectorDir, "drill", name)));
            Assert.Equal(mine.SignatureValid, facts.GetProperty("signatureValid").GetBoolean());
            Assert.Equal(mine.Signer.Hex66, facts.GetProperty("signer").GetString());
            Assert.Equal(mine.SignatureValid && mine.SignerIsDerivedIdentity, Only(lines, name).Verdict == "valid");
            Assert.Equal(mine.Signer.Fingerprint == facts.GetProperty("fingerprint").GetString(), mine.SignerIsDerivedIdentity);
        }
    }

    [Fact]
    public void Manifest_reader_rejects_the_tampered_and_foreign_manifests_and_agrees_with_KeyVault()
    {
        var (_, lines, _) = RunReader("manifest-reader.js", Folder("manifest"));
        Assert.Contains("signature invalid", Only(lines, "manifest-tampered.json").Reason);
        Assert.Contains("signature invalid", Only(lines, "manifest-commitment-tampered.json").Reason);
        Assert.Contains("signer is not identity.publicKey", Only(lines, "manifest-other-signer.json").Reason);
        Assert.Equal("Zoe Adams", Only(lines, "reissued-share-4.txt").Facts.GetProperty("custodian").GetString());
        Assert.Equal(12, Only(lines, "shares.json").Facts.GetProperty("shares").GetInt32());
        Assert.Equal(3, Only(lines, "manifest-retires-valid.json").Facts.GetProperty("retiredShares").GetInt32());

        foreach (var line in lines.Where(l => l.File.StartsWith("manifest-", StringComparison.Ordinal) && l.File.EndsWith(".json", StringComparison.Ordinal)))
        {
            var mine = BackupManifest.Verify(File.ReadAllText(Path.Combine(VectorDir, "manifest", line.File)));
            Assert.Equal(mine.Authentic, line.Verdict == "valid");
            Assert.Equal(mine.SignatureValid, line.Facts.GetProperty("signatureValid").GetBoolean());
            Assert.Equal(mine.Signer.Hex66, line.Facts.GetProperty("signer").GetString());
        }
    }

    [Fact]
    public void Dkg_reader_decodes_both_rows_and_rejects_damaged_copies()
    {
        var (_, lines, _) = RunReader("dkg-export-reader.js", Folder("dkg-export"));
        var export = Only(lines, "two-rows.kvdkg").Facts;
        var rows = export.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal([32, 48], rows.Select(r => r.GetProperty("plaintextLength").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("plaintextAllZero").GetBoolean()));
        Assert.Equal(["absent", "verified"], rows.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(6, Only(lines, "two-rows.kvdkg.qr.txt").Facts.GetProperty("parts").GetInt32());
        Assert.Equal(3, Only(lines, "two-rows.kvdkp.qr.txt").Facts.GetProperty("parts").GetInt32());
        Assert.True(Only(lines, "two-rows.kvdkp.qr.txt").Facts.GetProperty("equalsStoredFile").GetBoolean());

        // No damaged DKG vector is committed; make some, so the reader's refusals are exercised too.
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Path.Combine(VectorDir, "dkg-export", "two-rows.kvdkg"));
        bytes[100] ^= 1;
        File.WriteAllBytes(Path.Combine(dir.Path, "flipped.kvdkg"), bytes);
        var qr = File.ReadAllLines(Path.Combine(VectorDir, "dkg-export", "two-rows.kvdkg.qr.txt"));
        File.WriteAllLines(Path.Combine(dir.Path, "missing.qr.txt"), qr.Where((_, i) => i != 2));
        var badCheck = qr.ToArray();
        badCheck[0] = badCheck[0][..^1] + (badCheck[0][^1] == '0' ? '1' : '0');
        File.WriteAllLines(Path.Combine(dir.Path, "badcheck.qr.txt"), badCheck);
        var (code, bad, _) = RunReader("dkg-export-reader.js",
            Path.Combine(dir.Path, "flipped.kvdkg"), Path.Combine(dir.Path, "missing.qr.txt"), Path.Combine(dir.Path, "badcheck.qr.txt"));
        Assert.NotEqual(0, code);
        Assert.All(bad, l => Assert.Equal("rejected", l.Verdict));
        Assert.Contains("checksum does not match", Only(bad, "flipped.kvdkg").Reason);
        Assert.Contains("part 3 of 6 missing", Only(bad, "missing.qr.txt").Reason);
        Assert.Contains("does not match", Only(bad, "badcheck.qr.txt").Reason);
    }
}
