using System.Diagnostics;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Ctrl-C while <c>restore add</c> waits for a share: the published executable says what the interruption left (the
/// session as it was) and ends with the cancelled code, as the ceremony does, instead of a silent 130. ./test.sh
/// publishes the binary; a plain <c>dotnet test</c> skips this (CI fails instead).
/// </summary>
public sealed class RestoreAddInterruptPublishedBinaryTests : IDisposable
{
    private readonly CustodyKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public async Task Ctrl_C_at_the_share_prompt_explains_and_keeps_the_session()
    {
        var published = Environment.GetEnvironmentVariable("KEYVAULT_PUBLISHED");
        if (string.IsNullOrEmpty(published) || !File.Exists(published))
            External.Unavailable("KEYVAULT_PUBLISHED is not set to the published keyvault (run ./test.sh)");
        var (dir, _) = _k.StartSession();
        Assert.Equal(KeyVault.Cli.ExitCode.Success, _k.Add(dir, "--share-file", _k.Share(3)).Rc);
        var session = Path.Combine(dir, "restore-session.kvrs");
        var before = File.ReadAllBytes(session);

        var psi = new ProcessStartInfo(published!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "restore", "add", dir, "--session-passphrase-file", _k.SessionPass }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var cancel = TestContext.Current.CancellationToken;
        var stdout = p.StandardOutput.ReadToEndAsync(cancel);
        // The share is read from standard input once the session is open; the signal comes while that read waits.
        var stderr = new System.Text.StringBuilder();
        var opened = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            var buffer = new char[256];
            int n;
            while ((n = await p.StandardError.ReadAsync(buffer, cancel)) > 0)
            {
                lock (stderr)
                {
                    stderr.Append(buffer, 0, n);
                    if (stderr.ToString().Contains("derived key")) opened.TrySetResult();
                }
            }
        }, cancel);
        await opened.Task.WaitAsync(TimeSpan.FromMinutes(1), cancel);
        await Task.Delay(300, cancel);
        var (killed, _, killErr) = External.Run("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(killed == 0, killErr);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        await p.WaitForExitAsync(timeout.Token);
        await reader;
        await stdout;
        var text = stderr.ToString();
        Assert.True(p.ExitCode == 7, $"exit {p.ExitCode}\n{text}");
        Assert.Contains("keyvault: error: cancelled: interrupted by SIGINT", text);
        Assert.Contains("the session is as it was", text);
        Assert.Equal(before, File.ReadAllBytes(session));
    }
}
