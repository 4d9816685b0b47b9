using System.Security.Cryptography;
using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Interaction;
using KeyVault.Shares;

namespace KeyVault.Flows;

/// <summary>How sheets are checked back at the terminal.</summary>
public enum CheckMode
{
    /// <summary>The whole share, typed or scanned.</summary>
    Full,
    /// <summary><see cref="SheetCheck.WordsAsked"/> random words.</summary>
    Words,
}

/// <summary>
/// Before a custodian leaves with a sheet, proves it can be read: the custodian types (or scans) the share back, or
/// a few random words of it, and it must match the share just written. Nothing typed is echoed or kept.
/// </summary>
internal sealed class SheetCheck(IOperator console, CeremonyDialog dialog, CheckMode mode)
{
    /// <summary>Words asked in words mode: 4 of 33 catch a misprinted or unreadable sheet while staying quick.</summary>
    public const int WordsAsked = 4;

    /// <summary>The first word position that can differ between the shares of one backup (1-based).</summary>
    public const int FirstDistinctWord = 3;

    /// <summary>Attempts before the operator must choose between printing again and aborting.</summary>
    public const int AttemptsPerPrint = 3;

    /// <summary>Runs the check for one custodian until it passes; throws Cancelled when the operator aborts.</summary>
    public CustodianRecord Run(MnemonicShare share, string custodian, ShareOutput written)
    {
        int number = share.Info.MemberNumber;
        if (dialog.Rehearsal) return Automated(share, custodian, written);

        var positions = mode == CheckMode.Words ? PickPositions(share.Words.Count) : [];
        int attempts = 0, prints = 1;
        while (true)
        {
            for (int i = 1; i <= AttemptsPerPrint; i++)
            {
                attempts++;
                var problem = mode == CheckMode.Full ? AskFull(share, custodian) : AskWords(share, custodian, positions);
                if (problem is null)
                {
                    console.Note($"share {number} confirmed: {custodian} holds a readable sheet");
                    return new CustodianRecord(custodian, number,
                        mode == CheckMode.Full ? SheetCheckMethod.FullShare : SheetCheckMethod.Words, positions, attempts, prints);
                }
                console.Problem(new KeyVaultException(ErrorKind.BadInput, $"share {number}: {problem}",
                    i < AttemptsPerPrint ? $"compare with the sheet and try again (attempt {i + 1} of {AttemptsPerPrint})" : null));
            }
            if (!dialog.ReprintOrAbort($"The sheet of share {number} ({custodian}) was not confirmed in {AttemptsPerPrint} attempts."))
                throw CeremonyError.SheetNotConfirmed(number, custodian);
            prints++;
            console.Note($"print {Path.GetFileName(written.PdfFile)} again, give the new sheet to {custodian}, and shred the old one");
        }
    }

    /// <summary>
    /// Why <paramref name="typed"/> is not <paramref name="expected"/>, or null when it is the same share. Typing is
    /// lenient (any case and spacing, 4-letter prefixes); the comparison is of the decoded share.
    /// </summary>
    public static string? Mismatch(MnemonicShare expected, ReadOnlySpan<char> typed)
    {
        ShareInfo info;
        try
        {
            info = Slip39.Decode(typed);
        }
        catch (KeyVaultException ex) when (ex.Kind == ErrorKind.BadInput)
        {
            return WhereTheWordsDiffer(expected, typed) is { } where ? $"{ex.Message}; {where}" : ex.Message;
        }
        if (info.Identifier != expected.Info.Identifier)
            return $"that is a share of another backup (ID {info.Identifier}, this backup is {expected.Info.Identifier})";
        if (info.GroupNumber != expected.Info.GroupNumber || info.MemberNumber != expected.Info.MemberNumber)
            return $"that is share {info.MemberNumber}, not share {expected.Info.MemberNumber}";
        using var collector = new RecoveryState();
        collector.Add(expected.Mnemonic);
        try
        {
            // The same share again is reported as a duplicate; anything else with this number differs from the sheet.
            if (collector.Add(typed).DuplicateOf is not null) return null;
        }
        catch (KeyVaultException)
        {
        }
        return "the words differ from the share on the sheet";
    }

