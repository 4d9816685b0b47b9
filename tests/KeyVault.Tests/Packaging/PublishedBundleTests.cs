using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KeyVault.Codecs;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Packaging;

/// <summary>
/// What a release holds, read from the files themselves: the Linux executables' ELF headers and the library inside
/// them, the other platforms' bundle manifests and their native libraries' headers, rather than trusting the build
/// settings. ./test.sh publishes linux-x64
/// (KEYVAULT_PUBLISHED) and builds the release for every platform with tools/release.sh (KEYVAULT_RELEASE_DIR).
/// </summary>
public class PublishedBundleTests
{
    private static string Published()
    {
        var path = Environment.GetEnvironmentVariable("KEYVAULT_PUBLISHED");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            External.Unavailable("KEYVAULT_PUBLISHED is not set to the published keyvault (run ./test.sh)");
        return path!;
    }

    private static string ReleaseDir()
    {
        var dir = Environment.GetEnvironmentVariable("KEYVAULT_RELEASE_DIR");
        if (string.IsNullOrEmpty(dir) || !File.Exists(Path.Combine(dir, "SHA256SUMS")))
            External.Unavailable("KEYVAULT_RELEASE_DIR is not set to a release built by tools/release.sh (run ./test.sh)");
        return dir!;
    }

    private static string Version =>
        Regex.Match(File.ReadAllText(Path.Combine(External.RepoRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    [Fact]
    public void ThePublishFolderHoldsTheExecutableAndNothingElse()
    {
        var published = Published();
        Assert.Equal(["keyvault"], Directory.GetFileSystemEntries(Path.GetDirectoryName(published)!).Select(Path.GetFileName));
    }

    [Fact]
    public void TheLinuxExecutableIsNativeCodeWithNoRuntimeToStartAndCarriesSkiaSharpForItsOwnMachine() =>
        AssertNative(File.ReadAllBytes(Published()), "elf x86-64");

    /// <summary>
    /// A Linux release executable is native code compiled ahead of time: an ELF file with no single-file bundle inside,
    /// no JIT and no runtime host, carrying the PDF renderer's libSkiaSharp.so (an ELF shared library for the same
    /// machine) as a resource that it loads from memory.
    /// </summary>
    private static void AssertNative(byte[] bytes, string platform)
    {
        Assert.Contains(platform, Platform(bytes));
        Assert.True(bytes.AsSpan().IndexOf(BundleSignature) < 0, "a single-file bundle signature: this is not native code");
        foreach (var runtime in new[] { "libclrjit.so", "libcoreclr.so", "libhostfxr.so" })
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(runtime)) < 0, $"names {runtime}: a runtime is inside");
        var skia = Assert.Single(EmbeddedElfFiles(bytes), b => b.AsSpan().IndexOf("libSkiaSharp.so"u8) >= 0);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(skia.AsSpan(16))); // ET_DYN: a shared library
        Assert.Contains(platform, Platform(skia));
    }

    private static readonly byte[] BundleSignature = Convert.FromHexString("8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae");

