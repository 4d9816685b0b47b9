namespace KeyVault.Tests.Support;

/// <summary>Checks on Unix file permissions (the product targets Linux; Windows has no mode bits).</summary>
public static class FileModes
{
    /// <summary>Asserts the file is readable and writable by its owner only (0600).</summary>
    public static void AssertOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    /// <summary>Asserts the file is readable by everyone and writable by its owner only (0644): a public file such as a manifest.</summary>
    public static void AssertPublic(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    /// <summary>Asserts the mode a file of a backup must have: 0644 for manifest.json, which is public; 0600 for every other.</summary>
    public static void AssertAsItsKind(string path)
    {
        if (Path.GetFileName(path) == "manifest.json") AssertPublic(path);
        else AssertOwnerOnly(path);
    }
}
