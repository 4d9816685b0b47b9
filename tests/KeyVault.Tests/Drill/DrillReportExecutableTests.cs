using System.Text.Json.Nodes;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.SelfTest;

namespace KeyVault.Tests.Drill;

/// <summary>The optional record of the executable (SHA-256, self-test result) in drill reports and ceremony transcripts.</summary>
public class DrillReportExecutableTests
{
    private static string Vector(string name) => DrillVectorTests.Read(name).BodyText;

    [Fact]
    public void AReportRecordsTheExecutableInsideTheSignedToolObject()
    {
        var verification = DrillReport.Verify(Vector("report-valid"));
        Assert.True(verification.Valid);
        var executable = Assert.IsType<ExecutableRecord>(verification.Report.Executable);
        Assert.True(executable.SelfTestPassed);
        Assert.Matches("^[0-9a-f]{64}$", executable.Sha256);
        // The members are part of the signed message: changing the hash breaks the signature.
        var node = JsonNode.Parse(Vector("report-valid"))!;
        node["tool"]!["executableSha256"] = new string('0', 64);
        Assert.False(DrillReport.Verify(node.ToJsonString()).SignatureValid);
    }

    [Fact]
    public void AReportWithoutTheMembersIsStillValid()
    {
        var verification = DrillReport.Verify(Vector("report-identity-mismatch"));
        Assert.True(verification.SignatureValid);
        Assert.Null(verification.Report.Executable);
    }

    [Theory]
    [InlineData("selfTest", null, "come together")]
    [InlineData("executableSha256", null, "come together")]
    [InlineData("executableSha256", "ABCDEF", "64 lowercase hex")]
    [InlineData("selfTest", "maybe", "not pass or fail")]
    public void AMalformedExecutableRecordIsRejected(string member, string? value, string reason)
    {
        var node = JsonNode.Parse(Vector("report-valid"))!;
        var tool = node["tool"]!.AsObject();
        if (value is null) tool.Remove(member);
        else tool[member] = member == "executableSha256" ? value.PadRight(64, 'A') : value;
        var e = Assert.Throws<KeyVaultException>(() => DrillReport.Parse(node.ToJsonString()));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ARecordIsMadeFromASelfTestRun()
    {
        var result = SelfTests.Run(Environment.ProcessPath, corrupt: null);
        var record = ExecutableRecord.From(result)!;
        Assert.Equal(result.ExecutableSha256, record.Sha256);
        Assert.True(record.SelfTestPassed);
        Assert.Equal("pass", record.SelfTestName);
        Assert.Null(ExecutableRecord.From(result with { ExecutablePath = null, ExecutableSha256 = null }));
    }

    [Fact]
    public void TheTranscriptWritesTheExecutableInBothForms()
    {
        var transcript = KeyVault.Tests.Ceremony.TranscriptVectorTests.Example();
        var tool = JsonNode.Parse(transcript.ToJson())!["tool"]!;
        Assert.Equal(transcript.Executable!.Sha256, tool["executableSha256"]!.GetValue<string>());
        Assert.Equal("pass", tool["selfTest"]!.GetValue<string>());
        Assert.Contains($"| executable SHA-256 | `{transcript.Executable.Sha256}` |", transcript.ToMarkdown());
        var without = transcript with { Executable = null };
        Assert.Null(JsonNode.Parse(without.ToJson())!["tool"]!["selfTest"]);
        Assert.DoesNotContain("executable SHA-256", without.ToMarkdown());
    }
}
