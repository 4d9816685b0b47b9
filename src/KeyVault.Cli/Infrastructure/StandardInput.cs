using KeyVault.Errors;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// Detects a standard input that was closed when the program started (<c>keyvault … &lt;&amp;-</c>). The runtime then
/// receives file descriptor 0 for a file or pipe of its own (a pipe under the JIT runtime, /dev/urandom in the native
/// executable), and a read from it blocks for ever or returns noise; this turns that into an error.
/// </summary>
internal static class StandardInput
{
    private static readonly Lazy<bool> Closed = new(DetectClosed);

    /// <summary>Fails with a one-line error when standard input was closed at start.</summary>
    public static void RequireOpen()
    {
        if (Closed.Value)
            throw new KeyVaultException(ErrorKind.Usage, "standard input is closed, so nothing can be read from it",
                "give the input in a file instead of -, or start the command with standard input connected");
    }

    private const int CloseOnExec = 0x80000; // O_CLOEXEC, as /proc/self/fdinfo shows it

    // The open flags of one of this process's descriptors (0 when unknown).
    private static int Flags(string fd)
    {
        var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return flags is null ? 0 : Convert.ToInt32(flags["flags:".Length..].Trim(), 8);
    }

    // Descriptor 0 is a pipe whose writing end this process holds: the runtime made it after finding 0 free. A pipe
    // given by a caller has its writing end in another process.
    private static bool DetectClosed()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var target = new FileInfo("/proc/self/fd/0").LinkTarget;
            if (target is null) return true; // no descriptor 0 at all
            // A descriptor inherited across exec cannot be close-on-exec: this one was opened by the process itself
            // after finding 0 free (the native runtime opens /dev/urandom there).
            if ((Flags("0") & CloseOnExec) != 0) return true;
            if (!target.StartsWith("pipe:", StringComparison.Ordinal)) return false;
            foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                var name = Path.GetFileName(fd);
                if (name == "0" || new FileInfo(fd).LinkTarget != target) continue;
                if ((Flags(name) & 3) == 1 /* O_WRONLY */) return true;
            }
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
