using KeyVault.IO;
using KeyVault.Keys;

namespace KeyVault.Cli.Infrastructure;

/// <summary>Writes a bare private key in a signer's format: to a new 0600 file, or to standard output only for "-".</summary>
internal static class KeyOutput
{
    /// <summary>Writes <paramref name="key"/> to <paramref name="output"/>; the text is wiped afterwards.</summary>
    public static void Write(CliConsole console, SecretKey key, KeyOutputFormat format, string output, bool overwrite = false)
    {
        var text = SignerKeyFormats.Export(key, format);
        try
        {
            if (output == "-")
            {
                var chars = new char[text.Length];
                try
                {
                    for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
                    console.Out.Write(chars);
                    console.Out.Flush();
                }
                finally
                {
                    SecretBuffers.Wipe(chars);
                }
            }
            else
            {
                AtomicFile.Write(output, text, overwrite);
                console.Error.WriteLine($"keyvault: wrote the private key of {key.PublicKey.Fingerprint} to {output} (mode 0600); delete it when done");
            }
        }
        finally
        {
            SecretBuffers.Wipe(text);
        }
    }
}
