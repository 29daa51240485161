"""The C unit tests of hypnest's arch-independent code, run on the host.

Collecting this module builds them (`make -s host-tests`: build/host/test_*
from harness/unit/test_*.c, with ASan and UBSan) and asks each binary for
its tests (`--list`); every C test becomes one pytest item, named
`<binary>::<test>`, which runs `<binary> <test>` and passes if it exits 0.

    /usr/bin/python3 -m pytest -q harness/test_unit.py
    /usr/bin/python3 -m pytest -q harness/test_unit.py -k test_palloc

A single C test can also be run by hand: build/host/test_palloc double_free
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 600   # seconds, the whole host-tests build
TEST_TIMEOUT = 120    # seconds, one C test


def _run(cmd, timeout):
    # C tests may print any bytes (the libc test's strings, for one)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                          errors="replace", timeout=timeout)


def _build():
    """Build every host test binary, or fail the collection with why."""
    try:
        r = _run(["make", "-s", "host-tests"], BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("make host-tests took more than %d s" % BUILD_TIMEOUT,
                    pytrace=False)
    if r.returncode:
        pytest.fail("make host-tests failed (exit %d):\n%s%s"
                    % (r.returncode, r.stdout, r.stderr), pytrace=False)


def _binaries():
    """The binaries `make host-tests` builds (the Makefile's HOST_BINS)."""
    r = _run(["make", "-s", "--no-print-directory",
              "--eval=_print_host_bins: ; @echo $(HOST_BINS)",
              "_print_host_bins"], BUILD_TIMEOUT)
    if r.returncode or not r.stdout.split():
        pytest.fail("cannot read HOST_BINS from the Makefile:\n%s%s"
                    % (r.stdout, r.stderr), pytrace=False)
    return [ROOT / b for b in r.stdout.split()]


def _list(binary):
    """(test names, None), or (None, why the listing failed)."""
    if not os.access(binary, os.X_OK):
        return None, "%s was not built" % binary
    r = _run([str(binary), "--list"], TEST_TIMEOUT)
    names = r.stdout.split()
    if r.returncode or not names:
        return None, ("%s --list: exit %d, no tests\n%s%s"
                      % (binary, r.returncode, r.stdout, r.stderr))
    return names, None


def _collect():
    """pytest params: (binary, C test name or None, listing error)."""
    _build()
    params = []
    for binary in _binaries():
        names, err = _list(binary)
        if err:
            params.append(pytest.param(binary, None, err,
                                       id="%s::--list" % binary.name))
            continue
        for name in names:
            params.append(pytest.param(binary, name, None,
                                       id="%s::%s" % (binary.name, name)))
    return params


@pytest.mark.parametrize("binary,name,list_error", _collect())
def test_unit(binary, name, list_error):
    if list_error:
        pytest.fail(list_error, pytrace=False)
    try:
        r = _run([str(binary), name], TEST_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        pytest.fail("%s %s: no result after %d s\n%s"
                    % (binary.name, name, TEST_TIMEOUT, out), pytrace=False)
    if r.returncode:
        pytest.fail("%s %s: exit %d\n%s%s"
                    % (binary.name, name, r.returncode, r.stdout,
                       r.stderr), pytrace=False)
    assert "ok %s" % name in r.stdout.splitlines(), r.stdout + r.stderr