    /// <summary>Every ELF image inside the file after its own header, each from its magic to the end of its section headers.</summary>
    private static IEnumerable<byte[]> EmbeddedElfFiles(byte[] bytes)
    {
        byte[] magic = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1];
        for (var at = 1; ;)
        {
            var next = bytes.AsSpan(at).IndexOf(magic);
            if (next < 0) yield break;
            at += next;
            var sectionHeaders = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 40));
            var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 58));
            var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 60));
            var end = sectionHeaders + (long)entrySize * count;
            if (entrySize == 64 && end > 64 && at + end <= bytes.Length)
            {
                yield return bytes.AsSpan(at, (int)end).ToArray();
                at += (int)end;
            }
            else
            {
                at += magic.Length;
            }
        }
    }

    public static TheoryData<string, string, string> Platforms => new()
    {
        { "linux-x64", "libSkiaSharp.so", "elf x86-64" },
        { "linux-arm64", "libSkiaSharp.so", "elf arm64" },
        { "osx-x64", "libSkiaSharp.dylib", "mach-o x86-64" },
        { "osx-arm64", "libSkiaSharp.dylib", "mach-o arm64" },
        { "win-x64", "libSkiaSharp.dll", "pe x86-64" },
    };

    [Theory]
    [MemberData(nameof(Platforms))]
    public void EachReleaseExecutableCarriesSkiaSharpBuiltForItsOwnPlatform(string rid, string library, string platform)
    {
        var file = Path.Combine(ReleaseDir(), $"keyvault-{Version}-{rid}{(rid.StartsWith("win-", StringComparison.Ordinal) ? ".exe" : "")}");
        if (!File.Exists(file)) External.Unavailable($"{file} was not built (tools/release.sh was given other platforms)");
        if (rid.StartsWith("linux-", StringComparison.Ordinal))
        {
            AssertNative(File.ReadAllBytes(file), platform);
            return;
        }
        var bundle = SingleFileBundle.Read(file);
        var native = Assert.Single(bundle.Entries, e => e.Type == 2);
        Assert.Equal(library, native.Path);
        Assert.Contains(platform, Platform(bundle.Extract(native)));
        // The executable itself is built for the same platform as the library it carries.
        Assert.Contains(platform, Platform(File.ReadAllBytes(file)));
        Assert.Contains(bundle.Entries, e => e.Path == "KeyVault.Core.dll");
        Assert.DoesNotContain(bundle.Entries, e => e.Type == 5 || e.Path.EndsWith(".pdb", StringComparison.Ordinal));
    }

    [Fact]
    public void Sha256SumsNamesEveryReleaseFileWithItsHash()
    {
        var dir = ReleaseDir();
        var lines = File.ReadAllLines(Path.Combine(dir, "SHA256SUMS"));
        // COMMIT names the commit the executables were built from (or says the tree had changes: a test build).
        Assert.Matches("^[0-9a-f]{40}( with changes not in a commit: a test build, not a release)?$", File.ReadAllText(Path.Combine(dir, "COMMIT")).TrimEnd('\n'));
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => n is not "SHA256SUMS" and not "COMMIT").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        Assert.Equal(files, lines.Select(l => l[66..]).Order(StringComparer.Ordinal));
        foreach (var line in lines)
            Assert.Equal(Hex.Encode(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, line[66..])))), line[..64]);
    }

    [Fact]
    public void ThePublishedExecutablePassesItsSelfTestAndReportsItsOwnHash()
    {
        var published = Published();
        var (code, stdout, stderr) = External.Run(published, "self-test");
        Assert.True(code == 0, stdout + stderr);
        var hash = Hex.Encode(SHA256.HashData(File.ReadAllBytes(published)));
        Assert.Contains($"ok    executable           {hash}  {published}", stdout);
        Assert.DoesNotContain("FAIL", stdout);
    }

    [Fact]
    public void TheNativeExecutableChoosesItsArgon2EngineOnTheCpuItRunsOn()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            External.Unavailable("the published executable is linux-x64; this machine is not x64");
        var published = Published();
        var (code, stdout, stderr) = External.Run(published, "self-test");
        Assert.True(code == 0, stdout + stderr);
        // AVX2 is a run-time check in the native code (the baseline is x86-64-v2 with AVX): it is used where the CPU has it.
        Assert.Contains($"RFC 9106 s. 5.3, {(System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2" : "128-bit vectors")}", stdout);

        // A CPU with AVX but no AVX2 (Sandy Bridge, emulated): the same executable falls back to 128-bit vectors.
        var qemu = External.RequireTool("qemu-x86_64", "qemu-user");
        var (oldCode, oldOut, oldErr) = External.Run(qemu, "-cpu", "SandyBridge", published, "self-test");
        Assert.True(oldCode == 0, oldOut + oldErr);
        Assert.Contains("RFC 9106 s. 5.3, 128-bit vectors", oldOut);
        Assert.Contains("self-test passed", oldOut);

        // Below the baseline (Westmere: no AVX) it refuses to start, with the runtime's message, rather than misbehave.
        var (tooOld, _, tooOldErr) = External.Run(qemu, "-cpu", "Westmere", published, "--version");
        Assert.NotEqual(0, tooOld);
        Assert.Contains("The required instruction sets are not supported by the current CPU", tooOldErr);
    }

    [Fact]
    public void TheArm64ReleaseExecutablePassesItsSelfTestWithNeonUnderEmulation()
    {
        var file = Path.Combine(ReleaseDir(), $"keyvault-{Version}-linux-arm64");
        if (!File.Exists(file)) External.Unavailable($"{file} was not built (tools/release.sh was given other platforms)");
        var qemu = External.RequireTool("qemu-aarch64", "qemu-user");
        if (!File.Exists("/lib/ld-linux-aarch64.so.1") || !File.Exists("/usr/lib/aarch64-linux-gnu/libssl.so.3"))
            External.Unavailable("the arm64 C library and OpenSSL are not installed (apt-get install libc6:arm64 libssl3:arm64)");
        var (code, stdout, stderr) = External.Run(qemu, "-L", "/", file, "self-test");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("RFC 9106 s. 5.3, NEON", stdout);
        Assert.Contains($"ok    executable           {Hex.Encode(SHA256.HashData(File.ReadAllBytes(file)))}  {file}", stdout);
    }

    [Fact]
    public void ThePublishedExecutableListsTheComponentsInsideIt()
    {
        var (code, stdout, stderr) = External.Run(Published(), "about");
        Assert.True(code == 0, stderr);
        Assert.Contains($"keyvault {Version}, MIT licence", stdout);
        Assert.Matches(@"SkiaSharp\.NativeAssets\.Linux +3\.\d+\.\d+ +MIT", stdout);
        Assert.Matches(@"Npgsql +\d+\.\d+\.\d+ +PostgreSQL", stdout);
        var (fullCode, full, _) = External.Run(Published(), "about", "--notices");
        Assert.Equal(0, fullCode);
        Assert.StartsWith("MIT License", full);
        Assert.Contains("Legion of the Bouncy Castle", full);
    }

    /// <summary>"elf", "mach-o" or "pe", and the architecture, from a binary's header (a universal Mach-O gives all of its slices).</summary>
    private static string Platform(byte[] b)
    {
        if (b.Length > 20 && b[0] == 0x7f && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F')
            return BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(18)) switch { 62 => "elf x86-64", 183 => "elf arm64", var m => $"elf machine {m}" };
        if (b.Length > 8 && BinaryPrimitives.ReadUInt32LittleEndian(b) == 0xfeedfacf)
            return "mach-o " + MachCpu(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4)));
        if (b.Length > 8 && BinaryPrimitives.ReadUInt32BigEndian(b) == 0xcafebabe)
        {
            var count = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(4));
            return string.Join(", ", Enumerable.Range(0, (int)count).Select(i => "mach-o " + MachCpu(BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8 + 20 * i)))));
        }
        if (b.Length > 0x40 && b[0] == (byte)'M' && b[1] == (byte)'Z')
        {
            var pe = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(0x3c));
            return BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pe + 4)) switch { 0x8664 => "pe x86-64", 0xaa64 => "pe arm64", var m => $"pe machine {m:x}" };
        }
        return "unknown";
    }

    private static string MachCpu(uint cpu) => cpu switch { 0x01000007 => "x86-64", 0x0100000c => "arm64", _ => $"cpu {cpu:x}" };
}
