"""arm64_image_check() (vm/guest_image.c) on real Debian kernels.

Makes the cached guest kernels with scripts/guest-assets.sh (idempotent:
nothing is downloaded when build/assets/ is up to date), builds the host
unit test build/host/test_guest_image and runs its real_image test with
HYP_TEST_IMAGE naming each kernel: the Image must pass, and copies of it cut
short must be refused as truncated (through its PE/COFF header). A
gzip-compressed copy must be refused with a message saying so.

    /usr/bin/python3 -m pytest -c harness/pytest.ini -q \
        harness/test_guest_image_real.py
"""

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "guest-assets.sh"
ASSETS = Path(os.environ.get("HYPNEST_ASSETS_DIR", ROOT / "build" / "assets"))
BINARY = ROOT / "build" / "host" / "test_guest_image"
SCRIPT_TIMEOUT = 1800     # seconds, a first run downloads the kernels
TEST_TIMEOUT = 120

KERNELS = ["6.12", "6.1"]


def run(cmd, env=None, timeout=TEST_TIMEOUT):
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True,
                          text=True, errors="replace", timeout=timeout)


@pytest.fixture(scope="module")
def checker():
    """build/host/test_guest_image, freshly built."""
    r = run(["make", "-s", str(BINARY.relative_to(ROOT))], timeout=600)
    if r.returncode:
        pytest.fail("make %s failed:\n%s%s" % (BINARY, r.stdout, r.stderr))
    return BINARY


def kernel(ver):
    """build/assets/Image-<ver>, made by scripts/guest-assets.sh."""
    r = run(["bash", str(SCRIPT), "Image-" + ver], timeout=SCRIPT_TIMEOUT)
    if r.returncode:
        pytest.fail("scripts/guest-assets.sh Image-%s failed (rc=%d):\n%s%s"
                    % (ver, r.returncode, r.stdout, r.stderr))
    img = ASSETS / ("Image-" + ver)
    assert img.is_file(), img
    return img


def real_image(checker, path):
    env = dict(os.environ, HYP_TEST_IMAGE=str(path))
    return run([str(checker), "real_image"], env=env)


@pytest.mark.parametrize("ver", KERNELS)
def test_real_image_passes(checker, ver):
    img = kernel(ver)
    r = real_image(checker, img)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "ok real_image" in r.stdout, out
    # the check really ran on this file (not the "not set" path)
    m = re.search(r"real_image: (\S+): (\d+) bytes, text_offset (0x[0-9a-f]+)"
                  r", image_size (0x[0-9a-f]+), flags (0x[0-9a-f]+)",
                  r.stdout)
    assert m, out
    assert m.group(1) == str(img)
    assert int(m.group(2)) == img.stat().st_size
    assert int(m.group(4), 16) >= img.stat().st_size
    flags = int(m.group(5), 16)
    assert flags & 1 == 0 and (flags >> 1) & 3 in (0, 1), hex(flags)


def test_gzipped_image_refused(checker, tmp_path):
    img = kernel(KERNELS[0])
    gz = tmp_path / "vmlinuz.gz"
    with open(img, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
    r = real_image(checker, gz)
    assert r.returncode != 0, r.stdout
    assert ("guest kernel: file is gzip-compressed (a vmlinuz.gz?); "
            "hypnest needs the uncompressed arm64 Image") in r.stdout, \
        r.stdout + r.stderr
