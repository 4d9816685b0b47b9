using System.Text;
using KeyVault.Errors;
using KeyVault.IO;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.IO;

public class WeakPassphraseTests
{
    private const string Strong = "stove unwashed scorpion grumbling";

    [Theory]
    [InlineData("x")]
    [InlineData("pw1")]
    [InlineData("password123")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("qwertyuiop")]
    [InlineData("1234567890")]
    [InlineData("correcthorse")]
    public void AWeakPassphraseFromAFileIsRefusedWithTheCodeTheCommandLineHintsFrom(string weak)
    {
        var op = new ScriptedOperator { StandardInput = Encoding.UTF8.GetBytes(weak + "\n") };
        var e = Assert.Throws<KeyVaultException>(() => Inputs.NewPassphrase(op, "-"));
        Assert.Equal(ErrorKind.BadInput, e.Kind);
        Assert.Equal(ErrorCodes.WeakPassphrase, e.Code);
        Assert.DoesNotContain(weak, e.Message);
        Assert.DoesNotContain("--", e.Message + e.Hint);
    }

    [Fact]
    public void AcceptingTheRiskTakesAWeakPassphraseWithAWarning()
    {
        var op = new ScriptedOperator { StandardInput = "pw1\n"u8.ToArray() };
        using var p = Inputs.NewPassphrase(op, "-", acceptWeak: true);
        Assert.Equal("pw1"u8.ToArray(), p.Utf8.ToArray());
        var warning = Assert.Single(op.Transcript, l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Contains("risk was accepted", warning);
        Assert.DoesNotContain("pw1", warning);
    }

    [Fact]
    public void AStrongPassphraseIsTakenWithoutAWarning()
    {
        var op = new ScriptedOperator { StandardInput = Encoding.UTF8.GetBytes(Strong + "\n") };
        using var p = Inputs.NewPassphrase(op, "-");
        Assert.Equal(Encoding.UTF8.GetBytes(Strong), p.Utf8.ToArray());
        Assert.Empty(op.Transcript);
    }

    [Fact]
    public void AWeakTypedPassphraseIsExplainedAndAskedAgainBeforeItIsRepeated()
    {
        var op = new ScriptedOperator();
        foreach (var s in new[] { "password123", Strong, Strong }) op.Secrets.Enqueue(s);
        using var p = Inputs.NewPassphrase(op, null);
        Assert.Equal(Encoding.UTF8.GetBytes(Strong), p.Utf8.ToArray());
        Assert.Equal(ErrorCodes.WeakPassphrase, Assert.Single(op.Problems).Code);
        // The weak one is judged as soon as it is typed: nobody is asked to repeat a passphrase that will be refused.
        Assert.Equal(["Enter new passphrase: ", "Enter new passphrase: ", "Repeat new passphrase: "], op.Questions);
    }

    [Fact]
    public void ThreeWeakTypedPassphrasesEndWithTheWeakPassphraseError()
    {
        var op = new ScriptedOperator();
        for (int i = 0; i < 3; i++) op.Secrets.Enqueue("qwertyuiop");
        var e = Assert.Throws<KeyVaultException>(() => Inputs.NewPassphrase(op, null));
        Assert.Equal(ErrorCodes.WeakPassphrase, e.Code);
        Assert.Equal(3, op.Problems.Count);
        Assert.DoesNotContain(op.Questions, q => q.StartsWith("Repeat", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExistingFileIsOpenedWhateverTheStrengthOfItsPassphrase()
    {
        var op = new ScriptedOperator { StandardInput = "x\n"u8.ToArray() };
        using var p = Inputs.ExistingPassphrase(op, "-");
        Assert.Equal("x"u8.ToArray(), p.Utf8.ToArray());
    }
}
