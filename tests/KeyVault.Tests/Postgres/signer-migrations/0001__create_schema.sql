CREATE SCHEMA sbtc_signer;
