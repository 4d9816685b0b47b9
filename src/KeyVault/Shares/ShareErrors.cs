using KeyVault.Errors;

namespace KeyVault.Shares;

/// <summary>
/// Every operator-facing message of the shares layer, in one place. Messages name shares by their position in the
/// input and, once decoded, by group and member; they never quote a share's words or value.
/// Malformed input is <see cref="ErrorKind.BadInput"/>; valid shares that cannot rebuild the secret together are
/// <see cref="ErrorKind.RebuildFailed"/>.
/// </summary>
internal static class ShareErrors
{
    private const string CheckSheetHint = "compare every word with the sheet, in order; the first 4 letters of each word are enough";
    private const string SameBackupHint = "all shares of one backup begin with the same two words; set aside the shares that differ";

    // ---- one share (BadInput) ----

    public static KeyVaultException Empty(string label) => new(ErrorKind.BadInput,
        $"{label} is empty", "give the share's words, separated by spaces or line breaks", facts: ErrorFacts.Of((ErrorFacts.Share, label)));

    public static KeyVaultException ShortWord(string label, int word, int letters) => new(ErrorKind.BadInput,
        $"word {word} of {label} has only {letters} letter{S(letters)}, which does not identify a word",
        "give at least the first 4 letters of each word", facts: ErrorFacts.Of((ErrorFacts.Share, label), (ErrorFacts.Word, word)));

    public static KeyVaultException UnknownWord(string label, int word) => new(ErrorKind.BadInput,
        $"word {word} of {label} is not in the SLIP-0039 word list", CheckSheetHint, facts: ErrorFacts.Of((ErrorFacts.Share, label), (ErrorFacts.Word, word)));

    public static KeyVaultException TooFewWords(string label, int count) => new(ErrorKind.BadInput,
        $"{label} has {count} word{S(count)}; a SLIP-0039 share has at least 20",
        "a share of a 16-byte secret has 20 words and of a 32-byte secret 33; look for missing words", facts: ErrorFacts.Of((ErrorFacts.Share, label), (ErrorFacts.Count, count)));

    public static KeyVaultException TooManyWords(string label, int count) => new(ErrorKind.BadInput,
        $"{label} has {count} words; SLIP-0039 shares of secrets up to 64 bytes have at most {ShareCodec.MaxWords}",
        "check that only one share was given and that no words are repeated", facts: ErrorFacts.Of((ErrorFacts.Share, label), (ErrorFacts.Count, count)));

    public static KeyVaultException BadLength(string label, int count) => new(ErrorKind.BadInput,
        $"{label} has {count} words, which is not a valid SLIP-0039 share length",
        "a share of a 16-byte secret has 20 words and of a 32-byte secret 33; look for missing or repeated words", facts: ErrorFacts.Of((ErrorFacts.Share, label), (ErrorFacts.Count, count)));

    public static KeyVaultException BadChecksum(string label) => new(ErrorKind.BadInput,
        $"{label} has an invalid checksum: at least one word is wrong, missing or out of order", CheckSheetHint, facts: ErrorFacts.Of((ErrorFacts.Share, label)));

    public static KeyVaultException BadPadding(string label) => new(ErrorKind.BadInput,
        $"{label} has invalid padding (non-zero padding bits in word 5), so it is not a valid SLIP-0039 share",
        "check word 5 against the sheet", facts: ErrorFacts.Of((ErrorFacts.Share, label)));

    public static KeyVaultException GroupThresholdAboveCount(string label, int threshold, int count) => new(ErrorKind.BadInput,
        $"{label} is invalid: its group threshold ({threshold}) is greater than its group count ({count})",
        "no valid share says this; check the first three words against the sheet", facts: ErrorFacts.Of((ErrorFacts.Share, label)));

    public static KeyVaultException PassphraseNotAscii(int position) => new(ErrorKind.BadInput,
        $"the SLIP-0039 passphrase has a character outside printable ASCII (at byte {position})",
        "SLIP-0039 passphrases may hold only printable ASCII (letters, digits, punctuation, space), so any implementation can use them");

    // ---- a single-level layout (BadInput), in the terms a person answers in: shares, custodians, threshold ----

