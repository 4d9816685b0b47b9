#!/usr/bin/env bash
# Times KeyVault's Argon2id against the upstream optimized C reference (phc-winner-argon2 opt.c, -O3 -march=native,
# built here from the C sources inside the npm "argon2" package), as whole processes: one derivation per process,
# cold, the way keyvault runs. Each pair runs both programs back to back (alternating which goes first) on the same
# inputs and checks that they print the same tag; the table shows medians over the pairs and the median of the
# per-pair ratios.
#
#   bench/argon2/run.sh              # 5 pairs at 64 MiB/t3/p1, 256 MiB/t3/p2, 1 GiB/t3/p4
#   RUNS=9 SIZES="65536:3:1" bench/argon2/run.sh
#   DRIVER_PUBLISH_ARGS="-p:PublishReadyToRun=true" bench/argon2/run.sh    # try other publish settings
#   NATIVE_AOT=1 bench/argon2/run.sh  # the same managed core compiled ahead of time for this CPU (as -march=native):
#                                     # no runtime start, no JIT; separates the core's speed from the process's start
#
# Needs gcc, npm (registry access) and the .NET SDK. The machine should be otherwise idle: the load average is
# printed before and after.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${RUNS:-5}"
sizes="${SIZES:-65536:3:1 262144:3:2 1048576:3:4}"
npm_version="${ARGON2_NPM_VERSION:-0.45.1}"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

# KEEP=DIR builds into DIR and keeps it, so a second run can skip the builds with REUSE=1.
if [[ -n "${KEEP:-}" ]]; then
  work="$KEEP"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
if [[ -z "${REUSE:-}" ]]; then
echo "== building the C reference from npm argon2@$npm_version" >&2
(cd "$work" && npm pack "argon2@$npm_version" --silent >/dev/null && tar xzf argon2-*.tgz)
src="$work/package/argon2"
gcc -O3 -march=native -pthread -I"$src/include" -I"$src/src" \
  "$src/src/argon2.c" "$src/src/core.c" "$src/src/opt.c" "$src/src/thread.c" "$src/src/encoding.c" \
  "$src/src/blake2/blake2b.c" "$here/argon2_c.c" -o "$work/argon2-c"

if [[ -n "${NATIVE_AOT:-}" ]]; then
  # Not how keyvault ships (one Linux machine builds all five platforms, and ahead-of-time compilation cannot cross
  # operating systems): a measurement of the core alone. The trimming analysis flags the TOML reader the driver never
  # calls, hence warnings stay warnings here.
  cc=$(command -v clang || command -v clang-14 || command -v gcc)
  echo "== publishing the .NET driver with Native AOT ($rid, instruction set native, $cc)" >&2
  dotnet publish "$here/KeyVault.Argon2Driver" -c Release -r "$rid" -o "$work/dotnet" --nologo -v quiet \
    -p:PublishAot=true -p:IlcInstructionSet=native -p:CppCompilerAndLinker="$(basename "$cc")" \
    -p:TreatWarningsAsErrors=false -p:DebugType=none ${DRIVER_PUBLISH_ARGS:-} >&2
else
# The same publish properties as src/KeyVault.Cli/KeyVault.Cli.csproj sets for a runtime identifier.
echo "== publishing the .NET driver as keyvault is published ($rid, self-contained single file)" >&2
dotnet publish "$here/KeyVault.Argon2Driver" -c Release -r "$rid" -o "$work/dotnet" --nologo -v quiet \
  -p:SelfContained=true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:EnableCompressionInSingleFile=false -p:DebugType=none ${DRIVER_PUBLISH_ARGS:-} >&2
fi
fi

salt=736f6d6573616c74736f6d6573616c74   # 16 bytes, as key files use
password="correct horse battery staple"

# Prints "wall_ms cpu_ms tag" for one process run (CPU = user + system of the process, which load disturbs less).
timed() {
  local out times
  out=$(mktemp)
  times=$( { TIMEFORMAT='%3R %3U %3S'; time printf '%s' "$password" | "$@" >"$out"; } 2>&1 )
  read -r wall user sys <<<"$times"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v t="$(cat "$out")" 'BEGIN { printf "%d %d %s\n", w * 1000, (u + s) * 1000, t }'
  rm -f "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
printf '%-22s %10s %10s %8s %10s %10s %8s   %s\n' "parameters" "C (s)" ".NET (s)" "ratio" "C cpu" ".NET cpu" "ratio" "pair ratios (wall)"
for size in $sizes; do
  IFS=: read -r m t p <<<"$size"
  c_times=() n_times=() ratios=() c_cpus=() n_cpus=() cpu_ratios=()
  for ((i = 0; i < runs; i++)); do
    if ((i % 2 == 0)); then
      read -r c_ms c_cpu c_tag < <(timed "$work/argon2-c" "$m" "$t" "$p" "$salt")
      read -r n_ms n_cpu n_tag < <(timed "$work/dotnet/keyvault-argon2" "$m" "$t" "$p" "$salt")
    else
      read -r n_ms n_cpu n_tag < <(timed "$work/dotnet/keyvault-argon2" "$m" "$t" "$p" "$salt")
      read -r c_ms c_cpu c_tag < <(timed "$work/argon2-c" "$m" "$t" "$p" "$salt")
    fi
    if [[ "$c_tag" != "$n_tag" ]]; then
      echo "tags differ at m=$m t=$t p=$p: C $c_tag, .NET $n_tag" >&2
      exit 1
    fi
    c_times+=("$c_ms") n_times+=("$n_ms") c_cpus+=("$c_cpu") n_cpus+=("$n_cpu")
    ratios+=("$(awk -v a="$n_ms" -v b="$c_ms" 'BEGIN { printf "%.3f", a / b }')")
    cpu_ratios+=("$(awk -v a="$n_cpu" -v b="$c_cpu" 'BEGIN { printf "%.3f", a / b }')")
  done
  c_med=$(printf '%s\n' "${c_times[@]}" | median)
  n_med=$(printf '%s\n' "${n_times[@]}" | median)
  r_med=$(printf '%s\n' "${ratios[@]}" | median)
  cc_med=$(printf '%s\n' "${c_cpus[@]}" | median)
  nc_med=$(printf '%s\n' "${n_cpus[@]}" | median)
  rc_med=$(printf '%s\n' "${cpu_ratios[@]}" | median)
  printf '%-22s %10.3f %10.3f %8.2f %10.3f %10.3f %8.2f   %s\n' "$((m / 1024)) MiB, t=$t, p=$p" \
    "$(awk -v x="$c_med" 'BEGIN { print x / 1000 }')" "$(awk -v x="$n_med" 'BEGIN { print x / 1000 }')" "$r_med" \
    "$(awk -v x="$cc_med" 'BEGIN { print x / 1000 }')" "$(awk -v x="$nc_med" 'BEGIN { print x / 1000 }')" "$rc_med" "${ratios[*]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
