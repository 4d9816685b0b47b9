ALTER TABLE sbtc_signer.transactions
DROP COLUMN tx;
