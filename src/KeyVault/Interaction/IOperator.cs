using KeyVault.Errors;

namespace KeyVault.Interaction;

/// <summary>
/// What only a front end can do for a flow: show the operator lines, ask questions, read standard input, draw
/// progress. The library's flows (ceremony, share collection, drill) talk to the person at the keyboard only
/// through this; the command line implements it for a terminal, tests implement it with a script.
/// </summary>
public interface IOperator
{
    /// <summary>True when a person can be asked (a terminal); false when input is piped or absent.</summary>
    bool CanAsk { get; }

    /// <summary>A line of the dialog, shown as it is (headings, plans, instructions).</summary>
    void Show(string line);

    /// <summary>A status message of the program (what was written, what was checked).</summary>
    void Note(string message);

    /// <summary>A warning the operator must see.</summary>
    void Warn(string message);

    /// <summary>An error that does not end the flow (an answer that is asked again).</summary>
    void Problem(KeyVaultException error);

    /// <summary>Asks for a non-secret answer, echoed; null at the end of input.</summary>
    string? Ask(string prompt);

    /// <summary>Asks for a secret line without echo; null at the end of input. The caller wipes the result.</summary>
    char[]? AskSecret(string prompt);

    /// <summary>Standard input as raw bytes, for inputs named "-".</summary>
    Stream OpenStandardInput();

    /// <summary>Where Argon2's progress goes while a key file is derived; <paramref name="purpose"/> names the step.</summary>
    IProgress<KdfProgress> KdfProgress(string purpose);
}
