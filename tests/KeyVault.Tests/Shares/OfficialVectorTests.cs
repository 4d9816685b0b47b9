using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Errors;
using KeyVault.Shares;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Shares;

/// <summary>
/// The 45 official SLIP-0039 vectors, read from test-vectors/slip39/vectors.json (SatoshiLabs, MIT). Each entry is
/// [description, mnemonics, master secret hex, xprv]; the xprv column is the BIP-32 master key of the secret and is
/// ignored, because BIP-32 derivation is out of scope for KeyVault (the master secret is compared instead).
/// </summary>
public class OfficialVectorTests
{
    private static readonly byte[] Passphrase = "TREZOR"u8.ToArray();

    public static TheoryData<int> Numbers => new(Enumerable.Range(1, 45));

    private static (string Description, string[] Mnemonics, string Secret) Load(int number)
    {
        var path = External.RepoFile("test-vectors/slip39/vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(45, doc.RootElement.GetArrayLength());
        var entry = doc.RootElement[number - 1];
        return (entry[0].GetString()!, entry[1].EnumerateArray().Select(e => e.GetString()!).ToArray(), entry[2].GetString()!);
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Vector(int number)
    {
        var (description, mnemonics, secret) = Load(number);
        Assert.StartsWith($"{number}. ", description);
        if (secret.Length > 0)
        {
            using var recovered = Slip39.Combine(mnemonics, Passphrase);
            Assert.Equal(secret, Hex.Encode(recovered.Bytes));
            return;
        }

        var (kind, phrase) = ExpectedFailure(description);
        var e = Assert.Throws<KeyVaultException>(() => Slip39.Combine(mnemonics, Passphrase));
        Assert.True(kind == e.Kind, $"{description}: expected {kind}, got {e.Kind}: {e.Message}");
        Assert.Contains(phrase, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(e.Hint);
    }

    /// <summary>What each invalid vector must be rejected for, from its description.</summary>
    private static (ErrorKind, string) ExpectedFailure(string description) => description switch
    {
        _ when description.Contains("invalid checksum") => (ErrorKind.BadInput, "invalid checksum"),
        _ when description.Contains("invalid padding") => (ErrorKind.BadInput, "invalid padding"),
        _ when description.Contains("insufficient length") => (ErrorKind.BadInput, "at least 20"),
        _ when description.Contains("invalid master secret length") => (ErrorKind.BadInput, "not a valid SLIP-0039 share length"),
        _ when description.Contains("greater group threshold than group counts") => (ErrorKind.BadInput, "greater than its group count"),
        _ when description.Contains("Basic sharing 2-of-3") => (ErrorKind.RebuildFailed, "need 1 more share"),
        _ when description.Contains("different identifiers") => (ErrorKind.RebuildFailed, "its identifier is"),
        _ when description.Contains("different iteration exponents") => (ErrorKind.RebuildFailed, "iteration exponent"),
        _ when description.Contains("mismatching group thresholds") => (ErrorKind.RebuildFailed, "its group threshold is"),
        _ when description.Contains("mismatching group counts") => (ErrorKind.RebuildFailed, "its group count is"),
        _ when description.Contains("duplicate member indices") => (ErrorKind.RebuildFailed, "duplicate member index"),
        _ when description.Contains("mismatching member thresholds") => (ErrorKind.RebuildFailed, "disagree on its member threshold"),
        _ when description.Contains("invalid digest") => (ErrorKind.RebuildFailed, "digest mismatch"),
        _ when description.Contains("Insufficient number of groups") => (ErrorKind.RebuildFailed, "more group"),
        _ when description.Contains("insufficient number of members") => (ErrorKind.RebuildFailed, "more share"),
        _ => throw new InvalidOperationException($"no expectation for invalid vector '{description}'"),
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void EveryDecodableShareRoundTripsThroughTheEncoder(int number)
    {
        var (_, mnemonics, _) = Load(number);
        foreach (var m in mnemonics)
        {
            Share share;
            try
            {
                share = ShareCodec.Decode(m, 1);
            }
            catch (KeyVaultException)
            {
                continue; // the malformed ones are covered above
            }
            using (share)
            {
                var words = ShareCodec.Encode(share.Identifier, share.Extendable, share.IterationExponent, share.GroupIndex,
                    share.GroupThreshold, share.GroupCount, share.MemberIndex, share.MemberThreshold, share.Value);
                Assert.Equal(m, ShareCodec.ToMnemonic(words));
            }
        }
    }
}
