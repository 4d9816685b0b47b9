using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using KeyVault.Cli;
using KeyVault.Cli.Infrastructure;
using KeyVault.Flows;

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

    /// <summary>
    /// Answers secret prompts once <see cref="Secrets"/> is empty: given the prompt, returns the typed text (null is end
    /// of input). Tests use it to type back the share of a sheet that was just written.
    /// </summary>
    public Func<string, string?>? SecretResponder { get; set; }

    /// <summary>The network interfaces the ceremony sees; by default an offline machine (loopback only).</summary>
    public List<InterfaceState> Network { get; set; } =
        [new("lo", IsLoopback: true, OperationalStatus.Unknown, [IPAddress.Loopback, IPAddress.IPv6Loopback])];

    /// <summary>The self-test the ceremony and the drill run first; null runs the real one.</summary>
    public Func<KeyVault.SelfTest.SelfTestResult>? SelfTestRunner { get; set; }

    public override KeyVault.SelfTest.SelfTestResult RunSelfTest() => SelfTestRunner?.Invoke() ?? base.RunSelfTest();

    /// <summary>Whether the console pretends to be a terminal.</summary>
    public bool Interactive { get; set; } = true;

    /// <summary>Prompts shown, in order.</summary>
    public List<string> Prompts { get; } = [];

    public override TextWriter Out => _out;
    public override TextWriter Error => _err;
    public override bool IsInteractive => Interactive;
    public override bool ErrorIsTerminal => false;
    public override IReadOnlyList<InterfaceState> NetworkInterfaces() => Network;
    public override Stream OpenStandardInput() => new MemoryStream(Stdin, writable: false);

    public override char[]? ReadSecretLine(string prompt)
    {
        Prompts.Add(prompt);
        if (Secrets.Count > 0) return Secrets.Dequeue()?.ToCharArray();
        if (SecretResponder is not null) return SecretResponder(prompt)?.ToCharArray();
        throw new InvalidOperationException($"unexpected secret prompt: {prompt}");
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
