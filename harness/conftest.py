import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import hvqemu  # noqa: E402


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _make(*args):
    r = subprocess.run(["make", "-s", "-C", hvqemu.ROOT] + list(args),
                       capture_output=True, text=True)
    if r.returncode:
        pytest.fail("make %s failed:\n%s%s" % (" ".join(args), r.stdout,
                                                r.stderr))


@pytest.fixture(scope="session")
def hyp_image():
    """The default build: build/hypnest.bin."""
    _make("all")
    return os.path.join(hvqemu.BUILD, "hypnest.bin")


@pytest.fixture(scope="session")
def test_image():
    """The test build (TEST_HOOKS=1): deliberate faults on request."""
    _make("TEST_HOOKS=1", "BUILD=build/test", "all")
    return os.path.join(hvqemu.BUILD, "test", "hypnest.bin")


@pytest.fixture
def qemu(request):
    """Factory for QEMU runs named after the test; the console log under
    build/logs/ is kept when the test fails and removed when it passes
    (kept anyway with HYPNEST_KEEP_LOGS=1 in the environment)."""
    runs = []

    def start(args, timeout=60, suffix=""):
        name = request.node.name.replace("/", "_") + suffix
        r = hvqemu.Run(name, args, timeout)
        runs.append(r)
        return r

    yield start
    passed = getattr(request.node, "rep_call", None)
    for r in runs:
        r.close()
        if (passed is not None and passed.passed
                and not os.environ.get("HYPNEST_KEEP_LOGS")):
            os.unlink(r.log_path)
        else:
            print("console log kept: %s" % r.log_path)


@pytest.fixture(scope="session")
def linux_assets():
    """The Linux guest assets (scripts/guest-assets.sh, cached in
    build/assets): a dict of paths."""
    r = subprocess.run(["bash", os.path.join(hvqemu.ROOT, "scripts",
                                             "guest-assets.sh")],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode:
        pytest.fail("scripts/guest-assets.sh failed:\n%s%s"
                    % (r.stdout, r.stderr))
    return {name: os.path.join(hvqemu.ASSETS, name)
            for name in ("Image-6.12", "Image-6.1", "initramfs.cpio")}
