using System.Runtime.InteropServices;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// How a signal handler ends the process once its cleanup is done and reported. The main thread may still be inside
/// native code (SkiaSharp drawing a sheet) at that moment; exit(3), which Environment.Exit ends in, runs the native
/// libraries' static destructors under it, and the main thread then crashes on what they freed: a SIGSEGV (exit 139)
/// in place of exit code 7. _exit(2) ends every thread at once and runs nothing. Nothing is left to do by then: the
/// files are discarded, standard error is written unbuffered and standard output flushes each write, and the memory
/// that held secrets goes back to the kernel with the process.
/// </summary>
internal static class ProcessEnd
{
    /// <summary>Ends the process with <paramref name="code"/>, from any thread, without running exit handlers.</summary>
    public static void Immediately(int code)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.Exit(code);
            return;
        }
        Native.Exit(code);
    }

    private static class Native
    {
        // An int in, nothing out: nothing to marshal, so the plain import needs no unsafe code in this project.
        [DllImport("libc", EntryPoint = "_exit")]
        public static extern void Exit(int status);
    }
}