    public static KeyVaultException SingleShareCount(int count) => new(ErrorKind.BadInput,
        $"{count} shares is not possible; SLIP-0039 numbers 1 to 16 shares (one per custodian)",
        "give the number of people who will each keep one share; for more than 16, use groups", code: ErrorCodes.LayoutShareCount);

    public static KeyVaultException SingleThreshold(int threshold, int count) => new(ErrorKind.BadInput,
        $"a threshold of {threshold} is not possible with {count} share{S(count)}; it must be {(count == 1 ? "1" : $"2 to {count}")}",
        "choose how many custodians must come together to restore the key; a threshold equal to the number of shares loses the key with any one of them",
        code: ErrorCodes.LayoutThreshold);

    public static KeyVaultException SingleThresholdOne(int count) => new(ErrorKind.BadInput,
        $"a threshold of 1 with {count} shares would give each custodian the whole key (SLIP-0039 refuses 1-of-{count})",
        "raise the threshold to 2 or more; for identical copies, make a 1-of-1 backup and copy it", code: ErrorCodes.LayoutThresholdOne);

    // ---- a set of shares (RebuildFailed) ----

    public static KeyVaultException NoShares() => new(ErrorKind.RebuildFailed,
        "no shares were given", "give at least as many shares as the backup's threshold");

    public static KeyVaultException DifferentBackup(Share share, Share first, string field, string value, string firstValue) =>
        new(ErrorKind.RebuildFailed,
            $"{share.Label} is not from the same backup as {first.Label}: its {field} is {value}, not {firstValue}",
            SameBackupHint);

    public static KeyVaultException MemberThresholdMismatch(Share share, Share other) => new(ErrorKind.RebuildFailed,
        $"{share.Label} and {other.Label} are in the same group but disagree on its member threshold " +
        $"({share.MemberThreshold} and {other.MemberThreshold})",
        "one of them was altered or belongs to another backup; check both against their sheets");

    public static KeyVaultException DuplicateMember(Share share, Share other) => new(ErrorKind.RebuildFailed,
        $"{share.Label} and {other.Label} have the same member index but different values (duplicate member index)",
        "at most one of them is genuine; check both against their sheets");

    public static KeyVaultException NotEnough(string need) => new(ErrorKind.RebuildFailed,
        $"not enough shares to rebuild the secret: {need}", "add the missing shares and try again");

    public static KeyVaultException DigestMismatch(string what) => new(ErrorKind.RebuildFailed,
        $"{what} do not fit together (digest mismatch): at least one was altered or belongs to a different backup " +
        "that happens to have the same identifier",
        "check each share against its sheet; with more shares than the threshold, KeyVault names the one that does not fit");

    public static KeyVaultException NumberOutOfRange(int number) => new(ErrorKind.BadInput,
        $"share number {number} is out of range; share numbers are 1 to 16", "choose an unused number from 1 to 16");

    public static KeyVaultException GroupOutOfRange(int group, int count) => new(ErrorKind.BadInput,
        $"group {group} does not exist; the backup has {count} group{(count == 1 ? "" : "s")}", "choose a group from 1 to the number of groups");

    public static KeyVaultException GroupAmbiguous() => new(ErrorKind.Usage,
        "the shares given are from several groups, so the group of the new share must be named",
        "name the group of the share to reissue");

    public static KeyVaultException ThresholdOneGroup(int group) => new(ErrorKind.BadInput,
        $"group {group} has member threshold 1, so it can hold only one share (SLIP-0039 forbids 1-of-n with n above 1)",
        "re-create the existing share instead, or make a new split");

    public static KeyVaultException TooFewShares(int group, int given, int threshold) => new(ErrorKind.RebuildFailed,
        $"group {group} needs {threshold} share{(threshold == 1 ? "" : "s")} to compute another of its shares; {given} {(given == 1 ? "was" : "were")} given",
        "give at least the member threshold of shares of that group");

    public static KeyVaultException NoFittingSubset(string what, int threshold, int count) => new(ErrorKind.RebuildFailed,
        $"no {threshold} of the {count} {what} fit together (digest mismatch): more than {count - threshold} of them " +
        "were altered or belong to a different backup with the same identifier",
        "check each share against its sheet");

