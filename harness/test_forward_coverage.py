"""Forwarding coverage (issue 11, "Tests"): every trap control hypnest offers
a guest hypervisor (L1) for what runs below its EL2 has a forwarding rule,
and a bare-metal guest test that exercises it.

The controls are read from the sources, so that adding one without a rule
fails here:
  - nv/hcr.c HCR_FIELDS: the HCR_EL2 rows with policy TRAP (trap when 1)
    or INVERTED (trap when 0: API, APK);
  - nv/el2_hw.c el2_traps: the CPTR_EL2, MDCR_EL2 and CNTHCTL_EL2 controls,
    each with its bit for the guest's E2H = 0 and E2H = 1 layouts, when it
    traps, and the bit it sets in hypnest's register (E2H = 0 layout).
The rules are nv/forward.c's fwd_rules (RULE/TGE_RULE rows), evaluated
from their macros: an HCR_EL2 control needs a rule on HCR(<name>) trapping
when set (TRAP) or clear (INVERTED); an el2_traps row needs, for each E2H,
a rule on its register whose mask has its bit (with E2H = 0 also the bit
hypnest traps with, which tells TDE's three rows apart) and the same
sense. HCR_EL2.TSC is forwarded by nv/exception.c (nv_smc_from_vel1).

A guest test exercises a control when a file of guest-tests/ carries the
tag "fwd-test: <REG>.<FIELD>" (e.g. "fwd-test: HCR_EL2.TVM", in a comment
at the code that checks the trap), and that file is run by a harness
test: a guest-tests/*.c named in harness/test_guest*.py, or a lib header
such a file includes. The controls of features a guest hypervisor is not
offered today (FEAT_EVT, FEAT_LOR, FEAT_PAuth: docs/id-regs.md) are
exercised where the ID registers offer them, i.e. on QEMU's real EL2 by
the same image, and under hypnest once offered.
"""
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# controls with no guest test, and why; must be exactly the untagged ones
EXPECTED_GAPS = {
    "HCR_EL2.TWE": (
        "QEMU 10 never traps WFE to EL2: its WFE is a yield with no TWE "
        "check (seen: SEVL; WFE; WFE at EL1 with TWE = 1 runs on at QEMU's "
        "real EL2), so no guest test can see the trap on this emulator; "
        "the rule is host-tested (harness/unit/test_nv_forward.c)"),
}

# a rule elsewhere than nv/forward.c: control -> (file, function)
ELSEWHERE = {"HCR_EL2.TSC": ("nv/exception.c", "nv_smc_from_vel1")}

# nv/el2_hw.c's and nv/forward.c's control registers
CTL_REGS = {"CTL_CNTHCTL": "CNTHCTL_EL2", "CTL_CPTR": "CPTR_EL2",
            "CTL_MDCR": "MDCR_EL2"}
DEFINE_FILES = ["include/hyp/el2_hw.h", "include/hyp/nv_hcr.h",
                "nv/forward.c", "nv/el2_hw.c"]


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def split_args(s):
    """s split at its top-level commas, each part stripped"""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def balanced(text, start):
    """the text from the bracket at start to its match, exclusive"""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "({":
            depth += 1
        elif text[i] in ")}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced at %d" % start)


def defines(texts):
    d = {}
    for t in texts:
        for m in re.finditer(r"^#define\s+(\w+)\s+(.+?)\s*$",
                             strip_comments(t), re.M):
            if "(" not in m.group(1):
                d[m.group(1)] = m.group(2)
    return d


def value(expr, defs, depth=0):
    """a C constant expression of BIT(n), numbers and the macros in defs"""
    assert depth < 20, expr
    expr = re.sub(r"\bBIT\(", "_bit(", expr)
    expr = re.sub(r"(\b0x[0-9a-fA-F]+|\b\d+)U?L*\b", r"\1", expr)

    def sub(m):
        name = m.group(0)
        if name in ("_bit",):
            return name
        if name not in defs:
            raise KeyError("unknown macro %s in %r" % (name, expr))
        return "(%d)" % value(defs[name], defs, depth + 1)
    expr = re.sub(r"\b[A-Za-z_]\w*\b", sub, expr)
    return eval(expr, {"_bit": lambda n: 1 << n})


def hcr_controls(hcr_c):
    """{HCR_EL2.<name>: 'TRAP' | 'INVERTED'} from HCR_FIELDS"""
    start = hcr_c.index("#define HCR_FIELDS(X)")
    body = hcr_c[start:hcr_c.index("\n\n", start)]
    rows = re.findall(r"X\((\w+),\s*(\d+),\s*(\d+),\s*(\w+),", body)
    assert len(rows) >= 40, "HCR_FIELDS not parsed"
    return dict(("HCR_EL2." + n, pol) for n, _, _, pol in rows
                if pol in ("TRAP", "INVERTED"))


