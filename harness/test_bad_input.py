"""Bad input gets a clear message and a non-zero exit status."""
import os

import pytest

import hvqemu
from hvqemu import (EXIT_CONFIG, EXIT_OK, EXIT_WRONG_EL, base_args,
                    kernel_args, shim_args)

DTB_ADDR = 0x48000000


def run(qemu, args):
    r = qemu(args)
    return r.wait_exit(), r.output()


def test_not_started_at_el2(qemu, hyp_image):
    status, out = run(qemu, base_args(virtualization=False) +
                      kernel_args(hyp_image))
    assert status == EXIT_WRONG_EL, out
    assert "entered at EL1, but it must be started at EL2" in out
    assert "virtualization=on" in out


def test_gicv2_refused(qemu, hyp_image):
    status, out = run(qemu, base_args(gic=2) + kernel_args(hyp_image))
    assert status == EXIT_CONFIG, out
    assert "interrupt controller is GICv2" in out
    assert "needs a GICv3" in out


def test_too_little_memory(qemu, hyp_image):
    status, out = run(qemu, base_args(mem="64M") + kernel_args(hyp_image))
    assert status == EXIT_CONFIG, out
    assert "too little memory: 64 MiB in the DT" in out
    assert "at least 128 MiB" in out


def test_no_dtb(qemu, hyp_image):
    status, out = run(qemu, base_args() + shim_args(0))
    assert status == EXIT_CONFIG, out
    assert "no device tree: x0 was 0 at entry" in out


def test_misaligned_dtb_pointer(qemu, hyp_image):
    status, out = run(qemu, base_args() + shim_args(DTB_ADDR + 4))
    assert status == EXIT_CONFIG, out
    assert "not 8-byte aligned" in out


