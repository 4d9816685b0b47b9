#!/usr/bin/env bash
# Checks that the committed HEAD builds reproducibly: publishes the executable twice, once from `git archive HEAD`
# and once from a `git clone` of HEAD, in two temporary folders of different path lengths, and compares the SHA-256
# of the two `keyvault` files. Exits 0 when they are identical, 1 when they differ (and lists which files inside the
# single-file bundles differ, or for the native Linux executables where the bytes differ), 2 on a usage or build error.
#
#   tools/reproduce.sh [RID]        RID defaults to linux-x64
#
# Uncommitted changes are not part of HEAD and so are not built. Set KEEP=1 to keep the two folders.
set -euo pipefail
rid=${1:-linux-x64}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)

# shellcheck source=tools/native-toolchain.sh
source "$repo/tools/native-toolchain.sh"
native_toolchain "$rid"

work=$(mktemp -d /tmp/keyvault-reproduce.XXXXXX)
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT

a="$work/a"
b="$work/second-build-in-a-longer-path"
mkdir -p "$a" "$b"
git -C "$repo" archive --format=tar HEAD | tar -x -C "$a"
git clone --quiet --no-hardlinks "$repo" "$b/src" && git -C "$b/src" checkout --quiet --detach "$commit"

publish() {
  # No build servers or node reuse, so nothing from the first build is kept in memory for the second.
  (cd "$1" && ${3:-} dotnet publish src/KeyVault.Cli -c Release -r "$rid" -o "$1/out" --nologo -v quiet \
    -p:UseSharedCompilation=false --disable-build-servers) >&2 || { echo "reproduce: publish failed in $1" >&2; exit 2; }
  local files
  files=$(ls -A "$1/out")
  if [ "$files" != "$(basename "$2")" ]; then
    echo "reproduce: the publish folder holds more than the executable:" $files >&2
    exit 1
  fi
}

exe=keyvault
case "$rid" in win-*) exe=keyvault.exe ;; esac
echo "reproduce: $commit for $rid" >&2
publish "$a" "$exe"
# The second build runs in another time zone, locale and umask, and, where a UTS namespace may be made (root), under
# another host name: none of them may reach the bytes.
uts() { command -v hostname >/dev/null 2>&1 && unshare --uts true 2>/dev/null; }
elsewhere() {
  if uts; then
    unshare --uts -- sh -c 'hostname keyvault-reproduce-2 && exec "$@"' sh env TZ=Pacific/Chatham LC_ALL=C.UTF-8 "$@"
  else
    env TZ=Pacific/Chatham LC_ALL=C.UTF-8 "$@"
  fi
}
if uts; then
  echo "reproduce: second build under host name keyvault-reproduce-2, TZ=Pacific/Chatham, LC_ALL=C.UTF-8, umask 0077" >&2
else
  echo "reproduce: second build under TZ=Pacific/Chatham, LC_ALL=C.UTF-8, umask 0077 (same host name: no UTS namespace here)" >&2
fi
(umask 0077; publish "$b/src" "$exe" elsewhere)
sum_a=$(sha256sum "$a/out/$exe" | cut -d' ' -f1)
sum_b=$(sha256sum "$b/src/out/$exe" | cut -d' ' -f1)
echo "$sum_a  build 1 (git archive, $a)"
echo "$sum_b  build 2 (git clone,   $b/src)"
if [ "$sum_a" = "$sum_b" ]; then
  echo "reproduce: identical ($(stat -c %s "$a/out/$exe") bytes)"
  exit 0
fi
echo "reproduce: the two builds DIFFER" >&2
case "$rid" in
  linux-*)
    # Native code: say how many bytes differ and where the first ones are.
    echo "reproduce: $(cmp -l "$a/out/$exe" "$b/src/out/$exe" | wc -l) bytes differ; the first (offset, octal values):" >&2
    cmp -l "$a/out/$exe" "$b/src/out/$exe" | head -5 >&2 || true ;;
  *)
    if command -v python3 >/dev/null 2>&1; then
      python3 "$repo/tools/bundle.py" diff "$a/out/$exe" "$b/src/out/$exe" >&2 || true
    fi ;;
esac
exit 1
