#!/usr/bin/env bash
# The released executable against optimized C, as whole processes: `keyvault reveal` unlocking a key file written by an
# independent implementation (keyfile-writer.js: the npm argon2 module's reference C and Node's crypto), paired with
# upstream phc-winner-argon2 opt.c built here with gcc -O3 -march=native deriving the same Argon2id key. Each pair runs
# both back to back (alternating which goes first); the table shows medians and the median of the per-pair ratios.
# Then the start of a command: `keyvault --version`, and `reveal` of an 8 KiB key file, medians over many runs.
#
#   bench/argon2/release.sh [KEYVAULT]     default: artifacts/publish/<rid>/keyvault (tools/release.sh builds it)
#   RUNS=9 SIZES="65536:3:1" bench/argon2/release.sh
#
# Needs gcc, node and npm (for the argon2 C sources and tests/interop's pinned modules). The machine should be
# otherwise idle: the load average is printed before and after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs="${RUNS:-5}"
starts="${STARTS:-31}"
sizes="${SIZES:-65536:3:1 262144:3:2 1048576:3:4}"
npm_version="${ARGON2_NPM_VERSION:-0.45.1}"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
kv="${1:-$repo/artifacts/publish/$rid/keyvault}"
[ -x "$kv" ] || { echo "no executable at $kv: build it with tools/release.sh $rid, or name one" >&2; exit 2; }
[ -d "$repo/tests/interop/node_modules/argon2" ] || npm ci --prefix "$repo/tests/interop" --silent --no-audit --no-fund

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== building the C reference from npm argon2@$npm_version" >&2
(cd "$work" && npm pack "argon2@$npm_version" --silent >/dev/null && tar xzf argon2-*.tgz)
src="$work/package/argon2"
gcc -O3 -march=native -pthread -I"$src/include" -I"$src/src" \
  "$src/src/argon2.c" "$src/src/core.c" "$src/src/opt.c" "$src/src/thread.c" "$src/src/encoding.c" \
  "$src/src/blake2/blake2b.c" "$here/argon2_c.c" -o "$work/argon2-c"

salt=736f6d6573616c74736f6d6573616c74   # 16 bytes, as key files use
key=9bfecf16c9c12792589dd2b843f850d5b89b81a04f8ab91c083bdf6709fbefee
password="correct horse battery staple"
printf '%s' "$password" > "$work/passphrase"
write_key_file() { # OUT M T P
  printf '%s' "$password" | NODE_PATH="$repo/tests/interop/node_modules" node "$here/keyfile-writer.js" "$1" "$2" "$3" "$4" "$salt" "$key"
}

# Prints "wall_ms output" for one process run, timed by bash itself (EPOCHREALTIME: no clock process to start).
timed() {
  local out="$work/out" start end
  start=${EPOCHREALTIME/./}
  "$@" >"$out" 2>/dev/null
  end=${EPOCHREALTIME/./}
  echo "$(awk -v d="$((end - start))" 'BEGIN { printf "%.1f", d / 1000 }') $(cat "$out")"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
c_run() { printf '%s' "$password" | "$work/argon2-c" "$@" "$salt"; }
kv_reveal() { "$kv" reveal "$1" --passphrase-file "$work/passphrase" --out -; }

echo "executable: $kv ($(stat -c %s "$kv") bytes, sha256 $(sha256sum "$kv" | cut -c1-16)…)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
printf '| %-22s | %15s | %12s | %6s | %s\n' "parameters" "keyvault reveal" "optimized C" "ratio" "pair ratios"
printf '|%s|%s|%s|%s|\n' "------------------------" "-----------------" "--------------" "--------"
for size in $sizes; do
  IFS=: read -r m t p <<<"$size"
  file="$work/key-$m-$t-$p.kvk"
  write_key_file "$file" "$m" "$t" "$p"
  c_times=() k_times=() ratios=()
  for ((i = 0; i < runs; i++)); do
    if ((i % 2 == 0)); then
      read -r c_ms _ < <(timed c_run "$m" "$t" "$p")
      read -r k_ms k_out < <(timed kv_reveal "$file")
    else
      read -r k_ms k_out < <(timed kv_reveal "$file")
      read -r c_ms _ < <(timed c_run "$m" "$t" "$p")
    fi
    [ "$k_out" = "$key" ] || { echo "keyvault reveal of $file printed '$k_out', not the key written" >&2; exit 1; }
    c_times+=("$c_ms") k_times+=("$k_ms")
    ratios+=("$(awk -v a="$k_ms" -v b="$c_ms" 'BEGIN { printf "%.3f", a / b }')")
  done
  printf '| %-22s | %13.3f s | %10.3f s | %6.2f | %s\n' "$((m / 1024)) MiB t$t p$p" \
    "$(printf '%s\n' "${k_times[@]}" | median | awk '{ print $1 / 1000 }')" \
    "$(printf '%s\n' "${c_times[@]}" | median | awk '{ print $1 / 1000 }')" \
    "$(printf '%s\n' "${ratios[@]}" | median)" "${ratios[*]}"
done

small="$work/key-8.kvk"
write_key_file "$small" 8 1 1
v_times=() r_times=()
for ((i = 0; i < starts; i++)); do
  read -r v_ms v_out < <(timed "$kv" --version)
  read -r r_ms r_out < <(timed kv_reveal "$small")
  [ "$r_out" = "$key" ] || { echo "keyvault reveal of the 8 KiB file printed '$r_out'" >&2; exit 1; }
  v_times+=("$v_ms") r_times+=("$r_ms")
done
echo "keyvault --version ($v_out): $(printf '%s\n' "${v_times[@]}" | median) ms (median of $starts runs)"
echo "keyvault reveal of an 8 KiB key file: $(printf '%s\n' "${r_times[@]}" | median) ms (median of $starts runs)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
