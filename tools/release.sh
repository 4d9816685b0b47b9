#!/usr/bin/env bash
# Builds a release: one self-contained executable per runtime (native code for Linux, a single-file bundle for macOS
# and Windows), named keyvault-<version>-<rid> (".exe" for Windows),
# and SHA256SUMS over them, in artifacts/release/ (or the folder given by OUT). docs/release.md says how a second
# person checks them.
#
#   tools/release.sh [RID ...]      default: linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64
#
# A release is built from a clean checkout of one commit: the build compiles every source file in the project folders,
# tracked or not, so the script refuses a tree with changes or untracked files, and writes the commit to COMMIT beside
# the executables. KEYVAULT_DEV_BUILD=1 (set by test.sh) builds the tree as it is, for tests; COMMIT then says so.
set -euo pipefail
cd "$(dirname "$0")/.."
commit="" changes=""
if [ -e .git ]; then
  # git's own error (e.g. "dubious ownership") is shown rather than taken for "not a checkout".
  commit=$(git rev-parse HEAD) || { echo "release: git cannot read this checkout (above)" >&2; exit 2; }
  changes=$(git status --porcelain --untracked-files=all)
fi
if [ "${KEYVAULT_DEV_BUILD:-0}" != 1 ]; then
  [ -n "$commit" ] || { echo "release: not a git checkout; a release is built from a clone of the release commit" >&2; exit 2; }
  if [ -n "$changes" ]; then
    echo "release: the working tree differs from commit $commit, so the executables would not be that commit's:" >&2
    echo "$changes" | head -20 >&2
    echo "release: commit or remove these (git stash -u), or build in a fresh clone" >&2
    exit 2
  fi
fi
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64)
out=${OUT:-artifacts/release}
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[ -n "$version" ] || { echo "release: no <Version> in Directory.Build.props" >&2; exit 2; }

# shellcheck source=tools/native-toolchain.sh
source tools/native-toolchain.sh
native_toolchain "${rids[@]}"

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
if [ -n "$commit" ] && [ -z "$changes" ]; then
  echo "$commit" > "$out/COMMIT"
else
  echo "${commit:-unknown} with changes not in a commit: a test build, not a release" > "$out/COMMIT"
fi
(cd "$out" && sha256sum keyvault-* > SHA256SUMS && cat SHA256SUMS)
echo "release: built from $(cat "$out/COMMIT")" >&2
