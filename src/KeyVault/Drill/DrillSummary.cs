using System.Globalization;
using KeyVault.Keys;

namespace KeyVault.Drill;

/// <summary>
/// The human summary of a drill on standard output: what was tested, expected against derived for every compared
/// field and every source, each DKG check, and one result line. Public data only.
/// </summary>
internal static class DrillSummary
{
    /// <summary>One tested backup and what it rebuilt.</summary>
    /// <param name="Name">"key file PATH" or "shares".</param>
    /// <param name="Description">Path and SHA-256, or the share identifier and numbers.</param>
    /// <param name="Derived">The identity of the key it rebuilt.</param>
    /// <param name="Match">The comparison with the expected identity.</param>
    public sealed record Source(string Name, string Description, SignerIdentity Derived, IdentityMatch Match);

    /// <summary>Prints the summary.</summary>
    public static void Print(TextWriter output, DrillReport report, ExpectedIdentity expected, IReadOnlyList<Source> sources,
        IReadOnlyList<DrillCheck> dkgChecks)
    {
        output.WriteLine($"Restore drill, {report.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}");
        output.WriteLine($"  expected   {expected.KindName} {expected.Value}");
        foreach (var s in sources)
            output.WriteLine($"  tested     {s.Name}: {s.Description}");
        output.WriteLine();

        output.WriteLine("Identity");
        // Every source compares the same fields, in the same order.
        var fields = sources[0].Match.Fields;
        // "expected" shares the column, so it counts for the width too: a short source name ("shares") must not
        // leave the expected value glued to its label.
        int width = Math.Max("expected".Length, sources.Max(s => s.Name.Length)) + 2;
        for (int i = 0; i < fields.Count; i++)
        {
            output.WriteLine($"  {fields[i].Field}");
            output.WriteLine($"    {"expected".PadRight(width)}{fields[i].Expected}");
            foreach (var s in sources)
            {
                var f = s.Match.Fields[i];
                output.WriteLine($"    {s.Name.PadRight(width)}{f.Derived}  {(f.Equal ? "PASS" : "FAIL")}");
            }
        }

        if (dkgChecks.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"DKG shares (tried with key {report.Derived.Fingerprint})");
            foreach (var c in dkgChecks)
                output.WriteLine($"  {c.Result switch { DrillCheckResult.Pass => "PASS", DrillCheckResult.Info => "INFO", _ => "FAIL" }}  {c.Subject}  {c.Detail}");
        }

        output.WriteLine();
        output.WriteLine(ResultLine(report, sources, dkgChecks));
    }

    private static string ResultLine(DrillReport report, IReadOnlyList<Source> sources, IReadOnlyList<DrillCheck> dkgChecks)
    {
        int opened = dkgChecks.Count(c => c.Result == DrillCheckResult.Pass);
        int counted = dkgChecks.Count(c => c.Result != DrillCheckResult.Info);
        string backup = sources.Count == 1 ? $"the {sources[0].Name}" : "every backup tested";
        switch (report.Outcome)
        {
            case DrillOutcome.Passed:
                var dkg = counted == 0 ? "" : $", and it opens {Plural(counted, "DKG shares blob")}{(counted < dkgChecks.Count ? " the signer loads" : "")}";
                return $"RESULT: PASS: {backup} {Rebuilds(sources.Count == 1 ? sources[0].Name : "every")} the expected key {report.Derived.Fingerprint}{dkg}";
            case DrillOutcome.IdentityMismatch:
                var wrong = sources.Where(s => !s.Match.Matches).Select(s => $"the {s.Name} {Rebuilds(s.Name)} key {s.Derived.Fingerprint}");
                return $"RESULT: FAIL (identity mismatch): {string.Join("; ", wrong)}, not the expected identity";
            case DrillOutcome.DkgSharesNotOpened:
                return $"RESULT: FAIL (DKG shares not opened): the key is the expected one, but {counted - opened} of "
                       + $"{Plural(counted, "DKG shares check")} failed";
            default:
                return "RESULT: FAIL";
        }
    }

    // "the shares rebuild", "the key file … rebuilds", "every backup tested rebuilds".
    private static string Rebuilds(string sourceName) => sourceName == "shares" ? "rebuild" : "rebuilds";

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
