namespace KeyVault.Age;

/// <summary>Reading an age file's public structure without a key.</summary>
public static class AgeFile
{
    /// <summary>True when <paramref name="file"/> looks like ASCII armor (its first non-blank line is a PEM BEGIN line).</summary>
    public static bool IsArmored(ReadOnlySpan<byte> file) => AgeArmor.LooksArmored(file);

    /// <summary>
    /// Checks everything that can be checked without a key — the armor, the header grammar, the shape of every
    /// stanza of a type KeyVault seals to, the scrypt-alone rule, and a payload length that a valid chunk sequence can
    /// have — and lists the stanzas. Throws <see cref="AgeException"/> (armor, header or payload).
    /// </summary>
    public static AgeFileInfo Inspect(ReadOnlySpan<byte> file)
    {
        bool armored = AgeArmor.LooksArmored(file);
        byte[] binary = armored ? AgeArmor.Decode(file) : file.ToArray();
        var header = AgeHeader.Parse(binary);
        AgeDecryptor.CheckScryptAlone(header);
        for (int i = 0; i < header.Stanzas.Count; i++) StanzaCrypto.CheckKnownShape(header.Stanzas[i], i + 1);
        int payload = binary.Length - header.Length;
        if (payload < AgePayload.NonceLength) throw AgeError.Header("the file ends inside the payload nonce");
        int sealedBytes = payload - AgePayload.NonceLength;
        int lastChunk = sealedBytes % AgePayload.SealedChunkSize;
        if (sealedBytes == 0) throw AgeError.Payload("the file ends without a final chunk (it was cut short)");
        // A final chunk is 1 to 64 KiB of text plus its tag; only a file with a single chunk may have it empty.
        if (lastChunk != 0 && (lastChunk < AgePayload.TagLength || (lastChunk == AgePayload.TagLength && sealedBytes > AgePayload.TagLength)))
            throw AgeError.Payload("the payload length is not that of a whole sequence of chunks (the file was cut short or extended)");
        return new AgeFileInfo(armored, header.Stanzas.Select(s => new AgeStanzaInfo(s)).ToList(), payload);
    }
}
