using KeyVault.Cli;
using KeyVault.Shares;
using KeyVault.Tests.Shares;
using KeyVault.Tests.Support;
using KeyVault.Text;

namespace KeyVault.Tests.Cli;

/// <summary>
/// Error messages quote command-line values. The Reporter makes every message safe in one place: control characters
/// escaped (a value cannot clear the screen or forge a second line), and share words never echoed.
/// </summary>
public class MessageEchoTests
{
    private static string ShareWords(int count)
    {
        using var set = ShareTestKit.Split(ShareTestKit.Bytes("echo", 32), SplitLayout.Single(2, 3), "echo");
        return string.Join(' ', new string(set.Shares[0].Mnemonic.AsSpan()).Split(' ').Take(count));
    }

    [Fact]
    public void A_value_with_an_escape_sequence_and_a_newline_gives_one_escaped_error_line()
    {
        var console = new TestConsole();
        int rc = console.Run("inspect", "x\u001b[2J\nline2");

        Assert.Equal(ExitCode.BadInput, rc);
        Assert.DoesNotContain('\u001b', console.StderrText);
        var lines = console.StderrText.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.StartsWith("keyvault: ", l));
        Assert.Contains(@"x\x1b[2J\nline2", lines[0]);
    }

    [Fact]
    public void Bidirectional_overrides_in_a_value_are_shown_escaped()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCode.Usage, console.Run("split", "k.kvk", "--out-dir", ".", "--group", "2/3\u202e", "--group-threshold", "1"));
        Assert.DoesNotContain('\u202e', console.StderrText);
        Assert.Contains(@"2/3\u202e", console.StderrText);
    }

    [Fact]
    public void Share_words_given_where_a_value_belongs_are_not_echoed()
    {
        var words = ShareWords(8);
        var console = new TestConsole();
        int rc = console.Run("split", "k.kvk", "--out-dir", ".", "--group", words, "--group-threshold", "1");

        Assert.Equal(ExitCode.Usage, rc);
        Assert.Contains("keyvault: error:", console.StderrText);
        Assert.DoesNotContain(string.Join(' ', words.Split(' ').Take(ShareWordRunLength())), console.StderrText);
        Assert.Contains("[share words not shown]", console.StderrText);
    }

    private static int ShareWordRunLength() => DisplayText.ShareWordRun;

    [Theory]
    [InlineData("plain text, nothing to change")]
    [InlineData("the file k.kvk: group 2/3, threshold 2")]
    public void Ordinary_messages_are_left_as_they_are(string message) => Assert.Equal(message, DisplayText.Safe(message, WordList.IgnoringCase));

    [Fact]
    public void Every_control_character_is_escaped()
    {
        for (int c = 0; c < 0x20; c++)
            Assert.DoesNotContain((char)c, DisplayText.Safe($"a{(char)c}b", WordList.IgnoringCase));
        Assert.Equal(@"a\x7fb\x9bc", DisplayText.Safe("a\u007fb\u009bc", WordList.IgnoringCase));
    }
}
