namespace KeyVault.Tests.Support;

/// <summary>The published development keys of the signer repositories (sbtc-facts.md). Never real keys.</summary>
public static class TestKeys
{
    public const string Key1 = "41634762d89dfa09133a4a8e9c1378d0161d29cd0a9433b51f1e3d32947a73dc";
    public const string Key1PublicKey = "035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46";
    public const string Key1Testnet = "ST24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHW9Q8S7H";
    public const string Key1Mainnet = "SP24VB7FBXCBV6P0SRDSPSW0Y2J9XHDXNHY2XKHQ0";
    public const string Key1PeerId = "16Uiu2HAmJCCQmWYiiQDxD88SGWKiPc6XgXLRKZhu8jMmyzdpQXSV";

    public const string Key2 = "9bfecf16c9c12792589dd2b843f850d5b89b81a04f8ab91c083bdf6709fbefee";
    public const string Key2PublicKey = "031a4d9f4903da97498945a4e01a5023a1d53bc96ad670bfe03adf8a06c52e6380";
    public const string Key2Testnet = "ST2XAK68AR2TKBQBFNYSK9KN2AY9CVA91A7CSK63Z";
    public const string Key2Mainnet = "SP2XAK68AR2TKBQBFNYSK9KN2AY9CVA91A42Z0E8H";

    public const string Key3 = "ab0893ecf683dc188c3fb219dd6489dc304bb5babb8151a41245a70e60cb7258";
    public const string Key3PeerId = "16Uiu2HAm46BSFWYYWzMjhTRDRwXHpDWpQ32iu93nzDwd1F4Tt256";
}
