#!/usr/bin/env bash
# Build the Linux guest assets hypnest boots, cached under build/assets/:
#   Image-6.12, Image-6.1   plain arm64 Images from Debian's unsigned kernels
#   initramfs.cpio          uncompressed newc cpio: busybox-static + /init
# Versions come from scripts/guest-versions.conf; see docs/guest-assets.md.
#
# Idempotent: an asset is rebuilt only when it is missing, fails its check,
# or was made from other pins than the current ones (recorded in <asset>.stamp).
# Packages are fetched for arm64 through a private apt configuration that
# never touches the host's apt state, and are only unpacked (dpkg-deb -x),
# never installed. Root is not needed.
#
# usage: scripts/guest-assets.sh              build all three if missing or stale
#        scripts/guest-assets.sh ASSET...     only those (Image-6.12 Image-6.1 initramfs.cpio)
#        scripts/guest-assets.sh --available  list kernel/busybox versions on the mirror
# env:   HYPNEST_ASSETS_DIR    output directory (default <repo>/build/assets)
#        HYPNEST_DEBIAN_MIRROR mirror URI (default: read from the host's apt sources)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/guest-versions.conf
. "$ROOT/scripts/guest-versions.conf"

ASSETS=${HYPNEST_ASSETS_DIR:-$ROOT/build/assets}
APTDIR=$ASSETS/apt
APTLOG=$APTDIR/last.log

say() { printf 'guest-assets: %s\n' "$*"; }
die() { printf 'guest-assets: error: %s\n' "$*" >&2; exit 1; }

for tool in cpio apt-get apt-cache dpkg-deb od sha256sum; do
  command -v "$tool" >/dev/null ||
    die "'$tool' not found on the host (cpio comes from Debian's 'cpio' package, which scripts/setup.sh installs)"
done

# ---------------------------------------------------------------- checks

# The arm64 Image header carries the magic "ARM\x64" at byte offset 0x38.
image_magic_ok() {
  [ -f "$1" ] && [ "$(od -An -tx1 -j56 -N4 "$1" | tr -d ' \n')" = 41524d64 ]
}