def el2_trap_rows(el2_hw_c):
    """nv/el2_hw.c's el2_traps: dicts name, reg, names, bit0, when0, bit1,
    when1, hw_bit"""
    text = strip_comments(el2_hw_c)
    start = text.index("el2_traps[] =")
    body = balanced(text, text.index("{", start))
    rows = []
    for m in re.finditer(r"\{", body):
        if body[:m.start()].count("{") != body[:m.start()].count("}"):
            continue
        a = split_args(balanced(body, m.start()))
        name = a[0].strip('"')
        rows.append(dict(name=name, reg=CTL_REGS[a[1]], ctl=a[1],
                         names=re.search(r"\((.*)\)", name).group(1)
                         .replace(" ", "").split(","),
                         bit0=a[2], when0=a[3], bit1=a[4], when1=a[5],
                         hw_bit=a[6]))
    assert len(rows) >= 8, "el2_traps not parsed"
    return rows


def fwd_rules(forward_c):
    """nv/forward.c's fwd_rules: dicts name, ec, ctl, mask, when, e2h"""
    text = strip_comments(forward_c)
    start = text.index("fwd_rules[] =")
    body = balanced(text, text.index("{", start))
    rules = []
    for m in re.finditer(r"\b(TGE_RULE|RULE)\(", body):
        a = split_args(balanced(body, m.end() - 1))
        if a[2].startswith("HCR("):
            a[2:3] = ["CTL_HCR", "NV_HCR_" + a[2][4:-1]]
        tge = m.group(1) == "TGE_RULE"
        rules.append(dict(name=a[0].strip('"'), ec=a[1], ctl=a[2],
                          mask=a[3], when=a[4],
                          e2h="E2H_ANY" if tge else a[5]))
    assert len(rules) >= 20, "fwd_rules not parsed"
    return rules


def function_body(text, name):
    m = re.search(r"^\w[\w\s\*]*\b%s\([^;{]*\)\s*\{" % name, text, re.M)
    assert m, "no function %s" % name
    return balanced(text, m.end() - 1)


def missing_rules(hcr_c, el2_hw_c, forward_c, sources):
    """the controls (names, with why) that have no forwarding rule"""
    rules = fwd_rules(forward_c)
    defs = defines([sources[f] for f in DEFINE_FILES if f in sources]
                   + [forward_c, el2_hw_c])
    missing = []
    for ctl, pol in sorted(hcr_controls(hcr_c).items()):
        field = ctl.split(".")[1]
        if ctl in ELSEWHERE:
            path, fn = ELSEWHERE[ctl]
            if "NV_HCR_" + field not in function_body(sources[path], fn):
                missing.append("%s: %s of %s does not test it"
                               % (ctl, fn, path))
            continue
        when = "S" if pol == "TRAP" else "C"
        if not any(r["ctl"] == "CTL_HCR" and r["mask"] == "NV_HCR_" + field
                   and r["when"] == when for r in rules):
            missing.append("%s (%s): no rule HCR(%s) trapping when %s"
                           % (ctl, pol, field,
                              "set" if when == "S" else "clear"))
    for row in el2_trap_rows(el2_hw_c):
        for e2h in (0, 1):
            bit = value(row["bit%d" % e2h], defs)
            need = bit | (value(row["hw_bit"], defs) if e2h == 0 else 0)
            when = "S" if row["when%d" % e2h] == "ON" else "C"
            if not any(r["ctl"] == row["ctl"] and
                       r["e2h"] in ("E2H_ANY", "E2H_%d" % e2h) and
                       value(r["mask"], defs) & need == need and
                       r["when"] == when for r in rules):
                missing.append("%s %r with E2H = %d: no rule on bits 0x%x"
                               % (row["reg"], row["name"], e2h, need))
    return missing


def all_controls(hcr_c, el2_hw_c):
    names = set(hcr_controls(hcr_c))
    for row in el2_trap_rows(el2_hw_c):
        names.update("%s.%s" % (row["reg"], n) for n in row["names"])
    return names


def sources():
    return dict((f, read(f)) for f in DEFINE_FILES + ["nv/exception.c"])


