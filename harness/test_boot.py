"""hypnest boots at EL2, sees its machine, and reports faults."""
import re

import pytest

import hvqemu
from hvqemu import EXIT_CONFIG, EXIT_OK, EXIT_PANIC, base_args, kernel_args


def boot(qemu, image, smp, mem, append=""):
    r = qemu(base_args(smp=smp, mem=mem) + kernel_args(image, append))
    status = r.wait_exit()
    return status, r.output()


@pytest.mark.parametrize("smp,mem,mib", [(2, "1G", 1024), (1, "512M", 512),
                                         (4, "2G", 2048)])
def test_banner_follows_the_machine(qemu, hyp_image, smp, mem, mib):
    status, out = boot(qemu, hyp_image, smp, mem)
    assert status == EXIT_OK, out
    cpus = "%d CPU%s online (of %d in the DT)" % (smp, "s" if smp > 1 else "",
                                                   smp)
    assert cpus in out
    assert re.search(r"ram: +%d MiB \[0x40000000-0x%x\]" %
                     (mib, 0x40000000 + (mib << 20) - 1), out)
    # QEMU virt's GICv3, as its DT describes it
    assert "GICD 0x08000000 GICR 0x080a0000" in out
    assert "maintenance INTID 25" in out
    assert "FEAT_NV2 present" in out
    assert "psci:     smc" in out
    for cpu in range(1, smp):
        assert "hyp[%d] info: cpu%d online" % (cpu, cpu) in out


def test_gic_addresses_come_from_the_dt(qemu, tmp_path):
    """Move the GIC in the DT: hypnest looks where the DT says, finds no
    GIC there and says so (a clear error, not a fault): nothing is
    hard-coded."""
    dts = hvqemu.qemu_dts(smp=1, mem="1G")
    dts = dts.replace("reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000",
                      "reg = <0x00 0x8100000 0x00 0x10000 0x00 0x80c0000")
    assert "0x8100000" in dts, "QEMU's GIC reg changed; update the test"
    blob = hvqemu.dtb_from_dts(dts, str(tmp_path / "moved-gic.dtb"))
    r = qemu(base_args(smp=1) + hvqemu.shim_args(0x48000000, blob))
    assert r.wait_exit() == EXIT_CONFIG, r.output()
    assert "nothing answers at GICD 0x8100000 (from the DT)" in r.output()
    assert "cannot initialise the GICv3" in r.output()


def test_unmapped_access_dumps_registers(qemu, test_image):
    status, out = boot(qemu, test_image, 2, "1G", "test=fault")
    assert status == EXIT_PANIC, out
    assert "unexpected exception: Synchronous, current EL with SP_EL2" in out
    assert ("EC 0x25 (Data Abort without a change in Exception level)"
            in out)
    assert "fault: translation fault, level" in out
    assert re.search(r"FAR_EL2 +0x0000000000001000", out)
    assert re.search(r"ELR_EL2 +0x00000000402[0-9a-f]{5}", out)
    for reg in ["x0 ", "x15", "x30", "sp "]:
        assert re.search(r"%s +0x[0-9a-f]{16}" % reg, out), reg
    assert "cpu0 stopped: hypervisor panic" in out


def test_brk_names_its_class(qemu, test_image):
    status, out = boot(qemu, test_image, 1, "512M", "test=brk")
    assert status == EXIT_PANIC, out
    assert "EC 0x3c (BRK (AArch64))" in out
    assert "ISS 0x0000042" in out


def test_image_header(hyp_image):
    """An arm64 Image header (Linux booting.rst) so QEMU passes x0 = DTB."""
    import struct
    with open(hyp_image, "rb") as f:
        image = f.read()
    head = image[:64]
    text_offset, image_size, flags = struct.unpack_from("<QQQ", head, 8)
    assert head[0x38:0x3c] == b"ARM\x64"
    assert text_offset == 0x200000
    assert flags == 0xa
    assert image_size >= len(image)
    assert image_size % 4096 == 0
