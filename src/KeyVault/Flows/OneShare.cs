using System.Text;
using KeyVault.Age;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>What a flow does with the words of one share; the words are wiped when it returns.</summary>
public delegate T ShareUse<out T>(ReadOnlySpan<char> words);

/// <summary>What a flow does with the content of one plain share file and its description; the content is wiped when it returns.</summary>
public delegate T ShareFileUse<out T>(ReadOnlySpan<byte> content, string source);

/// <summary>
/// Exactly one share, from wherever a custodian brings it: a share file (or the words alone), a sealed (age) share
/// file, typed or scanned at the terminal without echo, or the share piped on standard input (as a share file or the words alone). The words are handed to
/// a callback and wiped afterwards; nothing is written.
/// </summary>
internal static class OneShare
{
    /// <summary>True when <paramref name="content"/> is an age file (binary or armored) rather than a plain share file.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> content) =>
        content.StartsWith("age-encryption.org/"u8) || AgeFile.IsArmored(content);

    /// <summary>
    /// Reads the share file at <paramref name="path"/> (or "-") and runs <paramref name="use"/> on its plain content: the
    /// file itself, or for a sealed (age) file the share file sealed in it, opened with <paramref name="identities"/> as
    /// <c>age -d -i</c> would. Both are wiped when <paramref name="use"/> returns.
    /// </summary>
    /// <exception cref="KeyVaultException">Usage for a sealed file without identities; AuthenticationFailed when none opens it.</exception>
    public static T ReadFile<T>(IOperator op, string path, IReadOnlyList<AgeIdentity>? identities, ShareFileUse<T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var bytes = Inputs.ReadAll(op, path);
        try
        {
            var source = Inputs.Describe(path);
            if (!IsSealed(bytes)) return use(bytes, source);
            if (identities is null) throw CustodyError.SealedNeedsIdentity(source);
            AgePlaintext plain;
            try
            {
                plain = AgeDecryptor.Decrypt(bytes, identities);
            }
            catch (AgeException ex)
            {
                // Among several sealed files, say which one the identities do not open.
                throw new KeyVaultException(ex.Kind, $"{source}: {ex.Message}", ex.Hint, ex, ex.Code);
            }
            using (plain) return use(plain.Span, $"the share sealed in {source}");
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    /// <summary>Reads identity files (age identities or unencrypted OpenSSH ed25519 keys), or null when none are given.</summary>
    public static IReadOnlyList<AgeIdentity>? ReadIdentities(IOperator op, IReadOnlyList<string>? paths)
    {
        if (paths is null || paths.Count == 0) return null;
        var identities = new List<AgeIdentity>();
        foreach (var path in paths)
        {
            var bytes = Inputs.ReadAll(op, path);
            try
            {
                identities.AddRange(AgeIdentity.ParseFile(bytes, Inputs.Describe(path)));
            }
            finally
            {
                SecretBuffers.Wipe(bytes);
            }
        }
        return identities;
    }

    /// <summary>Runs <paramref name="use"/> on the share of a plain share file (or bare words).</summary>
    public static T FromFile<T>(ReadOnlySpan<byte> content, string source, ShareUse<T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        using var file = ShareFile.Parse(content, source);
        return use(file.Mnemonic);
    }

    /// <summary>Opens a sealed share file with <paramref name="identities"/> and runs <paramref name="use"/> on its share.</summary>
    public static T FromSealed<T>(ReadOnlySpan<byte> content, string source, IReadOnlyList<AgeIdentity> identities, ShareUse<T> use)
    {
        using var plain = AgeDecryptor.Decrypt(content, identities);
        return FromFile(plain.Span, $"the share sealed in {source}", use);
    }

    /// <summary>
    /// One share typed or scanned at the terminal (asked for again after an empty line or a share <paramref name="use"/>
    /// refuses, so a slip of the keyboard costs nothing), or the one share piped on standard input.
    /// The end of input throws <paramref name="cancelled"/>'s error.
    /// </summary>
    public static T Typed<T>(IOperator op, string prompt, ShareUse<T> use, Func<KeyVaultException> cancelled)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(use);
        ArgumentNullException.ThrowIfNull(cancelled);
        if (!op.CanAsk) return Piped(op, use, cancelled);
        op.Note("type or scan the share (the words are not shown); Ctrl-D stops.");
        while (true)
        {
            var line = op.AskSecret(prompt);
            if (line is null) throw cancelled();
            try
            {
                if (line.AsSpan().Trim().IsEmpty)
                {
                    op.Note("nothing was typed; type the share, or press Ctrl-D to stop");
                    continue;
                }
                return use(line);
            }
            catch (KeyVaultException ex) when (ex.Kind is ErrorKind.BadInput or ErrorKind.RebuildFailed or ErrorKind.IdentityMismatch)
            {
                op.Problem(ex.Hint is null ? new KeyVaultException(ex.Kind, ex.Message, "type the share again", ex) : ex);
            }
            finally
            {
                SecretBuffers.Wipe(line);
            }
        }
    }

    // Piped input is read as a share file (words may wrap over lines, # comments allowed), so a share file piped
    // as it is works; several complete shares are named as such rather than as one malformed share.
    private static T Piped<T>(IOperator op, ShareUse<T> use, Func<KeyVaultException> cancelled)
    {
        var bytes = Inputs.ReadAll(op, "-");
        try
        {
            if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw cancelled();
            ShareFile file;
            try
            {
                file = ShareFile.Parse(bytes, "standard input");
            }
            catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput && FirstLineIsAShare(bytes))
            {
                throw CustodyError.OneShareOnly();
            }
            using (file) return use(file.Mnemonic);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }

    private static bool FirstLineIsAShare(byte[] bytes)
    {
        var text = Encoding.UTF8.GetChars(bytes);
        try
        {
            int lines = 0;
            ReadOnlySpan<char> first = default;
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                var t = line.Trim();
                if (t.IsEmpty || t[0] == '#') continue;
                if (lines++ == 0) first = t;
            }
            if (lines < 2) return false;
            try
            {
                ShareCodec.Decode(first, position: 0).Dispose();
                return true;
            }
            catch (KeyVaultException)
            {
                return false;
            }
        }
        finally
        {
            SecretBuffers.Wipe(text);
        }
    }
}
