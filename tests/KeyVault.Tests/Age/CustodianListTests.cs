using System.Text;
using KeyVault.Age;
using KeyVault.Errors;

namespace KeyVault.Tests.Age;

/// <summary>The custodians file of a sealed split: NAME = RECIPIENT lines in share order.</summary>
public sealed class CustodianListTests
{
    private const string Alice = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
    private const string Bob = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr bob@laptop";

    private static readonly string Carol = KeyVault.Codecs.Bech32.EncodeToString("age", Enumerable.Repeat((byte)9, 32).ToArray());

    private static IReadOnlyList<Custodian> Parse(string text) => CustodianList.Parse(Encoding.UTF8.GetBytes(text), "custodians.txt");

    private static KeyVaultException Rejected(string text)
    {
        var ex = Assert.Throws<KeyVaultException>(() => Parse(text));
        Assert.Equal(ErrorKind.BadInput, ex.Kind);
        Assert.Contains("custodians.txt", ex.Message);
        return ex;
    }

    [Fact]
    public void ParsesNamesAndRecipientsInOrder()
    {
        var list = Parse($"# custodians of the mainnet signer\n\nAlice = {Alice}\r\n  Bob Smith=  {Bob}  \n# Carol joined in 2026\nCarol ={Carol}");
        Assert.Equal(["Alice", "Bob Smith", "Carol"], list.Select(c => c.Name));
        Assert.Equal([3, 4, 6], list.Select(c => c.Line));
        Assert.Equal(AgeRecipientType.X25519, list[0].Recipient!.Type);
        Assert.Equal(Alice, list[0].Recipient!.Text);
        Assert.Equal(AgeRecipientType.SshEd25519, list[1].Recipient!.Type);
        Assert.Equal("bob@laptop", list[1].Recipient!.Comment);
    }

    [Fact]
    public void MalformedRecipientNamesTheLine()
    {
        var ex = Rejected($"Alice = {Alice}\n\nBob = {Alice[..^1]}x\n");
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("Bob", ex.Message);
        Assert.Contains("Bech32", ex.Message);
    }

    [Fact]
    public void DuplicateNameNamesBothLines()
    {
        var ex = Rejected($"Alice = {Alice}\nalice = {Carol}\n");
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void OneP256KeyUnderBothItsPrefixesIsOneKey()
    {
        const string tag = "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e";
        var point = new byte[33];
        Assert.True(KeyVault.Codecs.Bech32.TryDecode(Encoding.ASCII.GetBytes(tag), "age1tag", point));
        var yubikey = KeyVault.Codecs.Bech32.EncodeToString("age1yubikey", point);
        Assert.Equal(AgeRecipient.Parse(tag), AgeRecipient.Parse(yubikey));
        Assert.Equal(AgeRecipient.Parse(tag).GetHashCode(), AgeRecipient.Parse(yubikey).GetHashCode());
        var ex = Rejected($"Ana = {tag}\nBen = {yubikey}\n");
        Assert.Contains("same recipient as Ana", ex.Message);
    }

    [Fact]
    public void SameKeyForTwoCustodiansIsRejected()
    {
        var ex = Rejected($"Alice = {Alice}\nBob = {Alice.ToUpperInvariant()}\n");
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("same recipient as Alice", ex.Message);
    }

    [Theory]
    [InlineData("Alice age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "without = between")]
    [InlineData("Bob ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDKeXB8air8kVbyipmcfbnqvW5iSiDXmefB9o2vpNINr", "without = between")]
    [InlineData(" = age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "name before = is empty")]
    [InlineData("Alice =", "nothing after =")]
    [InlineData("Alice = papier", "malformed")]
    [InlineData("Al\tice = age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "control character")]
    public void MalformedLinesAreRejected(string line, string expected)
    {
        var ex = Rejected("# header\n" + line + "\n");
        Assert.Contains("line 2", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("Ali\u200Bce", "U+200B")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "longer than 60 characters")]
    public void NamesFollowTheOneCustodianNameRule(string name, string expected)
    {
        var ex = Rejected($"Carol = {Carol}\n{name} = {Alice}\n");
        Assert.Contains("line 2", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(new string('a', 60), Parse($"{new string('a', 60)} = {Alice}\n")[0].Name);
    }

    [Fact]
    public void EmptyOrBinaryFileIsRejected()
    {
        Assert.Contains("names no custodian", Rejected("# nobody yet\n\n").Message);
        var ex = Assert.Throws<KeyVaultException>(() => CustodianList.Parse([0xFF, 0xFE, 0x00], "custodians.txt"));
        Assert.Contains("not UTF-8", ex.Message);
    }

    [Fact]
    public void PaperAndSealedCustodiansMixInShareOrderWithTheirContacts()
    {
        var list = Parse($"Alice = {Alice}\n  contact: alice@example.org\n  time zone: Europe/Zurich\nBob Smith\nCarol = PAPER\n\ttimezone: UTC+05:30\nDara = {Carol}\n");
        Assert.Equal(["Alice", "Bob Smith", "Carol", "Dara"], list.Select(c => c.Name));
        Assert.Equal([true, false, false, true], list.Select(c => c.Sealed));
        Assert.Null(list[1].Recipient);
        Assert.Equal("alice@example.org", list[0].Contact);
        Assert.Equal("Europe/Zurich", list[0].TimeZone);
        Assert.Equal("UTC+05:30", list[2].TimeZone);
        Assert.Null(list[3].Contact);
        Assert.Equal([1, 4, 5, 7], list.Select(c => c.Line));
    }

    [Theory]
    [InlineData("  contact: a@example.org\nAlice\n", "line 1", "there is none")]
    [InlineData("Alice\n  contact: a@example.org\n  contact: b@example.org\n", "line 3", "already has a contact")]
    [InlineData("Alice\n  time zone: Mars/Olympus Mons\n", "line 2", "IANA name")]
    [InlineData("Alice\n  time zone:\n", "line 2", "is empty")]
    [InlineData("Alice\n  contact: a\u200Eb\n", "line 2", "invisible")]
    [InlineData("Alice\n  contcat: a@example.org\n", "line 2", "neither a custodian")]
    [InlineData("Alice\ncontact: a@example.org\n", "line 2", "neither a custodian")]
    public void ContactAndTimeZoneLinesAreChecked(string text, string line, string expected)
    {
        var ex = Rejected(text);
        Assert.Contains(line, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void TwoPaperCustodiansMayShareNoKeyButNotAName()
    {
        Assert.Equal(2, Parse("Alice\nBob = paper\n").Count);
        Assert.Contains("already used on line 1", Rejected("Alice\nalice = paper\n").Message);
    }
}
