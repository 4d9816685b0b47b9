using KeyVault.Errors;

namespace KeyVault.IO;

/// <summary>
/// A file held for a read-modify-replace (a passphrase change): opened under an exclusive advisory lock (flock on
/// Unix) that lasts until disposal, so a second run that wants the same file fails at once instead of both reading
/// the old content and one silently undoing the other. Symbolic links are refused: replacing the path would replace
/// the link, not the file it points to.
/// </summary>
internal sealed class LockedFile : IDisposable
{
    private readonly FileStream _stream;

    private LockedFile(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>Opens and locks <paramref name="path"/>; fails when another process holds it or it is a symbolic link.</summary>
    public static LockedFile Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (new FileInfo(full).LinkTarget is { } target)
            throw new KeyVaultException(ErrorKind.BadInput,
                $"{path} is a symbolic link (to {target}); replacing it would replace the link and leave the file it points to unchanged",
                "give the path of the file itself");
        FileStream stream;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: held by another process, the open fails.
            stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw Busy(path, ex);
        }
        if (ReplacedWhileOpening(stream))
        {
            // Another run renamed its new file over this path between our open and our lock: the locked file is the old one.
            stream.Dispose();
            throw Busy(path, null);
        }
        return new LockedFile(full, stream);
    }

    /// <summary>Reads the whole file through the locked handle (a second open would conflict with the lock).</summary>
    public byte[] ReadAll()
    {
        if (_stream.Length > Inputs.MaxInputBytes)
            throw new KeyVaultException(ErrorKind.BadInput, $"{Path} is larger than {Inputs.MaxInputBytes / 1024} KiB",
                "check that the path names the right file");
        var bytes = new byte[_stream.Length];
        _stream.Position = 0;
        _stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    private static bool ReplacedWhileOpening(FileStream stream)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var fd = stream.SafeFileHandle.DangerousGetHandle().ToInt64();
            var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            return target is not null && target.EndsWith(" (deleted)", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static KeyVaultException Busy(string path, Exception? inner) => new(ErrorKind.OutputFailure,
        $"{path} is being changed by another run at this moment (it is locked)",
        "wait for the other run to finish, check which passphrase opens the file, then try again", inner);
}
