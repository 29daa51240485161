"""Guest hypervisors booted with payloads (issue 12, point 5).

QEMU's -device guest-loader stages a file in RAM and describes it in
/chosen of the DT it gives hypnest: module@0x<addr> with compatible
"multiboot,module" + "multiboot,kernel" (and bootargs) or
"multiboot,ramdisk", reg in the root's 2 + 2 cells (/chosen has no cells of
its own). hypnest keeps those staging ranges out of its page allocator,
copies each module into its guest's RAM and gives the guest the same nodes
with reg rewritten to guest addresses. guest-tests/mboot.c, a bare-metal
guest hypervisor at (virtual) EL2, reads them from its DT and checks every
byte; the same image runs at QEMU's own EL2 with the same -device
guest-loader options, where QEMU's nodes are what it reads."""
import os
import re
import struct
import subprocess

import pytest

import hvqemu
from hvqemu import EXIT_CONFIG, base_args, kernel_args, shim_args
from test_guest import check_passes, guest_tests  # noqa: F401

STAGE = 0x60000000  # the guest image
# The modules are staged low in RAM, where hypnest's allocator hands out
# the guest's RAM first: a staging range not kept out of it is zeroed as
# guest RAM before the copy, and the bytes the guest checks are lost.
KERNEL_MOD = 0x44000000
RAMDISK_MOD = 0x45000000
DTB_ADDR = 0x48000000
# guest-tests/mboot.c's constants
ARGS = "mboot-test dom0 root=/dev/ram0 x=1"
SEED_KERNEL, SEED_RAMDISK = 0x1234, 0x5678
KERNEL_SIZE = 70001
RAMDISK_SIZE = (2 << 20) + 4099  # across a 2 MiB block of guest RAM
MBOOT_PASS = 31


def pattern(seed, size):
    """A module file: "MBOOTPAT", seed, size, then mboot.c's pattern()."""
    out = bytearray(size)
    for i in range(16, size):
        h = (i * 0x9e3779b1 + seed) & 0xffffffff
        h ^= h >> 15
        h = (h * 0x85ebca6b) & 0xffffffff
        h ^= h >> 13
        out[i] = h >> 24
    out[0:16] = b"MBOOTPAT" + struct.pack(">II", seed, size)
    return bytes(out)


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    d = tmp_path_factory.mktemp("mboot")
    k, r = d / "kernel.pat", d / "ramdisk.pat"
    k.write_bytes(pattern(SEED_KERNEL, KERNEL_SIZE))
    r.write_bytes(pattern(SEED_RAMDISK, RAMDISK_SIZE))
    return str(k), str(r)


def loader_args(modules, kernel_at=KERNEL_MOD, ramdisk_at=RAMDISK_MOD):
    k, r = modules
    return ["-device", "guest-loader,addr=0x%x,kernel=%s,bootargs=%s"
            % (kernel_at, k, ARGS),
            "-device", "guest-loader,addr=0x%x,initrd=%s" % (ramdisk_at, r)]


def guest_args(hyp_image, guest_dir, append=""):
    image = os.path.join(guest_dir, "mboot.bin")
    return (base_args(smp=1) + kernel_args(
        hyp_image,
        "guest.kernel=0x%x:%d guest.cpus=1 %s"
        % (STAGE, os.path.getsize(image), append)) +
        ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, STAGE)])


def guest_regs(out):
    """the (address, size) pairs the guest read, in its DT's order"""
    return [(int(a, 16), int(s, 16))
            for a, s in re.findall(r"^reg (0x[0-9a-f]+) (0x[0-9a-f]+)$", out,
                                   re.M)]


@pytest.mark.parametrize("el2", ["nvhe", "vhe"])
def test_modules_reach_guest_hypervisor(qemu, hyp_image, guest_tests,
                                        modules, el2):
    r = qemu(guest_args(hyp_image, guest_tests, "guest.el2=" + el2) +
             loader_args(modules), timeout=120)
    status = r.wait_exit()
    out = r.output()
    check_passes(status, out, MBOOT_PASS)
    # QEMU's last -device comes first in /chosen; hypnest keeps that order
    logged = re.findall(r"guest module (\d): /chosen/module@0x([0-9a-f]+), "
                        r"(\d+) bytes, at IPA 0x([0-9a-f]+)", out)
    assert [(int(i), int(h, 16), int(n)) for i, h, n, _ in logged] == [
        (0, RAMDISK_MOD, RAMDISK_SIZE), (1, KERNEL_MOD, KERNEL_SIZE)], out
    ipas = [int(ipa, 16) for *_, ipa in logged]
    assert guest_regs(out) == [(ipas[0], RAMDISK_SIZE),
                               (ipas[1], KERNEL_SIZE)], out
    assert "note: /chosen cells 2 2 (its own)" in out
    # the ramdisk, staged at a 2 MiB boundary, is put at one in guest RAM
    # too: its whole first block is the staged one, mapped in place, not a
    # copy (vm/guest_ram.c adopt), and the guest read every byte of it
    assert ipas[0] % (2 << 20) == 0, out
    assert re.search(r"guest RAM: \d+ of \d+ blocks of 2 MiB used: 1 mapped "
                     r"where its images were staged", out), out


