ALTER TABLE sbtc_signer.deposit_requests
ADD COLUMN reclaim_script_hash BYTEA
