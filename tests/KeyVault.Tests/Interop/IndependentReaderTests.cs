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
        if (!Directory.Exists(Path.Combine(InteropDir, "node_modules", "argon2")) || !Directory.Exists(Path.Combine(InteropDir, "node_modules", "slip39")))
            External.Unavailable($"the interop packages are not installed (npm ci --prefix {InteropDir})");
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
    [InlineData("drill-reader.js", "drill", 13)]
    [InlineData("manifest-reader.js", "manifest", 30)]
    [InlineData("dkg-export-reader.js", "dkg-export", 8)]
    [InlineData("restore-session-reader.js", "restore-session", 8)]
    [InlineData("signer-set-reader.js", "signer-set", 4)]
    [InlineData("successor-statement-reader.js", "rotation", 4)]
    [InlineData("receipt-reader.js", "receipt", 3)]
    [InlineData("handover-reader.js", "handover", 4)]
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
        Assert.Contains("recovers", Only(lines, "report-tampered").Reason);
        Assert.Contains("signer is not derived.publicKey", Only(lines, "report-other-signer").Reason);
        Assert.Contains("does not verify with the key", Only(lines, "dkg-blob-key1-flipped").Reason);
        Assert.Equal("identity-mismatch", Only(lines, "report-identity-mismatch").Facts.GetProperty("result").GetString());
        Assert.Equal(TestKeys.Key1PublicKey, Only(lines, "report-valid").Facts.GetProperty("signer").GetString());
        Assert.Equal(96, Only(lines, "dkg-blob-key1").Facts.GetProperty("plaintextLength").GetInt32());

        foreach (var name in new[] { "report-valid", "report-tampered", "report-identity-mismatch", "report-other-signer" })
        {
            var facts = Only(lines, name).Facts;
            var mine = DrillReport.Verify(VectorFile.Read(Path.Combine(VectorDir, "drill", name)).BodyText);
            Assert.Equal(mine.SignatureValid, facts.GetProperty("signatureValid").GetBoolean());
            Assert.Equal(mine.Signer.Hex66, facts.GetProperty("signer").GetString());
            Assert.Equal(mine.SignatureValid && mine.SignerIsDerivedIdentity, Only(lines, name).Verdict == "valid");
            Assert.Equal(mine.Signer.Fingerprint == facts.GetProperty("fingerprint").GetString(), mine.SignerIsDerivedIdentity);
        }

        // A vector whose expect line lies is caught: the verdict is the reader's own.
        using var dir = new TempDir();
        var lie = Path.Combine(dir.Path, "report-tampered");
        File.WriteAllBytes(lie, [.. "expect: valid\n"u8, .. File.ReadAllBytes(Path.Combine(VectorDir, "drill", "report-tampered")).SkipWhile(b => b != (byte)'\n').Skip(1)]);
        var (code, liar, _) = RunReader("drill-reader.js", lie);
        Assert.NotEqual(0, code);
        Assert.False(Only(liar, "report-tampered").Ok);
        Assert.Equal("signature invalid", Only(liar, "report-tampered").Verdict);
    }

    [Fact]
    public void Manifest_reader_rejects_the_tampered_and_foreign_manifests_and_agrees_with_KeyVault()
    {
        var (_, lines, _) = RunReader("manifest-reader.js", Folder("manifest"));
        Assert.Equal("signature invalid", Only(lines, "manifest-tampered").Verdict);
        Assert.Equal("signature invalid", Only(lines, "manifest-commitment-tampered").Verdict);
        Assert.Contains("signer is not identity.publicKey", Only(lines, "manifest-other-signer").Reason);
        Assert.Equal("Zoe Adams", Only(lines, "reissued-share-4").Facts.GetProperty("custodian").GetString());
        Assert.Equal(12, lines.Count(l => l.File.StartsWith("share-", StringComparison.Ordinal) && l.Verdict == "commitment"));
        Assert.Equal(3, Only(lines, "manifest-retires-valid").Facts.GetProperty("retiredShares").GetInt32());
        // Version 4: the previous key's shares check as superseded, then as retired; a forged embedded statement is refused.
        Assert.Equal("superseded", Only(lines, "manifest-rotation-superseded").Facts.GetProperty("retiredShareVerdicts")[0].GetString());
        Assert.Equal("retired", Only(lines, "manifest-rotation-retired").Facts.GetProperty("retiredShareVerdicts")[0].GetString());
        Assert.Contains("successorStatement.signature does not hold", Only(lines, "manifest-rotation-statement-altered").Reason);
        Assert.Throws<KeyVault.Errors.KeyVaultException>(() =>
            BackupManifest.Verify(VectorFile.Read(Path.Combine(VectorDir, "manifest", "manifest-rotation-statement-altered")).BodyText));

        foreach (var line in lines.Where(l => l.File.StartsWith("manifest-", StringComparison.Ordinal) && l.Expected is not ("canonical" or "rejected")))
        {
            var mine = BackupManifest.Verify(VectorFile.Read(Path.Combine(VectorDir, "manifest", line.File)).BodyText);
            Assert.Equal(mine.Authentic, line.Verdict == "authentic");
            Assert.Equal(mine.SignatureValid, line.Facts.GetProperty("signatureValid").GetBoolean());
            Assert.Equal(mine.Signer.Hex66, line.Facts.GetProperty("signer").GetString());
        }
    }

    [Fact]
    public void Dkg_reader_decodes_both_rows_and_refuses_the_damaged_copies_for_the_right_reason()
    {
        var (_, lines, _) = RunReader("dkg-export-reader.js", Folder("dkg-export"));
        var export = Only(lines, "two-rows-export").Facts;
        var rows = export.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal([32, 48], rows.Select(r => r.GetProperty("plaintextLength").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("plaintextAllZero").GetBoolean()));
        Assert.Equal(["absent", "verified"], rows.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(6, Only(lines, "two-rows-export-qr").Facts.GetProperty("parts").GetInt32());
        Assert.Equal(3, Only(lines, "two-rows-private-part-qr").Facts.GetProperty("parts").GetInt32());
        Assert.True(Only(lines, "two-rows-private-part-qr").Facts.GetProperty("equalsStoredFile").GetBoolean());
        Assert.Contains("checksum does not match", Only(lines, "two-rows-export-flipped").Reason);
        Assert.Contains("checksum does not match", Only(lines, "two-rows-private-part-flipped").Reason);
        Assert.Contains("part 3 of 6 missing", Only(lines, "two-rows-export-qr-missing-part").Reason);
        Assert.Contains("does not match", Only(lines, "two-rows-export-qr-bad-check").Reason);
    }

    [Fact]
    public void Restore_session_reader_opens_the_sessions_KeyVault_opens_and_rebuilds_the_same_key()
    {
        var (_, lines, _) = RunReader("restore-session-reader.js", Folder("restore-session"));
        Assert.Equal(TestKeys.Key1PublicKey, Only(lines, "two-shares").Facts.GetProperty("publicKey").GetString());
        Assert.Equal(["1/3", "1/1"], Only(lines, "two-shares").Facts.GetProperty("statusShares").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("after the identity", Only(lines, "plaintext-trailing-byte").Reason);
        Assert.Contains("does not verify", Only(lines, "wrong-passphrase").Reason);

        // A vector whose header lies about the key it rebuilds is caught.
        using var dir = new TempDir();
        var twoShares = File.ReadAllText(Path.Combine(VectorDir, "restore-session", "two-shares"), System.Text.Encoding.Latin1);
        var lie = Path.Combine(dir.Path, "two-shares");
        File.WriteAllText(lie, twoShares.Replace(TestKeys.Key1PublicKey, TestKeys.Key2PublicKey, StringComparison.Ordinal), System.Text.Encoding.Latin1);
        var (code, liar, _) = RunReader("restore-session-reader.js", lie);
        Assert.NotEqual(0, code);
        Assert.False(Only(liar, "two-shares").Ok);
    }
}
