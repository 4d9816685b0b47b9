# shellcheck shell=bash
# Sourced by tools/release.sh and demo.sh. The Linux executables are native code compiled ahead of time; the .NET
# compiler emits object code and clang links it with GNU ld, llvm-objcopy strips it, and linux-arm64 is cross-linked
# against Debian's arm64 cross C library and libgcc. docs/release.md pins the versions a release is built with.
#
#   native_toolchain RID...     installs what the Linux RIDs given need (as root, with apt-get) or says what is missing

# The Debian 12 packages of a release build, and the clang version they give (docs/release.md).
native_toolchain_clang=14.0.6

native_toolchain_missing() {
  command -v clang >/dev/null 2>&1 || echo clang
  command -v llvm-objcopy >/dev/null 2>&1 || echo llvm
  command -v ld >/dev/null 2>&1 || echo binutils
  if [[ " $* " == *" linux-arm64 "* ]]; then
    command -v aarch64-linux-gnu-ld >/dev/null 2>&1 || echo binutils-aarch64-linux-gnu
    ls /usr/lib/gcc-cross/aarch64-linux-gnu/*/crtbeginS.o >/dev/null 2>&1 || echo gcc-aarch64-linux-gnu
    [ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || echo libc6-dev-arm64-cross
  fi
}

native_toolchain() {
  local linux=() rid
  for rid in "$@"; do case "$rid" in linux-*) linux+=("$rid") ;; esac; done
  [ ${#linux[@]} -gt 0 ] || return 0
  local missing
  missing=$(native_toolchain_missing "${linux[@]}" | tr '\n' ' ')
  if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "native toolchain: installing $missing" >&2
    # shellcheck disable=SC2086 # one word per package
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } >/dev/null 2>&1 || true
    missing=$(native_toolchain_missing "${linux[@]}" | tr '\n' ' ')
  fi
  if [ -n "$missing" ]; then
    echo "native toolchain: the Linux executables are native code and need these Debian packages: $missing" >&2
    echo "native toolchain: install them with: apt-get install $missing" >&2
    return 2
  fi
  local version
  version=$(clang --version | sed -n '1s/.*clang version \([0-9.]*\).*/\1/p')
  echo "native toolchain: clang $version, $(ld --version | head -1)" >&2
  if [ "$version" != "$native_toolchain_clang" ]; then
    echo "native toolchain: a release is linked with clang $native_toolchain_clang (docs/release.md), this is $version:" \
      "the executables will work but will not be byte-identical to the published ones" >&2
  fi
}