stamp_ok() { # file expected-stamp
  [ -f "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ]
}

# ---------------------------------------------------------------- private apt

# URI of the host's Debian archive: the first deb source whose Suites list
# bookworm, from deb822 .sources files or one-line .list files.
mirror_uri() {
  if [ -n "${HYPNEST_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$HYPNEST_DEBIAN_MIRROR"
    return
  fi
  local f uri
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk '
      function flush() { if (isdeb && hit && uris != "" && out == "") out = uris
                         isdeb = 0; hit = 0; uris = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") isdeb = 1 }
      tolower($1) == "uris:"  { uris = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") hit = 1 }
      END { flush(); print out }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++
                             if ($2 ~ /^\[/) i++
                             if ($(i + 1) == "bookworm") { print $i; exit } }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return; fi
  done
  return 1
}

APT_READY=
apt_setup() {
  [ -z "$APT_READY" ] || return 0
  local uri
  uri=$(mirror_uri) ||
    die "no Debian source for bookworm in /etc/apt/sources.list.d/debian.sources (or other apt sources); set HYPNEST_DEBIAN_MIRROR"
  [ -r "$GUEST_KEYRING" ] ||
    die "keyring $GUEST_KEYRING is missing (Debian package debian-archive-keyring)"
  mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
  : >"$APTDIR/status"
  cat >"$APTDIR/sources.sources" <<EOF
Types: deb
URIs: $uri
Suites: $GUEST_SUITES
Components: main
Architectures: arm64
Signed-By: $GUEST_KEYRING
EOF
  # Read after the host's own apt.conf.d (so proxy and validity settings
  # still apply); replaces everything that would touch the host's apt state.
  cat >"$APTDIR/apt.conf" <<EOF
#clear APT::Architectures;
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
Dir::Etc::SourceList "$APTDIR/sources.sources";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "/dev/null";
Dir::State "$APTDIR";
Dir::State::Lists "$APTDIR/lists";
Dir::State::Status "$APTDIR/status";
Dir::State::extended_states "$APTDIR/extended_states";
Dir::Cache "$APTDIR/cache";
Dir::Cache::Archives "$APTDIR/cache/archives";
Dir::Log "$APTDIR";
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
EOF
  say "apt: updating private package lists ($GUEST_SUITES, arm64) from $uri"
  if ! apt-get -c "$APTDIR/apt.conf" -q update >"$APTLOG" 2>&1 ||
     grep -q -e '^E: ' -e '^W: GPG error' "$APTLOG"; then
    cat "$APTLOG" >&2
    die "apt-get update of the private arm64 lists failed (log: $APTLOG); if it reports NO_PUBKEY, point GUEST_KEYRING in scripts/guest-versions.conf at a keyring that holds that key (debian-archive-keyring ships per-release files in /usr/share/keyrings)"
  fi
  local s
  for s in $GUEST_SUITES; do
    compgen -G "$APTDIR/lists/*_dists_${s}_main_binary-arm64_Packages*" >/dev/null ||
      die "apt-get update fetched no arm64 package list for suite '$s' (log: $APTLOG)"
  done
  APT_READY=1
}

apt_private() { apt-get -c "$APTDIR/apt.conf" "$@"; }

# Download pkg:arm64=version into the current directory and unpack it to ./x.
fetch_unpack() { # pkg version
  apt_setup
  if ! apt_private -q download "$1:arm64=$2" >"$APTLOG" 2>&1; then
    cat "$APTLOG" >&2
    say "versions of $1 on the mirror:" >&2
    apt-cache -c "$APTDIR/apt.conf" madison "$1" >&2 || true
    die "cannot download $1=$2 for arm64; if the mirror dropped it, bump scripts/guest-versions.conf (scripts/guest-assets.sh --available lists what is there)"
  fi
  local deb
  deb=$(compgen -G '*.deb') || die "apt-get download of $1 left no .deb"
  deb=${deb%%$'\n'*}
  dpkg-deb -x "$deb" x || die "dpkg-deb -x $deb failed"
}

# ---------------------------------------------------------------- assets

WORK=
cleanup() { [ -z "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT

new_work() {
  cleanup
  WORK=$(mktemp -d "$ASSETS/.work.XXXXXX")
  cd "$WORK"
}

build_image() { # name pkg version
  local out=$ASSETS/Image-$1 stamp="$2=$3" src
  if image_magic_ok "$out" && stamp_ok "$out" "$stamp"; then
    say "Image-$1: up to date ($stamp)"
    return
  fi
  say "Image-$1: fetching $stamp"
  new_work
  fetch_unpack "$2" "$3"
  src=$(compgen -G 'x/boot/vmlinuz-*') || die "$2 contains no /boot/vmlinuz-*"
  src=${src%%$'\n'*}
  if [ "$(od -An -tx1 -N2 "$src" | tr -d ' \n')" = 1f8b ]; then
    gzip -dc "$src" >Image   # not the case for Debian's arm64 kernels today
  else
    cp "$src" Image
  fi
  image_magic_ok Image ||
    die "$src from $2 is not a plain arm64 Image (no \"ARM\\x64\" magic at offset 0x38)"
  # the kernel's .config, to check which options a guest has (Debian's
  # System.map is a placeholder, so it is not kept)
  cp "x/boot/config-${src#x/boot/vmlinuz-}" "$ASSETS/config-$1" 2>/dev/null || true
  rm -f "$out.stamp"
  mv -f Image "$out"
  printf '%s\n' "$stamp" >"$out.stamp.tmp" && mv -f "$out.stamp.tmp" "$out.stamp"
  cd "$ROOT"; cleanup; WORK=
  say "Image-$1: built ($(stat -c %s "$out") bytes, Linux ${src#x/boot/vmlinuz-})"
}

# /init of the initramfs. Keep the marker line in sync with
# docs/guest-assets.md and harness/test_guest_assets.py.
init_script() {
  cat <<'EOF'
#!/bin/sh
# hypnest guest /init (generated by scripts/guest-assets.sh)
export PATH=/bin HOME=/root TERM=vt100
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The kernel already opened /dev/console from its built-in initramfs; reopen
# it from devtmpfs so the console works even if that failed.
exec 0<>/dev/console 1>&0 2>&0
echo "HYPNEST-GUEST-READY kernel=$(uname -r) cpus=$(nproc)"
cd /root
# busybox poweroff/halt/reboot (without -f) signal PID 1, this script:
# act on it. The shell runs in the background so that `wait` returns when
# a signal comes (a trap waits for a foreground command to finish).
trap 'poweroff -f' USR1 USR2
trap 'reboot -f' TERM
# cttyhack opens the real console tty (ttyAMA0) as stdin/out/err and
# controlling terminal of a new session, so job control and ^C work.
setsid cttyhack sh &
wait $!
echo "hypnest guest: shell exited, powering off"
poweroff -f
sleep 5
EOF
}

# Applet names of an arm64 busybox, read from its sorted, NUL-separated
# applet name table (it cannot be run on the host). The table starts
# "[" "[[" "acpid"...; "[" shares a chunk with the bytes before it.
busybox_applets() {
  LC_ALL=C tr '\0' '\n' <"$1" | LC_ALL=C awk '
    done { next }   # read on to the end: no SIGPIPE for tr
    found && ($0 == "" || $0 <= prev || $0 !~ /^[a-z0-9][a-z0-9_.+-]*$/) { done = 1; next }
    found { print; prev = $0; next }
    $0 == "[[" { found = 1; prev = $0; print "["; print "[[" }'
}

build_initramfs() {
  local out=$ASSETS/initramfs.cpio stamp bb a n=0
  stamp="$BUSYBOX_PKG=$BUSYBOX_VERSION newc init-sha256=$(init_script | sha256sum | cut -c1-16)"
  if [ -f "$out" ] && stamp_ok "$out" "$stamp" &&
     cpio -it --quiet <"$out" 2>/dev/null | grep -x 'bin/busybox' >/dev/null; then
    say "initramfs.cpio: up to date ($stamp)"
    return
  fi
  say "initramfs.cpio: building from $BUSYBOX_PKG=$BUSYBOX_VERSION"
  new_work
  fetch_unpack "$BUSYBOX_PKG" "$BUSYBOX_VERSION"
  bb=
  for a in x/usr/bin/busybox x/bin/busybox; do [ -f "$a" ] && bb=$a && break; done
  [ -n "$bb" ] || die "$BUSYBOX_PKG contains no bin/busybox"
  mkdir -p root/bin root/dev root/proc root/sys root/tmp root/root
  cp "$bb" root/bin/busybox
  chmod 0755 root/bin/busybox
  busybox_applets root/bin/busybox >applets
  for a in sh mount setsid cttyhack poweroff uname nproc echo; do
    grep -qx -- "$a" applets || die "could not find applet '$a' in $bb's applet table"
  done
  while read -r a; do
    case $a in busybox|init|linuxrc) continue ;; esac
    ln -s busybox "root/bin/$a"
    n=$((n + 1))
  done <applets
  init_script >root/init
  chmod 0755 root/init
  chmod 1777 root/tmp
  # Uncompressed newc, owned by root, fixed mtimes (same bytes every build):
  # the kernel unpacks it directly.
  find root -exec touch -h -d @0 {} +
  (cd root && find . -mindepth 1 | LC_ALL=C sort |
     cpio -o -H newc -R 0:0 --reproducible --quiet) >initramfs.cpio ||
    die "cpio failed"
  cpio -it --quiet <initramfs.cpio | grep -x init >/dev/null || die "built cpio has no /init"
  rm -f "$out.stamp"
  mv -f initramfs.cpio "$out"
  printf '%s\n' "$stamp" >"$out.stamp.tmp" && mv -f "$out.stamp.tmp" "$out.stamp"
  cd "$ROOT"; cleanup; WORK=
  say "initramfs.cpio: built ($(stat -c %s "$out") bytes, $n applet links in /bin)"
}

show_available() {
  apt_setup
  local re
  for re in '^linux-image-6\.12\.[0-9]+\+deb13-arm64-unsigned$' \
            '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' "^$BUSYBOX_PKG\$"; do
    apt-cache -c "$APTDIR/apt.conf" search --names-only "$re" | cut -d' ' -f1 |
      while read -r p; do apt-cache -c "$APTDIR/apt.conf" madison "$p"; done
  done
}

# ---------------------------------------------------------------- main

usage="usage: $0 [--available | ASSET...]  (ASSET: Image-6.12 Image-6.1 initramfs.cpio)"
if [ "${1:-}" != --available ]; then
  [ $# -gt 0 ] || set -- Image-6.12 Image-6.1 initramfs.cpio
  for asset in "$@"; do
    case $asset in
      Image-6.12|Image-6.1|initramfs.cpio) ;;
      *) die "unknown argument '$asset'; $usage" ;;
    esac
  done
fi

{ mkdir -p "$ASSETS" && [ -w "$ASSETS" ]; } 2>/dev/null ||
  die "cannot create or write $ASSETS (set HYPNEST_ASSETS_DIR to a writable directory)"
cd "$ROOT"
# one run at a time per asset directory
exec 9>"$ASSETS/.lock"
if command -v flock >/dev/null; then
  flock -w 1800 9 || die "another guest-assets.sh holds $ASSETS/.lock"
fi
rm -rf "$ASSETS"/.work.* "$ASSETS"/*.stamp.tmp

if [ "${1:-}" = --available ]; then
  show_available
  exit 0
fi
for asset in "$@"; do
  case $asset in
    Image-6.12) build_image 6.12 "$KERNEL_6_12_PKG" "$KERNEL_6_12_VERSION" ;;
    Image-6.1) build_image 6.1 "$KERNEL_6_1_PKG" "$KERNEL_6_1_VERSION" ;;
    initramfs.cpio) build_initramfs ;;
  esac
done
say "ready in $ASSETS: $*"