    public static KeyVaultException Unfit(IReadOnlyList<string> labels, string others) => new(ErrorKind.RebuildFailed,
        $"{Join(labels)} {(labels.Count == 1 ? "does" : "do")} not fit with {others}: " +
        $"{(labels.Count == 1 ? "it was altered or belongs" : "they were altered or belong")} to a different backup with the same identifier",
        $"set {(labels.Count == 1 ? "it" : "them")} aside and combine again: the other shares are enough to rebuild the secret");

    public static KeyVaultException Disagree(IReadOnlyList<string> labels, string why) => new(ErrorKind.RebuildFailed,
        $"{Join(labels)} disagree: {why}", "at most one of them is genuine; check each against its sheet");

    // ---- a rebuilt key (IdentityMismatch) ----

    public static KeyVaultException KeyMismatch(string source, string named, string rebuilt, bool? slip39Passphrase) =>
        slip39Passphrase switch
        {
            true => new(ErrorKind.IdentityMismatch,
                $"{source} names key {named}, but the shares rebuilt key {rebuilt}: the backup was made with a SLIP-0039 " +
                "passphrase, and it was missing or wrong (SLIP-0039 cannot tell; a different passphrase rebuilds a different key)",
                "give the backup's SLIP-0039 passphrase, exactly as it was set", code: ErrorCodes.Slip39PassphraseWrong),
            false => new(ErrorKind.IdentityMismatch,
                $"{source} names key {named}, but the shares rebuilt key {rebuilt}",
                "the file says the backup has no SLIP-0039 passphrase, so give none; otherwise the share files belong to " +
                "another key, or their comments were edited: check which key this backup is for"),
            null => new(ErrorKind.IdentityMismatch,
                $"{source} names key {named}, but the shares rebuilt key {rebuilt}",
                "was the backup made with a SLIP-0039 passphrase? give it, exactly as it was set " +
                "(a missing or wrong one rebuilds a different key); otherwise the share files belong to another key, " +
                "or their comments were edited", code: ErrorCodes.Slip39PassphraseMaybe),
        };

    // ---- split parameters (BadInput) ----

    public static KeyVaultException SecretLength(int length) => new(ErrorKind.BadInput,
        $"the secret is {length} bytes; SLIP-0039 shares hold an even number of bytes from 16 to 32",
        "split the 32-byte signer key, or a 16-byte secret");

    public static KeyVaultException NoGroups() => new(ErrorKind.BadInput,
        "no groups were given", "give at least one group, e.g. one group of 3-of-5");

    public static KeyVaultException TooManyGroups(int count) => new(ErrorKind.BadInput,
        $"{count} groups were given; SLIP-0039 allows at most 16", "merge groups so there are 16 or fewer");

    public static KeyVaultException GroupThreshold(int threshold, int count) => new(ErrorKind.BadInput,
        $"the group threshold is {threshold} but there {(count == 1 ? "is 1 group" : $"are {count} groups")}",
        $"choose a group threshold from 1 to {count}");

    public static KeyVaultException MemberCount(int group, int count) => new(ErrorKind.BadInput,
        $"group {group} has {count} members; SLIP-0039 allows 1 to 16 per group",
        "use 1 to 16 members, or add another group");

    public static KeyVaultException MemberThreshold(int group, int threshold, int count) => new(ErrorKind.BadInput,
        $"group {group} has a threshold of {threshold} for {count} member{S(count)}; the threshold must be {(count == 1 ? "1" : $"2 to {count}")}",
        threshold > count ? $"lower the threshold to at most {count}, or add members" : "use a threshold of at least 1");

    public static KeyVaultException ThresholdOneOfMany(int group, int count) => new(ErrorKind.BadInput,
        $"group {group} is 1-of-{count}: its {count} shares would differ only in their member number, so any one of them alone is the whole group",
        "use 1-of-1 and make copies of that share, or raise the threshold to 2 or more");

    public static KeyVaultException IterationExponent(int exponent) => new(ErrorKind.BadInput,
        $"the iteration exponent is {exponent}; SLIP-0039 allows 0 to 15", "use the default of 1 unless you have a reason");

    /// <summary>"s" unless <paramref name="n"/> is 1: plurals in messages.</summary>
    internal static string S(int n) => n == 1 ? "" : "s";

    private static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} and {items[1]}",
        _ => string.Join(", ", items.Take(items.Count - 1)) + ", and " + items[^1],
    };
}
