using System.Text;
using System.Text.Json;
using KeyVault.Signing;

namespace KeyVault.Tests.Drill;

/// <summary>The RFC 8785 (JCS) subset the drill report's signature covers, against the RFC's own examples.</summary>
public class CanonicalJsonTests
{
    private static string Canon(string json, params string[] omit)
    {
        using var doc = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(doc.RootElement, omit));
    }

    [Fact]
    public void Rfc8785_section_3_2_3_sorts_by_utf16_code_units()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        Assert.Equal("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                     + "\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            Canon(input));
    }

    [Fact]
    public void Rfc8785_section_3_2_2_strings_and_literals()
    {
        const string input = """
            {
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        Assert.Equal("{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", Canon(input));
    }

    [Fact]
    public void Integers_are_plain_decimal_and_other_numbers_are_refused()
    {
        Assert.Equal("[0,-7,9007199254740991,100,0]", Canon("[0, -7, 9007199254740991, 1E2, -0]"));
        Assert.Throws<FormatException>(() => Canon("[4.5]"));
        Assert.Throws<FormatException>(() => Canon("[9007199254740993]"));
    }

    [Fact]
    public void Omitted_members_are_dropped_only_at_the_top_level()
    {
        Assert.Equal("{\"a\":{\"signature\":1},\"b\":[]}", Canon("""{"signature":{"x":1},"b":[],"a":{"signature":1}}""", "signature"));
    }

    [Fact]
    public void Duplicate_member_names_are_refused()
    {
        Assert.Throws<FormatException>(() => Canon("""{"a":1,"a":2}"""));
        Assert.Throws<FormatException>(() => Canon("""{"x":{"a":1,"a":1}}"""));
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        Assert.Throws<FormatException>(() => Canon("""["\ud800"]"""));
        Assert.Throws<FormatException>(() => Canon("""{"\udc00":1}"""));
    }
}