    /// <summary>
    /// For a share that does not decode, which positions differ from the sheet, by number and never by word: a valid
    /// word in the wrong place is caught by the checksum only, which cannot say where. Null when nothing is found.
    /// </summary>
    internal static string? WhereTheWordsDiffer(MnemonicShare expected, ReadOnlySpan<char> typed)
    {
        var wrong = new List<int>();
        int count = 0;
        foreach (var range in typed.SplitAny(" \t\r\n"))
        {
            var word = typed[range];
            if (word.IsEmpty) continue;
            count++;
            if (count <= expected.Words.Count && !WordMatches(expected.Words[count - 1], word)) wrong.Add(count);
        }
        if (count != expected.Words.Count) return $"{count} words were typed, and the sheet has {expected.Words.Count}";
        return wrong.Count switch
        {
            0 => null,
            1 => $"word {wrong[0]} does not match the sheet",
            _ => $"words {string.Join(", ", wrong)} do not match the sheet",
        };
    }

    private CustodianRecord Automated(MnemonicShare share, string custodian, ShareOutput written)
    {
        var bytes = File.ReadAllBytes(written.TextFile);
        try
        {
            using var file = ShareFile.Parse(bytes, Path.GetFileName(written.TextFile));
            if (Mismatch(share, file.Mnemonic) is not null || file.Custodian != custodian)
                throw CeremonyError.ReadBackDiffers(written.TextFile);
        }
        finally
        {
            SecretBuffers.Wipe(bytes);
        }
        console.Note($"share {share.Info.MemberNumber}: share file read back and matched (automated check: no person read the sheet)");
        return new CustodianRecord(custodian, share.Info.MemberNumber, SheetCheckMethod.Automated, [], 1, 1);
    }

    private string? AskFull(MnemonicShare share, string custodian)
    {
        var typed = console.AskSecret($"Share {share.Info.MemberNumber} ({custodian}): type or scan the whole share, then Enter: ")
                    ?? throw CeremonyError.EndOfInput();
        try
        {
            return typed.AsSpan().Trim().IsEmpty ? "nothing was typed" : Mismatch(share, typed);
        }
        finally
        {
            SecretBuffers.Wipe(typed);
        }
    }

    private string? AskWords(MnemonicShare share, string custodian, IReadOnlyList<int> positions)
    {
        var wrong = new List<int>();
        foreach (var position in positions)
        {
            var typed = console.AskSecret($"Share {share.Info.MemberNumber} ({custodian}), word {position}: ")
                        ?? throw CeremonyError.EndOfInput();
            try
            {
                if (!WordMatches(share.Words[position - 1], typed)) wrong.Add(position);
            }
            finally
            {
                SecretBuffers.Wipe(typed);
            }
        }
        return wrong.Count == 0 ? null
            : $"word{(wrong.Count == 1 ? "" : "s")} {string.Join(", ", wrong)} {(wrong.Count == 1 ? "does" : "do")} not match the sheet";
    }

    /// <summary>True when <paramref name="typed"/> is the word, or a prefix of it of at least 4 letters, in any case.</summary>
    internal static bool WordMatches(string word, ReadOnlySpan<char> typed)
    {
        var t = typed.Trim();
        if (t.Length < 4 || t.Length > word.Length) return false;
        Span<byte> a = stackalloc byte[t.Length];
        for (int i = 0; i < t.Length; i++) a[i] = (byte)(char.IsAsciiLetter(t[i]) ? char.ToLowerInvariant(t[i]) : 0xFF);
        var b = Encoding.ASCII.GetBytes(word[..t.Length]);
        try
        {
            return CryptographicOperations.FixedTimeEquals(a, b);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>
    /// <see cref="WordsAsked"/> distinct 1-based positions, chosen uniformly from word 3 on, in ascending order. Words 1
    /// and 2 (identifier and flags) are the same on every sheet of the backup, so typing them proves nothing about this one.
    /// </summary>
    internal static int[] PickPositions(int wordCount)
    {
        var all = Enumerable.Range(FirstDistinctWord, wordCount - FirstDistinctWord + 1).ToArray();
        RandomNumberGenerator.Shuffle(all.AsSpan());
        return all[..Math.Min(WordsAsked, wordCount)].Order().ToArray();
    }
}
