using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.KeyFile;
using KeyVault.Manifest;
using KeyVault.Restore;
using KeyVault.Shares;
using KeyVault.Tests.Manifest;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Restore;

/// <summary>Restore sessions, with deliberately weak Argon2 parameters (8 KiB, 1 pass) so each open costs milliseconds.</summary>
public class RestoreSessionTests
{
    private static readonly KdfParameters Weak = KdfParameters.Minimum;

    private static Passphrase Pass(string s = "session passphrase") => Passphrase.FromChars(s);

    [Fact]
    public void Shares_added_over_several_openings_rebuild_the_key_and_finish_removes_the_session()
    {
        using var dir = new TempDir();
        var folder = dir.File("session");
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "restore basic");
        var manifestJson = ManifestTestKit.Manifest(set, key).Sign(key);
        using var pass = Pass();

        using (var s = RestoreSession.Start(folder, pass, manifestJson, Weak))
            Assert.Equal(set.Identifier, s.Status.BackupId);
        Assert.True(File.Exists(Path.Combine(folder, BackupManifest.FileName)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, RestoreSession.FileName)));

        foreach (var i in new[] { 4, 1 })
        {
            using var s = RestoreSession.Open(folder, pass);
            var added = s.Add(set.Shares[i].Mnemonic);
            Assert.Equal(ManifestTestKit.Names(5)[i], added.Custodian);
        }
        var status = RestoreSession.ReadStatus(folder);
        Assert.Equal([5, 2], status.Shares.Select(x => x.Member));
        Assert.Equal(["Emeka Obi", "Bjørn Olsen"], status.Shares.Select(x => x.Custodian));
        Assert.Equal(1, Assert.Single(status.Groups).Needed);
        Assert.False(status.CanRebuild);
        Assert.Contains("need 1 more share", status.Summary);

        using (var s = RestoreSession.Open(folder, pass))
        {
            s.Add(set.Shares[2].Mnemonic.ToUpperInvariant());
            Assert.True(s.Status.CanRebuild);
            using (var drill = s.Rebuild()) Assert.Equal(TestKeys.Key1PublicKey, drill.PublicKey.Hex66);
            Assert.True(File.Exists(Path.Combine(folder, RestoreSession.FileName)));
            string? delivered = null;
            s.Finish(default, k => delivered = k.PublicKey.Hex66);
            Assert.Equal(TestKeys.Key1PublicKey, delivered);
        }
        // Only the public manifest copy stays (it may be the backup's own manifest, which the session must not take).
        Assert.Equal([BackupManifest.FileName], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_delivery_keeps_the_session()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore deliver");
        using var pass = Pass();
        using (var s = RestoreSession.Start(dir.Path, pass, null, Weak))
        {
            s.Add(set.Shares[0].Mnemonic);
            s.Add(set.Shares[1].Mnemonic);
            Assert.Throws<IOException>(() => s.Finish(default, _ => throw new IOException("disk full")));
        }
        using var again = RestoreSession.Open(dir.Path, pass);
        Assert.Equal(2, again.Status.Shares.Count);
    }

    [Fact]
    public void Bad_duplicate_and_foreign_shares_are_named_refused_and_change_nothing()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "restore refuse");
        using var other = ManifestTestKit.Split(key, SplitLayout.Single(3, 5), "restore refuse other");
        using var pass = Pass();
        using var s = RestoreSession.Start(dir.Path, pass, null, Weak);
        s.Add(set.Shares[0].Mnemonic);
        var before = File.ReadAllBytes(Path.Combine(dir.Path, RestoreSession.FileName));

        var words = set.Shares[1].Mnemonic.Split(' ');
        words[7] = words[7] == "academic" ? "acid" : "academic";
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => s.Add(string.Join(' ', words))).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => s.Add("")).Kind);
        var dup = Assert.Throws<KeyVaultException>(() => s.Add(set.Shares[0].Mnemonic));
        Assert.Equal(ErrorKind.BadInput, dup.Kind);
        Assert.Contains("#1 is already in the session", dup.Message);
        var foreign = Assert.Throws<KeyVaultException>(() => s.Add(other.Shares[1].Mnemonic));
        Assert.Equal(ErrorKind.RebuildFailed, foreign.Kind);
        Assert.Contains("not from the same backup", foreign.Message);

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir.Path, RestoreSession.FileName)));
        s.Add(set.Shares[1].Mnemonic);
        Assert.Equal(2, RestoreSession.ReadStatus(dir.Path).Shares.Count);
    }

    [Fact]
    public void With_a_manifest_unregistered_and_retired_shares_are_refused()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var old = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore manifest old");
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore manifest new");
        var (_, json) = BackupRetirement.Retire(ManifestTestKit.Manifest(old, key).Sign(key), ManifestTestKit.Manifest(set, key).Sign(key), key,
            "rotation", ManifestTestKit.Later);
        using var pass = Pass();
        using var s = RestoreSession.Start(dir.Path, pass, json, Weak);
        var retired = Assert.Throws<KeyVaultException>(() => s.Add(old.Shares[0].Mnemonic));
        Assert.Equal(ErrorKind.IdentityMismatch, retired.Kind);
        Assert.Contains("destroy this sheet", retired.Message);
        var forged = Assert.Throws<KeyVaultException>(() => s.Add(KeyVault.Tests.Shares.ShareTestKit.Tamper(set.Shares[0].Mnemonic)));
        Assert.Equal(ErrorKind.IdentityMismatch, forged.Kind);
        Assert.Empty(s.Status.Shares);

        var forgedManifest = BackupManifestTests.SignedByOther(ManifestTestKit.Manifest(set, key), ManifestTestKit.Key(TestKeys.Key2));
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => RestoreSession.Start(dir.File("x"), pass, forgedManifest, Weak)).Kind);
        Assert.False(Directory.Exists(dir.File("x")));
    }

    [Fact]
    public void A_swapped_manifest_copy_is_detected_at_open()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore swap");
        using var set2 = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore swap 2");
        using var pass = Pass();
        RestoreSession.Start(dir.Path, pass, ManifestTestKit.Manifest(set, key).Sign(key), Weak).Dispose();
        File.WriteAllText(Path.Combine(dir.Path, BackupManifest.FileName), ManifestTestKit.Manifest(set2, key).Sign(key));
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind);
    }

    [Fact]
    public void A_wrong_passphrase_is_an_authentication_failure_and_the_status_still_reads()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore wrong");
        using (var pass = Pass())
        using (var s = RestoreSession.Start(dir.Path, pass, null, Weak))
            s.Add(set.Shares[2].Mnemonic);
        using var wrong = Pass("session passphrasE");
        Assert.Equal(ErrorKind.AuthenticationFailed, Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, wrong)).Kind);
        Assert.Equal(3, Assert.Single(RestoreSession.ReadStatus(dir.Path).Shares).Member);
    }

    [Fact]
    public void Every_damaged_byte_of_a_session_file_is_refused()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore damage");
        using var pass = Pass();
        using (var s = RestoreSession.Start(dir.Path, pass, null, Weak))
        {
            s.Add(set.Shares[0].Mnemonic);
            s.SetRestoreIdentity("AGE-SECRET-KEY-1EXAMPLE"u8);
        }
        var path = Path.Combine(dir.Path, RestoreSession.FileName);
        var good = File.ReadAllBytes(path);
        for (int i = 0; i < good.Length; i++)
        {
            var bad = (byte[])good.Clone();
            bad[i] ^= 0x04;
            File.WriteAllBytes(path, bad);
            var ex = Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass, limits: KdfLimits.Default));
            Assert.True(ex.Kind is ErrorKind.DamagedFile or ErrorKind.AuthenticationFailed or ErrorKind.CostTooHigh, $"byte {i}: {ex.Kind}");
        }
        File.WriteAllBytes(path, good[..^1]);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind);
        File.WriteAllBytes(path, [.. good, 0]);
        Assert.Equal(ErrorKind.DamagedFile, Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind);
        File.WriteAllBytes(path, good);
        using var s2 = RestoreSession.Open(dir.Path, pass);
        Assert.Equal("AGE-SECRET-KEY-1EXAMPLE"u8.ToArray(), s2.ExportRestoreIdentity());
    }

    [Fact]
    public void A_crash_at_any_write_step_loses_no_share_already_added()
    {
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(4, 6), "restore crash");
        using var pass = Pass();
        foreach (var step in Enum.GetValues<SessionWriteStep>())
        {
            for (int crashAt = 0; crashAt < 4; crashAt++)
            {
                using var dir = new TempDir();
                // Add shares one per opening (as custodians arrive), crashing while the share crashAt is saved.
                RestoreSession.Start(dir.Path, pass, null, Weak).Dispose();
                int saved = 0;
                for (int i = 0; i <= crashAt; i++)
                {
                    bool crash = i == crashAt;
                    using var s = RestoreSession.Open(dir.Path, pass, null, null, crash ? Crash(step) : null);
                    if (!crash)
                    {
                        s.Add(set.Shares[i].Mnemonic);
                        saved++;
                        continue;
                    }
                    Assert.Throws<SimulatedCrashException>(() => s.Add(set.Shares[i].Mnemonic));
                }
                // After the crash, a fresh process opens the session: every share saved before is there, and the one
                // being saved is there exactly when the rename had happened.
                using var after = RestoreSession.Open(dir.Path, pass);
                int expected = saved + (step == SessionWriteStep.Renamed ? 1 : 0);
                Assert.Equal(Enumerable.Range(1, expected), after.Status.Shares.Select(x => x.Member));
                Assert.Equal(expected, RestoreSession.ReadStatus(dir.Path).Shares.Count);
                Assert.DoesNotContain(dir.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
                // And the session carries on.
                for (int i = expected; i < 4; i++) after.Add(set.Shares[i].Mnemonic);
                using var rebuilt = after.Rebuild();
                Assert.Equal(TestKeys.Key1PublicKey, rebuilt.PublicKey.Hex66);
            }
        }
    }

    [Fact]
    public void A_start_discarded_before_its_set_is_complete_leaves_neither_session_nor_manifest_copy()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore discarded start");
        using var pass = Pass();
        using (var files = new FileSet(dir.Path, staged: true))
        {
            RestoreSession.Start(files, pass, ManifestTestKit.Manifest(set, key).Sign(key), Weak, restoreIdentity: [1, 2, 3]).Dispose();
            // Staged: the session file and the manifest copy have no name until completion (O_TMPFILE), or, where
            // files are not created unnamed, only hidden temporary names.
            Assert.Equal(UnnamedFile.Supported ? 0 : 2, Directory.GetFiles(dir.Path).Length);
            Assert.All(Directory.GetFiles(dir.Path), f => Assert.StartsWith(".", Path.GetFileName(f)));
            // What a signal handler does on another thread.
            Assert.Equal(2, files.Discard()!.Count);
        }
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => RestoreSession.Open(dir.Path, pass)).Kind);
    }

    [Fact]
    public void A_start_killed_outright_leaves_only_temporaries_that_the_next_start_removes()
    {
        using var dir = new TempDir();
        using var pass = Pass();
        // What a SIGKILL between the staged writes and their naming leaves.
        string[] left = [$".{RestoreSession.FileName}.0123456789ab.tmp", $".{BackupManifest.FileName}.abcdef012345.tmp"];
        foreach (var name in left) File.WriteAllText(dir.File(name), "ciphertext of a killed run");
        using (var s = RestoreSession.Start(dir.Path, pass, null, Weak)) Assert.Empty(s.Status.Shares);
        Assert.Equal([RestoreSession.FileName], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        using var again = RestoreSession.Open(dir.Path, pass);
        Assert.Empty(again.Status.Shares);
    }

    [Fact]
    public void A_start_with_a_restore_identity_keeps_it_in_the_first_session_file()
    {
        using var dir = new TempDir();
        using var pass = Pass();
        using (var files = new FileSet(dir.Path, staged: true))
        {
            RestoreSession.Start(files, pass, null, Weak, restoreIdentity: [7, 8, 9]).Dispose();
            Assert.True(files.Complete());
        }
        using var s = RestoreSession.Open(dir.Path, pass);
        Assert.Equal(new byte[] { 7, 8, 9 }, s.ExportRestoreIdentity());
    }

    [Fact]
    public void Starting_twice_in_one_folder_is_refused()
    {
        using var dir = new TempDir();
        using var pass = Pass();
        RestoreSession.Start(dir.Path, pass, null, Weak).Dispose();
        Assert.Equal(ErrorKind.OutputFailure, Assert.Throws<KeyVaultException>(() => RestoreSession.Start(dir.Path, pass, null, Weak)).Kind);
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() => RestoreSession.ReadStatus(dir.File("none"))).Kind);
    }

    [Fact]
    public void Refuses_kdf_parameters_above_the_caps_and_another_manifest_in_the_folder()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore refuse start");
        using var set2 = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore refuse start 2");
        using var pass = Pass();
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<KeyVaultException>(() =>
            RestoreSession.Start(dir.File("a"), pass, null, new KdfParameters(8L * 1024 * 1024, 1, 1))).Kind);
        File.WriteAllText(dir.File(BackupManifest.FileName), ManifestTestKit.Manifest(set2, key).Sign(key));
        Assert.Equal(ErrorKind.OutputFailure, Assert.Throws<KeyVaultException>(() =>
            RestoreSession.Start(dir.Path, pass, ManifestTestKit.Manifest(set, key).Sign(key), Weak)).Kind);
        Assert.False(File.Exists(dir.File(RestoreSession.FileName)));
        // The backup's own folder, holding this very manifest, is fine.
        using var s = RestoreSession.Start(dir.Path, pass, File.ReadAllText(dir.File(BackupManifest.FileName)), Weak);
        Assert.Equal(set2.Identifier, s.Status.BackupId);
    }

    [Fact]
    public void The_rebuilt_key_must_be_the_manifest_identity()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore identity", "secret words");
        using var pass = Pass();
        using var s = RestoreSession.Start(dir.Path, pass, ManifestTestKit.Manifest(set, key, "secret words").Sign(key), Weak);
        s.Add(set.Shares[0].Mnemonic);
        s.Add(set.Shares[2].Mnemonic);
        var ex = Assert.Throws<KeyVaultException>(() => s.Finish(default, _ => Assert.Fail("must not deliver a wrong key")));
        Assert.Equal(ErrorKind.IdentityMismatch, ex.Kind);
        Assert.True(File.Exists(Path.Combine(dir.Path, RestoreSession.FileName)));
        using var right = s.Rebuild(Encoding.ASCII.GetBytes("secret words"));
        Assert.Equal(TestKeys.Key1PublicKey, right.PublicKey.Hex66);
    }

    [Fact]
    public void The_session_file_holds_no_share_in_clear()
    {
        using var dir = new TempDir();
        using var key = ManifestTestKit.Key();
        using var set = ManifestTestKit.Split(key, SplitLayout.Single(2, 3), "restore clear");
        using var pass = Pass();
        using (var s = RestoreSession.Start(dir.Path, pass, null, Weak)) s.Add(set.Shares[1].Mnemonic);
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(dir.Path, RestoreSession.FileName)));
        foreach (var w in set.Shares[1].Words.Skip(4).Where(w => w.Length > 5)) Assert.DoesNotContain(w, text);
    }

    private static Action<SessionWriteStep> Crash(SessionWriteStep at) => step =>
    {
        if (step == at) throw new SimulatedCrashException(step);
    };
}
