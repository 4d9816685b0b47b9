using System.Text;
using KeyVault.Age;
using KeyVault.Cli;
using KeyVault.Restore;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>restore start | add | status | finish and drill --restore-session, through Program.Run.</summary>
public sealed class RestoreCommandTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    private static byte[] SessionBytes(string dir) => File.ReadAllBytes(Path.Combine(dir, RestoreSession.FileName));

    [Fact]
    public void Start_add_status_finish_rebuilds_the_key_and_removes_the_session()
    {
        var (dir, recipient) = _k.StartSession();
        Assert.StartsWith("age1", recipient);
        Assert.Equal(recipient + "\n", File.ReadAllText(Path.Combine(dir, "recipient.txt")));
        Assert.Equal(AgeRecipientType.X25519, AgeRecipient.Parse(recipient).Type);

        var (rc, console) = _k.Add(dir, "--share-file", _k.Share(3));
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("need 1 more share", console.StdoutText);

        (rc, console) = CustodyKit.Run("restore", "status", dir);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("have share:  #3 (Carol)", console.StdoutText);
        Assert.Contains("still out:   share #1 (Alice)", console.StdoutText);
        Assert.Contains(recipient, console.StdoutText);

        // Finishing too early is refused, and the session keeps its share.
        var restored = _k.Dir("restored.kvk");
        (rc, console) = CustodyKit.Run(["restore", "finish", dir, "--out", restored, "--session-passphrase-file", _k.SessionPass,
            "--passphrase-file", _k.Kit.PassFile, .. CustodyKit.WeakKdf]);
        Assert.Equal(ExitCode.RebuildFailed, rc);
        Assert.False(File.Exists(restored));

        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        (rc, console) = CustodyKit.Run(["restore", "finish", dir, "--out", restored, "--session-passphrase-file", _k.SessionPass,
            "--passphrase-file", _k.Kit.PassFile, .. CustodyKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains(TestKeys.Key1PublicKey, console.StdoutText);
        Assert.Equal(["manifest.json"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName)); // only the public manifest stays
        Assert.Contains("manifest.json stays", console.StderrText);
        var (revealRc, reveal) = CustodyKit.Run("reveal", restored, "--passphrase-file", _k.Kit.PassFile, "--format", "hex", "--out", "-");
        Assert.True(revealRc == ExitCode.Success, reveal.StderrText);
        Assert.Contains(TestKeys.Key1, reveal.StdoutText);
    }

    [Fact]
    public void Finish_with_reveal_format_writes_the_bare_key()
    {
        var (dir, _) = _k.StartSession(withManifest: false);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(2)).Rc);
        var (rc, console) = CustodyKit.Run("restore", "finish", dir, "--reveal-format", "hex", "--out", "-", "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(TestKeys.Key1, console.StdoutText.Trim());
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Typed_share_at_the_terminal_survives_an_empty_line_and_a_typo()
    {
        var (dir, _) = _k.StartSession();
        var words = ShareCommandKit.Mnemonic(_k.Share(2));
        var console = new TestConsole();
        console.Secrets.Enqueue("");
        console.Secrets.Enqueue(words.Replace(words.Split(' ')[4], words.Split(' ')[4] == "academic" ? "acid" : "academic"));
        console.Secrets.Enqueue(words);
        int rc = console.Run("restore", "add", dir, "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Single(RestoreSession.ReadStatus(dir).Shares);

        // The end of input adds nothing and keeps what was there.
        console = new TestConsole();
        console.Secrets.Enqueue(null);
        Assert.Equal(ExitCode.Cancelled, console.Run("restore", "add", dir, "--session-passphrase-file", _k.SessionPass));
        Assert.Single(RestoreSession.ReadStatus(dir).Shares);
    }

    [Fact]
    public void A_share_file_piped_on_standard_input_is_one_share()
    {
        var (dir, _) = _k.StartSession();
        var console = new TestConsole { Interactive = false }.WithStdin(File.ReadAllText(_k.Share(2)));
        int rc = console.Run("restore", "add", dir, "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(2, Assert.Single(RestoreSession.ReadStatus(dir).Shares).Member);
    }

    [Fact]
    public void Bad_inputs_get_their_exit_codes_and_change_nothing()
    {
        var (dir, _) = _k.StartSession();
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        var before = SessionBytes(dir);

        // The same share again.
        Assert.Equal(ExitCode.BadInput, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        // A share of another backup of the same key: not registered in the manifest.
        var other = _k.SplitAgain("other");
        var (rc, console) = _k.Add(dir, "--share-file", Path.Combine(other, "share-2.txt"));
        Assert.True(rc is ExitCode.IdentityMismatch, console.StderrText);
        // A malformed share.
        Assert.Equal(ExitCode.BadInput, _k.Add(dir, "--share-file", _k.Kit.Write("bad.txt", "academic acid\n")).Rc);
        // A wrong session passphrase.
        (rc, console) = CustodyKit.Run("restore", "add", dir, "--share-file", _k.Share(2), "--session-passphrase-file", _k.Kit.Write("wrong.txt", "wrong\n"));
        Assert.Equal(ExitCode.AuthenticationFailed, rc);
        // Both sources at once.
        Assert.Equal(ExitCode.Usage, _k.Add(dir, "--share-file", _k.Share(2), "--sealed", _k.Share(2)).Rc);
        // A second session in the same folder.
        Assert.Equal(ExitCode.OutputFailure, CustodyKit.Run(["restore", "start", "--out-dir", dir, "--session-passphrase-file", _k.SessionPass,
            .. CustodyKit.WeakKdf]).Rc);
        // A forged manifest for a new session.
        var json = CustodyKit.Json(_k.Manifest);
        json["shares"]![0]!["custodian"] = "Mallory";
        var forged = _k.Kit.Write("forged.json", json.ToJsonString());
        var fresh = _k.Dir("fresh");
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run(["restore", "start", "--out-dir", fresh, "--manifest", forged,
            "--session-passphrase-file", _k.SessionPass, .. CustodyKit.WeakKdf]).Rc);
        Assert.False(Directory.Exists(fresh));

        Assert.Equal(before, SessionBytes(dir));
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(2)).Rc);
    }

    [Fact]
    public void A_damaged_session_file_is_refused()
    {
        var (dir, _) = _k.StartSession();
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        var path = Path.Combine(dir, RestoreSession.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var (rc, _) = _k.Add(dir, "--share-file", _k.Share(2));
        Assert.True(rc is ExitCode.AuthenticationFailed or ExitCode.DamagedFile, $"exit {rc}");
        Assert.Equal(bytes, File.ReadAllBytes(path));

        File.WriteAllText(path, "garbage");
        Assert.Equal(ExitCode.DamagedFile, CustodyKit.Run("restore", "status", dir).Rc);
        Assert.Equal(ExitCode.BadInput, CustodyKit.Run("restore", "status", _k.Dir("nowhere")).Rc);
    }

    [Fact]
    public void Retired_backup_shares_are_refused_by_a_session_on_the_new_manifest()
    {
        var newer = _k.SplitAgain("newer");
        var newManifest = Path.Combine(newer, "manifest.json");
        Assert.Equal(ExitCode.Success, CustodyKit.Run("backup", "retire", "--manifest", _k.Manifest, "--replaced-by", newManifest,
            "--key-file", _k.Kit.KeyFile, "--passphrase-file", _k.Kit.PassFile).Rc);
        var dir = _k.Dir("session");
        Assert.Equal(ExitCode.Success, CustodyKit.Run(["restore", "start", "--out-dir", dir, "--manifest", newManifest,
            "--session-passphrase-file", _k.SessionPass, .. CustodyKit.WeakKdf]).Rc);
        var (rc, console) = _k.Add(dir, "--share-file", _k.Share(1));
        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Contains("destroy this sheet", console.StderrText);
        Assert.Empty(RestoreSession.ReadStatus(dir).Shares);
    }

    [Fact]
    public void Drill_on_a_restore_session_proves_the_key_without_changing_it()
    {
        var (dir, _) = _k.StartSession();
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        Assert.Equal(ExitCode.RebuildFailed, CustodyKit.Run("drill", "--expect", TestKeys.Key1PublicKey, "--restore-session", dir,
            "--session-passphrase-file", _k.SessionPass).Rc);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(3)).Rc);
        var before = SessionBytes(dir);
        var (rc, console) = CustodyKit.Run("drill", "--expect", TestKeys.Key1PublicKey, "--restore-session", dir, "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains("PASS", console.StdoutText);
        Assert.DoesNotContain(TestKeys.Key1, console.StdoutText + console.StderrText);
        // Without --expect, the session's manifest names the key.
        (rc, console) = CustodyKit.Run("drill", "--restore-session", dir, "--session-passphrase-file", _k.SessionPass);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Contains(TestKeys.Key1PublicKey, console.StdoutText);
        (rc, console) = CustodyKit.Run("drill", "--expect", TestKeys.Key2PublicKey, "--restore-session", dir, "--session-passphrase-file", _k.SessionPass);
        Assert.Equal(ExitCode.IdentityMismatch, rc);
        Assert.Equal(before, SessionBytes(dir));
        Assert.Equal(ExitCode.Usage, CustodyKit.Run("drill", "--expect", TestKeys.Key1PublicKey, "--restore-session", dir,
            "--key-file", _k.Kit.KeyFile).Rc);
    }

    [Fact]
    public void A_post_quantum_session_opens_returns_sealed_by_age_encryption_and_rebuilds_the_key()
    {
        var (dir, recipient) = _k.StartSession(postQuantum: true);
        var parsed = AgeRecipient.Parse(recipient);
        Assert.Equal(AgeRecipientType.MlKem768X25519, parsed.Type);
        Assert.Equal(recipient + "\n", File.ReadAllText(Path.Combine(dir, "recipient.txt")));
        var (_, status) = CustodyKit.Run("restore", "status", dir);
        Assert.Contains(recipient, status.StdoutText);

        // Each custodian's age (here npm age-encryption, an independent implementation) seals the share on to the session.
        foreach (var (share, armor) in new[] { (1, true), (3, false) })
        {
            var sealedByPeer = AgePeer.Run(new { op = "encrypt", recipients = new[] { recipient },
                plaintext = Convert.ToBase64String(File.ReadAllBytes(_k.Share(share))), armor });
            var returned = _k.Dir($"return-{share}.age");
            File.WriteAllBytes(returned, Convert.FromBase64String((string)sealedByPeer["file"]!));
            Assert.Equal("mlkem768x25519", AgeFile.Inspect(File.ReadAllBytes(returned)).Stanzas[0].Type);
            var (rc, console) = _k.Add(dir, "--sealed", returned);
            Assert.True(rc == ExitCode.Success, console.StderrText);
        }
        var restored = _k.Dir("restored.kvk");
        var (finishRc, finish) = CustodyKit.Run(["restore", "finish", dir, "--out", restored, "--session-passphrase-file", _k.SessionPass,
            "--passphrase-file", _k.Kit.PassFile, .. CustodyKit.WeakKdf]);
        Assert.True(finishRc == ExitCode.Success, finish.StderrText);
        Assert.Contains(TestKeys.Key1PublicKey, finish.StdoutText);
    }

    [Fact]
    public void Sealed_return_opens_with_the_session_identity_and_a_second_stanza_is_refused()
    {
        var (dir, recipient) = _k.StartSession();
        var plain = File.ReadAllBytes(_k.Share(2));
        var returned = _k.Dir("return.age");
        File.WriteAllBytes(returned, AgeEncryptor.Encrypt(plain, [AgeRecipient.Parse(recipient)], armor: true));
        using var stranger = AgeIdentity.Generate();
        var two = _k.Dir("two.age");
        File.WriteAllBytes(two, AgeEncryptor.Encrypt(File.ReadAllBytes(_k.Share(1)), [AgeRecipient.Parse(recipient), stranger.Recipient], armor: false));
        var wrong = _k.Dir("wrong.age");
        File.WriteAllBytes(wrong, AgeEncryptor.Encrypt(File.ReadAllBytes(_k.Share(1)), [stranger.Recipient], armor: false));

        var (rc, console) = _k.Add(dir, "--sealed", two);
        Assert.Equal(ExitCode.BadInput, rc);
        Assert.Contains("2 recipient stanzas", console.StderrText);
        Assert.Equal(ExitCode.AuthenticationFailed, _k.Add(dir, "--sealed", wrong).Rc);
        var damaged = File.ReadAllBytes(returned);
        damaged[damaged.Length / 2] = (byte)(damaged[damaged.Length / 2] == (byte)'A' ? 'B' : 'A');
        Assert.NotEqual(ExitCode.Success, _k.Add(dir, "--sealed", _k.Kit.Write("damaged.age", Encoding.ASCII.GetString(damaged))).Rc);
        Assert.Empty(RestoreSession.ReadStatus(dir).Shares);

        (rc, console) = _k.Add(dir, "--sealed", returned);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(2, Assert.Single(RestoreSession.ReadStatus(dir).Shares).Member);
    }

    [Fact]
    public void A_session_started_in_the_backups_own_folder_leaves_its_signed_manifest_there()
    {
        var manifestBytes = File.ReadAllBytes(_k.Manifest);
        var dir = Path.GetDirectoryName(_k.Manifest)!;
        var (rc, console) = CustodyKit.Run(["restore", "start", "--out-dir", dir, "--session-passphrase-file", _k.SessionPass,
            "--manifest", _k.Manifest, .. CustodyKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(1)).Rc);
        Assert.Equal(ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(3)).Rc);
        var restored = _k.Dir("restored.kvk");
        (rc, console) = CustodyKit.Run(["restore", "finish", dir, "--out", restored, "--session-passphrase-file", _k.SessionPass,
            "--passphrase-file", _k.Kit.PassFile, .. CustodyKit.WeakKdf]);
        Assert.True(rc == ExitCode.Success, console.StderrText);
        Assert.Equal(manifestBytes, File.ReadAllBytes(_k.Manifest));
        Assert.False(File.Exists(Path.Combine(dir, "restore-session.kvrs")));
    }

    [Fact]
    public void A_folder_holding_another_manifest_is_refused_before_the_session_passphrase_is_asked()
    {
        var dir = _k.Dir("other");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{}\n");
        // No passphrase file and no terminal: a check made after the passphrase would fail on that instead.
        var (rc, console) = CustodyKit.Run("restore", "start", "--out-dir", dir, "--manifest", _k.Manifest);
        Assert.Equal(ExitCode.OutputFailure, rc);
        Assert.Contains("is not the manifest given", console.StderrText);
        Assert.Equal("{}\n", File.ReadAllText(Path.Combine(dir, "manifest.json")));
    }

    [Theory]
    [InlineData("--dkg-dump", "signer.sql")]
    [InlineData("--dkg-export", "dkg.kvdkg")]
    [InlineData("--dkg-from-config", "signer-config.toml")]
    [InlineData("--dkg-aggregate-key", "02c9af7d7c8ffb6f9b7d36b1ec2e4e4e4bd1c3c5e21e4ab5a1cd3a6d2d1a6b1c0a")]
    [InlineData("--passphrase-file", "pass.txt")]
    [InlineData("--report", "report.json")]
    public void A_session_drill_refuses_the_options_of_other_drills_instead_of_ignoring_them(string option, string value)
    {
        var (dir, _) = _k.StartSession();
        var (rc, console) = CustodyKit.Run("drill", "--restore-session", dir, "--session-passphrase-file", _k.SessionPass, option, value);
        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("drilled on its own", console.StderrText);
    }
}
