"""Linux at three levels (issue 12): the guest hypervisor L1 boots the L1
initramfs (scripts/guest-assets.sh l1-initramfs.cpio: QEMU for arm64 and
its libraries, run-l2, L2's kernel and initramfs), `run-l2` in its shell
boots L2 with KVM on the same console, `poweroff -f` in L2 comes back to
L1, and a second `run-l2` works again.

The reference is QEMU's own EL2 (`-M virt,virtualization=on -cpu max`
running L1 directly, two levels); the same flow then runs under hypnest
through `make run NESTED=1` (three levels), with a VHE and an nVHE virtual
EL2. Every wait has a timeout and QEMU is killed afterwards: a run that
does not get there fails with the console's tail and hypnest's log lines,
never hangs. Slow: each is a real boot. Console logs: build/logs/."""
import os
import re
import signal
import subprocess
import time

import pexpect
import pytest

import hvqemu
from hvqemu import EXIT_OK, READY_RE

L1_TIMEOUT = 600   # s, start to L1's prompt (TCG, a loaded 2-core machine)
L2_TIMEOUT = 300   # s, `run-l2` to L2's prompt (~10-60 s seen on bare QEMU)
# s, the same under hypnest: ~10-80 s on a loaded 2-core machine
# (docs/perf.md "nested"), the bare-QEMU figure times ten at most
L2_TIMEOUT_HYP = 450
CMD_TIMEOUT = 120  # s, a shell command's answer
L1_PROMPT = "L1# "
L2_PROMPT = "L2# "
# L2's QEMU ended (or never started L2) and L1's shell is back
L2_FAILED = [r"L1# ", r"qemu-system-aarch64: [^\r\n]*", r"error: kvm run "
             r"failed[^\r\n]*", r"Kernel panic[^\r\n]*"]
KVM_UP = {"vhe": r"kvm \[1\]: VHE mode initialized successfully",
          "nvhe": r"kvm \[1\]: Hyp (nVHE )?mode initialized successfully"}
ASSETS = hvqemu.ASSETS


