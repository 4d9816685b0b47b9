using System.Text;

namespace KeyVault.Text;

/// <summary>What a piece of a passphrase was recognised as.</summary>
public enum StrengthPattern
{
    /// <summary>No pattern: each character guessed on its own.</summary>
    BruteForce,
    /// <summary>A word of a ranked list, perhaps capitalised, with l33t substitutions, or reversed.</summary>
    Dictionary,
    /// <summary>A piece repeated (aaaa, abcabc).</summary>
    Repeat,
    /// <summary>Characters with a constant step (abcd, 1357, 9876).</summary>
    Sequence,
    /// <summary>Adjacent keys of one row of a US keyboard (qwerty, asdf).</summary>
    KeyboardRow,
    /// <summary>A year (1900 to 2099) or a date.</summary>
    Date,
}

/// <summary>One piece of the cheapest decomposition: where it is (in characters) and what it costs to guess.</summary>
/// <param name="Pattern">What the piece was recognised as.</param>
/// <param name="Start">First character (Unicode scalar value) of the piece.</param>
/// <param name="Length">Characters in the piece.</param>
/// <param name="Log10Guesses">log10 of the guesses for this piece alone.</param>
public readonly record struct StrengthSegment(StrengthPattern Pattern, int Start, int Length, double Log10Guesses);

/// <summary>An estimate: log10 of the guesses an informed attacker needs, and the decomposition that gives it.</summary>
/// <param name="Log10Guesses">log10 of the estimated guesses.</param>
/// <param name="Segments">The cheapest decomposition, in order (positions only: no text of the passphrase).</param>
public sealed record StrengthEstimate(double Log10Guesses, IReadOnlyList<StrengthSegment> Segments)
{
    /// <summary>True when the estimate is below <see cref="PassphraseStrength.FloorGuesses"/>.</summary>
    public bool BelowFloor => Log10Guesses < PassphraseStrength.FloorLog10;
}

/// <summary>
/// Estimates how many guesses a passphrase takes, in the manner of zxcvbn (Wheeler, USENIX Security 2016): the text is
/// covered by recognised pieces (ranked words, repeats, sequences, keyboard rows, dates, and brute force between them)
/// and the cheapest cover by "product of the pieces' guesses × (number of pieces)!" is the estimate. Works over the
/// passphrase's UTF-8 bytes; every scratch buffer is pinned and wiped; no string is made from the passphrase.
/// docs/passphrase-strength.md is the specification.
/// </summary>
public static class PassphraseStrength
{
    /// <summary>The floor for a new passphrase: 10^12 estimated guesses (about 40 bits).</summary>
    public const double FloorGuesses = 1e12;

    /// <summary>log10 of <see cref="FloorGuesses"/>.</summary>
    public const double FloorLog10 = 12;

    // zxcvbn's constants (scoring.coffee): minimum guesses for a piece shorter than the whole text, and the additive
    // term that keeps a long sequence of pieces from beating brute force.
    private const double MinSubmatchSingleChar = 10;
    private const double MinSubmatchMultiChar = 50;
    private const double MinGuessesBeforeGrowingSequence = 10000;
    // Brute force between recognised pieces counts 10 per character, as zxcvbn does: the leftovers of a chosen
    // passphrase (the "&3" of Tr0ub4dor&3) are rarely uniform over their class. The whole text as one brute-force
    // piece counts by class instead, so a random string is rated by the alphabet it is drawn from.
    private const double GapCardinality = 10;
    private const double KeyboardStartingKeys = 94;
    private const double KeyboardAverageDegree = 4.6;
    private const int MinYearSpace = 20;
    private const int MaxRepeatBase = 64;

    /// <summary>
    /// Characters analysed: the first 100, as zxcvbn's authors advise, since the search grows with the square of the
    /// length. A longer passphrase is judged by its start, which only errs towards refusing.
    /// </summary>
    public const int MaxAnalysedCharacters = 100;

    private static readonly string[] KeyboardRows =
    [
        "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
        "~!@#$%^&*()_+", "QWERTYUIOP{}|", "ASDFGHJKL:\"", "ZXCVBNM<>?",
    ];

