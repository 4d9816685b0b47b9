#!/usr/bin/env bash
# Builds a release: one self-contained executable per runtime, named keyvault-<version>-<rid> (".exe" for Windows),
# and SHA256SUMS over them, in artifacts/release/ (or the folder given by OUT). docs/release.md says how a second
# person checks them.
#
#   tools/release.sh [RID ...]      default: linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64)
out=${OUT:-artifacts/release}
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[ -n "$version" ] || { echo "release: no <Version> in Directory.Build.props" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out"
for rid in "${rids[@]}"; do
  exe=keyvault suffix=""
  case "$rid" in win-*) exe=keyvault.exe suffix=.exe ;; esac
  dir="artifacts/publish/$rid"
  rm -rf "$dir"
  echo "release: publishing $rid" >&2
  dotnet publish src/KeyVault.Cli -c Release -r "$rid" -o "$dir" --nologo -v quiet
  # The publish folder must hold the executable and nothing else: the README promises one file.
  if [ "$(ls -A "$dir")" != "$exe" ]; then
    echo "release: $dir holds more than $exe:" $(ls -A "$dir") >&2
    exit 1
  fi
  cp "$dir/$exe" "$out/keyvault-$version-$rid$suffix"
done
(cd "$out" && sha256sum keyvault-* > SHA256SUMS && cat SHA256SUMS)
