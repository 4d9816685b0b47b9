using System.CommandLine;
using KeyVault.Cli.Commands;
using KeyVault.Cli.Infrastructure;

namespace KeyVault.Cli;

/// <summary>Entry point: builds the command tree and runs it.</summary>
public static class Program
{
    /// <summary>Runs keyvault with the process's console.</summary>
    public static int Main(string[] args)
    {
        EmbeddedNativeLibrary.Register();
        return Run(args, new CliConsole());
    }

    /// <summary>Runs keyvault against a given console; tests call this.</summary>
    internal static int Run(string[] args, CliConsole console)
    {
        var root = BuildRootCommand(console);
        var result = root.Parse(args);
        int code = result.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false });
        console.Error.Flush();
        // Everything was done, but the operator did not see the report: say so, without turning it into a failure.
        return code == ExitCode.Success && console.ReportLost ? ExitCode.ReportLost : code;
    }

    /// <summary>The whole command tree; one class per command.</summary>
    internal static RootCommand BuildRootCommand(CliConsole console)
    {
        var root = new RootCommand(
            "KeyVault: offline custody and cold backup of sBTC and Stacks signer keys.\n" +
            "Keys never travel on the command line: they are read from files or standard input.");
        root.Add(new IdentityCommand(console));
        root.Add(new GenerateCommand(console));
        root.Add(new ImportCommand(console));
        root.Add(new RevealCommand(console));
        root.Add(new InspectCommand(console));
        root.Add(new PasswdCommand(console));
        root.Add(new SplitCommand(console));
        root.Add(new CombineCommand(console));
        root.Add(new PaperCommand(console));
        root.Add(new DrillCommand(console));
        root.Add(new CeremonyCommand(console));
        root.Add(new DkgCommand(console));
        root.Add(new SelfTestCommand(console));
        root.Add(new AboutCommand(console));
        root.Add(new ManifestCommand(console));
        root.Add(new ShareCommand(console));
        root.Add(new BackupCommand(console));
        root.Add(new RestoreCommand(console));
        root.Add(new SetCommand(console));
        root.Add(new SignCommand(console));
        root.Add(new RotateCommand(console));
        root.Add(new StatusCommand(console));
        root.Add(new HandoverCommand(console));
        return root;
    }
}