    /// <summary>True when <paramref name="utf8"/> is estimated to take fewer than <see cref="FloorGuesses"/> guesses.</summary>
    public static bool IsBelowFloor(ReadOnlySpan<byte> utf8) => Estimate(utf8).BelowFloor;

    /// <summary>Estimates the guesses for UTF-8 text (invalid sequences count as one unusual character each).</summary>
    public static StrengthEstimate Estimate(ReadOnlySpan<byte> utf8)
    {
        int count = 0;
        for (var rest = utf8; !rest.IsEmpty && count < MaxAnalysedCharacters; count++)
        {
            Rune.DecodeFromUtf8(rest, out _, out int used);
            rest = rest[used..];
        }
        var cps = GC.AllocateArray<int>(count, pinned: true);
        try
        {
            int n = 0;
            for (var rest = utf8; n < count; n++)
            {
                Rune.DecodeFromUtf8(rest, out var rune, out int used);
                cps[n] = rune.Value;
                rest = rest[used..];
            }
            var segments = new List<StrengthSegment>();
            double log = Solve(cps, segments);
            return new StrengthEstimate(log, segments);
        }
        finally
        {
            Array.Clear(cps);
        }
    }

    private readonly record struct Match(StrengthPattern Pattern, int I, int J, double Log10);

    private sealed class Entry
    {
        public int L;
        public double LogPi;
        public double LogG;
        public Match M;
    }

    // Minimum-guesses decomposition (zxcvbn's most_guessable_match_sequence) over the code points of one text.
    private static double Solve(ReadOnlySpan<int> cps, List<StrengthSegment>? segments)
    {
        int n = cps.Length;
        if (n == 0) return 0;
        var matches = new List<Match>();
        Dictionaries(cps, matches);
        Repeats(cps, matches);
        Sequences(cps, matches);
        Keyboard(cps, matches);
        Dates(cps, matches);
        matches.Sort((a, b) => a.J != b.J ? a.J.CompareTo(b.J) : a.I.CompareTo(b.I));

        var logFact = new double[n + 2];
        for (int i = 2; i < logFact.Length; i++) logFact[i] = logFact[i - 1] + Math.Log10(i);
        // Prefix sums of log10(class size), for the whole-text brute force.
        var classLog = new double[n + 1];
        for (int i = 0; i < n; i++) classLog[i + 1] = classLog[i] + Math.Log10(Cardinality(cps[i]));

        var optimal = new List<Entry>[n];
        for (int k = 0; k < n; k++) optimal[k] = [];

        void Update(Match m, int l)
        {
            int k = m.J;
            double pi = WithMinimum(m, n);
            if (l > 1)
            {
                var prev = Find(optimal[m.I - 1], l - 1);
                if (prev is null) return;
                pi += prev.LogPi;
            }
            double g = LogAdd(logFact[Math.Min(l, n + 1)] + pi, (l - 1) * Math.Log10(MinGuessesBeforeGrowingSequence));
            foreach (var e in optimal[k])
                if (e.L <= l && e.LogG <= g) return;
            var slot = Find(optimal[k], l);
            if (slot is null) optimal[k].Add(new Entry { L = l, LogPi = pi, LogG = g, M = m });
            else { slot.LogPi = pi; slot.LogG = g; slot.M = m; }
        }

        Match BruteForce(int i, int j)
        {
            double log = i == 0 && j == n - 1 ? classLog[n] : (j - i + 1) * Math.Log10(GapCardinality);
            // zxcvbn's floor for brute force is one more than the floor for any piece.
            double floor = j == i ? MinSubmatchSingleChar + 1 : MinSubmatchMultiChar + 1;
            if (!(i == 0 && j == n - 1)) log = Math.Max(log, Math.Log10(floor));
            return new Match(StrengthPattern.BruteForce, i, j, log);
        }

        int next = 0;
        for (int k = 0; k < n; k++)
        {
            for (; next < matches.Count && matches[next].J == k; next++)
            {
                var m = matches[next];
                if (m.I > 0)
                {
                    foreach (var e in optimal[m.I - 1].ToArray()) Update(m, e.L + 1);
                }
                else Update(m, 1);
            }
            Update(BruteForce(0, k), 1);
            for (int i = 1; i <= k; i++)
            {
                var bf = BruteForce(i, k);
                foreach (var e in optimal[i - 1].ToArray())
                {
                    if (e.M.Pattern == StrengthPattern.BruteForce) continue;
                    Update(bf, e.L + 1);
                }
            }
        }

        Entry? best = null;
        foreach (var e in optimal[n - 1])
            if (best is null || e.LogG < best.LogG) best = e;
        if (segments is not null)
        {
            var reversed = new List<StrengthSegment>();
            int at = n - 1, len = best!.L;
            while (at >= 0)
            {
                var e = Find(optimal[at], len)!;
                reversed.Add(new StrengthSegment(e.M.Pattern, e.M.I, e.M.J - e.M.I + 1, WithMinimum(e.M, n)));
                at = e.M.I - 1;
                len--;
            }
            reversed.Reverse();
            segments.AddRange(reversed);
        }
        return best!.LogG;
    }

