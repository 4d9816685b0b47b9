using KeyVault.Drill;
using KeyVault.Flows;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.KeyFile;
using KeyVault.Keys;
using KeyVault.Manifest;
using KeyVault.SelfTest;
using KeyVault.Shares;
using KeyVault.Sheets;

namespace KeyVault.LibraryExample;

/// <summary>
/// docs/library.md's example: the code between the markers is the page's code block, character for character (a test
/// checks it), compiled against the public API only.
/// </summary>
public static class LibraryExample
{
    /// <summary>Runs the example in the empty folder <paramref name="dir"/>, talking to the person through <paramref name="op"/>.</summary>
    public static DrillResult Run(string dir, IOperator op)
    {
        // BEGIN docs/library.md
        // 0. The self-test: every primitive against published known answers, before a key exists.
        if (!SelfTests.Run().AllPassed) throw new InvalidOperationException("self-test failed: do not use this build for a key");

        // 1. A new signer key and its public identity.
        using var key = KeyGenerator.Generate();
        SignerIdentity identity = key.PublicKey.Identity();

        // 2. An encrypted key file: encrypted, proven to open, written new (mode 0600) atomically, read back.
        //    (Weak Argon2 parameters keep the example fast; real files use KdfParameters.Default.)
        using var passphrase = Passphrase.FromFileContent("correct horse battery staple orbit\n"u8);
        var keyFile = Path.Combine(dir, "signer.kvk");
        KeyFileFlows.Save(op, new KeyFileSaveRequest(keyFile, new KdfParameters(8, 1, 1), Label: "example signer"), key, passphrase);

        // 3. A 2-of-3 SLIP-0039 split, proven to rebuild the key, written with its signed manifest.json as one set:
        //    all files or none. (No sheets: those need KeyVault.Paper's SheetRenderer.)
        var options = new ShareOutputOptions(["Alice", "Bob", "Carol"], Paper: false, Png: false, PaperSize.A4,
            StacksNetwork.Mainnet, DateOnly.FromDateTime(DateTime.UtcNow), PassphraseProtected: false);
        using (var files = new FileSet(dir, staged: true))
        {
            SplitFlow.Run(op, new SplitRequest(keyFile, SplitLayout.Single(2, 3), PassphraseFile: null, Slip39PassphraseFile: null,
                    Slip39.DefaultIterationExponent, Extendable: true, KeyFilePassphrase: passphrase),
                options, new ManifestOptions(DateTimeOffset.UtcNow, Slip39Passphrase: false), files, renderer: null);
            if (!files.Complete()) throw new OperationCanceledException("the split was interrupted; nothing was kept");
        }

        // 4. A drill: the key file and two of the three share files must rebuild the expected identity.
        DrillResult result = DrillRun.Execute(op, new DrillRequest
        {
            Expected = ExpectedIdentity.FromPublicKey(key.PublicKey),
            KeyFile = keyFile,
            KeyFilePassphrase = passphrase,
            ShareFiles = [Path.Combine(dir, "share-1.txt"), Path.Combine(dir, "share-3.txt")],
        });
        op.Show($"{identity.Fingerprint}: {DrillReport.OutcomeName(result.Report.Outcome)}");
        // END docs/library.md
        return result;
    }
}
