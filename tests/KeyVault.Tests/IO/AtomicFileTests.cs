using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void A_folder_that_refused_an_unnamed_file_gets_named_temporaries_for_the_rest_of_the_run()
    {
        Assert.SkipUnless(UnnamedFile.Supported, "this system writes every file under a hidden name already");
        using var refusing = new TempDir();
        using var other = new TempDir();

        var before = AtomicFile.Stage(refusing.File("a.txt"), "a"u8);
        Assert.Null(before.TemporaryPath);
        before.Shred();
        Assert.False(UnnamedFile.Refused(refusing.Path));

        UnnamedFile.RememberRefusal(refusing.Path);
        var named = AtomicFile.Stage(refusing.File("b.txt"), "b"u8);
        var unnamed = AtomicFile.Stage(other.File("c.txt"), "c"u8);

        Assert.True(UnnamedFile.Refused(refusing.Path));
        Assert.NotNull(named.TemporaryPath);
        Assert.True(AtomicFile.IsTemporaryOf(Path.GetFileName(named.TemporaryPath!), "b.txt"), named.TemporaryPath);
        Assert.Equal([Path.GetFileName(named.TemporaryPath!)], refusing.Entries());
        Assert.Null(unnamed.TemporaryPath);
        Assert.Empty(other.Entries());
        named.Shred();
        unnamed.Shred();
        Assert.Empty(refusing.Entries());
    }

    [Fact]
    public void A_new_file_is_created_with_mode_0600_and_no_temporary_file_remains()
    {
        using var dir = new TempDir();
        var path = dir.File("secret.txt");
        AtomicFile.Write(path, "abc"u8);
        Assert.Equal("abc", File.ReadAllText(path));
        FileModes.AssertOwnerOnly(path);
        Assert.Equal(["secret.txt"], dir.Entries());
    }

    [Fact]
    public void An_existing_file_is_never_silently_overwritten()
    {
        using var dir = new TempDir();
        var path = dir.File("secret.txt");
        File.WriteAllText(path, "original");
        var ex = Assert.Throws<KeyVaultException>(() => AtomicFile.Write(path, "new"u8));
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Equal(ErrorCodes.OutputExists, ex.Code);
        Assert.DoesNotContain("--", ex.Hint);
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Equal(["secret.txt"], dir.Entries());
    }

    [Fact]
    public void Overwrite_replaces_the_file_atomically_with_mode_0600()
    {
        using var dir = new TempDir();
        var path = dir.File("secret.txt");
        File.WriteAllText(path, "original");
        AtomicFile.Write(path, "new"u8, overwrite: true);
        Assert.Equal("new", File.ReadAllText(path));
        FileModes.AssertOwnerOnly(path);
        Assert.Equal(["secret.txt"], dir.Entries());
    }

    [Fact]
    public void A_missing_folder_is_an_output_error()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<KeyVaultException>(() => AtomicFile.Write(dir.File("no/such/x"), "a"u8));
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Empty(dir.Entries());
    }
}