    private static Entry? Find(List<Entry> entries, int l)
    {
        foreach (var e in entries)
            if (e.L == l) return e;
        return null;
    }

    // A piece shorter than the whole text costs at least zxcvbn's minimum for its length.
    private static double WithMinimum(Match m, int n)
    {
        int len = m.J - m.I + 1;
        if (len >= n || m.Pattern == StrengthPattern.BruteForce) return m.Log10;
        return Math.Max(m.Log10, Math.Log10(len == 1 ? MinSubmatchSingleChar : MinSubmatchMultiChar));
    }

    private static double LogAdd(double a, double b)
    {
        double hi = Math.Max(a, b), lo = Math.Min(a, b);
        return hi + Math.Log10(1 + Math.Pow(10, lo - hi));
    }

    private static double Cardinality(int cp) => cp switch
    {
        >= '0' and <= '9' => 10,
        >= 'a' and <= 'z' => 26,
        >= 'A' and <= 'Z' => 26,
        >= 0x20 and < 0x7f => 33,
        < 0x80 => 33,
        _ => 100,
    };

    private static bool IsUpper(int c) => c is >= 'A' and <= 'Z';
    private static bool IsLower(int c) => c is >= 'a' and <= 'z';
    private static bool IsDigit(int c) => c is >= '0' and <= '9';
    private static int Fold(int c) => IsUpper(c) ? c + 32 : c;

    // The common l33t substitutions: the first letter is the usual reading, the second the other one.
    private static (char First, char Second) Unleet(int c) => c switch
    {
        '4' or '@' => ('a', 'a'),
        '8' => ('b', 'b'),
        '(' or '{' or '[' or '<' => ('c', 'c'),
        '3' => ('e', 'e'),
        '6' or '9' => ('g', 'g'),
        '1' or '|' => ('i', 'l'),
        '!' => ('i', 'i'),
        '7' => ('t', 'l'),
        '0' => ('o', 'o'),
        '$' or '5' => ('s', 's'),
        '+' => ('t', 't'),
        '%' => ('x', 'x'),
        '2' => ('z', 'z'),
        _ => ('\0', '\0'),
    };

