namespace KeyVault.SelfTest;

/// <summary>
/// The inputs and known answers of the self-test, compiled into the executable. Each comes from a published source
/// (named beside it) or from a committed test vector of this repository; none is a real key.
/// </summary>
internal static class KnownAnswers
{
    /// <summary>FIPS 180-2 appendix B.1: SHA-256("abc").</summary>
    public const string Sha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /// <summary>RFC 4231 test case 2: HMAC-SHA-256(key "Jefe", "what do ya want for nothing?").</summary>
    public const string HmacSha256Case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    /// <summary>RFC 7914 section 11: PBKDF2-HMAC-SHA-256(P "passwd", S "salt", c 1, dkLen 64).</summary>
    public const string Pbkdf2Passwd =
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";

    /// <summary>The GCM specification (McGrew and Viega), test case 16: AES-256, 96-bit IV, 60-byte plaintext, 20-byte AAD.</summary>
    public const string GcmKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    /// <summary>Test case 16's IV.</summary>
    public const string GcmIv = "cafebabefacedbaddecaf888";
    /// <summary>Test case 16's plaintext.</summary>
    public const string GcmPlaintext =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    /// <summary>Test case 16's additional authenticated data.</summary>
    public const string GcmAad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    /// <summary>Test case 16's ciphertext followed by its 16-byte tag.</summary>
    public const string GcmCiphertextAndTag =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        + "76fc6ece0f4e1768cddf8853bb2d551b";

    /// <summary>RFC 9106 section 5.3: Argon2id, m 32 KiB, t 3, p 4, password 32×01, salt 16×02, secret 8×03, data 12×04, tag 32 bytes.</summary>
    public const string Argon2idRfc9106 = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

    /// <summary>secp256k1: the generator G, which is the public key of the private key 1 (SEC 2, section 2.4.1).</summary>
    public const string PublicKeyOfOne = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    /// <summary>
    /// RFC 6979 deterministic ECDSA on secp256k1 with private key 1 over SHA-256("Satoshi Nakamoto"), low-s form:
    /// r ‖ s. The widely published Bitcoin vector; checked with Python's cryptography package (deterministic signing).
    /// </summary>
    public const string SignatureSatoshiNakamoto =
        "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
        + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5";

    /// <summary>Development key 1 of the signer repositories (test-vectors/README.md): private key.</summary>
    public const string TestKey = "41634762d89dfa09133a4a8e9c1378d0161d29cd0a9433b51f1e3d32947a73dc";
    /// <summary>Development key 1: its compressed public key.</summary>
    public const string TestKeyPublic = "035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46";

    /// <summary>The official SLIP-0039 vector 4, "Basic sharing 2-of-3 (128 bits)", passphrase "TREZOR" (test-vectors/slip39/vectors.json).</summary>
    public static readonly string[] Slip39Mnemonics =
    [
        "shadow pistol academic always adequate wildlife fancy gross oasis cylinder mustang wrist rescue view short owner flip making coding armed",
        "shadow pistol academic acid actress prayer class unknown daughter sweater depict flip twice unkind craft early superior advocate guest smoking",
    ];
    /// <summary>Vector 4's master secret.</summary>
    public const string Slip39MasterSecret = "b43ceb7e57a0ea8766221624d01b0864";

    /// <summary>
    /// test-vectors/key-file/success-binary-minimal without its header lines: development key 1 under the
    /// passphrase "correct horse battery staple", weak test KDF (8 KiB, 1 pass, 1 lane).
    /// </summary>
    public const string KeyFile =
        "894b564b460d0a1a010000000800000001000000011000426a79b083c9e6cf05fbede424a32a4063d309660002ddd34cf8df035249137286"
        + "c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46007cbbd47a2a9eedba0f2d1ea07ec2570915552b52d691c43cc5365a0b"
        + "3cd59b28883eeaff48f7f55d2f8c02cb48611d81";
    /// <summary>The key file's passphrase.</summary>
    public const string KeyFilePassphrase = "correct horse battery staple";

    /// <summary>
    /// stacks.js (packages/encryption, messageSignature tests): the Stacks signed-message hash of "hello world", that
    /// is SHA-256 of "\x17Stacks Signed Message:\n", the length 11 and the message.
    /// </summary>
    public const string StacksHelloWorldHash = "619997693db23de4b92ed152444a578a134143d9ad2c0f4dff2615de9d42ad96";
    /// <summary>stacks.js (packages/transactions, signMessageHashRsv test): the private key of that vector.</summary>
    public const string StacksRsvKey = "bcf62fdd286f9b30b2c289cce3189dbf3b502dcd955b2dc4f67d18d77f3e73c7";
    /// <summary>That vector's message: its SHA-256 is the hash signed.</summary>
    public const string StacksRsvMessage = "Hello World";
    /// <summary>That vector's 65-byte RSV signature (r, s, recovery id), as stacks.js prints it.</summary>
    public const string StacksRsvSignature =
        "f540e429fc6e8a4c27f2782479e739cae99aa21e8cb25d4436f333577bc791cd1d9672055dd1604dd5194b88076e4f859dd93c834785ed589ec38291698d414200";

    /// <summary>
    /// SHA-256 over the QR code of vector 4's first share as a sheet prints it: the payload's UTF-8 bytes, then the
    /// version byte, then one byte per module (1 dark, 0 light) row by row, without quiet zone. Produced by this
    /// encoder and checked independently: the symbol, drawn as an image, decodes to the payload with zbarimg
    /// (SelfTestTests).
    /// </summary>
    public const string QrCodeShare = "e89170acca57f7178ca4afef486aceaad5ae91d978c88b16fe3cb24b62a3891d";
}
