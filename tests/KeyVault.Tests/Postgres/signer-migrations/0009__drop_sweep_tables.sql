DROP TABLE sbtc_signer.swept_withdrawals;
DROP TABLE sbtc_signer.swept_deposits;
DROP TABLE sbtc_signer.sweep_transactions;