@pytest.fixture(scope="session")
def nested_assets():
    """scripts/guest-assets.sh l1-initramfs.cpio (cached in build/assets)."""
    r = subprocess.run(["bash", os.path.join(hvqemu.ROOT, "scripts",
                                             "guest-assets.sh"),
                        "l1-initramfs.cpio"],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode:
        pytest.fail("scripts/guest-assets.sh l1-initramfs.cpio failed:\n%s%s"
                    % (r.stdout, r.stderr))
    return {name: os.path.join(ASSETS, name)
            for name in ("Image-6.12", "l1-initramfs.cpio",
                         "l2-initramfs.cpio")}


class Console:
    """One QEMU (or `make run`) on a pexpect terminal, its output in
    build/logs/<name>.log; every wait bounded."""

    def __init__(self, name, cmd, args, cwd=hvqemu.ROOT):
        os.makedirs(hvqemu.LOGS, exist_ok=True)
        self.log_path = os.path.join(hvqemu.LOGS, name + ".log")
        self.log = open(self.log_path, "wb")
        self.log.write(("$ %s %s\n" % (cmd, " ".join(args))).encode())
        self.p = pexpect.spawn(cmd, args, cwd=cwd, logfile=self.log,
                               timeout=L1_TIMEOUT, echo=False)
        self.start = time.monotonic()

    def text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace").replace("\r", "")

    def fail(self, what):
        out = self.text()
        hyp = "\n".join(line for line in out.splitlines()
                        if line.startswith("hyp["))
        pytest.fail("%s after %.0f s\n--- hypnest's log lines:\n%s\n"
                    "--- console tail (%s):\n%s" % (
                        what, time.monotonic() - self.start, hyp[-3000:],
                        self.log_path, out[-3000:]))

    def expect(self, pattern, timeout, what):
        try:
            return self.p.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            why = "timeout (%d s) waiting for %s" % (timeout, what)
        except pexpect.EOF:
            why = "QEMU ended while waiting for %s" % what
        self.fail(why)  # outside the except: no pexpect traceback chained

    def cmd(self, line, answer, timeout=CMD_TIMEOUT):
        """Type a command; wait for the regex `answer`; return the match."""
        self.p.send(line + "\n")
        self.expect(answer, timeout, "%r to answer %r" % (line, answer))
        return self.p.match

    def close(self):
        # the whole session pexpect made: `make` and the QEMU it started
        try:
            os.killpg(self.p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.p.close(force=True)
        self.log.close()


def run_l2(c, args="", l2_timeout=L2_TIMEOUT):
    """From L1's prompt: `run-l2 ARGS` up to L2's prompt. Returns the
    seconds from typing it to L2's prompt, and L2's kernel version and
    CPUs as its ready marker gives them."""
    start = time.monotonic()
    c.p.send("run-l2%s\n" % (" " + args if args else ""))
    i = c.expect([READY_RE + r" level=2"] + L2_FAILED, l2_timeout,
                 "L2's ready marker after run-l2")
    if i:
        c.fail("L2 did not boot after run-l2: %r"
               % c.p.match.group(0).decode(errors="replace"))
    kernel, cpus = (g.decode() for g in c.p.match.groups())
    c.expect(L2_PROMPT, CMD_TIMEOUT, "L2's prompt")
    return time.monotonic() - start, kernel, cpus


def boot_l2(c, l2_kernel_version, args="", l2_timeout=L2_TIMEOUT):
    """From L1's prompt: run-l2, L2 to its prompt, check it, power it off,
    back at L1's prompt. Returns the seconds from `run-l2` to L2's prompt."""
    launch, kernel, cpus = run_l2(c, args, l2_timeout)
    assert kernel == l2_kernel_version and cpus == "2", (kernel, cpus)
    # L2's shell answers: its own CPUs, its kernel, arithmetic
    c.cmd("nproc", r"\n2\r*\n" + L2_PROMPT)
    c.cmd("uname -r", r"\n%s\r*\n%s" % (re.escape(l2_kernel_version),
                                        L2_PROMPT))
    c.cmd("echo l2-says-$((6*7))", r"\nl2-says-42\r*\n" + L2_PROMPT)
    # poweroff -f in L2 ends its QEMU: L1's shell is back and answers
    c.cmd("poweroff -f", L1_PROMPT, L2_TIMEOUT)
    c.cmd("echo l1-says-$((6*7))", r"\nl1-says-42\r*\n" + L1_PROMPT)
    return launch


def two_l2_boots(c, assets_kernel_version, l2_timeout=L2_TIMEOUT):
    first = boot_l2(c, assets_kernel_version, l2_timeout=l2_timeout)
    second = boot_l2(c, assets_kernel_version, l2_timeout=l2_timeout)
    print("run-l2 to L2's prompt: %.1f s, then %.1f s" % (first, second))


def kernel_version(image):
    """The version string in an arm64 Image ("Linux version X ...")."""
    with open(image, "rb") as f:
        m = re.search(rb"Linux version (\S+) ", f.read())
    assert m, image
    return m.group(1).decode()


def unpack_newc(data, root):
    """Unpack concatenated newc cpio archives as Linux does (one after the
    other, NUL padding between them), later entries replacing earlier."""
    off, n = 0, 0
    while off < len(data):
        if data[off:off + 4] == b"\0\0\0\0":
            off += 4
            continue
        assert data[off:off + 6] == b"070701", "bad cpio header at %d" % off
        f = [int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16)
             for i in range(13)]
        mode, size, namesize = f[1], f[6], f[11]
        name_end = off + 110 + namesize - 1
        name = data[off + 110:name_end].decode()
        body = (off + 110 + namesize + 3) & ~3
        off = (body + size + 3) & ~3
        if name == "TRAILER!!!":
            continue
        n += 1
        path = os.path.join(str(root), name)
        kind = mode & 0o170000
        if kind == 0o040000:
            os.makedirs(path, exist_ok=True)
        elif kind == 0o120000:
            if os.path.lexists(path):
                os.unlink(path)
            os.symlink(data[body:body + size].decode(), path)
        elif kind == 0o100000:
            with open(path, "wb") as out:
                out.write(data[body:body + size])
            os.chmod(path, mode & 0o7777)
    return n


def reach_l1(c, el2=None):
    if el2:
        c.expect(KVM_UP[el2], L1_TIMEOUT, "L1's KVM to come up (%s)" % el2)
    c.expect(READY_RE + r" level=1", L1_TIMEOUT, "L1's ready marker")
    assert c.p.match.group(2) == b"2"
    c.expect(L1_PROMPT, CMD_TIMEOUT, "L1's prompt")
    c.cmd("test -c /dev/kvm && echo kvm-dev-ok",
          r"\nkvm-dev-ok\r*\n" + L1_PROMPT)


@pytest.mark.slow
def test_l1_initramfs_contents(nested_assets, tmp_path):
    """What the L1 initramfs holds: QEMU for arm64 and, for every ELF in
    it, every DT_NEEDED library (and its interpreter), nothing QEMU does
    not need with -nodefaults -kernel (no firmware/ROM/data directory);
    run-l2 with its own monitor escape; L2's kernel and initramfs; the
    prompts that say which level a shell is."""
    with open(nested_assets["l1-initramfs.cpio"], "rb") as f:
        data = f.read()
    assert data[:6] == b"070701", "not an uncompressed newc cpio"
    root = tmp_path
    unpack_newc(data, root)
    qemu = root / "usr/bin/qemu-system-aarch64"
    libdir = root / "usr/lib/aarch64-linux-gnu"
    assert qemu.is_file() and libdir.is_dir()
    assert not (root / "usr/share").exists(), "firmware/data files shipped"
    readelf = "aarch64-linux-gnu-readelf"
    elves = [qemu] + sorted(libdir.iterdir())
    have = {p.name for p in libdir.iterdir()}
    for elf in elves:
        dyn = subprocess.run([readelf, "-dW", str(elf)], check=True,
                             capture_output=True, text=True).stdout
        for need in re.findall(r"\(NEEDED\).*\[(.*)\]", dyn):
            assert need in have, "%s needs %s" % (elf.name, need)
    hdr = subprocess.run([readelf, "-lW", str(qemu)], check=True,
                         capture_output=True, text=True).stdout
    interp = re.search(r"program interpreter: (.*)\]", hdr).group(1)
    assert os.path.exists(os.path.join(str(root), interp.lstrip("/"))) or \
        (root / "usr/lib" / os.path.basename(interp)).exists(), interp
    # exactly what is needed: every library shipped is needed by someone
    needed = set()
    for elf in elves:
        dyn = subprocess.run([readelf, "-dW", str(elf)], check=True,
                             capture_output=True, text=True).stdout
        needed |= set(re.findall(r"\(NEEDED\).*\[(.*)\]", dyn))
    assert have - needed <= {os.path.basename(interp)}, have - needed
    script = (root / "bin/run-l2").read_text()
    for opt in ("-accel kvm", "-cpu host", "virt,gic-version=3", "-smp 2",
                "-echr 2", '"$@"'):
        assert opt in script, opt
    assert os.access(root / "bin/run-l2", os.X_OK)
    assert "PS1='L1# '" in (root / "init").read_text()
    with open(root / "l2/Image", "rb") as f:
        assert f.read(64)[0x38:0x3c] == b"ARM\x64"
    l2 = subprocess.run(["cpio", "-i", "--quiet", "--to-stdout", "init"],
                        stdin=open(root / "l2/initramfs.cpio", "rb"),
                        check=True, capture_output=True).stdout.decode()
    assert "PS1='L2# '" in l2 and "level=2" in l2


@pytest.mark.slow
def test_two_levels_on_bare_qemu(nested_assets):
    """The reference: L1 at QEMU's own EL2 (FEAT_NV2 hardware model, no
    hypnest), its KVM boots L2 twice through run-l2."""
    args = hvqemu.machine() + [
        "-smp", "2", "-m", "2G", "-nodefaults", "-display", "none",
        "-serial", "mon:stdio", "-kernel", nested_assets["Image-6.12"],
        "-initrd", nested_assets["l1-initramfs.cpio"],
        "-append", "console=ttyAMA0 rdinit=/init"]
    c = Console("nested-bare-qemu", hvqemu.QEMU, args)
    try:
        reach_l1(c, "vhe")
        two_l2_boots(c, kernel_version(nested_assets["Image-6.12"]))
        c.p.send("poweroff -f\n")
        c.expect(pexpect.EOF, CMD_TIMEOUT, "QEMU to exit after poweroff")
        c.p.close()
        assert c.p.exitstatus == 0, c.text()[-2000:]
    finally:
        c.close()


@pytest.mark.slow
@pytest.mark.parametrize("e2h", ["1", "0"])
def test_make_run_nested(nested_assets, e2h):
    """`make run NESTED=1` (E2H=1: VHE guest hypervisor; E2H=0: nVHE):
    L1 under hypnest at virtual EL2, run-l2 boots L2 at three levels,
    poweroff -f returns to L1, run-l2 again, L1's poweroff exits 0."""
    c = Console("make-run-nested-e2h%s" % e2h, "make",
                ["-s", "run", "NESTED=1", "E2H=" + e2h])
    try:
        reach_l1(c, "vhe" if e2h == "1" else "nvhe")
        two_l2_boots(c, kernel_version(nested_assets["Image-6.12"]),
                     L2_TIMEOUT_HYP)
        c.p.send("poweroff\n")
        c.expect(pexpect.EOF, CMD_TIMEOUT, "QEMU to exit after poweroff")
        c.p.close()
        assert c.p.exitstatus == EXIT_OK, c.text()[-2000:]
        assert "guest: SYSTEM_OFF from vcpu" in c.text()
    finally:
        c.close()
