#!/usr/bin/env bash
# The README's test command: builds everything and runs every test, from a fresh clone.
#
# On Debian as root it first installs what the tests need (zbar-tools, poppler-utils, fonts-dejavu-core, postgresql,
# nodejs/npm, age, argon2, openssh-client, postgresql-client, strace, bindfs with its fuse dependency for a FUSE mount
# that refuses O_TMPFILE, the clang and arm64 cross toolchain that builds the native Linux executables, and qemu-user
# with arm64 libc and OpenSSL to run the arm64 one), installs the interop tests' pinned npm packages, and starts a throwaway PostgreSQL
# cluster that is removed on exit. Where it cannot (not root, no apt-get), it names what is missing; the tests that
# need it are then skipped with the reason printed at the end (with CI=true they fail instead).
#
# It builds the release executables with tools/release.sh (all five platforms; KEYVAULT_RIDS="linux-x64" builds
# one, and the other platforms' bundle tests skip), and the tests that run the published program find it through
# KEYVAULT_PUBLISHED and KEYVAULT_RELEASE_DIR. Arguments are passed to dotnet test (e.g. --filter ...).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- The .NET SDK global.json pins: nothing below works without it, so say so first.
sdk=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json)
if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --version >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK $sdk is not installed (global.json pins it, without roll-forward)." >&2
  echo "test.sh: install it: https://dotnet.microsoft.com/download/dotnet/10.0, or dotnet-install.sh --version $sdk" >&2
  exit 2
fi

# --- Outside tools: which are missing, by the Debian package that provides them.
missing_packages() {
  command -v zbarimg >/dev/null 2>&1 || echo zbar-tools
  command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || echo poppler-utils
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || echo fonts-dejavu-core
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo postgresql
  command -v node >/dev/null 2>&1 || echo nodejs
  command -v npm >/dev/null 2>&1 || echo npm
  command -v age >/dev/null 2>&1 || echo age
  command -v argon2 >/dev/null 2>&1 || echo argon2
  command -v ssh-keygen >/dev/null 2>&1 || echo openssh-client
  command -v strace >/dev/null 2>&1 || echo strace
  # bindfs depends on fuse (fusermount), which the tests use to unmount.
  command -v bindfs >/dev/null 2>&1 && { command -v fusermount >/dev/null 2>&1 || command -v fusermount3 >/dev/null 2>&1; } || echo bindfs
  command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 || echo postgresql-client
  [ -e /usr/share/zoneinfo/Europe/Zurich ] || echo tzdata
  # The Linux executables are native code (docs/release.md): clang and GNU ld link them, llvm-objcopy strips them, and
  # linux-arm64 is cross-linked against Debian's arm64 cross toolchain and C library.
  command -v clang >/dev/null 2>&1 || echo clang
  command -v llvm-objcopy >/dev/null 2>&1 || echo llvm
  command -v aarch64-linux-gnu-ld >/dev/null 2>&1 || echo binutils-aarch64-linux-gnu
  ls /usr/lib/gcc-cross/aarch64-linux-gnu/*/crtbeginS.o >/dev/null 2>&1 || echo gcc-aarch64-linux-gnu
  [ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || echo libc6-dev-arm64-cross
  # The arm64 executable's self-test runs under emulation, with Debian's arm64 C library and OpenSSL.
  command -v qemu-aarch64 >/dev/null 2>&1 || echo qemu-user
  [ -e /lib/ld-linux-aarch64.so.1 ] || echo libc6:arm64
  [ -e /usr/lib/aarch64-linux-gnu/libssl.so.3 ] || echo libssl3:arm64
}
missing=$(missing_packages | tr '\n' ' ')
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A failed install is reported below with what is still missing, not ended here with its output hidden.
    apt_log=$(mktemp)
    case " $missing" in *:arm64*) dpkg --add-architecture arm64 ;; esac
    apt-get update -qq >"$apt_log" 2>&1 || true
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq --no-install-recommends $missing >>"$apt_log" 2>&1 || { tail -5 "$apt_log" >&2; apt_failed=1; }
    rm -f "$apt_log"
    missing=$(missing_packages | tr '\n' ' ')
  fi
  if [ -n "$missing" ]; then
    why="not root"; [ "$(id -u)" = 0 ] && why="no apt-get"; [ -n "${apt_failed:-}" ] && why="apt-get install failed"
    echo "test.sh: cannot install ($why); missing Debian packages: $missing" >&2
    echo "test.sh: the tests that need them are skipped (install them with: apt-get install $missing)" >&2
  fi
fi

# --- The independent SLIP-0039 implementation of the interop tests (versions pinned by the lock file).
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/interop --silent --no-audit --no-fund \
    || echo "test.sh: npm ci --prefix tests/interop failed; the SLIP-0039 interop tests are skipped" >&2
else
  echo "test.sh: npm is missing; the SLIP-0039 interop tests are skipped" >&2
fi

# --- A throwaway PostgreSQL cluster on loopback for the drill tests, unless one is given; removed on exit.
# shellcheck source=tests/pg-test-server.sh
source tests/pg-test-server.sh
if [ -z "${KEYVAULT_TEST_PG:-}" ]; then
  trap pg_test_server_stop EXIT
  pg_test_server_start
fi

# --- The release executables, then every test.
# shellcheck disable=SC2086 # KEYVAULT_RIDS is a list of runtime identifiers
KEYVAULT_DEV_BUILD=1 tools/release.sh ${KEYVAULT_RIDS:-}
# The published program the tests run is this run's linux-x64 build, never one left by an earlier run.
case " ${KEYVAULT_RIDS:-linux-x64} " in
  *" linux-x64 "*) export KEYVAULT_PUBLISHED="$PWD/artifacts/publish/linux-x64/keyvault" ;;
  *) unset KEYVAULT_PUBLISHED; echo "test.sh: linux-x64 was not built; the tests that run the published program are skipped" >&2 ;;
esac
export KEYVAULT_RELEASE_DIR="$PWD/artifacts/release"

results="$PWD/artifacts/test-results"
rm -rf "$results"
set +e
dotnet test KeyVault.sln -c Release --nologo -v quiet --logger "console;verbosity=minimal" \
  --logger "trx;LogFileName=keyvault.trx" --results-directory "$results" "$@"
status=$?
set -e

# The console logger names skipped tests without their reasons; the TRX results hold the reasons.
if [ -f "$results/keyvault.trx" ]; then
  awk '
    # A skipped test is a NotExecuted result with a message; an explicit test that was not asked for has none.
    /<UnitTestResult / {
      name = ""
      if ($0 ~ /outcome="NotExecuted"/ && $0 !~ /\/>[ \t]*$/) { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11) }
      next
    }
    name != "" && /<Message>/ { sub(/^ *<Message>/, ""); sub(/<\/Message>.*$/, ""); reasons[$0] = reasons[$0] "\n    " name; n++; name = "" }
    END {
      if (n == 0) exit
      printf "\ntest.sh: %d tests skipped, by reason:\n", n
      for (r in reasons) printf "  %s%s\n", unxml(r), unxml(reasons[r])
    }
    function unxml(t) { gsub(/&quot;/, "\"", t); gsub(/&apos;/, "'\''", t); gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t); gsub(/&amp;/, "\\&", t); return t }
  ' "$results/keyvault.trx" >&2
fi
exit "$status"
