#!/usr/bin/env bash
# Build the Linux guest assets hypnest boots, cached under build/assets/:
#   Image-6.12, Image-6.1   plain arm64 Images from Debian's unsigned kernels
#   Image-7                 trixie-backports' 7.x (linux-binary-*), only on request
#   initramfs.cpio          uncompressed newc cpio: busybox-static + /init
#   l2-initramfs.cpio, l1-base.cpio, l1-initramfs.cpio   nested guests, only
#                           on request: QEMU for arm64 and its libraries,
#                           run-l2, L2's kernel and initramfs
# Versions come from scripts/guest-versions.conf; see docs/guest-assets.md.
#
# Idempotent: an asset is rebuilt only when it is missing, fails its check,
# or was made from other pins than the current ones (recorded in <asset>.stamp).
# Packages are fetched for arm64 through a private apt configuration that
# never touches the host's apt state, and are only unpacked (dpkg-deb -x),
# never installed. Root is not needed.
#
# usage: scripts/guest-assets.sh              build all three if missing or stale
#        scripts/guest-assets.sh ASSET...     only those (Image-6.12 Image-6.1 Image-7
#                                             initramfs.cpio l2-initramfs.cpio l1-initramfs.cpio)
#        scripts/guest-assets.sh --l1-initramfs L2-KERNEL OUT   L1 initramfs with another L2 kernel
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

# Download pkg:arm64=version into the current directory; DEB is its file.
fetch_deb() { # pkg version
  apt_setup
  if ! apt_private -q download "$1:arm64=$2" >"$APTLOG" 2>&1; then
    cat "$APTLOG" >&2
    say "versions of $1 on the mirror:" >&2
    apt-cache -c "$APTDIR/apt.conf" madison "$1" >&2 || true
    die "cannot download $1=$2 for arm64; if the mirror dropped it, bump scripts/guest-versions.conf (scripts/guest-assets.sh --available lists what is there)"
  fi
  DEB=$(compgen -G "${1}_*.deb") || die "apt-get download of $1 left no .deb"
  DEB=${DEB%%$'\n'*}
}

# Download pkg:arm64=version into the current directory and unpack it to ./x.
fetch_unpack() { # pkg version
  fetch_deb "$1" "$2"
  dpkg-deb -x "$DEB" x || die "dpkg-deb -x $DEB failed"
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

# The kernel in the unpacked package ./x: /boot/vmlinuz-<abi> (6.x's
# linux-image-*-unsigned) or /usr/lib/modules/<abi>/vmlinuz (7.x's
# linux-binary-*, whose linux-image-* is a metapackage).
kernel_file() {
  local f
  f=$(compgen -G 'x/boot/vmlinuz-*' || compgen -G 'x/usr/lib/modules/*/vmlinuz') || return 1
  printf '%s\n' "${f%%$'\n'*}"
}

# $1 -> ./Image, a plain arm64 Image. Debian's arm64 kernels (6.1, 6.12,
# 7.3) are plain Images already (EFI stub: "MZ" at 0, "ARM\x64" at 0x38);
# a gzip'd vmlinuz is unpacked; an EFI zboot image ("zimg" at 4: a PE
# decompressor around a compressed Image) is refused with a message.
plain_image() { # vmlinuz
  local head
  head=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  case $head in
    1f8b*) gzip -dc "$1" >Image ;;
    4d5a00007a696d67) die "$1 is an EFI zboot image (compressed); extract its payload first" ;;
    *) cp "$1" Image ;;
  esac
  image_magic_ok Image ||
    die "$1 is not a plain arm64 Image (no \"ARM\\x64\" magic at offset 0x38)"
}

