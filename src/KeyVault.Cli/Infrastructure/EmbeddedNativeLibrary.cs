using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// The native Linux executable carries the PDF renderer's native library (libSkiaSharp.so) inside itself, so the
/// release stays one file. The first time a PDF is drawn, the library is copied into an anonymous memory file
/// (memfd_create: no name in any file system, gone when the process ends) and loaded from there. Nothing is written to
/// disk and nothing is left behind. Builds without the embedded copy (the development build, macOS, Windows) load the
/// library the usual way.
/// </summary>
internal static class EmbeddedNativeLibrary
{
    internal const string SkiaLibraryName = "libSkiaSharp";
    internal const string SkiaResourceName = "KeyVault.Cli.native.libSkiaSharp.so";
    private const uint MfdCloexec = 1;

    private static readonly Lock Gate = new();
    private static IntPtr _skia;

    /// <summary>True when this executable carries the renderer's library inside itself.</summary>
    internal static bool Embedded => typeof(EmbeddedNativeLibrary).Assembly.GetManifestResourceInfo(SkiaResourceName) is not null;

    /// <summary>Routes the renderer's library load to the embedded copy, when there is one.</summary>
    internal static void Register()
    {
        if (!OperatingSystem.IsLinux() || !Embedded) return;
        NativeLibrary.SetDllImportResolver(typeof(SkiaSharp.SKCanvas).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != SkiaLibraryName) return IntPtr.Zero;
        lock (Gate)
        {
            if (_skia == IntPtr.Zero) _skia = LoadFromMemory(SkiaResourceName, SkiaLibraryName);
            return _skia;
        }
    }

    private static IntPtr LoadFromMemory(string resource, string name)
    {
        using var source = typeof(EmbeddedNativeLibrary).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"this executable lacks its embedded {name}; it is damaged: download it again");
        int fd = memfd_create(name, MfdCloexec);
        if (fd < 0)
            throw new IOException($"cannot create a memory file for {name} (errno {Marshal.GetLastPInvokeError()}); " +
                "this needs Linux 3.17 or later");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[1 << 20];
        long offset = 0;
        for (int n; (n = source.Read(buffer)) > 0; offset += n)
            RandomAccess.Write(handle, buffer.AsSpan(0, n), offset);
        // The loader maps the file; the descriptor may be closed once it has.
        return NativeLibrary.Load($"/proc/self/fd/{fd}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int memfd_create(string name, uint flags);
}