    private static void Dictionaries(ReadOnlySpan<int> cps, List<Match> matches)
    {
        int n = cps.Length;
        var plain = GC.AllocateArray<char>(WordLists.MaxWordLength, pinned: true);
        var leet = GC.AllocateArray<char>(WordLists.MaxWordLength, pinned: true);
        try
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n && j - i < WordLists.MaxWordLength; j++)
                {
                    int len = j - i + 1;
                    var token = cps.Slice(i, len);
                    if (!IsPrintableAscii(token)) break;
                    double extra = Math.Log10(UppercaseVariations(token));
                    for (int pass = 0; pass < 2; pass++)
                    {
                        var word = plain.AsSpan(0, len);
                        for (int t = 0; t < len; t++) word[t] = (char)Fold(token[t]);
                        if (pass == 1) word.Reverse();
                        AddWord(matches, i, j, word, extra + (pass == 1 ? Math.Log10(2) : 0));
                        for (int reading = 0; reading < 2; reading++)
                        {
                            bool changed = false;
                            for (int t = 0; t < len; t++)
                            {
                                var (first, second) = Unleet(word[t]);
                                leet[t] = first == '\0' ? word[t] : reading == 0 ? first : second;
                                changed |= first != '\0';
                            }
                            if (!changed) break;
                            AddWord(matches, i, j, leet.AsSpan(0, len), extra + (pass == 1 ? Math.Log10(2) : 0) + Math.Log10(LeetVariations(word, leet.AsSpan(0, len))));
                        }
                    }
                }
            }
        }
        finally
        {
            Array.Clear(plain);
            Array.Clear(leet);
        }
    }

    private static void AddWord(List<Match> matches, int i, int j, ReadOnlySpan<char> word, double extra)
    {
        int rank = WordLists.Rank(word);
        if (rank > 0) matches.Add(new Match(StrengthPattern.Dictionary, i, j, Math.Log10(rank) + extra));
    }

    private static bool IsPrintableAscii(ReadOnlySpan<int> token)
    {
        foreach (var c in token)
            if (c is < 0x21 or > 0x7e) return false;
        return true;
    }

    // zxcvbn: all lower 1; first, last or all upper 2; otherwise every way to put that many capitals among the letters.
    private static double UppercaseVariations(ReadOnlySpan<int> token)
    {
        int upper = 0, lower = 0;
        foreach (var c in token)
        {
            if (IsUpper(c)) upper++;
            else if (IsLower(c)) lower++;
        }
        if (upper == 0) return 1;
        if (lower == 0) return 2;
        if (upper == 1 && (IsUpper(token[0]) || IsUpper(token[^1]))) return 2;
        double sum = 0;
        for (int k = 1; k <= Math.Min(upper, lower); k++) sum += Choose(upper + lower, k);
        return sum;
    }

    // zxcvbn: per substituted letter, 2 when every occurrence is substituted, else the ways to choose which are.
    private static double LeetVariations(ReadOnlySpan<char> original, ReadOnlySpan<char> unleeted)
    {
        double product = 1;
        for (int t = 0; t < original.Length; t++)
        {
            if (original[t] == unleeted[t]) continue;
            bool seen = false;
            for (int u = 0; u < t; u++) seen |= original[u] == original[t] && unleeted[u] == unleeted[t];
            if (seen) continue;
            int subbed = 0, unsubbed = 0;
            for (int u = 0; u < original.Length; u++)
            {
                if (original[u] == original[t] && unleeted[u] == unleeted[t]) subbed++;
                else if (original[u] == unleeted[t]) unsubbed++;
            }
            if (unsubbed == 0) product *= 2;
            else
            {
                double sum = 0;
                for (int k = 1; k <= Math.Min(subbed, unsubbed); k++) sum += Choose(subbed + unsubbed, k);
                product *= sum;
            }
        }
        return product;
    }

    private static double Choose(int n, int k)
    {
        double r = 1;
        for (int d = 1; d <= k; d++) r = r * (n - k + d) / d;
        return r;
    }

    // One match per start: the shortest base that repeats there, as far as it repeats; its guesses are the base's
    // own estimate times the repeat count.
    private static void Repeats(ReadOnlySpan<int> cps, List<Match> matches)
    {
        int n = cps.Length;
        for (int i = 0; i < n; i++)
        {
            for (int b = 1; b <= MaxRepeatBase && i + 2 * b <= n; b++)
            {
                if (!cps.Slice(i, b).SequenceEqual(cps.Slice(i + b, b))) continue;
                int reps = 2;
                while (i + (reps + 1) * b <= n && cps.Slice(i, b).SequenceEqual(cps.Slice(i + reps * b, b))) reps++;
                // Only where the run starts, so aaaa… gives one match, not one per position.
                if (i >= b && cps.Slice(i - b, b).SequenceEqual(cps.Slice(i, b))) break;
                double baseLog = Solve(cps.Slice(i, b), null);
                matches.Add(new Match(StrengthPattern.Repeat, i, i + reps * b - 1, baseLog + Math.Log10(reps)));
                break;
            }
        }
    }

    private static int ClassOf(int c) => IsLower(c) ? 1 : IsUpper(c) ? 2 : IsDigit(c) ? 3 : c >= 0x80 ? 4 : 0;

    // Maximal runs of one class with a constant step of 1 to 5 (zxcvbn's MAX_DELTA), at least three long.
    private static void Sequences(ReadOnlySpan<int> cps, List<Match> matches)
    {
        int n = cps.Length, i = 0;
        while (i < n - 2)
        {
            int delta = cps[i + 1] - cps[i];
            int cls = ClassOf(cps[i]);
            int j = i + 1;
            if (cls != 0 && delta != 0 && Math.Abs(delta) <= 5)
                while (j + 1 < n && cps[j + 1] - cps[j] == delta && ClassOf(cps[j + 1]) == cls) j++;
            if (cls != 0 && ClassOf(cps[i + 1]) == cls && delta != 0 && Math.Abs(delta) <= 5 && j - i >= 2)
            {
                int first = cps[i];
                double start = first is 'a' or 'z' or 'A' or 'Z' or '0' or '1' or '9' ? 4 : IsDigit(first) ? 10 : 26;
                if (delta < 0) start *= 2;
                matches.Add(new Match(StrengthPattern.Sequence, i, j, Math.Log10(start * (j - i + 1))));
                i = j;
            }
            else i++;
        }
    }

    // Runs of adjacent keys along one row, either way; zxcvbn's spatial estimate with one direction and no turns.
    private static void Keyboard(ReadOnlySpan<int> cps, List<Match> matches)
    {
        int n = cps.Length, i = 0;
        while (i < n - 2)
        {
            var (row, col) = KeyOf(cps[i]);
            int j = i, step = 0;
            if (row >= 0)
            {
                var (r1, c1) = KeyOf(cps[i + 1]);
                if (r1 % 4 == row % 4 && Math.Abs(c1 - col) == 1)
                {
                    step = c1 - col;
                    j = i + 1;
                    while (j + 1 < n && KeyOf(cps[j + 1]) is var (r, c) && r >= 0 && r % 4 == row % 4 && c - KeyOf(cps[j]).Col == step) j++;
                }
            }
            if (j - i >= 2)
            {
                int len = j - i + 1, shifted = 0;
                for (int t = i; t <= j; t++) if (KeyOf(cps[t]).Row >= 4) shifted++;
                double guesses = (len - 1) * KeyboardStartingKeys * KeyboardAverageDegree;
                if (shifted == len) guesses *= 2;
                else if (shifted > 0)
                {
                    double sum = 0;
                    for (int k = 1; k <= Math.Min(shifted, len - shifted); k++) sum += Choose(len, k);
                    guesses *= sum;
                }
                matches.Add(new Match(StrengthPattern.KeyboardRow, i, j, Math.Log10(guesses)));
                i = j;
            }
            else i++;
        }
    }

    private static (int Row, int Col) KeyOf(int c)
    {
        if (c is < 0x21 or > 0x7e) return (-1, -1);
        for (int r = 0; r < KeyboardRows.Length; r++)
        {
            int col = KeyboardRows[r].IndexOf((char)c);
            if (col >= 0) return (r, col);
        }
        return (-1, -1);
    }

    // Years 1900–2099, and dates of digits with or without one repeated separator (d m y in any usual order).
    private static void Dates(ReadOnlySpan<int> cps, List<Match> matches)
    {
        int n = cps.Length;
        int reference = DateTime.UtcNow.Year;
        for (int i = 0; i + 4 <= n; i++)
        {
            if (Digits(cps.Slice(i, 4)) is int year && year is >= 1900 and <= 2099)
                matches.Add(new Match(StrengthPattern.Date, i, i + 3, Math.Log10(Math.Max(Math.Abs(year - reference), MinYearSpace))));
        }
        Span<int> parts = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        for (int i = 0; i < n; i++)
        {
            for (int len = 4; len <= 10 && i + len <= n; len++)
            {
                var token = cps.Slice(i, len);
                double? best = null;
                int sep = token.IndexOfAnyExcept(DigitsSet);
                if (sep < 0)
                {
                    if (len > 8) continue;
                    // Every split into day/month/year fields of 1–2, 1–2 and 2 or 4 digits.
                    for (int a = 1; a <= 4 && a < len; a++)
                        for (int b = 1; b <= 4 && a + b < len; b++)
                        {
                            lengths[0] = a; lengths[1] = b; lengths[2] = len - a - b;
                            if (Split(token, lengths, parts) && DateGuesses(parts, lengths, reference) is double g)
                                best = Math.Min(best ?? double.MaxValue, g);
                        }
                }
                else
                {
                    int s = token[sep];
                    if (s is not ('/' or '\\' or '-' or '.' or '_' or ' ') || sep == 0) continue;
                    int sep2 = token[(sep + 1)..].IndexOf(s);
                    if (sep2 <= 0) continue;
                    sep2 += sep + 1;
                    if (sep2 == len - 1) continue;
                    var x = token[..sep]; var y = token[(sep + 1)..sep2]; var z = token[(sep2 + 1)..];
                    if (x.IndexOfAnyExcept(DigitsSet) >= 0 || y.IndexOfAnyExcept(DigitsSet) >= 0 || z.IndexOfAnyExcept(DigitsSet) >= 0) continue;
                    lengths[0] = x.Length; lengths[1] = y.Length; lengths[2] = z.Length;
                    parts[0] = Digits(x) ?? -1; parts[1] = Digits(y) ?? -1; parts[2] = Digits(z) ?? -1;
                    if (DateGuesses(parts, lengths, reference) is double g) best = Math.Log10(4) + g;
                }
                if (best is double found) matches.Add(new Match(StrengthPattern.Date, i, i + len - 1, found));
            }
        }
    }

    private static readonly int[] DigitsSet = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

    private static bool Split(ReadOnlySpan<int> token, ReadOnlySpan<int> lengths, Span<int> parts)
    {
        int at = 0;
        for (int p = 0; p < 3; p++)
        {
            parts[p] = Digits(token.Slice(at, lengths[p])) ?? -1;
            at += lengths[p];
        }
        return true;
    }

    // log10 guesses of the likeliest reading of three fields as a date, or null when none is a date: the year is the
    // first or the last field, 2 or 4 digits; day and month 1 or 2 digits.
    private static double? DateGuesses(ReadOnlySpan<int> parts, ReadOnlySpan<int> lengths, int reference)
    {
        double? best = null;
        for (int yearAt = 0; yearAt < 3; yearAt += 2)
        {
            int y = parts[yearAt], yl = lengths[yearAt];
            int p = parts[yearAt == 0 ? 1 : 0], pl = lengths[yearAt == 0 ? 1 : 0];
            int q = parts[yearAt == 0 ? 2 : 1], ql = lengths[yearAt == 0 ? 2 : 1];
            if (pl > 2 || ql > 2 || (yl != 2 && yl != 4)) continue;
            int year = yl == 4 ? y : y > 50 ? 1900 + y : 2000 + y;
            if (year is < 1000 or > 2050) continue;
            bool valid = (p is >= 1 and <= 31 && q is >= 1 and <= 12) || (q is >= 1 and <= 31 && p is >= 1 and <= 12);
            if (!valid) continue;
            double g = Math.Log10(Math.Max(Math.Abs(year - reference), MinYearSpace) * 365.0);
            best = Math.Min(best ?? double.MaxValue, g);
        }
        return best;
    }

    private static int? Digits(ReadOnlySpan<int> token)
    {
        int v = 0;
        foreach (var c in token)
        {
            if (!IsDigit(c)) return null;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
