#!/usr/bin/env bash
# The main job end to end, with a throwaway demo key: build the self-contained executable, generate a key into an
# encrypted key file, split it 2-of-3 with printable sheets, restore it from two shares, and prove with a signed
# drill report that the backup rebuilds the same key. Everything lands in artifacts/demo/ (mode 0700).
set -euo pipefail
cd "$(dirname "$0")"
rid=linux-x64
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building the self-contained executable (dotnet publish -r $rid: native code)"
# shellcheck source=tools/native-toolchain.sh
source tools/native-toolchain.sh
native_toolchain "$rid"
dotnet publish src/KeyVault.Cli -c Release -r "$rid" -o "artifacts/publish/$rid" --nologo -v quiet
kv="$PWD/artifacts/publish/$rid/keyvault"
sha256sum "$kv"

demo="artifacts/demo/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$demo/shares" && chmod 700 artifacts/demo "$demo"
cd "$demo"
# A demo passphrase in a file (never on the command line). Real ceremonies type it at the prompt.
umask 077
printf 'correct horse battery staple (demo only)\n' > passphrase.txt

step "1. Generate a new signer key into an encrypted key file (Argon2id, 1 GiB; a few seconds)"
"$kv" generate --out signer.kvk --label "KeyVault demo key - not for real use" --passphrase-file passphrase.txt
"$kv" identity --from signer.kvk --json > identity.json

step "2. Split it 2-of-3 into SLIP-0039 shares with one PDF sheet per custodian"
"$kv" split signer.kvk --threshold 2 --shares 3 --out-dir shares --paper \
  --custodian Alice --custodian Bob --custodian Carol --passphrase-file passphrase.txt
ls -l shares

step "3. Restore from shares 1 and 3 into a new key file"
"$kv" combine --share-file shares/share-1.txt --share-file shares/share-3.txt --out restored.kvk --passphrase-file passphrase.txt

step "4. Drill: shares 2 and 3 and the restored key file must rebuild the expected identity"
"$kv" drill --expect identity.json --key-file restored.kvk --passphrase-file passphrase.txt \
  --share-file shares/share-2.txt shares/share-3.txt --report drill-report.json

step "5. Anyone can check the drill report's signature and the backup's signed manifest (no secret needed)"
"$kv" drill verify-report drill-report.json --expect identity.json
"$kv" manifest verify shares/manifest.json

step "Done: see $demo (the sheets are shares/share-*.pdf)"
