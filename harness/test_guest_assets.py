"""Tests of the Linux guest assets made by scripts/guest-assets.sh.

Self-contained (no conftest.py needed). The boot tests start each cached
kernel on bare QEMU (no hypervisor) with the busybox initramfs, wait for the
init script's ready marker, run a command in the guest shell and power off.
Console logs go to build/logs/<test name>.log.

    /usr/bin/python3 -m pytest -v harness/test_guest_assets.py
    /usr/bin/python3 -m pytest -v -m "not slow" harness/test_guest_assets.py
"""

import os
import shlex
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "guest-assets.sh"
ASSETS = Path(os.environ.get("HYPNEST_ASSETS_DIR", ROOT / "build" / "assets"))
LOGS = ROOT / "build" / "logs"

KERNELS = ["6.12", "6.1"]
ALL_ASSETS = ["Image-6.12", "Image-6.1", "initramfs.cpio"]
READY_RE = rb"HYPNEST-GUEST-READY kernel=(\S+) cpus=(\d+)"
BOOT_TIMEOUT = 240        # seconds, whole boot-to-poweroff budget per kernel
SCRIPT_TIMEOUT = 1800     # seconds, first run downloads ~130 MB
SMP = 2


def run_script(*args, env=None, user=None, script=None):
    cmd = ["bash", str(script or SCRIPT), *args]
    if user is not None:
        cmd = ["runuser", "-u", user, "--"] + cmd
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=SCRIPT_TIMEOUT)


def cpio_list(path):
    with open(path, "rb") as f:
        r = subprocess.run(["cpio", "-it", "--quiet"], stdin=f,
                           capture_output=True, check=True)
    return r.stdout.decode().splitlines()


def cpio_member(path, name):
    with open(path, "rb") as f:
        r = subprocess.run(["cpio", "-i", "--quiet", "--to-stdout", name],
                           stdin=f, capture_output=True, check=True)
    return r.stdout


def has_image_magic(path):
    with open(path, "rb") as f:
        head = f.read(64)
    return len(head) == 64 and head[0x38:0x3c] == b"ARM\x64"


def log_path(request):
    name = request.node.name.replace("[", "-").replace("]", "")
    LOGS.mkdir(parents=True, exist_ok=True)
    return LOGS / (re.sub(r"[^A-Za-z0-9_.+-]", "_", name) + ".log")


@pytest.fixture(scope="session")
def assets():
    """Run scripts/guest-assets.sh once per session; the assets directory."""
    if shutil.which("cpio") is None:
        pytest.fail("cpio is not installed: run scripts/setup.sh as root")
    r = run_script()
    if r.returncode != 0:
        pytest.fail(f"scripts/guest-assets.sh failed (rc={r.returncode}):\n"
                    f"{r.stdout}\n{r.stderr}")
    return ASSETS


def test_script_output_one_line_per_asset(assets):
    r = run_script()
    assert r.returncode == 0, r.stderr
    for a in ALL_ASSETS:
        assert re.search(rf"^guest-assets: {re.escape(a)}: up to date",
                         r.stdout, re.M), r.stdout


def test_script_is_idempotent(assets):
    before = {a: (assets / a).stat().st_mtime_ns for a in ALL_ASSETS}
    r = run_script()
    assert r.returncode == 0, r.stderr
    assert "fetching" not in r.stdout and "building" not in r.stdout
    after = {a: (assets / a).stat().st_mtime_ns for a in ALL_ASSETS}
    assert before == after


def test_script_rejects_unknown_asset():
    r = run_script("no-such-asset")
    assert r.returncode != 0
    assert "unknown argument" in r.stderr


@pytest.mark.parametrize("ver", KERNELS)
def test_image_has_arm64_magic(assets, ver):
    img = assets / f"Image-{ver}"
    assert img.is_file()
    assert img.stat().st_size > 8 << 20
    assert has_image_magic(img), f'{img}: no "ARM\\x64" at offset 0x38'


