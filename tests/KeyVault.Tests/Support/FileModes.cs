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
}