build_image() { # name pkg version
  local out=$ASSETS/Image-$1 stamp="$2=$3" src abi
  if image_magic_ok "$out" && stamp_ok "$out" "$stamp"; then
    say "Image-$1: up to date ($stamp)"
    return
  fi
  say "Image-$1: fetching $stamp"
  new_work
  fetch_unpack "$2" "$3"
  src=$(kernel_file) || die "$2 contains no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz"
  plain_image "$src"
  # the kernel's .config, to check which options a guest has (Debian's
  # System.map is a placeholder, so it is not kept); 7.x keeps it in
  # linux-base-<abi> (same version) as /usr/lib/modules/<abi>/config
  case $src in
    x/boot/vmlinuz-*)
      abi=${src#x/boot/vmlinuz-}
      cp "x/boot/config-$abi" "$ASSETS/config-$1" 2>/dev/null || true ;;
    *)
      abi=${src#x/usr/lib/modules/}; abi=${abi%/vmlinuz}
      mkdir base && cd base
      fetch_deb "linux-base-$abi" "$3"
      if dpkg-deb --fsys-tarfile "$DEB" | tar -xO "./usr/lib/modules/$abi/config" >config; then
        mv -f config "$ASSETS/config-$1"
      else
        say "Image-$1: no config in linux-base-$abi (not kept)"
      fi
      cd .. ;;
  esac
  rm -f "$out.stamp"
  mv -f Image "$out"
  printf '%s\n' "$stamp" >"$out.stamp.tmp" && mv -f "$out.stamp.tmp" "$out.stamp"
  cd "$ROOT"; cleanup; WORK=
  say "Image-$1: built ($(stat -c %s "$out") bytes, Linux $abi)"
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

# ./root <- busybox: /bin/busybox, one symlink in /bin per applet (except
# init/linuxrc), empty /dev /proc /sys /tmp /root. Unpacks in ./bb.
stage_busybox() {
  local bb a n=0
  mkdir -p bb
  cd bb
  fetch_unpack "$BUSYBOX_PKG" "$BUSYBOX_VERSION"
  cd ..
  bb=
  for a in bb/x/usr/bin/busybox bb/x/bin/busybox; do [ -f "$a" ] && bb=$a && break; done
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
  chmod 1777 root/tmp
  APPLETS=$n
}

# ./root -> $1: uncompressed newc, owned by root, fixed mtimes (same bytes
# every build): the kernel unpacks it directly.
pack_cpio() { # out
  find root -exec touch -h -d @0 {} +
  (cd root && find . -mindepth 1 | LC_ALL=C sort |
     cpio -o -H newc -R 0:0 --reproducible --quiet) >"$1" ||
    die "cpio failed"
}

# Move a built file into place, its stamp written last.
install_asset() { # built out stamp
  rm -f "$2.stamp"
  mv -f "$1" "$2"
  printf '%s\n' "$3" >"$2.stamp.tmp" && mv -f "$2.stamp.tmp" "$2.stamp"
}

build_initramfs() {
  local out=$ASSETS/initramfs.cpio stamp
  stamp="$BUSYBOX_PKG=$BUSYBOX_VERSION newc init-sha256=$(init_script | sha256sum | cut -c1-16)"
  if [ -f "$out" ] && stamp_ok "$out" "$stamp" &&
     cpio -it --quiet <"$out" 2>/dev/null | grep -x 'bin/busybox' >/dev/null; then
    say "initramfs.cpio: up to date ($stamp)"
    return
  fi
  say "initramfs.cpio: building from $BUSYBOX_PKG=$BUSYBOX_VERSION"
  new_work
  stage_busybox
  init_script >root/init
  chmod 0755 root/init
  pack_cpio initramfs.cpio
  cpio -it --quiet <initramfs.cpio | grep -x init >/dev/null || die "built cpio has no /init"
  install_asset initramfs.cpio "$out" "$stamp"
  cd "$ROOT"; cleanup; WORK=
  say "initramfs.cpio: built ($(stat -c %s "$out") bytes, $APPLETS applet links in /bin)"
}

# ---------------------------------------------------------------- nested guests
# L1 (the guest hypervisor) boots l1-initramfs.cpio: busybox, QEMU for arm64
# with exactly the shared libraries it loads, /bin/run-l2, and L2's kernel
# and initramfs under /l2. docs/guest-assets.md describes them.

# quiet: every console character L2 prints is an MMIO exit that L1's QEMU
# handles (tens of seconds for a full boot log at two levels on TCG);
# dmesg in L2 still has it all
L2_APPEND="console=ttyAMA0 rdinit=/init quiet"

# /init of L1 and L2: the guest init above, plus which level this is (banner,
# prompt "L<n># ", level=<n> after the ready marker, whose format stays the
# same so the harness's pattern for it matches every level).
nested_init_script() { # level
  cat <<EOF
#!/bin/sh
# hypnest nested-guest /init, level L$1 (generated by scripts/guest-assets.sh)
export PATH=/bin:/usr/bin HOME=/root TERM=vt100 PS1='L$1# '
EOF
  cat <<'EOF'
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec 0<>/dev/console 1>&0 2>&0
EOF
  if [ "$1" = 1 ]; then
    cat <<'EOF'
echo "==== L1: guest hypervisor, Linux $(uname -r), $(nproc) CPUs, $(test -c /dev/kvm && echo 'KVM up' || echo 'no /dev/kvm') ===="
echo "==== type run-l2 to boot the nested guest L2 (poweroff -f in L2 returns here) ===="
echo "HYPNEST-GUEST-READY kernel=$(uname -r) cpus=$(nproc) level=1"
EOF
  else
    cat <<'EOF'
echo "==== L2: nested guest, Linux $(uname -r), $(nproc) CPUs (poweroff -f returns to L1) ===="
echo "HYPNEST-GUEST-READY kernel=$(uname -r) cpus=$(nproc) level=2"
EOF
  fi
  cat <<'EOF'
cd /root
trap 'poweroff -f' USR1 USR2
trap 'reboot -f' TERM
setsid cttyhack sh &
wait $!
poweroff -f
sleep 5
EOF
}

# /bin/run-l2 in L1. The outer QEMU's monitor escape is Ctrl-A (the
# Makefile's -serial mon:stdio): L2's QEMU takes Ctrl-B (-echr 2), and the
# console's Ctrl-C goes to L2 (signal=off) instead of killing its QEMU.
# Containment: L2's kernel runs with panic=-1 (on a panic it resets at once
# instead of spinning) and its QEMU with -no-reboot (a reset ends it), so a
# panicked L2 returns to L1's shell; L2's console is also logged to a file
# in L1's RAM, where run-l2 looks for the panic to say what happened.
run_l2_script() {
  cat <<EOF
#!/bin/sh
# run-l2 [QEMU ARGS...]: boot the nested guest L2 with KVM on this console.
# Extra arguments go to L2's QEMU after the defaults (a later -m, -smp or
# -append replaces the default). Ctrl-B X quits L2's QEMU, Ctrl-B C switches
# to its monitor; poweroff -f in L2 returns here, and so does a panic or a
# reboot in L2 (panic=-1, -no-reboot). Exit status: 0 when L2 stopped, 1
# when its kernel panicked, else its QEMU's.
# (generated by scripts/guest-assets.sh)
if [ ! -c /dev/kvm ]; then
  echo "run-l2: /dev/kvm is missing: this Linux's KVM is not up" >&2
  exit 1
fi
log=\${TMPDIR:-/tmp}/run-l2.\$\$.console
mkdir -p "\${log%/*}"
echo "run-l2: starting L2 (Ctrl-B X quits it)"
qemu-system-aarch64 -accel kvm -cpu host -M virt,gic-version=3 \\
  -smp 2 -m 256 -nodefaults -display none -no-reboot \\
  -chardev stdio,id=l2con,mux=on,signal=off,logfile="\$log" \\
  -serial chardev:l2con -object monitor-hmp,id=l2mon,chardev=l2con -echr 2 \\
  -kernel /l2/Image -initrd /l2/initramfs.cpio -append "$L2_APPEND panic=-1" "\$@"
status=\$?
if grep -q "Kernel panic" "\$log" 2>/dev/null; then
  echo "run-l2: L2's kernel panicked (see above) and its QEMU ended; L1 is unaffected: run-l2 boots a new L2"
  status=1
elif [ "\$status" -ne 0 ]; then
  echo "run-l2: L2's QEMU exited with status \$status"
else
  echo "run-l2: L2 stopped; back in L1"
fi
rm -f "\$log"
exit "\$status"
EOF
}

nested_scripts_sum() {
  { nested_init_script 1; nested_init_script 2; run_l2_script; } | sha256sum | cut -c1-16
}

cpio_ok() { # file: an uncompressed newc cpio
  [ -f "$1" ] && [ "$(head -c 6 "$1")" = 070701 ]
}

build_l2_initramfs() {
  local out=$ASSETS/l2-initramfs.cpio stamp
  stamp="$BUSYBOX_PKG=$BUSYBOX_VERSION newc init-sha256=$(nested_init_script 2 | sha256sum | cut -c1-16)"
  if cpio_ok "$out" && stamp_ok "$out" "$stamp"; then
    say "l2-initramfs.cpio: up to date ($stamp)"
    return
  fi
  say "l2-initramfs.cpio: building from $BUSYBOX_PKG=$BUSYBOX_VERSION"
  new_work
  stage_busybox
  nested_init_script 2 >root/init
  chmod 0755 root/init
  pack_cpio l2.cpio
  install_asset l2.cpio "$out" "$stamp"
  cd "$ROOT"; cleanup; WORK=
  say "l2-initramfs.cpio: built ($(stat -c %s "$out") bytes)"
}

# The packages QEMU_L1_PKG=QEMU_L1_VERSION needs, as pkg=version lines:
# apt's resolution against the private, empty dpkg status (no Recommends).
qemu_closure() {
  apt_setup
  if ! apt_private -q -s install --no-install-recommends -t "$QEMU_L1_SUITE" \
       "$QEMU_L1_PKG=$QEMU_L1_VERSION" >"$APTLOG" 2>&1; then
    cat "$APTLOG" >&2
    say "versions of $QEMU_L1_PKG on the mirror:" >&2
    apt-cache -c "$APTDIR/apt.conf" madison "$QEMU_L1_PKG" >&2 || true
    die "cannot resolve $QEMU_L1_PKG=$QEMU_L1_VERSION for arm64 in $QEMU_L1_SUITE; bump QEMU_L1_VERSION in scripts/guest-versions.conf"
  fi
  sed -nE 's/^Inst ([^ ]+) \(([^ ]+) .*/\1=\2/p' "$APTLOG"
}

deb_of() { # pkg=version: its .deb in $APTDIR/debs
  local p=${1%%=*} v=${1#*=} f
  f=$(compgen -G "$APTDIR/debs/${p}_${v//:/%3a}_*.deb") || return 1
  printf '%s\n' "${f%%$'\n'*}"
}

# .debs are kept in $APTDIR/debs: fetched once, reused by rebuilds
fetch_debs() { # pkg=version...
  local pv want=()
  mkdir -p "$APTDIR/debs"
  for pv in "$@"; do
    deb_of "$pv" >/dev/null || want+=("${pv%%=*}:arm64=${pv#*=}")
  done
  [ ${#want[@]} -gt 0 ] || return 0
  say "apt: downloading ${#want[@]} packages"
  if ! (cd "$APTDIR/debs" && apt_private -q download "${want[@]}") >"$APTLOG" 2>&1; then
    cat "$APTLOG" >&2
    die "apt-get download failed for: ${want[*]}"
  fi
}

READELF=
elf_needed() { "$READELF" -dW "$1" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]$/\1/p'; }
elf_interp() { "$READELF" -lW "$1" | sed -nE 's/.*program interpreter: (.*)\]$/\1/p'; }

find_lib() { # soname: its file in ./x
  local d
  for d in x/usr/lib/aarch64-linux-gnu x/lib/aarch64-linux-gnu x/usr/lib x/lib; do
    if [ -e "$d/$1" ]; then printf '%s\n' "$d/$1"; return 0; fi
  done
  return 1
}

# ./root <- QEMU's arm64 binary and, read from DT_NEEDED recursively, every
# shared library it loads; nothing else (no firmware, ROMs, keymaps or
# modules: `-nodefaults -kernel` uses none).
stage_qemu() {
  local pv deb bin interp lib soname strip closure=() wanted=() queue=() seen=" " nlibs=0
  READELF=$(command -v "${CROSS:-aarch64-linux-gnu-}readelf" || command -v readelf) ||
    die "no readelf on the host (binutils-aarch64-linux-gnu or binutils)"
  apt_setup   # here, not in the process substitution's subshell below
  mapfile -t closure < <(qemu_closure)
  [ ${#closure[@]} -gt 0 ] || die "apt resolved no packages for $QEMU_L1_PKG (log: $APTLOG)"
  # every package of the closure is unpacked (library packages are not all
  # named lib*, zlib1g for one); only what DT_NEEDED names is kept
  wanted=("${closure[@]}")
  fetch_debs "${wanted[@]}"
  for pv in "${wanted[@]}"; do
    deb=$(deb_of "$pv") || die "no .deb for $pv after download"
    dpkg-deb -x "$deb" x || die "dpkg-deb -x $deb failed"
  done
  bin=x/usr/bin/qemu-system-aarch64
  [ -f "$bin" ] || die "$QEMU_L1_PKG has no /usr/bin/qemu-system-aarch64"
  mkdir -p root/usr/bin root/usr/lib/aarch64-linux-gnu
  ln -s usr/lib root/lib
  cp "$bin" root/usr/bin/
  interp=$(elf_interp "$bin")
  case $interp in
    /lib/*) ;;
    *) die "unexpected program interpreter '$interp' in $bin" ;;
  esac
  # breadth first over DT_NEEDED; each library copied once, under its soname
  queue=("${interp##*/}")
  mapfile -t -O 1 queue < <(elf_needed "$bin")
  while [ ${#queue[@]} -gt 0 ]; do
    soname=${queue[0]}
    queue=("${queue[@]:1}")
    case $seen in *" $soname "*) continue ;; esac
    seen+="$soname "
    lib=$(find_lib "$soname") || die "no package of $QEMU_L1_PKG's closure provides $soname"
    cp -L "$lib" "root/usr/lib/aarch64-linux-gnu/$soname"
    nlibs=$((nlibs + 1))
    mapfile -t -O ${#queue[@]} queue < <(elf_needed "$lib")
  done
  # the interpreter's own path (/lib/ld-linux-aarch64.so.1; /lib is usr/lib)
  [ -e "root/usr/lib/${interp#/lib/}" ] ||
    ln -s "/usr/lib/aarch64-linux-gnu/${interp##*/}" "root/usr/lib/${interp#/lib/}"
  strip=$(command -v "${CROSS:-aarch64-linux-gnu-}strip" || true)
  if [ -n "$strip" ]; then
    "$strip" --strip-unneeded root/usr/bin/qemu-system-aarch64 \
      root/usr/lib/aarch64-linux-gnu/* || die "strip failed"
  fi
  QEMU_LIBS=$nlibs
  printf '%s\n' "${wanted[@]}" >qemu.packages
}

build_l1_base() {
  local out=$ASSETS/l1-base.cpio stamp
  build_l2_initramfs
  stamp="$QEMU_L1_PKG=$QEMU_L1_VERSION ($QEMU_L1_SUITE) $BUSYBOX_PKG=$BUSYBOX_VERSION newc l2=$(sha256sum <"$ASSETS/l2-initramfs.cpio.stamp" | cut -c1-16) scripts-sha256=$(nested_scripts_sum)"
  if cpio_ok "$out" && stamp_ok "$out" "$stamp"; then
    say "l1-base.cpio: up to date ($QEMU_L1_PKG=$QEMU_L1_VERSION)"
    return
  fi
  say "l1-base.cpio: building from $QEMU_L1_PKG=$QEMU_L1_VERSION ($QEMU_L1_SUITE) and $BUSYBOX_PKG=$BUSYBOX_VERSION"
  new_work
  stage_busybox
  stage_qemu
  nested_init_script 1 >root/init
  run_l2_script >root/bin/run-l2
  chmod 0755 root/init root/bin/run-l2
  mkdir -p root/l2
  cp "$ASSETS/l2-initramfs.cpio" root/l2/initramfs.cpio
  pack_cpio l1.cpio
  cp qemu.packages "$out.packages"
  install_asset l1.cpio "$out" "$stamp"
  cd "$ROOT"; cleanup; WORK=
  say "l1-base.cpio: built ($(stat -c %s "$out") bytes: QEMU, $QEMU_LIBS shared libraries, busybox, run-l2, L2's initramfs; packages listed in l1-base.cpio.packages)"
}

# l1-base.cpio followed by a cpio that holds L2's kernel as /l2/Image (Linux
# unpacks concatenated archives one after the other).
build_l1_initramfs() { # l2-kernel out
  local kernel=$1 out=$2 stamp
  image_magic_ok "$kernel" || die "L2 kernel $kernel is not an arm64 Image (no \"ARM\\x64\" at 0x38)"
  build_l1_base
  stamp="base=$(sha256sum <"$ASSETS/l1-base.cpio.stamp" | cut -c1-16) l2-kernel=${kernel##*/}:$(stat -c %s:%Y "$kernel")"
  if cpio_ok "$out" && stamp_ok "$out" "$stamp"; then
    say "${out##*/}: up to date (L2 kernel $kernel)"
    return
  fi
  new_work
  mkdir -p root/l2
  cp "$kernel" root/l2/Image
  pack_cpio l2k.cpio
  cat "$ASSETS/l1-base.cpio" l2k.cpio >l1.cpio
  mkdir -p "$(dirname "$out")"
  install_asset l1.cpio "$out" "$stamp"
  cd "$ROOT"; cleanup; WORK=
  say "${out##*/}: built ($(stat -c %s "$out") bytes, L2 kernel $kernel)"
}

show_available() {
  apt_setup
  local re
  for re in '^linux-image-6\.12\.[0-9]+\+deb13-arm64-unsigned$' \
            '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' \
            '^linux-binary-7\.[0-9.]+\+deb13-arm64$' "^$BUSYBOX_PKG\$"; do
    apt-cache -c "$APTDIR/apt.conf" search --names-only "$re" | cut -d' ' -f1 |
      while read -r p; do apt-cache -c "$APTDIR/apt.conf" madison "$p"; done
  done
}

# ---------------------------------------------------------------- main

usage="usage: $0 [--available | --l1-initramfs L2-KERNEL OUT | ASSET...]  (ASSET: Image-6.12 Image-6.1 Image-7 initramfs.cpio l2-initramfs.cpio l1-initramfs.cpio)"
if [ "${1:-}" = --l1-initramfs ]; then
  [ $# -eq 3 ] || die "$usage"
  L2_KERNEL_ARG=$(realpath "$2") L1_OUT_ARG=$(realpath -m "$3")
elif [ "${1:-}" != --available ]; then
  [ $# -gt 0 ] || set -- Image-6.12 Image-6.1 initramfs.cpio
  for asset in "$@"; do
    case $asset in
      Image-6.12|Image-6.1|Image-7|initramfs.cpio|l2-initramfs.cpio|l1-initramfs.cpio) ;;
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
if [ "${1:-}" = --l1-initramfs ]; then
  build_l1_initramfs "$L2_KERNEL_ARG" "$L1_OUT_ARG"
  say "ready: $L1_OUT_ARG"
  exit 0
fi
for asset in "$@"; do
  case $asset in
    Image-6.12) build_image 6.12 "$KERNEL_6_12_PKG" "$KERNEL_6_12_VERSION" ;;
    Image-6.1) build_image 6.1 "$KERNEL_6_1_PKG" "$KERNEL_6_1_VERSION" ;;
    Image-7) build_image 7 "$KERNEL_7_PKG" "$KERNEL_7_VERSION" ;;
    initramfs.cpio) build_initramfs ;;
    l2-initramfs.cpio) build_l2_initramfs ;;
    l1-initramfs.cpio)
      build_image 6.12 "$KERNEL_6_12_PKG" "$KERNEL_6_12_VERSION"
      build_l1_initramfs "$ASSETS/Image-6.12" "$ASSETS/l1-initramfs.cpio" ;;
  esac
done
say "ready in $ASSETS: $*"
