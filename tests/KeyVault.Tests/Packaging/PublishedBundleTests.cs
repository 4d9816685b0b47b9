using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KeyVault.Codecs;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Packaging;

/// <summary>
/// What a release holds, read from the files themselves: each executable's bundle manifest is parsed and its
/// native libraries' headers are read, rather than trusting the build settings. ./test.sh publishes linux-x64
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
    public void TheLinuxExecutableBundlesTheProgramTheLibraryAndSkiaSharpButNoSymbolsOrDocumentation()
    {
        var bundle = SingleFileBundle.Read(Published());
        Assert.Equal(6, bundle.MajorVersion);
        var paths = bundle.Entries.Select(e => e.Path).ToList();
        Assert.Contains("keyvault.dll", paths);
        Assert.Contains("KeyVault.Core.dll", paths);
        Assert.Contains("SkiaSharp.dll", paths);
        Assert.Equal(["libSkiaSharp.so"], bundle.Entries.Where(e => e.Type == 2).Select(e => e.Path));
        Assert.DoesNotContain(bundle.Entries, e => e.Type == 5 || e.Path.EndsWith(".pdb", StringComparison.Ordinal) || e.Path.EndsWith(".xml", StringComparison.Ordinal));
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
