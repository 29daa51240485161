"""Loading what QEMU loads (issue 10, defect 15).

A guest kernel without the arm64 Image header is a raw binary: hypnest
loads it at guest RAM base + 0x80000 and enters it there with x0 = the DTB,
as QEMU's -kernel does on AArch64. The raw binary here is a bare-metal
guest test with the Image magic zeroed (its first instruction branches
over what was the header), so nothing marks it as an Image: it must pass
in full under hypnest and, the same file, on bare QEMU. An initrd is the
guest's business: any bytes are passed through."""
import os
import re

from hvqemu import EXIT_OK, base_args, kernel_args
from test_guest import (TIMER_PASS, check_passes, check_results,  # noqa: F401
                        guest_tests)

STAGE = 0x60000000
INITRD_STAGE = 0x64000000
MAGIC_OFFSET = 0x38


def raw_copy(guest_dir, name, tmp_path):
    """build/guest-tests/<name>.bin without its Image magic"""
    data = bytearray(open(os.path.join(guest_dir, name + ".bin"),
                          "rb").read())
    assert data[MAGIC_OFFSET:MAGIC_OFFSET + 4] == b"ARM\x64"
    data[MAGIC_OFFSET:MAGIC_OFFSET + 4] = bytes(4)
    raw = tmp_path / (name + "-raw.bin")
    raw.write_bytes(bytes(data))
    return str(raw)


def boot(qemu, hyp_image, kernel, smp, initrd=None, suffix=""):
    append = "guest.kernel=0x%x:%d guest.cpus=%d" % (
        STAGE, os.path.getsize(kernel), smp)
    loaders = ["-device", "loader,file=%s,addr=0x%x,force-raw=on"
               % (kernel, STAGE)]
    if initrd:
        append += " guest.initrd=0x%x:%d" % (INITRD_STAGE,
                                             os.path.getsize(initrd))
        loaders += ["-device", "loader,file=%s,addr=0x%x,force-raw=on"
                    % (initrd, INITRD_STAGE)]
    r = qemu(base_args(smp=smp) + kernel_args(hyp_image, append) + loaders,
             timeout=120, suffix=suffix)
    status = r.wait_exit()
    return status, r.output()


def test_raw_binary_boots(qemu, hyp_image, guest_tests, tmp_path):
    raw = raw_copy(guest_tests, "timer", tmp_path)
    status, out = boot(qemu, hyp_image, raw, 1)
    assert ("guest kernel: no arm64 Image header: a raw binary, loaded at "
            "RAM + 0x80000 as QEMU loads one") in out, out
    assert "kernel entry 0x40080000" in out, out
    check_results(status, out, TIMER_PASS)


def test_raw_binary_on_bare_qemu(qemu, guest_tests, tmp_path):
    """The same file under QEMU's own -kernel at EL1: QEMU loads a raw
    binary, so hypnest must too."""
    raw = raw_copy(guest_tests, "timer", tmp_path)
    r = qemu(base_args(smp=1, virtualization=False) + ["-kernel", raw],
             timeout=120)
    check_passes(r.wait_exit(), r.output(), TIMER_PASS)


def test_any_initrd_passes_through(qemu, hyp_image, guest_tests, tmp_path):
    """Neither cpio nor gzip: hypnest names what it can and passes it on."""
    image = os.path.join(guest_tests, "psci.bin")
    junk = tmp_path / "initrd.bin"
    junk.write_bytes(bytes((i * 7 + 3) & 0xff for i in range(10000)))
    status, out = boot(qemu, hyp_image, image, 2, str(junk))
    assert ("guest initrd: 10000 bytes, of a format hypnest does not name; "
            "passed through as is") in out, out
    check_results(status, out, 12)
    xz = tmp_path / "initrd.xz"
    xz.write_bytes(b"\xfd7zXZ\x00" + bytes(4090))
    status, out = boot(qemu, hyp_image, image, 2, str(xz), suffix="-xz")
    assert "guest initrd: 4096 bytes, xz-compressed; passed through" in out
    check_results(status, out, 12)
