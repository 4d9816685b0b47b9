#!/usr/bin/env bash
# Builds everything and runs every test. The published single-file executable is built too, and the tests that
# exercise it find it through KEYVAULT_PUBLISHED.
set -euo pipefail
cd "$(dirname "$0")"
rid=linux-x64
dotnet publish src/KeyVault.Cli -c Release -r "$rid" -o artifacts/publish/$rid --nologo -v quiet
export KEYVAULT_PUBLISHED="$PWD/artifacts/publish/$rid/keyvault"
dotnet test KeyVault.sln -c Release --nologo -v quiet "$@"
