namespace KeyVault.Tests.Support;

/// <summary>
/// A fresh folder seen through a bindfs (FUSE) mount, a real file system that refuses O_TMPFILE (EOPNOTSUPP), so
/// every secret file written under <see cref="Path"/> takes the named-temporary path. Unmounted and deleted on
/// <see cref="Dispose"/>, which a <c>using</c> runs when the test fails too. Without bindfs or /dev/fuse the test is
/// skipped with the reason (fails in CI).
/// </summary>
public sealed class FuseMount : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _fusermount;
    private bool _mounted;

    /// <summary>Mounts bindfs over a fresh folder.</summary>
    public FuseMount()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) External.Unavailable("bindfs (FUSE) mounts are tested on Linux only");
            if (!File.Exists("/dev/fuse")) External.Unavailable("/dev/fuse is missing: the kernel has no FUSE, or the container was started without the device");
            var bindfs = External.RequireTool("bindfs", "bindfs");
            // bindfs's Debian package depends on fuse (or fuse3, which provides it), whose fusermount unmounts.
            _fusermount = External.RequireTool(File.Exists("/usr/bin/fusermount3") ? "fusermount3" : "fusermount", "fuse3");
            var backing = Directory.CreateDirectory(_dir.File("backing")).FullName;
            Path = Directory.CreateDirectory(_dir.File("mount")).FullName;
            var (code, _, err) = External.Run(bindfs, backing, Path);
            if (code != 0) External.Unavailable($"bindfs could not mount {Path} (exit {code}): {err.Trim()}");
            _mounted = true;
            var fileSystem = External.Run("stat", "-f", "-c", "%T", Path).Stdout.Trim();
            if (!fileSystem.StartsWith("fuse", StringComparison.Ordinal)) Assert.Fail($"bindfs reported success but {Path} is {fileSystem}, not FUSE");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The mounted folder: files written here go through FUSE to a folder of the test's disk.</summary>
    public string Path { get; } = "";

    /// <summary>Unmounts (retrying while a process that was just killed still holds a file there) and deletes the folder.</summary>
    public void Dispose()
    {
        if (_mounted)
        {
            var (code, _, err) = (0, "", "");
            for (int attempt = 0; attempt < 20; attempt++)
            {
                (code, _, err) = External.Run(_fusermount, "-u", Path);
                if (code == 0) break;
                Thread.Sleep(100);
            }
            // Never delete through a mount that is still there: that would delete the backing folder's files through FUSE
            // and leave the mount behind.
            if (code != 0) throw new InvalidOperationException($"could not unmount {Path}: {err.Trim()}");
            _mounted = false;
        }
        _dir.Dispose();
    }
}
