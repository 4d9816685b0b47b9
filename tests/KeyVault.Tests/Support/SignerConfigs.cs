namespace KeyVault.Tests.Support;

/// <summary>Signer configs the tests share.</summary>
internal static class SignerConfigs
{
    /// <summary>
    /// The [signer] table of the sBTC signer's default config (signer/src/config/default.toml): test key 1 as its
    /// private key, regtest, and the default bootstrap set of three keys, two signatures required; no aggregate key.
    /// </summary>
    public const string Default = """
        [signer]
        private_key = "41634762d89dfa09133a4a8e9c1378d0161d29cd0a9433b51f1e3d32947a73dc"
        network = "regtest"
        deployer = "SN3R84XZYA63QS28932XQF3G1J8R9PC3W76P9CSQS"
        bootstrap_signing_set = [
            "035249137286c077ccee65ecc43e724b9b9e5a588e3d7f51e3b62f9624c2a49e46",
            "031a4d9f4903da97498945a4e01a5023a1d53bc96ad670bfe03adf8a06c52e6380",
            "02007311430123d4cad97f4f7e86e023b28143130a18099ecf094d36fef0f6135c",
        ]
        bootstrap_signatures_required = 2
        """;

    /// <summary><see cref="Default"/> with <c>bootstrap_aggregate_key</c> set to <paramref name="aggregateKey"/>.</summary>
    public static string WithAggregateKey(string aggregateKey) => Default + $"\nbootstrap_aggregate_key = \"{aggregateKey}\"\n";
}
