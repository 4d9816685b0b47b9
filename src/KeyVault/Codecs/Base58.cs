namespace KeyVault.Codecs;

/// <summary>Base58 with the Bitcoin alphabet (base58btc), as used for libp2p PeerIds. Public data only.</summary>
internal static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Encodes bytes; each leading zero byte becomes a leading '1'.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        var digits = new List<byte>(data.Length * 138 / 100 + 1); // little-endian base-58 digits
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (int j = 0; j < digits.Count; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits.Add((byte)(carry % 58));
                carry /= 58;
            }
        }
        var sb = new System.Text.StringBuilder(zeros + digits.Count);
        sb.Append('1', zeros);
        for (int i = digits.Count - 1; i >= 0; i--) sb.Append(Alphabet[digits[i]]);
        return sb.ToString();
    }
}
