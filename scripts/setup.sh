#!/usr/bin/env bash
# Idempotent set-up of everything hypnest needs on a Debian 12 (bookworm) host.
# Run by `make run` and `make test`; installs through apt only what is missing.
# Not root and something missing: print exactly what to install, exit non-zero.
set -euo pipefail

QEMU_MIN_MAJOR=9   # FEAT_NV2 emulation appeared in QEMU 9 (PLATFORM.md)
STAMP_DIR=${STAMP_DIR:-build}

# host package -> a file it provides (checked instead of dpkg so that a
# tool installed some other way also counts)
declare -A need=(
  [gcc-aarch64-linux-gnu]=/usr/bin/aarch64-linux-gnu-gcc
  [binutils-aarch64-linux-gnu]=/usr/bin/aarch64-linux-gnu-objcopy
  [picolibc-aarch64-linux-gnu]=/usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs
  [device-tree-compiler]=/usr/bin/dtc
  [python3-pytest]=/usr/lib/python3/dist-packages/pytest/__init__.py
  [python3-pexpect]=/usr/lib/python3/dist-packages/pexpect/__init__.py
  [gdb-multiarch]=/usr/bin/gdb-multiarch
  [clang]=/usr/bin/clang
  [lld]=/usr/bin/ld.lld
  [clang-format]=/usr/bin/clang-format
  [cpio]=/usr/bin/cpio
  [libfdt1]=/usr/lib/$(uname -m)-linux-gnu/libfdt.so.1
)
ARM64_LIBFDT=/usr/lib/aarch64-linux-gnu/libfdt.a

missing=()
for pkg in "${!need[@]}"; do
  [ -e "${need[$pkg]}" ] || missing+=("$pkg")
done
[ -e "$ARM64_LIBFDT" ] || missing+=("libfdt-dev:arm64")

qemu_ok() {
  command -v qemu-system-aarch64 >/dev/null || return 1
  local v
  v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge "$QEMU_MIN_MAJOR" ]
}
qemu_ok || missing+=("qemu-system-arm/bookworm-backports")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing: ${missing[*]}" >&2
  echo "setup: as root run: scripts/setup.sh   (or install those with apt;" >&2
  echo "       qemu-system-arm must come from bookworm-backports, libfdt-dev for arm64 via multiarch)" >&2
  exit 1
fi

echo "setup: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# bookworm-backports for QEMU >= 9 (FEAT_NV2), same mirror as the base sources
bp=/etc/apt/sources.list.d/hypnest-backports.sources
if [ ! -e "$bp" ]; then
  uri=$(sed -n 's/^URIs: *\(.*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  uri=${uri:-http://deb.debian.org/debian}
  cat >"$bp" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -qq

pkgs=()
for p in "${missing[@]}"; do
  case "$p" in
    qemu-system-arm/*) ;;
    *) pkgs+=("$p") ;;
  esac
done
[ ${#pkgs[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
if ! qemu_ok; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-arm
fi
if ! qemu_ok; then
  echo "setup: qemu-system-aarch64 >= $QEMU_MIN_MAJOR is required for FEAT_NV2; found: $(qemu-system-aarch64 --version 2>&1 | head -1)" >&2
  exit 1
fi
echo "setup: done ($(qemu-system-aarch64 --version | head -1))"