def test_modules_at_qemu_el2(qemu, guest_tests, modules):
    """The same guest hypervisor at QEMU's own EL2, QEMU's nodes."""
    image = os.path.join(guest_tests, "mboot.bin")
    r = qemu(base_args(smp=1) + ["-kernel", image] + loader_args(modules),
             timeout=60)
    status = r.wait_exit()
    out = r.output()
    check_passes(status, out, MBOOT_PASS)
    assert guest_regs(out) == [(RAMDISK_MOD, RAMDISK_SIZE),
                               (KERNEL_MOD, KERNEL_SIZE)], out
    assert "note: /chosen cells 2 2 (the root's)" in out


@pytest.mark.slow
def test_make_run_modules(hyp_image, guest_tests, modules, linux_assets,
                          tmp_path):
    """`make run MODULES=... MODULE_ARGS=...` (the README's way) stages
    them with -device guest-loader; the guest hypervisor is mboot.bin."""
    initrd = tmp_path / "initrd.bin"
    initrd.write_bytes(bytes(4096))
    k, r = modules
    p = subprocess.run(
        ["make", "-s", "-C", hvqemu.ROOT, "run", "SMP=1",
         "GUEST_KERNEL=" + os.path.join(guest_tests, "mboot.bin"),
         "GUEST_INITRD=%s" % initrd, "MODULES=kernel:%s initrd:%s" % (k, r),
         "MODULE_ARGS=" + ARGS], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=300)
    out = p.stdout.replace("\r", "")
    check_passes(p.returncode, out, MBOOT_PASS)
    assert "guest module 1: /chosen/module@0x78000000, %d bytes" \
        % KERNEL_SIZE in out, out
    assert "guest module 0: /chosen/module@0x78200000, %d bytes" \
        % RAMDISK_SIZE in out, out


@pytest.mark.slow
def test_make_run_bad_module_kind(linux_assets, tmp_path):
    p = subprocess.run(
        ["make", "-s", "-C", hvqemu.ROOT, "run", "QEMU=false",
         "MODULES=dom0:%s" % (tmp_path / "x")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=300)
    assert p.returncode != 0
    assert "MODULES: dom0:" in p.stderr
    assert "expected kernel:FILE or initrd:FILE" in p.stderr


def test_modules_do_not_fit_guest_ram(qemu, hyp_image, guest_tests,
                                      tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(20 << 20))
    r = qemu(guest_args(hyp_image, guest_tests,
                        "guest.mem=16 guest.el2=nvhe") +
             ["-device", "guest-loader,addr=0x%x,initrd=%s"
              % (KERNEL_MOD, big)])
    status = r.wait_exit()
    out = r.output()
    assert status == EXIT_CONFIG, out
    # 16 MiB: the DTB's 2 MiB at the top, no initrd
    assert re.search(
        r"guest: multiboot module: /chosen/module@0x44000000 \(20971520 "
        r"bytes\) does not fit between the kernel's end 0x400[0-9a-f]{2}000 "
        r"and 0x40e00000 in guest RAM \(guest.mem\)", out), out


# Bad module nodes in hypnest's DT: QEMU's tree with /chosen edited, booted
# through the shim (harness/shim) with the guest image staged as usual
GOOD_NODE = ("module@0x44000000 {\n compatible = \"multiboot,module\", "
             "\"multiboot,kernel\";\n reg = <0x00 0x44000000 0x00 0x1000>;\n"
             "bootargs = \"dom0\";\n};\n")


def edited_boot(qemu, guest_dir, tmp_path, nodes):
    image = os.path.join(guest_dir, "mboot.bin")
    bootargs = "guest.kernel=0x%x:%d guest.cpus=1" % (
        STAGE, os.path.getsize(image))
    dts = hvqemu.qemu_dts(smp=1)
    i = dts.index("\tchosen {\n") + len("\tchosen {\n")
    end = dts.index("\n\t};", i)  # properties first, then the nodes
    dts = (dts[:i] + "bootargs = \"%s\";\n" % bootargs + dts[i:end] +
           "\n" + nodes + dts[end:])
    blob = hvqemu.dtb_from_dts(dts, str(tmp_path / "modules.dtb"))
    r = qemu(base_args(smp=1) + shim_args(DTB_ADDR, blob) + [
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, STAGE)])
    status = r.wait_exit()
    return status, r.output()


