"""Launching hypnest under QEMU for tests and benchmarks.

One place knows the QEMU command line, how the console is captured (a log
file per run under build/logs/), and how the exit status comes back
(semihosting SYS_EXIT becomes QEMU's exit code).
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
LOGS = os.path.join(BUILD, "logs")
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
LINK_BASE = 0x40200000  # include/hyp/config.h HYP_LINK_BASE

# exit statuses, include/hyp/config.h
EXIT_OK, EXIT_CONFIG, EXIT_WRONG_EL, EXIT_PANIC = 0, 1, 2, 3
# the guest ended by a reset or a fatal SError: its vCPUs reported
EXIT_GUEST_CRASH = 4


def machine(virtualization=True, gic=3):
    m = "virt,gic-version=%d" % gic
    if virtualization:
        m += ",virtualization=on"
    return ["-M", m, "-cpu", "max"]


def base_args(smp=2, mem="1G", virtualization=True, gic=3):
    return machine(virtualization, gic) + [
        "-smp", str(smp), "-m", mem, "-nodefaults", "-display", "none",
        "-serial", "stdio",
        "-semihosting-config", "enable=on,target=native",
    ]


def kernel_args(image, append=""):
    return ["-kernel", image, "-append", append]


# Linux guests: where QEMU's loader stages the images (as in the Makefile's
# `run`), and the files scripts/guest-assets.sh makes
ASSETS = os.environ.get("HYPNEST_ASSETS_DIR", os.path.join(BUILD, "assets"))
KERNEL_STAGE = 0x70000000
INITRD_STAGE = 0x74000000
# panic=-1: a panic resets at once, which hypnest reports (EXIT_GUEST_CRASH)
GUEST_CMDLINE = "console=ttyAMA0 earlycon rdinit=/init panic=-1"
READY_RE = r"HYPNEST-GUEST-READY kernel=(\S+) cpus=(\d+)"


def linux_args(hyp_image, kernel, initrd, cpus=2, guest_mem=256,
               hyp_append="", cmdline=GUEST_CMDLINE):
    """hypnest with a Linux guest: the images staged by -device loader and
    named on hypnest's command line."""
    append = ("guest.kernel=0x%x:%d guest.initrd=0x%x:%d guest.mem=%d "
              "guest.cpus=%d %s -- %s" % (
                  KERNEL_STAGE, os.path.getsize(kernel), INITRD_STAGE,
                  os.path.getsize(initrd), guest_mem, cpus, hyp_append,
                  cmdline))
    return kernel_args(hyp_image, append) + [
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (kernel,
                                                              KERNEL_STAGE),
        "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (initrd,
                                                              INITRD_STAGE)]


def shim_args(x0, blob=None):
    """Start hypnest's ELF through the boot shim with x0 = x0, optionally
    with a blob (a DTB, good or bad) loaded at that address."""
    shim = build_shim(x0)
    args = ["-device", "loader,file=%s,cpu-num=0" % shim,
            "-device", "loader,file=%s" % os.path.join(BUILD, "hypnest.elf")]
    if blob:
        args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (blob, x0)]
    return args


def build_shim(x0):
    target = "build/shim/x0-%x.elf" % x0
    subprocess.run(["make", "-s", "-C", ROOT, target, "build/hypnest.elf"],
                   check=True)
    return os.path.join(ROOT, target)


class Run:
    """One QEMU process, its console captured to build/logs/<name>.log."""

    def __init__(self, name, args, timeout=60):
        os.makedirs(LOGS, exist_ok=True)
        self.log_path = os.path.join(LOGS, name + ".log")
        self.log = open(self.log_path, "wb")
        self.timeout = timeout
        self.start = time.monotonic()
        self.cmd = [QEMU] + args
        self.log.write(("$ " + " ".join(self.cmd) + "\n").encode())
        self.log.flush()
        self.p = pexpect.spawn(self.cmd[0], self.cmd[1:], cwd=ROOT,
                               logfile=self.log, timeout=timeout,
                               echo=False)

    def expect(self, pattern, timeout=None):
        """Wait for a regex (str or list); returns the match object."""
        self.p.expect(pattern, timeout=timeout or self.timeout)
        return self.p.match

    def send(self, text):
        self.p.send(text)

    def wait_exit(self, timeout=None):
        """Wait for QEMU to end; returns its exit status."""
        self.p.expect(pexpect.EOF, timeout=timeout or self.timeout)
        self.p.close()
        return self.p.exitstatus

    def output(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace").replace("\r", "")

    def close(self):
        if self.p.isalive():
            self.p.terminate(force=True)
        self.log.close()


def run_to_exit(name, args, timeout=60):
    """Run QEMU until it exits; returns (exit status, console text)."""
    r = Run(name, args, timeout)
    try:
        status = r.wait_exit()
        return status, r.output()
    finally:
        r.close()


def qemu_dts(smp=2, mem="1G"):
    """QEMU's own DT for this machine, as DTS text."""
    with tempfile.TemporaryDirectory() as d:
        dtb = os.path.join(d, "virt.dtb")
        m = base_args(smp, mem)
        m[1] += ",dumpdtb=" + dtb
        subprocess.run([QEMU] + m, check=True, capture_output=True)
        return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                              check=True, capture_output=True,
                              text=True).stdout


def dtb_from_dts(dts, path):
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"],
                   input=dts, text=True, check=True)
    return path


def delete_node(dts, name):
    """Remove the node whose name starts with `name` (e.g. 'memory@')."""
    m = re.search(r"\n(\t+)%s[^\n]*\{\n" % re.escape(name), dts)
    assert m, "no node %s in the DT" % name
    end = dts.index("\n%s};\n" % m.group(1), m.end()) + len(m.group(1)) + 4
    return dts[:m.start()] + dts[end:]
