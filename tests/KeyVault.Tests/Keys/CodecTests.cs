using KeyVault.Codecs;

namespace KeyVault.Tests.Keys;

public class CodecTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("00", "1")]
    [InlineData("0000", "11")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000000000000000", "1111111111111111111111111111111111111111")]
    public void Base58_matches_known_encodings(string hex, string expected) =>
        Assert.Equal(expected, Base58.Encode(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("", "")]
    [InlineData("00", "0")]
    [InlineData("0001", "01")]
    [InlineData("01", "1")]
    [InlineData("1f", "Z")]
    [InlineData("20", "10")]
    [InlineData("ffff", "1ZZZ")]
    public void C32_encodes_from_the_least_significant_end(string hex, string expected)
    {
        Assert.Equal(expected, C32.Encode(Convert.FromHexString(hex)));
        Assert.Equal(hex, Convert.ToHexStringLower(C32.Decode(expected)!));
    }

    [Fact]
    public void C32_round_trips_random_bytes_with_leading_zeros()
    {
        var rng = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[rng.Next(0, 40)];
            rng.NextBytes(bytes);
            for (int z = 0; z < rng.Next(0, 4) && z < bytes.Length; z++) bytes[z] = 0;
            Assert.Equal(bytes, C32.Decode(C32.Encode(bytes)));
        }
    }

    [Fact]
    public void C32_decoding_is_case_insensitive_and_maps_confusable_letters()
    {
        Assert.Equal(C32.Decode("1ZZZ"), C32.Decode("lzzz"));
        Assert.Equal(C32.Decode("10"), C32.Decode("Io"));
        Assert.Null(C32.Decode("U"));
    }

    [Fact]
    public void C32check_rejects_a_changed_character_or_a_wrong_length()
    {
        const string address = "SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0";
        Assert.True(C32.TryCheckDecode(address, out var version, out _));
        Assert.Equal(22, version);
        Assert.True(C32.TryCheckDecode(address.ToLowerInvariant(), out _, out _));
        for (int i = 2; i < address.Length; i++)
        {
            var changed = address[..i] + (address[i] == 'A' ? 'B' : 'A') + address[(i + 1)..];
            Assert.False(C32.TryCheckDecode(changed, out _, out _), $"position {i}");
        }
        Assert.False(C32.TryCheckDecode(address[..^1], out _, out _));
        Assert.False(C32.TryCheckDecode("ST" + address[2..], out _, out _));
    }

    [Fact]
    public void Hex_is_strict()
    {
        Assert.Null(Hex.TryDecode("abc"));
        Assert.Null(Hex.TryDecode("0g"));
        Assert.Null(Hex.TryDecode(" 0a"));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, Hex.TryDecode("AbcD"));
        Span<byte> ascii = stackalloc byte[8];
        Hex.EncodeAscii(new byte[] { 0x01, 0x9a, 0xf0, 0x5e }, ascii);
        Assert.Equal("019af05e", System.Text.Encoding.ASCII.GetString(ascii));
    }

    [Fact]
    public void Hex_decoding_with_masks_agrees_with_the_framework_for_every_byte_in_both_cases()
    {
        var all = new byte[256];
        for (int i = 0; i < all.Length; i++) all[i] = (byte)i;
        foreach (var text in new[] { Convert.ToHexStringLower(all), Convert.ToHexString(all) })
        {
            Assert.Equal(Convert.FromHexString(text), Hex.TryDecode(text));
            // Every pair of digits with mixed case too, e.g. "aF" and "Af".
            for (int i = 0; i < 256; i++)
            {
                var pair = text.Substring(2 * i, 2);
                var mixed = $"{char.ToUpperInvariant(pair[0])}{char.ToLowerInvariant(pair[1])}";
                Assert.Equal(Convert.FromHexString(mixed), Hex.TryDecode(mixed));
            }
        }
    }

    [Fact]
    public void Hex_accepts_exactly_the_ascii_hex_digits_among_all_utf16_code_units()
    {
        Span<byte> one = stackalloc byte[1];
        for (int c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            bool expected = char.IsAsciiHexDigit(ch);
            Assert.True(expected == Hex.IsHex([ch]), $"U+{c:X4}");
            // As either digit of a pair, so both halves of the decoder see every code unit.
            Assert.True(expected == Hex.TryDecode([ch, '0'], one), $"U+{c:X4} first");
            Assert.True(expected == Hex.TryDecode(['0', ch], one), $"U+{c:X4} second");
        }
    }

    [Fact]
    public void Failed_hex_decoding_leaves_no_partial_key_bytes_behind()
    {
        // The decoder no longer stops at the first bad character, so it must not leave the bytes before it in place.
        var destination = new byte[4];
        Assert.False(Hex.TryDecode("a1b2c3zz", destination));
        Assert.Equal(new byte[4], destination);
    }
}