BAD_NODES = [
    ("reg-3-cells", GOOD_NODE.replace("<0x00 0x44000000 0x00 0x1000>",
                                      "<0x00 0x44000000 0x1000>"),
     "device tree: /chosen/module@0x44000000: multiboot module without a "
     "reg of exactly one <address size> pair in /chosen's "
     "#address-cells/#size-cells"),
    ("no-reg", GOOD_NODE.replace("reg = <0x00 0x44000000 0x00 0x1000>;", ""),
     "multiboot module without a reg of exactly one"),
    ("size-0", GOOD_NODE.replace("0x00 0x1000>", "0x00 0x00>"),
     "/chosen/module@0x44000000: multiboot module of size 0"),
    ("bootargs-unterminated",
     GOOD_NODE.replace("\"dom0\"", "[64 6f 6d 30]"),
     "/chosen/module@0x44000000: bootargs is not one NUL-terminated string"),
    ("outside-ram", GOOD_NODE.replace("<0x00 0x44000000", "<0x02 0x00"),
     "multiboot module /chosen/module@0x44000000 0x200000000:4096 is not "
     "inside RAM"),
    ("overlaps-kernel", GOOD_NODE.replace("<0x00 0x44000000",
                                          "<0x00 0x60000800"),
     "multiboot module /chosen/module@0x44000000 0x60000800:4096 overlaps "
     "guest.kernel"),
    ("overlaps-dtb", GOOD_NODE.replace("<0x00 0x44000000",
                                       "<0x00 0x48000000"),
     "0x48000000:4096 overlaps the DTB"),
    ("overlaps-module", GOOD_NODE + GOOD_NODE.replace(
        "module@0x44000000", "module@0x44000800").replace(
        "0x00 0x44000000 0x00", "0x00 0x44000800 0x00"),
     "multiboot module /chosen/module@0x44000800 0x44000800:4096 overlaps "
     "multiboot module /chosen/module@0x44000000"),
    ("nine-modules", "".join(
        GOOD_NODE.replace("44000000", "%x" % (0x44000000 + i * 0x100000))
        for i in range(9)),
     "device tree: more than 8 multiboot modules in /chosen"),
]


@pytest.mark.parametrize("nodes,message", [row[1:] for row in BAD_NODES],
                         ids=[row[0] for row in BAD_NODES])
def test_bad_module_refused(qemu, hyp_image, guest_tests, tmp_path, nodes,
                            message):
    status, out = edited_boot(qemu, guest_tests, tmp_path, nodes)
    assert status == EXIT_CONFIG, out
    assert message in out, out
    assert "cannot continue: stopping (exit status 1)" in out, out


def _tiny_guest(qemu, hyp_image, tmp_path, kernel_size, mem, initrd_size=0):
    """a raw kernel ("b ." and zeros), an initrd, guest.mem=mem MiB and a
    4 KiB module"""
    kernel, initrd, mod = (tmp_path / n for n in ("k.bin", "i.bin", "m.bin"))
    kernel.write_bytes(b"\x00\x00\x00\x14" + bytes(kernel_size - 4))
    mod.write_bytes(bytes(4096))
    append = "guest.kernel=0x%x:%d guest.mem=%d" % (STAGE, kernel_size, mem)
    args = ["-device", "loader,file=%s,addr=0x%x,force-raw=on"
            % (kernel, STAGE),
            "-device", "guest-loader,addr=0x%x,initrd=%s" % (KERNEL_MOD, mod)]
    if initrd_size:
        initrd.write_bytes(bytes(initrd_size))
        append += " guest.initrd=0x%x:%d" % (STAGE + (4 << 20), initrd_size)
        args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on"
                 % (initrd, STAGE + (4 << 20))]
    r = qemu(base_args(smp=1) + kernel_args(hyp_image, append) + args)
    status = r.wait_exit()
    return status, r.output()


def test_initrd_over_kernel_refused(qemu, hyp_image, tmp_path):
    """4 MiB of guest RAM: a raw kernel filling the lower half, the DTB's
    2 MiB at the top; a 1 MiB initrd below the DTB would overlap the
    kernel (and leave modules no room): refused, not copied over it."""
    status, out = _tiny_guest(qemu, hyp_image, tmp_path, 3 << 19, 4, 1 << 20)
    assert status == EXIT_CONFIG, out
    assert ("guest: initrd: would overlap the kernel below the DTB's 2 MiB at "
            "the top of guest RAM (guest.mem)") in out, out


def test_dtb_over_kernel_refused(qemu, hyp_image, tmp_path):
    """2 MiB of guest RAM: the DTB's 2 MiB would be written over the
    kernel (and leave modules no room)."""
    status, out = _tiny_guest(qemu, hyp_image, tmp_path, 4096, 2)
    assert status == EXIT_CONFIG, out
    assert ("guest: kernel: would overlap the DTB's 2 MiB at the top of "
            "guest RAM (guest.mem)") in out, out
