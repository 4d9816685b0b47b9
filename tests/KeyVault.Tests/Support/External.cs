using System.Diagnostics;

namespace KeyVault.Tests.Support;

/// <summary>
/// Access to things some tests need: command-line tools, a PostgreSQL server, and files of the repository itself.
/// When one is missing, the test is skipped with the reason on a developer's laptop and fails when CI=true,
/// so CI can never pass by skipping.
/// </summary>
public static class External
{
    /// <summary>True when running under CI (CI=true).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (locally) or fails (in CI) with <paramref name="reason"/>.</summary>
    public static void Unavailable(string reason)
    {
        if (IsCi) Assert.Fail($"required in CI but unavailable: {reason}");
        Assert.Skip(reason);
    }

    /// <summary>The full path of a tool on PATH, or skip/fail naming the package that provides it.</summary>
    public static string RequireTool(string tool, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        Unavailable($"{tool} is not installed (apt-get install {package})");
        return null!;
    }

    /// <summary>The repository root (the folder holding KeyVault.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KeyVault.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("KeyVault.sln not found above the test binaries");
        }
    }

    /// <summary>A file the repository holds, by its path from the repository root; a missing one is a failure.</summary>
    public static string RepoFile(string relative)
    {
        var path = Path.Combine(RepoRoot, relative);
        if (!File.Exists(path)) Assert.Fail($"{relative} is missing from the repository");
        return path;
    }

    /// <summary>Runs a program with arguments; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string fileName, params string[] args) =>
        RunWithInput(fileName, null, args);

    /// <summary>Runs a program with arguments and, if given, text on its standard input.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWithInput(string fileName, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
