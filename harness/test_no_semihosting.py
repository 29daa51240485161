"""hypnest run by hand without QEMU's -semihosting-config (hyp/cpu.c
arch_exit, hyp/semihost.c): its semihosting HLT is UNDEFINED there, so
instead of handing QEMU the exit status by SYS_EXIT (a panic on the
UNDEFINED HLT, before) it says why it cannot, names the option and the
status, and powers the machine off by PSCI SYSTEM_OFF: QEMU exits 0."""
import os
import re

import pytest

from hvqemu import (EXIT_CONFIG, EXIT_OK, EXIT_PANIC, base_args,
                    kernel_args)
from test_guest import STAGE, guest_tests  # noqa: F401 (fixture)

MSG = (r"no semihosting \(its HLT #0xF000 is UNDEFINED\): hypnest cannot "
       r"end QEMU with its exit status %d; QEMU needs -semihosting-config "
       r"enable=on,target=native for that")


def no_semihosting(smp=1):
    args = base_args(smp=smp)
    i = args.index("-semihosting-config")
    assert args[i + 1] == "enable=on,target=native"
    return args[:i] + args[i + 2:]


def ends_cleanly(r, status):
    """the message with this status, then SYSTEM_OFF: QEMU exits 0 by
    itself, and nothing else was reported"""
    exit_status = r.wait_exit(timeout=60)
    out = r.output()
    assert re.search(MSG % status, out), out
    assert ("exit status %d: powering off by PSCI SYSTEM_OFF instead"
            % status) in out, out
    assert exit_status == 0, out
    assert "SYSTEM_OFF failed" not in out, out
    return out


def test_guest_powers_off(qemu, hyp_image, guest_tests):
    """guest-tests/hvc.c passes and powers off: hypnest's exit status 0"""
    image = os.path.join(guest_tests, "hvc.bin")
    append = "guest.kernel=0x%x:%d guest.cpus=1" % (
        STAGE, os.path.getsize(image))
    r = qemu(no_semihosting() + kernel_args(hyp_image, append) + [
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, STAGE)])
    out = ends_cleanly(r, EXIT_OK)
    assert re.search(r"GUEST-TESTS-DONE pass=\d+ fail=0", out), out
    assert "guest stopped: exit status 0" in out, out
    assert "unexpected exception" not in out, out
    assert "hypervisor panic" not in out, out


def test_no_guest(qemu, hyp_image):
    r = qemu(no_semihosting(smp=2) + kernel_args(hyp_image))
    out = ends_cleanly(r, EXIT_OK)
    assert "no guest configured" in out, out
    assert "unexpected exception" not in out, out


@pytest.mark.parametrize("append,status,why", [
    ("guest.el2=bogus", EXIT_CONFIG, "expected off, nvhe or vhe"),
    ("test=fault", EXIT_PANIC, "cpu0 stopped: hypervisor panic"),
])
def test_failure_status_is_printed(qemu, test_image, append, status, why):
    """the status printed is the run's own: a bad configuration (1), a
    hypervisor panic (3, its register dump first, and once)"""
    r = qemu(no_semihosting() + kernel_args(test_image, append))
    out = ends_cleanly(r, status)
    assert why in out, out
    assert out.count("unexpected exception") == (status == EXIT_PANIC), out
