using KeyVault.Keys;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Architecture;

/// <summary>
/// secp256k1 goes through NBitcoin.Secp256k1 only: BouncyCastle's curve code takes the key as a big integer that
/// cannot be wiped (docs/threat-model.md), so it must not come back for the signer key.
/// </summary>
public class CurveLibraryTests
{
    // BouncyCastle stays for what .NET lacks: RIPEMD-160, SHA-3, and age's X25519/Ed25519 (byte-array APIs); and, in
    // the hybrid KEM alone, ML-KEM-768 (the platform's needs OpenSSL 3.5) with its random source.
    private static readonly string[] Allowed =
        ["Org.BouncyCastle.Crypto.Digests", "Org.BouncyCastle.Math.EC.Rfc7748", "Org.BouncyCastle.Math.EC.Rfc8032"];

    private static readonly string[] AllowedInXWing =
        ["Org.BouncyCastle.Crypto.Kems", "Org.BouncyCastle.Crypto.Parameters", "Org.BouncyCastle.Security"];

    [Fact]
    public void NoCoreSourceUsesBouncyCastleForTheCurve()
    {
        var sources = Directory.GetFiles(Path.Combine(External.RepoRoot, "src", "KeyVault"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        var offending = sources
            .SelectMany(f => File.ReadLines(f).Select(line => (File: Path.GetFileName(f), Line: line.Trim())))
            .Where(x => x.Line.Contains("Org.BouncyCastle", StringComparison.Ordinal)
                        && !Allowed.Any(a => x.Line.Contains(a, StringComparison.Ordinal))
                        && !(x.File == "XWing.cs" && AllowedInXWing.Any(a => x.Line == $"using {a};")))
            .Select(x => $"{x.File}: {x.Line}")
            .ToList();
        Assert.Empty(offending);
    }

    [Fact]
    public void TheCoreReferencesTheSecp256k1Library()
    {
        var referenced = typeof(SecretKey).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("NBitcoin.Secp256k1", referenced);
    }
}
