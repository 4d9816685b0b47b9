using KeyVault.Errors;
using KeyVault.Interaction;
using KeyVault.Shares;
using KeyVault.Text;

namespace KeyVault.Flows;

/// <summary>
/// The ceremony's non-secret questions: asked at the terminal (a bad answer is explained and asked again), or
/// answered from a rehearsal's answers file (each answer is echoed, so the log reads like the real thing).
/// <paramref name="interrupted"/> is cancelled by a signal: no question is asked, and no answer taken, after it.
/// </summary>
internal sealed class CeremonyDialog(IOperator console, CeremonyAnswers? answers, CancellationToken interrupted = default)
{
    /// <summary>True when an answers file drives the ceremony.</summary>
    public bool Rehearsal => answers is not null;

    /// <summary>Asks for "yes"; "no" or the end of input cancels the ceremony.</summary>
    public void Confirm(string question)
    {
        if (answers is not null)
        {
            console.Show($"{question} yes (answers file)");
            return;
        }
        while (true)
        {
            var answer = Read($"{question} [yes/no]: ") ?? throw CeremonyError.EndOfInput();
            switch (answer.Trim().ToLowerInvariant())
            {
                case "yes" or "y":
                    return;
                case "no" or "n":
                    throw CeremonyError.Declined(question);
                default:
                    console.Note("please answer yes or no");
                    break;
            }
        }
    }

    /// <summary>Whether to shred the share files and sheets at the end: asked, or taken from the answers file.</summary>
    public bool ShredShareFiles(string question)
    {
        if (answers is not null)
        {
            console.Show($"{question} {(answers.ShredShareFiles ? "yes" : "no")} (answers file)");
            return answers.ShredShareFiles;
        }
        while (true)
        {
            var answer = Read($"{question} [yes/no]: ") ?? throw CeremonyError.EndOfInput();
            switch (answer.Trim().ToLowerInvariant())
            {
                case "yes" or "y":
                    return true;
                case "no" or "n":
                    return false;
                default:
                    console.Note("please answer yes or no");
                    break;
            }
        }
    }

    /// <summary>Asks "r" (print again and re-check) or "a" (abort); true for re-print.</summary>
    public bool ReprintOrAbort(string question)
    {
        while (true)
        {
            var answer = Read($"{question} [r = print it again and check again / a = abort the ceremony]: ")
                         ?? throw CeremonyError.EndOfInput();
            switch (answer.Trim().ToLowerInvariant())
            {
                case "r" or "reprint" or "re-print":
                    return true;
                case "a" or "abort":
                    return false;
                default:
                    console.Note("please answer r or a");
                    break;
            }
        }
    }

    /// <summary>
    /// The number of custodians, the threshold and the custodians' names. <paramref name="checkName"/> lets the caller refuse a
    /// name it cannot print (a script the sheet's font lacks), before any key exists.
    /// </summary>
    public (SplitLayout Layout, IReadOnlyList<string> Names) AskLayout(Action<string, int> checkName)
    {
        if (answers is not null)
        {
            console.Show($"threshold: {answers.Layout.Groups[0].MemberThreshold} (answers file)");
            for (int i = 0; i < answers.Custodians.Count; i++)
                console.Show($"custodian of share {i + 1}: {answers.Custodians[i]} (answers file)");
            return (answers.Layout, answers.Custodians);
        }
        int n = Ask("How many custodians will each keep one share (1-16)? ", text =>
        {
            var value = Number(text, "number of custodians");
            SplitLayout.CheckShareCount(value);
            return (int)value;
        });
        var layout = Ask($"How many of them must come together to restore the key (threshold{(n <= 2 ? $", {n}" : $", 2-{n}")})? ",
            text => SplitLayout.Single(Number(text, "threshold"), n));
        var names = new List<string>();
        for (int share = 1; share <= layout.ShareCount; share++)
        {
            int s = share;
            names.Add(Ask($"Name of the custodian of share {share}: ", text =>
            {
                var name = CustodianNames.Check(text, s, names);
                checkName(name, s);
                return name;
            }));
        }
        return (layout, names);
    }

    /// <summary>
    /// The layout when the custodians are already named (by a custodians file, <paramref name="source"/>): only the
    /// threshold is asked; an answers file gives it, with the same names.
    /// </summary>
    public (SplitLayout Layout, IReadOnlyList<string> Names) AskThreshold(IReadOnlyList<string> names, string source)
    {
        for (int i = 0; i < names.Count; i++) console.Show($"custodian of share {i + 1}: {names[i]} ({source})");
        if (answers is not null)
        {
            console.Show($"threshold: {answers.Layout.Groups[0].MemberThreshold} (answers file)");
            return (answers.Layout, names);
        }
        int n = names.Count;
        var layout = Ask($"How many of them must come together to restore the key (threshold{(n <= 2 ? $", {n}" : $", 2-{n}")})? ",
            text => SplitLayout.Single(Number(text, "threshold"), n));
        return (layout, names);
    }

    private T Ask<T>(string prompt, Func<string, T> parse)
    {
        while (true)
        {
            var text = Read(prompt) ?? throw CeremonyError.EndOfInput();
            try
            {
                return parse(text);
            }
            catch (KeyVaultException ex) when (ex.Kind is ErrorKind.BadInput or ErrorKind.OutputFailure)
            {
                console.Problem(ex);
            }
        }
    }

    private string? Read(string prompt)
    {
        if (interrupted.IsCancellationRequested) throw CeremonyError.Interrupted();
        var answer = console.Ask(prompt);
        if (interrupted.IsCancellationRequested) throw CeremonyError.Interrupted();
        return answer;
    }

    private static long Number(string text, string what)
    {
        var t = text.Trim();
        if (t.Length is 0 or > 9 || !t.All(char.IsAsciiDigit)) throw CeremonyError.NotANumber(what);
        return long.Parse(t, System.Globalization.CultureInfo.InvariantCulture);
    }
}
