using System.Text;
using KeyVault.Cli;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Signing;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Signing;

/// <summary>
/// The successor statement of a key rotation (docs/rotation.md): announced by the old key, accepted by the new one,
/// verified by anyone; the vectors in test-vectors/rotation.
/// </summary>
public class SuccessorStatementTests : IDisposable
{
    private static readonly string VectorDir = Path.Combine(External.RepoRoot, "test-vectors", "rotation");
    private static readonly string[] WeakKdf = ["--kdf-memory", "8KiB", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);

    private static string Announced(SecretKey oldKey, PublicKey newKey) =>
        new SuccessorStatement { OldKey = oldKey.PublicKey, NewKey = newKey, CreatedAt = At, ToolVersion = "1.0.0" }.Announce(oldKey);

    [Fact]
    public void Announced_then_accepted_is_valid_and_each_step_needs_its_own_key()
    {
        using var oldKey = Key(TestKeys.Key1);
        using var newKey = Key(TestKeys.Key2);
        using var other = Key(TestKeys.Key3);
        var announced = Announced(oldKey, newKey.PublicKey);
        var half = SuccessorStatement.Verify(announced);
        Assert.False(half.Valid);
        Assert.Null(half.OldKeyProblem);
        Assert.Equal(SuccessorStatement.NotAcceptedYet, half.AcceptanceProblem);

        var accepted = SuccessorStatement.Accept(announced, newKey);
        var full = SuccessorStatement.Verify(accepted);
        Assert.True(full.Valid, full.AcceptanceProblem);
        Assert.Equal(oldKey.PublicKey, full.OldKey);
        Assert.Equal(newKey.PublicKey, full.NewKey);

        Assert.Equal(ErrorKind.IdentityMismatch, Assert.Throws<KeyVaultException>(() => SuccessorStatement.Accept(announced, other)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => SuccessorStatement.Accept(accepted, newKey)).Kind);
        Assert.Throws<ArgumentException>(() => new SuccessorStatement { OldKey = oldKey.PublicKey, NewKey = newKey.PublicKey, CreatedAt = At }.Announce(other));
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => Announced(oldKey, oldKey.PublicKey)).Kind);
    }

    [Fact]
    public void A_claimed_rotation_without_the_old_key_is_rejected()
    {
        using var victim = Key(TestKeys.Key1);
        using var attacker = Key(TestKeys.Key3);
        // The attacker signs with its own key and names it the successor of the victim's key.
        var forged = Announced(attacker, victim.PublicKey)
            .Replace($"\"oldPublicKey\": \"{attacker.PublicKey.Hex66}\"", $"\"oldPublicKey\": \"{victim.PublicKey.Hex66}\"", StringComparison.Ordinal)
            .Replace($"\"newPublicKey\": \"{victim.PublicKey.Hex66}\"", $"\"newPublicKey\": \"{attacker.PublicKey.Hex66}\"", StringComparison.Ordinal);
        var v = SuccessorStatement.Verify(forged);
        Assert.False(v.Valid);
        Assert.Contains("not by the old key", v.OldKeyProblem, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => SuccessorStatement.Accept(forged, attacker)).Kind);
        // Claiming the victim's key as signer does not help: the signature is the attacker's.
        var claimed = forged.Replace($"\"publicKey\": \"{attacker.PublicKey.Hex66}\"", $"\"publicKey\": \"{victim.PublicKey.Hex66}\"", StringComparison.Ordinal);
        Assert.Contains("does not verify", SuccessorStatement.Verify(claimed).OldKeyProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not JSON")]
    [InlineData("{\"format\": \"keyvault-signer-set-attestation\", \"version\": 1}", "this reads keyvault-successor-statement")]
    public void Malformed_statements_are_damaged_files(string json, string message)
    {
        var e = Assert.Throws<KeyVaultException>(() => SuccessorStatement.Verify(json));
        Assert.Equal(ErrorKind.DamagedFile, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_member_is_refused_rather_than_ignored()
    {
        using var oldKey = Key(TestKeys.Key1);
        using var newKey = Key(TestKeys.Key2);
        var text = Announced(oldKey, newKey.PublicKey).Replace("\"format\"", "\"effective\": \"2027-01-01\",\n  \"format\"", StringComparison.Ordinal);
        Assert.Contains("unknown member \"effective\"", Assert.Throws<KeyVaultException>(() => SuccessorStatement.Verify(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vectors_hold_each_verdict_and_keyvault_reads_them_as_their_expect_line_says()
    {
        using var oldKey = Key(TestKeys.Key1);
        using var newKey = Key(TestKeys.Key2);
        using var other = Key(TestKeys.Key3);
        var announced = Announced(oldKey, newKey.PublicKey);
        var valid = SuccessorStatement.Accept(announced, newKey);
        var changed = valid.Replace(newKey.PublicKey.Hex66, other.PublicKey.Hex66, StringComparison.Ordinal);
        var acceptedByOther = SuccessorStatement.Accept(Announced(oldKey, other.PublicKey), other)
            .Replace(other.PublicKey.Hex66, newKey.PublicKey.Hex66, StringComparison.Ordinal);
        var files = new Dictionary<string, byte[]>
        {
            ["statement-valid"] = VectorFile.Format([("expect", "valid"), ("comment", "test key 1 names test key 2 as its successor; test key 2 accepts")], valid),
            ["statement-not-accepted"] = VectorFile.Format([("expect", "not accepted"), ("comment", "the same, announced by test key 1 only")], announced),
            ["statement-new-key-changed"] = VectorFile.Format([("expect", "rejected"), ("comment", "the valid one with newPublicKey (and the acceptance's key) changed to test key 3 after signing")], changed),
            ["statement-accepted-by-another-key"] = VectorFile.Format([("expect", "rejected"), ("comment", "test key 1 named test key 3, which accepted; then test key 3 was replaced by test key 2 throughout")], acceptedByOther),
        };
        VectorFile.AssertFolderIs(VectorDir, files);

        Assert.True(SuccessorStatement.Verify(valid).Valid);
        Assert.Equal(SuccessorStatement.NotAcceptedYet, SuccessorStatement.Verify(announced).AcceptanceProblem);
        Assert.NotNull(SuccessorStatement.Verify(changed).OldKeyProblem);
        var o = SuccessorStatement.Verify(acceptedByOther);
        Assert.False(o.Valid);
    }

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private string KeyFile(string name, string hex)
    {
        var path = _dir.File(name);
        var console = new TestConsole();
        int rc = console.Run(["import", "--from", Write(name + ".hex", hex + "\n"), "--out", path, "--passphrase-file", Write("pass.txt", "pw one velvet orbit canyon\n"), .. WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        File.Delete(_dir.File(name + ".hex"));
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var console = new TestConsole();
        int rc = console.Run(args);
        return (rc, console.StdoutText, console.StderrText);
    }

    [Fact]
    public void The_commands_announce_accept_and_verify_a_rotation()
    {
        var oldFile = KeyFile("old.kvk", TestKeys.Key1);
        var newFile = KeyFile("new.kvk", TestKeys.Key2);
        var pass = _dir.File("pass.txt");
        var announced = _dir.File("announced.json");
        var accepted = _dir.File("accepted.json");

        var a = Run("rotate", "announce", "--new-public-key", TestKeys.Key2PublicKey, "--key-file", oldFile, "--passphrase-file", pass, "--out", announced);
        Assert.True(a.Code == ExitCode.Success, a.Stderr);
        // The successor is shown before the old key is opened.
        Assert.True(a.Stderr.IndexOf(TestKeys.Key2PublicKey, StringComparison.Ordinal) < a.Stderr.IndexOf("decrypting", StringComparison.Ordinal), a.Stderr);
        var half = Run("rotate", "verify", announced);
        Assert.Equal(ExitCode.InvalidSignature, half.Code);
        Assert.StartsWith("INVALID\n", half.Stdout, StringComparison.Ordinal);
        Assert.Contains("has not accepted", half.Stderr, StringComparison.Ordinal);

        var wrong = Run("rotate", "accept", announced, "--key-file", oldFile, "--passphrase-file", pass, "--out", accepted);
        Assert.Equal(ExitCode.IdentityMismatch, wrong.Code);
        Assert.False(File.Exists(accepted));

        var ok = Run("rotate", "accept", announced, "--key-file", newFile, "--passphrase-file", pass, "--out", accepted);
        Assert.True(ok.Code == ExitCode.Success, ok.Stderr);
        var v = Run("rotate", "verify", accepted, "--old-public-key", TestKeys.Key1PublicKey);
        Assert.True(v.Code == ExitCode.Success, v.Stderr);
        Assert.Equal($"VALID\nold-key    {TestKeys.Key1PublicKey}\nnew-key    {TestKeys.Key2PublicKey}\n", string.Join('\n', v.Stdout.Split('\n').Take(3)) + "\n");
        Assert.Equal(ExitCode.IdentityMismatch, Run("rotate", "verify", accepted, "--old-public-key", TestKeys.Key2PublicKey).Code);

        // A statement changed after the old key signed is refused before the new key is opened.
        var changed = Write("changed.json", File.ReadAllText(announced).Replace("2026", "2025", StringComparison.Ordinal));
        var refused = Run("rotate", "accept", changed, "--key-file", newFile, "--passphrase-file", pass, "--out", _dir.File("x.json"));
        Assert.Equal(ExitCode.DamagedFile, refused.Code);
        Assert.DoesNotContain("decrypting", refused.Stderr, StringComparison.Ordinal);
        // An existing output is never overwritten.
        Assert.Equal(ExitCode.OutputFailure, Run("rotate", "accept", announced, "--key-file", newFile, "--passphrase-file", pass, "--out", accepted).Code);
    }
}
