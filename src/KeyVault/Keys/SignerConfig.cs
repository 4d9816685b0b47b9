using KeyVault.Errors;
using KeyVault.IO;
using Tomlyn;
using Tomlyn.Model;

namespace KeyVault.Keys;

/// <summary>Non-key settings read from an sBTC signer's <c>signer-config.toml</c>.</summary>
public static class SignerConfig
{
    /// <summary>
    /// <c>[signer] db_endpoint</c>, the signer's PostgreSQL URL. The file also holds the private key: the parsed copy
    /// of it is wiped before this returns, as when a config is given as the expected identity.
    /// </summary>
    public static string ReadDbEndpoint(ReadOnlySpan<byte> content, string source) => Read(content, table =>
    {
        if (!table.TryGetValue("signer", out var s) || s is not TomlTable signer || !signer.TryGetValue("db_endpoint", out var value))
            throw new KeyVaultException(ErrorKind.BadInput, $"{source} has no [signer] db_endpoint",
                "give the signer's config file (signer-config.toml), or the database URL itself");
        return value as string ?? throw Error.KeyNotString("[signer] db_endpoint");
    });

    /// <summary>
    /// Parses a signer config and hands its table to <paramref name="read"/>. The file holds the private key: the
    /// parsed copy of it, and the decoded text, are wiped before this returns, whatever <paramref name="read"/> does.
    /// </summary>
    internal static T Read<T>(ReadOnlySpan<byte> content, Func<TomlTable, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(content);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Error.NotUtf8();
        }
        TomlTable? table = null;
        try
        {
            try
            {
                table = TomlModel.Read(text);
            }
            catch (TomlException ex)
            {
                throw Error.MalformedToml(ex.Line ?? 0, ex.Column ?? 0);
            }
            return read(table ?? []);
        }
        finally
        {
            if (table is not null && table.TryGetValue("signer", out var s) && s is TomlTable signer && signer.TryGetValue("private_key", out var key)
                && key is string k) SecretBuffers.WipeString(k);
            SecretBuffers.WipeString(text);
        }
    }
}
