using System.Security.Cryptography;
using System.Text;
using KeyVault.SelfTest;
using KeyVault.Sheets;

namespace KeyVault.Paper;

/// <summary>The self-test of the sheets' QR encoder, which lives here rather than in the core.</summary>
public static class PaperSelfTests
{
    /// <summary>The QR payload and symbol (level Q) of SLIP-0039 vector 4's first share, against the answer in the core's table.</summary>
    public static KnownAnswerCheck QrCode { get; } = new("qr-code", "QR of SLIP-0039 vector 4", KnownAnswers.QrCodeShare, () =>
    {
        var symbol = QrSymbolOfSelfTestShare(out var payload);
        return Sha256OfQrCode(payload, symbol);
    });

    /// <summary>The QR symbol the qr-code check encodes, and its payload (the tests decode it independently).</summary>
    internal static QrSymbol QrSymbolOfSelfTestShare(out string payload)
    {
        payload = QrPayload.ForMnemonic(KnownAnswers.Slip39Mnemonics[0].Split(' '));
        return QrSymbol.Encode(payload);
    }

    /// <summary>The qr-code check's answer: SHA-256 of the payload's UTF-8 bytes, the version byte, one byte per module.</summary>
    internal static byte[] Sha256OfQrCode(string payload, QrSymbol symbol)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(payload)) { (byte)symbol.Version };
        for (var r = 0; r < symbol.Size; r++)
            for (var c = 0; c < symbol.Size; c++)
                bytes.Add(symbol.IsDark(r, c) ? (byte)1 : (byte)0);
        return SHA256.HashData(bytes.ToArray());
    }
}
