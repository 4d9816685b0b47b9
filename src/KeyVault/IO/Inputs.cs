using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.Text;

namespace KeyVault.IO;

/// <summary>Reading files and standard input ("-"), and the passphrase conventions every command shares.</summary>
internal static class Inputs
{
    /// <summary>Largest input file read, so a mistaken path to a disk image fails fast.</summary>
    public const int MaxInputBytes = 1 << 20;

    /// <summary>Reads a whole file, or stdin for "-". The caller wipes the result if it may hold a secret.</summary>
    public static byte[] ReadAll(IOperator console, string path)
    {
        using var stream = path == "-" ? console.OpenStandardInput() : OpenFile(path);
        // Sized up front where the length is known, so no smaller copy of a secret is left behind by growth.
        using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, MaxInputBytes) + 1 : 4096);
        var chunk = new byte[8192];
        try
        {
            int n;
            while ((n = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + n > MaxInputBytes)
                    throw new KeyVaultException(ErrorKind.BadInput, $"{Describe(path)} is larger than {MaxInputBytes / 1024} KiB",
                        "check that the path names the right file");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        finally
        {
            SecretBuffers.Wipe(chunk);
            // MemoryStream's internal array may hold secret bytes: clear it before it is released.
            if (buffer.TryGetBuffer(out var seg)) Array.Clear(seg.Array!);
        }
    }

    /// <summary>"standard input" or the path, for messages.</summary>
    public static string Describe(string path) => path == "-" ? "standard input" : path;

    /// <summary>The prompt for an existing key file's passphrase, naming the file, so a person knows which one to give.</summary>
    public static string KeyFilePrompt(string path, string what = "Passphrase") =>
        $"{what} for {(path == "-" ? "the key file on standard input" : Path.GetFileName(path))}: ";

    /// <summary>
    /// True when a command-line value that should be a file name looks like a secret itself: a long run of hex (a key)
    /// or a dozen words (a share). Such a value is never repeated in a message.
    /// </summary>
    public static bool LooksLikeSecret(string value)
    {
        int hexRun = 0, longestHex = 0;
        foreach (var c in value)
        {
            hexRun = char.IsAsciiHexDigit(c) ? hexRun + 1 : 0;
            longestHex = Math.Max(longestHex, hexRun);
        }
        return longestHex >= 32 || value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 12;
    }

    private static FileStream OpenFile(string path)
    {
        if (Directory.Exists(path))
            throw new KeyVaultException(ErrorKind.BadInput, $"{path} is a folder, not a file", "give the path of a file");
        if (!File.Exists(path) && LooksLikeSecret(path))
            throw new KeyVaultException(ErrorKind.BadInput,
                "a value given where a file name belongs looks like a key or a share, and is not an existing file",
                "put the key or share in a file (or use - for standard input); the value may now be in your shell history");
        if (!File.Exists(path))
            throw new KeyVaultException(ErrorKind.BadInput, $"{path} does not exist", "check the path");
        return File.OpenRead(path);
    }

    /// <summary>
    /// The passphrase for an existing file: from a file (or "-" for standard input) if given, otherwise asked once
    /// on the terminal without echo. An empty answer cancels.
    /// </summary>
    public static Passphrase ExistingPassphrase(IOperator console, string? passphraseFile, string prompt = "Passphrase: ")
    {
        if (passphraseFile is not null) return FromFile(console, passphraseFile);
        var typed = Ask(console, prompt);
        try
        {
            return Passphrase.FromChars(typed);
        }
        finally
        {
            SecretBuffers.Wipe(typed);
        }
    }

    /// <summary>
    /// A new passphrase: from a file if given, otherwise asked twice on the terminal without echo and
    /// required to match. An empty answer cancels. A passphrase the writers' rules refuse (see
    /// <see cref="NewPassphraseProblem"/>) is an error when it comes from a file and is asked again when typed.
    /// With <paramref name="acceptWeak"/>, one below the strength floor is taken with a warning instead.
    /// </summary>
    public static Passphrase NewPassphrase(IOperator console, string? passphraseFile, string what = "new passphrase", bool acceptWeak = false)
    {
        if (passphraseFile is not null)
        {
            var fromFile = FromFile(console, passphraseFile);
            if (Judge(console, fromFile, what, acceptWeak) is not { } refused) return fromFile;
            fromFile.Dispose();
            throw refused;
        }
        KeyVaultException? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var first = Ask(console, $"Enter {what}: ");
            Passphrase? a = null;
            try
            {
                a = Passphrase.FromChars(first);
            }
            finally
            {
                SecretBuffers.Wipe(first);
            }
            // Judged at once: a passphrase that will be refused is not worth typing a second time.
            if (Judge(console, a, what, acceptWeak) is { } refused)
            {
                a.Dispose();
                console.Problem(refused);
                last = refused;
                continue;
            }
            var second = Ask(console, $"Repeat {what}: ");
            try
            {
                using var b = Passphrase.FromChars(second);
                if (a.SameAs(b)) return a;
            }
            finally
            {
                SecretBuffers.Wipe(second);
            }
            a.Dispose();
            last = null;
            console.Note("the two entries differ; please type them again.");
        }
        throw last ?? new KeyVaultException(ErrorKind.Cancelled, "the passphrase entries did not match three times", "run the command again");
    }

    // The writers' rules, then the strength floor: a weak passphrase is refused, or taken with a warning when the
    // operator accepted the risk.
    private static KeyVaultException? Judge(IOperator console, Passphrase passphrase, string what, bool acceptWeak)
    {
        if (NewPassphraseProblem(passphrase, what) is { } problem) return problem;
        if (WeakPassphraseProblem(passphrase, what) is not { } weak) return null;
        if (!acceptWeak) return weak;
        console.Warn($"{Subject(what)} is estimated to fall in fewer than 10^{PassphraseStrength.FloorLog10:0} guesses; " +
                     "taken because the risk was accepted: whoever copies the file may open it by guessing");
        return null;
    }

    /// <summary>
    /// Why a passphrase is too weak to protect something new, or null: its estimated guesses
    /// (<see cref="PassphraseStrength"/>, docs/passphrase-strength.md) are below the floor of 10^12.
    /// </summary>
    public static KeyVaultException? WeakPassphraseProblem(Passphrase passphrase, string what = "new passphrase")
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (!PassphraseStrength.IsBelowFloor(passphrase.Utf8)) return null;
        // The estimate itself is not shown: it says something about the secret, and errors reach terminals and logs.
        return new KeyVaultException(ErrorKind.BadInput,
            $"{Subject(what)} is too weak: it is estimated to fall in fewer than 10^{PassphraseStrength.FloorLog10:0} guesses, " +
            "which an attacker who copies the file can try (common passwords and words, keyboard runs, sequences, dates and " +
            "l33t spellings are tried first)",
            "use four or more words chosen at random (dice or a generator, not a sentence you made up), or 16 random " +
            "characters; see docs/passphrase-strength.md",
            code: ErrorCodes.WeakPassphrase);
    }

    private static string Subject(string what) => what.StartsWith("the ", StringComparison.Ordinal) ? what : "the " + what;

    /// <summary>
    /// Why a passphrase may not protect something new, or null: it holds a code point that Unicode 14.0.0 does not
    /// assign, whose normalisation a later Unicode version could change, so another program might not open the file.
    /// Existing files are opened whatever their passphrase holds.
    /// </summary>
    public static KeyVaultException? NewPassphraseProblem(Passphrase passphrase, string what = "new passphrase")
    {
        int cp = UnicodeNfc.FirstUnassignedUtf8(passphrase.Utf8);
        if (cp < 0) return null;
        var subject = Subject(what);
        // The character is not named: it is part of a secret, and errors reach terminals and logs.
        return new KeyVaultException(ErrorKind.BadInput,
            $"{subject} contains a character that Unicode {UnicodeNfc.UnicodeVersion} does not assign (not shown: it is part of the " +
            "passphrase): a program with a later Unicode version could normalise it differently and fail to open what it protects",
            "choose a passphrase of assigned characters only (letters, digits, punctuation and spaces of any script are fine)");
    }

    private static char[] Ask(IOperator console, string prompt)
    {
        if (!console.CanAsk)
            throw new KeyVaultException(ErrorKind.Usage, "no terminal to ask for the passphrase",
                "give the passphrase in a file, or on standard input", code: ErrorCodes.PassphraseNeedsTerminal);
        var typed = console.AskSecret(prompt);
        if (typed is null || typed.Length == 0)
        {
            SecretBuffers.Wipe(typed);
            throw new KeyVaultException(ErrorKind.Cancelled, "cancelled: no passphrase given", "run the command again when ready");
        }
        return typed;
    }

    private static Passphrase FromFile(IOperator console, string path)
    {
        var bytes = ReadAll(console, path);
        try
        {
            return Passphrase.FromFileContent(bytes);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
    }
}
