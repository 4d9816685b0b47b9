using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.IO;

public class AtomicFileTests
{
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
