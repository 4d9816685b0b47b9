using System.Text;
using KeyVault.Cli;
using KeyVault.Cli.Infrastructure;

namespace KeyVault.Tests.Support;

/// <summary>A scripted console: captured stdout/stderr, given stdin bytes, queued secret and plain answers.</summary>
internal sealed class TestConsole : CliConsole
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    /// <summary>Bytes standard input will deliver.</summary>
    public byte[] Stdin { get; set; } = [];

    /// <summary>Answers to secret prompts, in order (a null entry is end of input).</summary>
    public Queue<string?> Secrets { get; } = new();

    /// <summary>Answers to plain prompts, in order.</summary>
    public Queue<string?> Lines { get; } = new();

    /// <summary>Whether the console pretends to be a terminal.</summary>
    public bool Interactive { get; set; } = true;

    /// <summary>Prompts shown, in order.</summary>
    public List<string> Prompts { get; } = [];

    public override TextWriter Out => _out;
    public override TextWriter Error => _err;
    public override bool IsInteractive => Interactive;
    public override bool ErrorIsTerminal => false;
    public override Stream OpenStandardInput() => new MemoryStream(Stdin, writable: false);

    public override char[]? ReadSecretLine(string prompt)
    {
        Prompts.Add(prompt);
        if (Secrets.Count == 0) throw new InvalidOperationException($"unexpected secret prompt: {prompt}");
        return Secrets.Dequeue()?.ToCharArray();
    }

    public override string? ReadLine(string prompt)
    {
        Prompts.Add(prompt);
        if (Lines.Count == 0) throw new InvalidOperationException($"unexpected prompt: {prompt}");
        return Lines.Dequeue();
    }

    /// <summary>Everything written to stdout.</summary>
    public string StdoutText => _out.ToString();

    /// <summary>Everything written to stderr.</summary>
    public string StderrText => _err.ToString();

    /// <summary>Runs keyvault with these arguments against this console.</summary>
    public int Run(params string[] args) => Program.Run(args, this);

    /// <summary>Sets stdin to UTF-8 text.</summary>
    public TestConsole WithStdin(string text)
    {
        Stdin = Encoding.UTF8.GetBytes(text);
        return this;
    }
}
