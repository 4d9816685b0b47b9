using KeyVault.Errors;
using KeyVault.Interaction;

namespace KeyVault.Tests.Support;

/// <summary>
/// The person at the keyboard, scripted: answers and secrets come from queues, everything shown is recorded. Drives
/// the library's flows without a console, as another front end would.
/// </summary>
internal sealed class ScriptedOperator : IOperator
{
    /// <summary>Answers to plain questions, in order (null is the end of input).</summary>
    public Queue<string?> Answers { get; } = new();

    /// <summary>Answers to secret questions, in order (null is the end of input).</summary>
    public Queue<string?> Secrets { get; } = new();

    /// <summary>Answers secret questions once <see cref="Secrets"/> is empty, given the question (null is the end of input).</summary>
    public Func<string, string?>? SecretResponder { get; set; }

    /// <summary>Everything shown, noted, warned or reported, in order, each with its kind.</summary>
    public List<string> Transcript { get; } = [];

    /// <summary>The questions asked, in order.</summary>
    public List<string> Questions { get; } = [];

    /// <summary>Errors reported without ending the flow.</summary>
    public List<KeyVaultException> Problems { get; } = [];

    public bool CanAsk { get; init; } = true;

    public byte[] StandardInput { get; init; } = [];

    public void Show(string line) => Transcript.Add(line);
    /// <summary>Called with every note after it is recorded (a test interrupts a flow at a chosen step with it).</summary>
    public Action<string>? OnNote { get; set; }

    public void Note(string message)
    {
        Transcript.Add("note: " + message);
        OnNote?.Invoke(message);
    }
    public void Warn(string message) => Transcript.Add("warning: " + message);

    public void Problem(KeyVaultException error)
    {
        Problems.Add(error);
        Transcript.Add("problem: " + error.Message);
    }

    public string? Ask(string prompt)
    {
        Questions.Add(prompt);
        if (Answers.Count == 0) throw new InvalidOperationException($"unexpected question: {prompt}");
        return Answers.Dequeue();
    }

    public char[]? AskSecret(string prompt)
    {
        Questions.Add(prompt);
        if (Secrets.Count > 0) return Secrets.Dequeue()?.ToCharArray();
        if (SecretResponder is not null) return SecretResponder(prompt)?.ToCharArray();
        throw new InvalidOperationException($"unexpected secret question: {prompt}");
    }

    public Stream OpenStandardInput() => new MemoryStream(StandardInput, writable: false);

    /// <summary>Called, on the deriving thread, with each purpose whose key derivation reports progress.</summary>
    public Action<string>? OnKdfProgress { get; set; }

    public IProgress<KdfProgress> KdfProgress(string purpose) =>
        OnKdfProgress is { } hook ? new Synchronous(_ => hook(purpose)) : new Progress<KdfProgress>(_ => { });

    private sealed class Synchronous(Action<KdfProgress> report) : IProgress<KdfProgress>
    {
        public void Report(KdfProgress value) => report(value);
    }

    /// <summary>Everything recorded, one entry per line.</summary>
    public string Text => string.Join("\n", Transcript);
}