def test_garbage_instead_of_dtb(qemu, hyp_image, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    status, out = run(qemu, base_args() + shim_args(DTB_ADDR, str(junk)))
    assert status == EXIT_CONFIG, out
    assert "corrupt device tree: bad magic" in out


def _qemu_dtb(tmp_path, edit=None, smp=2):
    dts = hvqemu.qemu_dts(smp=smp)
    if edit:
        dts = edit(dts)
    return hvqemu.dtb_from_dts(dts, str(tmp_path / "edited.dtb"))


def test_corrupt_structure_block(qemu, hyp_image, tmp_path):
    """A valid header over a damaged node structure."""
    blob = bytearray(open(_qemu_dtb(tmp_path), "rb").read())
    off_struct = int.from_bytes(blob[8:12], "big")
    blob[off_struct + 8:off_struct + 12] = b"\xde\xad\xbe\xef"
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(bytes(blob))
    status, out = run(qemu, base_args() + shim_args(DTB_ADDR, str(bad)))
    assert status == EXIT_CONFIG, out
    assert "corrupt device tree: FDT_ERR_" in out


def test_dt_without_memory(qemu, hyp_image, tmp_path):
    blob = _qemu_dtb(tmp_path, lambda d: hvqemu.delete_node(d, "memory@"))
    status, out = run(qemu, base_args() + shim_args(DTB_ADDR, blob))
    assert status == EXIT_CONFIG, out
    assert "no memory node" in out


def test_dt_without_gic(qemu, hyp_image, tmp_path):
    blob = _qemu_dtb(tmp_path, lambda d: hvqemu.delete_node(d, "intc@"))
    status, out = run(qemu, base_args() + shim_args(DTB_ADDR, blob))
    assert status == EXIT_CONFIG, out
    assert "no GICv3" in out


def test_cpu_psci_cannot_start(qemu, hyp_image, tmp_path):
    """The DT lists a third CPU the machine does not have: PSCI refuses it,
    hypnest says so and runs on with the other two."""
    extra = ("\t\tcpu@7 {\n\t\t\treg = <0x07>;\n\t\t\tenable-method = "
             "\"psci\";\n\t\t\tcompatible = \"arm,arm-v8\";\n\t\t\t"
             "device_type = \"cpu\";\n\t\t};\n\n")

    def add_cpu(dts):
        i = dts.index("\t\tcpu@0 {")
        return dts[:i] + extra + dts[i:]

    blob = _qemu_dtb(tmp_path, add_cpu)
    status, out = run(qemu, base_args(smp=2) + shim_args(DTB_ADDR, blob))
    assert status == EXIT_OK, out
    assert ("cpu mpidr 0x7: PSCI CPU_ON failed: -2 (INVALID_PARAMETERS); "
            "continuing without it") in out
    assert "2 CPUs online (of 3 in the DT)" in out


@pytest.mark.parametrize("arg,what", [
    ("guest.kernel=0x200000000:4096", "guest.kernel=0x200000000:4096"),
    ("guest.kernel=0x7ffff000:8192", "guest.kernel=0x7ffff000:8192"),
    ("guest.kernel=0x60000000:4096 guest.initrd=0x10000:4096",
     "guest.initrd=0x10000:4096")])
def test_guest_image_outside_ram(qemu, hyp_image, arg, what):
    """A staging address the command line names outside RAM (1 GiB at
    0x40000000) is refused before anything reads it."""
    status, out = run(qemu, base_args() + kernel_args(hyp_image, arg))
    assert status == EXIT_CONFIG, out
    assert "%s is not inside RAM" % what in out


@pytest.mark.parametrize("arg,message", [
    ("guest.kernel=0x60000000:8192 guest.initrd=0x60001000:4096",
     "guest.initrd=0x60001000:4096 overlaps guest.kernel"),
    ("guest.kernel=0x47fff000:8192",
     "guest.kernel=0x47fff000:8192 overlaps the DTB"),
    ("guest.kernel=0x60000000:4096 guest.initrd=0x40200000:4096",
     "guest.initrd=0x40200000:4096 overlaps hypnest's image")])
def test_staged_images_overlap(qemu, hyp_image, arg, message):
    """Staged images must be clear of each other, of hypnest's image and of
    its DTB: their whole 2 MiB blocks become the guest's RAM where they lie
    (vm/guest_ram.c), so an overlap is refused before anything is read."""
    status, out = run(qemu, base_args() + kernel_args(hyp_image, arg))
    assert status == EXIT_CONFIG, out
    assert message in out, out


def _guest_with(qemu, hyp_image, tmp_path, data, append):
    blob = tmp_path / "guest.bin"
    blob.write_bytes(data)
    args = base_args() + kernel_args(
        hyp_image, append % os.path.getsize(blob)) + [
        "-device", "loader,file=%s,addr=0x60000000,force-raw=on" % blob]
    return run(qemu, args)


@pytest.mark.parametrize("arg,message", [
    ("guest.kernel=0x60000000:0", "guest.kernel=0x60000000:0: bad size"),
    ("guest.kernel=0x60000000:4096 guest.initrd=0x64000000:0",
     "guest.initrd=0x64000000:0: bad size"),
    # guest RAM is whole 2 MiB blocks (vm/guest_ram.c): an odd size would
    # leave the DTB's top 2 MiB straddling a block
    ("guest.kernel=0x60000000:4096 guest.mem=65",
     "guest.mem=65: an even number of MiB is needed"),
    ("guest.kernel=0x60000000:4096 guest.mem=0",
     "guest.mem=0: expected a positive number"),
    ("guest.kernel=0x60000000:4096 guest.s2=huge",
     "guest.s2=huge: expected pages or blocks")])
def test_empty_guest_image_refused(qemu, hyp_image, arg, message):
    status, out = run(qemu, base_args() + kernel_args(hyp_image, arg))
    assert status == EXIT_CONFIG, out
    assert message in out, out


def test_raw_kernel_too_big_for_guest_ram(qemu, hyp_image, tmp_path):
    """A raw binary (no Image header) is loaded at RAM + 0x80000 and owns
    its file's bytes: 9 MiB does not fit in the lower half of 16 MiB."""
    status, out = _guest_with(qemu, hyp_image, tmp_path,
                              bytes(9 << 20),
                              "guest.kernel=0x60000000:%d guest.mem=16")
    assert status == EXIT_CONFIG, out
    assert ("guest: kernel: does not fit in the lower half of guest RAM"
            in out), out


def test_packed_kernel_refused(qemu, hyp_image, tmp_path):
    """gzip is not a raw binary (its first word is no instruction): hypnest
    says what it is and what it needs."""
    status, out = _guest_with(qemu, hyp_image, tmp_path,
                              b"\x1f\x8b\x08\x00" + bytes(4092),
                              "guest.kernel=0x60000000:%d")
    assert status == EXIT_CONFIG, out
    assert ("guest kernel: file is gzip-compressed (a vmlinuz.gz?); hypnest "
            "needs the uncompressed arm64 Image or a raw binary") in out, out