def test_image_7_from_linux_binary():
    """Image-7, on request: trixie-backports' 7.x, whose Image Debian ships
    in linux-binary-<abi> at /usr/lib/modules/<abi>/vmlinuz (a plain arm64
    Image), the pin of scripts/guest-versions.conf in its stamp, its config
    from linux-base-<abi>; a second run fetches nothing."""
    r = run_script("Image-7")
    assert r.returncode == 0, r.stdout + r.stderr
    conf = (ROOT / "scripts" / "guest-versions.conf").read_text()
    pkg = re.search(r"^KERNEL_7_PKG=(\S+)", conf, re.M).group(1)
    ver = re.search(r"^KERNEL_7_VERSION=(\S+)", conf, re.M).group(1)
    img = ASSETS / "Image-7"
    assert has_image_magic(img), f'{img}: no "ARM\\x64" at offset 0x38'
    assert (ASSETS / "Image-7.stamp").read_text().strip() == f"{pkg}={ver}"
    abi = pkg[len("linux-binary-"):]
    assert abi.startswith("7.")
    assert re.search(rb"Linux version " + re.escape(abi.encode()) + rb" ",
                     img.read_bytes())
    assert "\nCONFIG_KVM=y\n" in (ASSETS / "config-7").read_text()
    before = img.stat().st_mtime_ns
    r = run_script("Image-7")
    assert r.returncode == 0, r.stderr
    assert "guest-assets: Image-7: up to date" in r.stdout, r.stdout
    assert img.stat().st_mtime_ns == before


def test_initramfs_contents(assets):
    cpio = assets / "initramfs.cpio"
    with open(cpio, "rb") as f:
        assert f.read(6) == b"070701", "not an uncompressed newc cpio"
    names = set(cpio_list(cpio))
    for need in ("init", "bin/busybox", "bin/sh", "bin/cttyhack",
                 "bin/setsid", "bin/poweroff", "bin/mount", "bin/nproc",
                 "dev", "proc", "sys"):
        assert need in names, f"{need} missing from {cpio}"
    init = cpio_member(cpio, "init").decode()
    assert init.startswith("#!/bin/sh")
    assert "HYPNEST-GUEST-READY" in init
    assert "poweroff -f" in init
    assert len([n for n in names if n.startswith("bin/")]) > 100


@pytest.mark.slow
def test_script_works_unprivileged():
    """As a non-root user, into a scratch directory (downloads busybox only)."""
    assert os.geteuid() == 0 and shutil.which("runuser"), \
        "make test runs as root (scripts/setup.sh installs through apt)"
    with tempfile.TemporaryDirectory(prefix="hypnest-assets-") as tmp:
        # a copy nobody can read: the checkout itself may be private
        os.chmod(tmp, 0o755)
        shutil.copytree(os.path.join(ROOT, "scripts"), f"{tmp}/scripts")
        shutil.chown(tmp, user="nobody")
        env = dict(os.environ, HYPNEST_ASSETS_DIR=f"{tmp}/assets")
        r = run_script("initramfs.cpio", env=env, user="nobody",
                       script=f"{tmp}/scripts/guest-assets.sh")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "initramfs.cpio: built" in r.stdout
        names = set(cpio_list(f"{tmp}/assets/initramfs.cpio"))
        assert {"init", "bin/busybox"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("ver", KERNELS)
def test_bare_qemu_boot(assets, ver, request, record_property):
    qemu = shutil.which("qemu-system-aarch64")
    if qemu is None:
        pytest.fail("qemu-system-aarch64 is not installed: run scripts/setup.sh")
    args = ["-M", "virt,gic-version=3", "-cpu", "max", "-smp", str(SMP),
            "-m", "512M", "-nodefaults", "-display", "none",
            "-serial", "stdio",
            "-kernel", str(assets / f"Image-{ver}"),
            "-initrd", str(assets / "initramfs.cpio"),
            "-append", "console=ttyAMA0 rdinit=/init"]
    log = log_path(request)
    deadline = time.monotonic() + BOOT_TIMEOUT

    def left():
        return max(1.0, deadline - time.monotonic())

    with open(log, "wb") as logf:
        logf.write(f"# {shlex.join([qemu, *args])}\n".encode())
        start = time.monotonic()
        child = pexpect.spawn(qemu, args, timeout=BOOT_TIMEOUT)
        child.logfile_read = logf          # what the guest prints
        try:
            child.expect(READY_RE, timeout=left())
            boot = time.monotonic() - start
            kernel, cpus = (g.decode() for g in child.match.groups())
            assert kernel.startswith(ver + "."), kernel
            assert int(cpus) == SMP
            child.expect(r"# ", timeout=left())
            child.sendline("echo hello-$((6*7))")
            child.expect(r"hello-42", timeout=left())
            child.expect(r"# ", timeout=left())
            child.sendline("poweroff -f")
            child.expect(pexpect.EOF, timeout=left())
            child.wait()
            total = time.monotonic() - start
        finally:
            if child.isalive():
                child.terminate(force=True)
        assert child.exitstatus == 0, f"QEMU exit status {child.exitstatus}"
        summary = (f"Linux {kernel} on bare QEMU TCG, {SMP} vCPUs: "
                   f"ready marker after {boot:.1f} s, powered off after "
                   f"{total:.1f} s")
        logf.write(f"\n# {summary}\n".encode())
    record_property("boot_to_marker_s", round(boot, 2))
    print(summary)
