"""Project gates: formatting, and clean builds with both compilers."""
import os
import re
import subprocess

import hvqemu
from hvqemu import EXIT_OK, base_args, kernel_args

ROOT = hvqemu.ROOT


def git_files(*patterns):
    out = subprocess.run(["git", "ls-files"] + list(patterns), cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_c_sources_are_clang_formatted():
    files = git_files("*.c", "*.h")
    assert len(files) > 20
    r = subprocess.run(["scripts/check-format.sh"] + files, cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_clang_build_is_clean_and_boots(qemu):
    """-Werror in both toolchains; the clang image must boot too."""
    r = subprocess.run(["make", "-s", "TOOLCHAIN=clang", "BUILD=build/clang",
                        "all"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    image = os.path.join(hvqemu.BUILD, "clang", "hypnest.bin")
    run = qemu(base_args(smp=2) + kernel_args(image))
    assert run.wait_exit() == EXIT_OK, run.output()
    assert "2 CPUs online" in run.output()


def test_gcc_build_has_no_warnings():
    r = subprocess.run(["make", "-B", "-s", "BUILD=build/gcc-check", "all"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    noise = [l for l in (r.stdout + r.stderr).splitlines()
             if "warning" in l.lower()]
    assert not noise, noise


def test_only_relative_relocations():
    """entry.S applies R_AARCH64_RELATIVE and nothing else."""
    elf = os.path.join(hvqemu.BUILD, "hypnest.elf")
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True)
    out = subprocess.run(["aarch64-linux-gnu-readelf", "-rW", elf],
                         capture_output=True, text=True, check=True).stdout
    relocs = [l for l in out.splitlines() if "R_AARCH64" in l]
    assert relocs, "expected RELATIVE relocations (function tables)"
    assert all("R_AARCH64_RELATIVE" in l for l in relocs)


# b0-b31, h, s, d, q scalar views and v0.16b-style vector operands
FP_REG = re.compile(r"(?<![\w<])([bhsdq]([12]?[0-9]|3[01])|v([12]?[0-9]|3[01])"
                    r"\.\w+)(?![\w>])")


def test_no_fp_simd_instructions_in_hypnest_code():
    """-mgeneral-regs-only: hypnest's own objects never touch FP/SIMD
    registers, so they cannot clobber a guest's (libfdt is excluded: it
    runs only at boot, before any guest)."""
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True)
    objdir = os.path.join(hvqemu.BUILD, "obj")
    for dirpath, _, names in os.walk(objdir):
        for n in names:
            if not n.endswith(".o"):
                continue
            dis = subprocess.run(
                ["aarch64-linux-gnu-objdump", "-d", os.path.join(dirpath, n)],
                capture_output=True, text=True, check=True).stdout
            for line in dis.splitlines():
                parts = line.split("\t")
                if len(parts) < 4:
                    continue
                # drop branch targets ("b0 <fn+0x30>") and comments
                ops = re.sub(r"[0-9a-f]+ <[^>]*>|//.*", "", parts[3])
                assert not FP_REG.search(ops), (n, line)


# The layers, top to bottom (docs/architecture.md, "Layers"): a folder
# calls only into the folders below it, so the call graph between them is
# a DAG. hyp/ is two layers: the entry points of every CPU (power-on, the
# boot path, the EL2 vectors) on top, and its libraries and platform
# drivers (every other file of hyp/) at the bottom, under everyone.
LAYERS = ["hyp (boot, vectors)", "vm", "vcpu", "nv", "sysreg", "mm",
          "hyp (libraries, drivers)"]
HYP_TOP = {"entry.S", "main.c", "smp.c", "el2_boot.c", "mmu.c", "mmu_asm.S",
           "vectors.S"}
FOLDERS = {"hyp", "vm", "vcpu", "nv", "sysreg", "mm"}


def layer_of(folder, name):
    if folder == "hyp":
        return LAYERS[0] if name in HYP_TOP else LAYERS[-1]
    return folder


def test_layers_call_only_downwards():
    """Every symbol an object of a layer uses from another layer (nm -u:
    functions and data) is defined in a layer below it."""
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True)
    objdir = os.path.join(hvqemu.BUILD, "obj")
    assert set(os.listdir(objdir)) <= FOLDERS, "a folder not in LAYERS"
    defined, used = {}, {}
    for folder in sorted(FOLDERS):
        # the sources the Makefile builds (not stale objects)
        for src in sorted(os.listdir(os.path.join(ROOT, folder))):
            if not src.endswith((".c", ".S")):
                continue
            out = subprocess.run(
                ["aarch64-linux-gnu-nm",
                 os.path.join(objdir, folder, src + ".o")],
                capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                f = line.split()
                if len(f) == 2 and f[0] == "U":
                    used.setdefault((folder, src), set()).add(f[1])
                elif len(f) == 3 and f[1].isupper():
                    defined[f[2]] = (folder, src)
    assert len(used) > 30
    wrong = []
    for (folder, src), syms in sorted(used.items()):
        caller = LAYERS.index(layer_of(folder, src))
        for s in sorted(syms):
            if s not in defined:
                continue  # libfdt, libgcc
            dfolder, dsrc = defined[s]
            callee = LAYERS.index(layer_of(dfolder, dsrc))
            if callee < caller:
                wrong.append(f"{folder}/{src} -> {s} ({dfolder}/{dsrc})")
    assert not wrong, "calls up the layers:\n" + "\n".join(wrong)
