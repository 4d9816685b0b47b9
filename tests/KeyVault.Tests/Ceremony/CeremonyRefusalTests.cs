using System.Net;
using System.Net.NetworkInformation;
using KeyVault.Errors;
using KeyVault.Flows;

namespace KeyVault.Tests.Ceremony;

/// <summary>
/// What stops a ceremony: an online machine, an output folder that is missing or holds an earlier ceremony, a missing
/// key to import, a bad answers file, a name the sheet cannot print, the operator saying no. Each stops it before a key
/// exists (or takes away what was written), with the error kind the front end turns into its exit code.
/// </summary>
public sealed class CeremonyRefusalTests : CeremonyFlowFixture
{
    private static InterfaceState Eth0(OperationalStatus status = OperationalStatus.Up) =>
        new("eth0", false, status, [IPAddress.Parse("192.0.2.2")]);

    // ---- the offline check ----

    [Fact]
    public void AnOnlineMachineIsRefusedBeforeAnythingIsAskedOrWritten()
    {
        var op = Operator();
        var ex = Stopped(op, Settings(), [.. Offline, Eth0()]);
        Assert.Equal(ErrorKind.Usage, ex.Kind);
        Assert.Equal(ErrorCodes.MachineOnline, ex.Code);
        Assert.Contains("this machine is online: eth0 is connected", ex.Message);
        Assert.Empty(op.Questions);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void TheOverrideGoesOnLoudlyAndTheTranscriptSaysSo()
    {
        var op = Operator();
        IReadOnlyList<InterfaceState> online =
            [.. Offline, Eth0(), new InterfaceState("wg0", false, OperationalStatus.Unknown, [IPAddress.Parse("10.8.0.2")])];
        Run(op, Settings(Answers2Of3) with { AllowOnline = true }, online);
        Assert.Contains("warning: THIS MACHINE IS ONLINE: eth0, wg0", op.Transcript);
        var machine = TranscriptJson().GetProperty("machine");
        Assert.False(machine.GetProperty("offline").GetBoolean());
        Assert.True(machine.GetProperty("onlineOverride").GetBoolean());
        Assert.Equal(["eth0", "wg0"], machine.GetProperty("connectedInterfaces").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("ONLINE (eth0, wg0)", File.ReadAllText(Path.Combine(Out, "transcript.md")));
    }

    [Fact]
    public void OnlyLinksThatAreUpOrTunnelsWithAddressesCount()
    {
        var lo = new InterfaceState("lo", true, OperationalStatus.Up, [IPAddress.Loopback]);
        var down = new InterfaceState("eth1", false, OperationalStatus.Down, [IPAddress.Parse("192.0.2.9")]);
        var upNoAddress = new InterfaceState("eth2", false, OperationalStatus.Up, []);
        var tunnelLinkLocal = new InterfaceState("tun0", false, OperationalStatus.Unknown, [IPAddress.Parse("fe80::1"), IPAddress.Parse("169.254.3.4")]);
        var tunnelRoutable = new InterfaceState("tun1", false, OperationalStatus.Unknown, [IPAddress.Parse("fd00::2")]);
        Assert.Empty(NetworkCheck.Connected([lo, down, tunnelLinkLocal]));
        Assert.Equal(["eth2", "tun1"], NetworkCheck.Connected([lo, down, upNoAddress, tunnelLinkLocal, tunnelRoutable]));
    }

    // ---- checks before anything happens ----

    [Fact]
    public void AnOutputFolderWithEarlierCeremonyFilesIsRefusedUpFront()
    {
        File.WriteAllText(Path.Combine(Out, "share-2.txt"), "earlier");
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "unrelated files may stay");
        var op = Operator();
        var ex = Stopped(op, Settings() with { PassphraseFile = null });
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Contains("already holds files a ceremony writes (share-2.txt)", ex.Message);
        Assert.Empty(op.Questions);
        Assert.Equal(["notes.txt", "share-2.txt"], OutEntries());
    }

    [Fact]
    public void AMissingOutputFolderIsRefused()
    {
        var missing = Path.Combine(Out, "nope");
        var ex = Assert.Throws<KeyVaultException>(() => Run(Operator(), Settings() with { OutDir = missing }));
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Contains($"the folder {missing} does not exist", ex.Message);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void AMissingKeyToImportIsNamedBeforeAnythingIsAsked()
    {
        var op = Operator();
        var ex = Stopped(op, Settings() with { ImportPath = Dir.File("nowhere.toml"), PassphraseFile = null });
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("nowhere.toml, does not exist", ex.Message);
        Assert.Empty(op.Questions);
        Assert.Empty(OutEntries());
    }

    [Theory]
    [InlineData("threshold = 1\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "a threshold of 1 with 2 shares")]
    [InlineData("threshold = 3\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "a threshold of 3 is not possible with 2 shares")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \" a \"]\nsheet-check = \"automated\"\n", "same name as the custodian of share 1")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\nsheet-check = \"typed\"\n", "sheet-check must be \"automated\"")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\n", "'sheet-check' is missing")]
    [InlineData("threshold = \"2\"\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\n", "'threshold' must be a whole number")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"]\nsheet-check = \"automated\"\npassphrase = \"x\"\n", "unknown setting 'passphrase'")]
    [InlineData("threshold = 2\ncustodians = [\"A\", 2]\nsheet-check = \"automated\"\n", "'custodians' must be a list of names")]
    [InlineData("threshold = 2\ncustodians = [\"A\", \"B\"\n", "is not valid TOML")]
    public void ABadAnswersFileIsRefusedBeforeAKeyExists(string answers, string message)
    {
        var op = Operator();
        var ex = Stopped(op, Settings(answers));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains(message, ex.Message);
        Assert.DoesNotContain("== Step 2", op.Text);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void ANameTheSheetCannotPrintIsRefusedBeforeAKeyExists()
    {
        var op = Operator();
        var ex = Stopped(op, Settings("threshold = 2\ncustodians = [\"Alice\", \"\u738b\u4f1f\"]\nsheet-check = \"automated\"\n"));
        Assert.Equal(ErrorKind.OutputFailure, ex.Kind);
        Assert.Contains("custodian name", ex.Message);
        Assert.DoesNotContain("== Step 2", op.Text);
        Assert.Empty(OutEntries());
    }

    [Fact]
    public void DeclinedConfirmationWritesNothing()
    {
        var op = Operator("yes", "no");
        var ex = Stopped(op, Settings());
        Assert.Equal(ErrorKind.Cancelled, ex.Kind);
        Assert.Contains("cancelled by the operator", ex.Message);
        Assert.Empty(OutEntries());
    }
}