def run_files():
    """{guest-tests file: the guest tests that run it}: the .c named in
    harness/test_guest*.py, and the lib headers they include"""
    harness = "".join(read(os.path.join("harness", f))
                      for f in os.listdir(os.path.join(ROOT, "harness"))
                      if f.startswith("test_guest") and f.endswith(".py"))
    run = {}
    gdir = os.path.join(ROOT, "guest-tests")
    for f in sorted(os.listdir(gdir)):
        stem = f[:-2]
        if not f.endswith(".c") or not re.search(r"[\"']%s[\"']" % stem,
                                                   harness):
            continue
        run.setdefault("guest-tests/" + f, set()).add(stem)
        todo, seen = [os.path.join(gdir, f)], set()
        while todo:
            for inc in re.findall(r'#include "(\w+\.h)"',
                                  open(todo.pop()).read()):
                path = os.path.join(gdir, "lib", inc)
                key = "guest-tests/lib/" + inc
                if os.path.exists(path) and key not in seen:
                    seen.add(key)
                    run.setdefault(key, set()).add(stem)
                    todo.append(path)
    return run


def tags():
    """{control: [guest-tests file]} from the fwd-test: tags"""
    found = {}
    for sub in ("guest-tests", "guest-tests/lib"):
        d = os.path.join(ROOT, sub)
        for f in sorted(os.listdir(d)):
            if not f.endswith((".c", ".h")):
                continue
            for line in open(os.path.join(d, f)):
                m = re.search(r"fwd-test:(.*)", line)
                if m:
                    for t in re.findall(r"\b([A-Z0-9_]+\.[A-Za-z0-9_]+)\b",
                                        m.group(1)):
                        found.setdefault(t, []).append(sub + "/" + f)
    return found


def test_every_trap_control_has_a_forwarding_rule():
    missing = missing_rules(read("nv/hcr.c"), read("nv/el2_hw.c"),
                            read("nv/forward.c"), sources())
    assert not missing, "\n".join(missing)


def test_every_trap_control_has_a_guest_test():
    controls = all_controls(read("nv/hcr.c"), read("nv/el2_hw.c"))
    found, run = tags(), run_files()
    exercised = {}
    for ctl in controls:
        tests = sorted(set().union(*[run[f] for f in found.get(ctl, [])
                                     if f in run]))
        if tests:
            exercised[ctl] = tests
    print("\n".join("%s: %s" % (c, ", ".join(t))
                    for c, t in sorted(exercised.items())))
    untested = controls - set(exercised)
    assert untested == set(EXPECTED_GAPS), (
        "no guest test: %s; expected gaps: %s"
        % (sorted(untested), sorted(EXPECTED_GAPS)))
    unknown = set(found) - controls
    assert not unknown, "fwd-test tags naming no control: %s" % unknown


# the check itself: a control added without a rule fails it
HCR_NEW_TRAP = '\tX(TNEW, 62, 1, TRAP, "a new trap")                  \\\n'


def test_new_trap_bit_without_a_rule_is_caught():
    hcr_c = read("nv/hcr.c")
    anchor = "\tX(TWEDEn,"
    assert anchor in hcr_c
    bad = hcr_c.replace(anchor, HCR_NEW_TRAP + anchor)
    missing = missing_rules(bad, read("nv/el2_hw.c"), read("nv/forward.c"),
                            sources())
    assert any(m.startswith("HCR_EL2.TNEW ") for m in missing), missing
    assert "HCR_EL2.TNEW" in all_controls(bad, read("nv/el2_hw.c"))


@pytest.mark.parametrize("drop", ["TVM", "API"])
def test_rule_removed_is_caught(drop):
    forward_c = read("nv/forward.c")
    bad = re.sub(r"RULE\(\"[^\"]*\",\s*\w+,\s*HCR\(%s\)" % drop,
                 "RULE(\"gone\", EC_SYS64, HCR(NONE)", forward_c)
    assert bad != forward_c
    missing = missing_rules(read("nv/hcr.c"), read("nv/el2_hw.c"), bad,
                            sources())
    assert any(m.startswith("HCR_EL2.%s " % drop) for m in missing), missing


def test_el2_trap_without_a_rule_is_caught():
    """MDCR_EL2.TDE's OS lock row needs the TDOSA rule, not the TDA one"""
    forward_c = read("nv/forward.c")
    bad = forward_c.replace("MDCR_TDOSA | MDCR_TDE", "MDCR_TDOSA")
    assert bad != forward_c
    missing = missing_rules(read("nv/hcr.c"), read("nv/el2_hw.c"), bad,
                            sources())
    assert any("OS lock registers (TDE)" in m for m in missing), missing
