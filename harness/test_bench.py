"""The benchmark's own code (harness/bench.py), fast: its parsing of
hypnest's poweroff counters on saved logs (harness/bench_samples/: the
hypnest lines of one `bench.py --only nested` pair of runs, nVHE L1, base
and counted), the per-exit figure taken from their difference, the report
it writes, and the cpio archive it appends to the L1 initramfs. No Linux
boots here."""
import os
import subprocess

import bench
from test_nested_linux import unpack_newc

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "bench_samples")


def sample(name):
    with open(os.path.join(SAMPLES, name)) as f:
        return f.read()


BASE = "nested-nvhe-base.log"
COUNTED = "nested-nvhe-counted.log"
# read off the counted sample by hand (grep): vcpu0's and vcpu1's lines
EXPECT = {"hvc_episodes": 2030 + 12, "hvc_traps": 47538 + 323,
          "hpfar_in_aborts": 1967 + 1950, "vel1_total": (19 + 40, 77 + 133)}
# the calls the samples' counted run made (make_exits hvc, mmio)
SAMPLE_CALLS = 2000


def test_parse_episodes_sums_to_the_totals():
    """Each level's reasons, parsed one by one, add up to the totals
    hypnest prints for all of them (its rows sum to the total by
    construction, vcpu/stats_print.c): nothing skipped, nothing counted
    twice, across both vCPUs."""
    for name in (BASE, COUNTED):
        text = sample(name)
        for level in ("L2", "vEL1"):
            p = bench.parse_episodes(text, level)
            reasons = [v for k, v in p.items() if k != "total"]
            assert reasons, (name, level)
            assert p["total"] == (sum(r["episodes"] for r in reasons),
                                  sum(r["traps"] for r in reasons)), (
                name, level)
            for r in reasons:
                # the kinds listed are each episode's traps, 32 at most
                # per vCPU: never more than the reason's traps
                assert 0 < sum(r["what"].values()) <= r["traps"]


def test_parse_episodes_reads_the_lines():
    """Values read off the sample by hand: vcpu0's and vcpu1's
    `L2 EC 0x16` lines and one kind of trap in them."""
    p = bench.parse_episodes(sample(COUNTED))
    assert p["EC 0x16"]["episodes"] == EXPECT["hvc_episodes"]
    assert p["EC 0x16"]["traps"] == EXPECT["hvc_traps"]
    assert p["EC 0x16"]["what"]["at L2 EC 0x16 HVC from AArch64"] == \
        EXPECT["hvc_episodes"]
    assert p["EC 0x24"]["what"]["at vEL2 MRS HPFAR_EL2"] == \
        EXPECT["hpfar_in_aborts"]
    # a raw console's line ends (hypnest's "\r\n" through a terminal)
    assert bench.parse_episodes(sample(COUNTED).replace("\n", "\r\r\n")) \
        == p
    # the vEL1 level's episodes are not mixed into L2's
    v = bench.parse_episodes(sample(COUNTED), "vEL1")
    assert v["total"] == EXPECT["vel1_total"]


def test_episode_cost_is_the_difference():
    """The traps per exit of the counted calls: the added traps over the
    added episodes of that reason, and its kinds add up to it."""
    base = bench.parse_episodes(sample(BASE))
    counted = bench.parse_episodes(sample(COUNTED))
    for reason in ("EC 0x16", "EC 0x24"):
        n, t, per, what, kinds = bench.episode_cost(base, counted, reason)
        assert n == counted[reason]["episodes"] - base[reason]["episodes"]
        assert t == counted[reason]["traps"] - base[reason]["traps"]
        assert per == t / n
        assert abs(sum(kinds.values()) - per) < 1e-9
        # every counted exit is one L2 exit of that class
        exit_kind = "at L2 %s" % {
            "EC 0x16": "EC 0x16 HVC from AArch64",
            "EC 0x24": "EC 0x24 Data Abort from a lower Exception level",
        }[reason]
        assert abs(what[exit_kind] - 1.0) < 1e-9
    # about one added episode per call made (the base run made the same
    # calls with 0: the rest is the boots' variation)
    for reason in ("EC 0x16", "EC 0x24"):
        n = bench.episode_cost(base, counted, reason)[0]
        assert abs(n - SAMPLE_CALLS) <= SAMPLE_CALLS // 20, (reason, n)
    # no added episodes: no figure
    assert bench.episode_cost(base, base, "EC 0x16")[2] is None


def test_trap_kind():
    assert bench.trap_kind("at vEL2 MRS HPFAR_EL2") == \
        "vEL2: register access (EC 0x18)"
    assert bench.trap_kind("at vEL1 EC 0x1a Trapped ERET/ERETAA/ERETAB") \
        == "vEL1: ERET (EC 0x1a)"
    assert bench.trap_kind("at vEL2 EC 0x24 mmio gic") == \
        "vEL2: MMIO, gic (EC 0x24)"
    assert bench.trap_kind("at vEL1 EC 0x16 HVC from AArch64") == \
        "vEL1: HVC from AArch64 (EC 0x16)"
    assert bench.trap_kind("at vEL2 IRQ 30") == "vEL2: interrupt"
    assert bench.trap_kind("at L2 EC 0x24 Data Abort from a lower "
                           "Exception level") == "L2: the exit itself"


def test_nested_report():
    """The section's tables from a set of results: ratios to QEMU's own
    EL2, and per exit the figure from the counters' difference."""
    base = bench.parse_episodes(sample(BASE))
    counted = bench.parse_episodes(sample(COUNTED))
    configs = [("QEMU's own EL2", "bare", "vhe", []),
               ("QEMU's own EL2, nVHE L1", "bare-nvhe", "nvhe", []),
               ("hypnest, VHE L1", "vhe", "vhe", []),
               ("hypnest, nVHE L1", "nvhe", "nvhe", [])]
    z = {"hvc": 1.0, "mmio": 2.0}
    res = {"bare": [(10.0, 20.0, z, {}),
                    (12.0, 22.0, {"hvc": 1.2, "mmio": 2.4}, {})],
           "bare-nvhe": [(15.0, 40.0, z, {}),
                         (15.0, 44.0, {"hvc": 1.5, "mmio": 3.0}, {})],
           "vhe": [(20.0, 80.0, z, base),
                   (22.0, 84.0, {"hvc": 2.0, "mmio": 12.0}, counted)],
           "nvhe": [(30.0, 100.0, z, base),
                    (30.0, 110.0, {"hvc": 5.0, "mmio": 22.0}, counted)]}
    # L1 boot: the median of the boot-only runs, not the full runs' times
    boots = {"bare": [10.0, 13.0, 11.0], "bare-nvhe": [12.0, 12.4, 12.2],
             "vhe": [20.0, 25.0, 22.0], "nvhe": [33.0, 30.0, 31.0]}
    # L2 launch: the median of every launch, the two runs' above included
    launches = {"bare": [19.0, 21.0, 25.0, 20.0, 22.0],
                "bare-nvhe": [41.0, 42.0, 39.0, 40.0, 44.0],
                "vhe": [80.0, 82.0, 95.0, 80.0, 84.0],
                "nvhe": [100.0, 105.0, 160.0, 100.0, 110.0]}
    lines = bench.nested_report(configs, res, boots, launches, (6.0, 7.5))
    text = "\n".join(lines)
    # the last column: each row against the reference of its own L1 mode
    assert "| QEMU's own EL2 | 11.0 | 10.0-13.0 | 1.00 | 21.0 | 19.0-25.0 " \
        "| 1.00 | 1.00, 1.00 |" in lines
    assert "| QEMU's own EL2, nVHE L1 | 12.2 | 12.0-12.4 | 1.11 | 41.0 | " \
        "39.0-44.0 | 1.95 | 1.00, 1.00 |" in lines
    assert "| hypnest, VHE L1 | 22.0 | 20.0-25.0 | 2.00 | 82.0 | " \
        "80.0-95.0 | 3.90 | 2.00, 3.90 |" in lines
    assert "| hypnest, nVHE L1 | 31.0 | 30.0-33.0 | 2.82 | 105.0 | " \
        "100.0-160.0 | 5.00 | 2.54, 2.56 |" in lines
    assert "the median of 5 launches" in text and "(3 launches alone" in text
    # the references have no trap counters: no per-exit rows for them
    assert "| nVHE L1 | HVC |" in text and "| own EL2" not in text
    assert "the median of 3 boots of L1 alone" in text
    n, t, per, _, _ = bench.episode_cost(base, counted, "EC 0x16")
    assert "| nVHE L1 | HVC | %d | %d | %d | %.2f | ≤ 4 |" % (
        bench.NESTED_HVC, n, t, per) in lines
    n, t, per, _, _ = bench.episode_cost(base, counted, "EC 0x24")
    assert "| nVHE L1 | MMIO (to L1's QEMU) | %d | %d | %d | %.2f | ≤ 10 |" \
        % (bench.NESTED_MMIO, n, t, per) in lines
    assert "**nVHE L1, L2 HVC (" in text
    # per call: the counted run's make_exits time less the base run's
    assert "| QEMU's own EL2 | %.0f | %.0f |" % (
        0.2e6 / bench.NESTED_HVC, 0.4e6 / bench.NESTED_MMIO) in lines
    assert "| hypnest, nVHE L1 | %.0f | %.0f |" % (
        4e6 / bench.NESTED_HVC, 20e6 / bench.NESTED_MMIO) in lines
    # the widest spread of a configuration's L2 launches: 160 vs 100 s
    assert "load average 6.0 before, 7.5 after" in text
    assert "took up to 60 % longer than its fastest" in text


def test_newc_unpacks(tmp_path):
    """The archive bench.nested_initramfs appends: the harness's own
    unpacker and the host's cpio both read it back."""
    data = bench.newc([("l2", 0o040755, b""),
                       ("l2/initramfs.cpio", 0o100644, b"x" * 1001)])
    assert len(data) % 512 == 0
    # appended to another archive, the later file replaces the earlier
    first = bench.newc([("l2", 0o040755, b""),
                        ("l2/initramfs.cpio", 0o100644, b"old")])
    assert unpack_newc(first + data, tmp_path) == 4
    assert (tmp_path / "l2/initramfs.cpio").read_bytes() == b"x" * 1001
    listing = subprocess.run(["cpio", "-itv", "--quiet"], input=data,
                             capture_output=True, check=True).stdout
    assert b"l2/initramfs.cpio" in listing and b" 1001 " in listing


def test_write_section(tmp_path, monkeypatch):
    """A benchmark rewrites its own section of docs/perf.md only."""
    perf = tmp_path / "perf.md"
    perf.write_text("# Performance figures\n\nintro\n\n<!-- bench:a -->\nold a"
                    "\n<!-- /bench:a -->\n\nbetween\n\n<!-- bench:b -->\nold"
                    " b\n<!-- /bench:b -->\n\nafter\n")
    monkeypatch.setattr(bench, "PERF_MD", str(perf))
    bench.write_section("a", ["new a"])
    text = perf.read_text()
    assert "old a" not in text and "new a" in text
    assert "old b" in text and "between" in text and "after" in text
    bench.write_section("c", ["new c"])
    assert perf.read_text().startswith(text.rstrip("\n"))
    assert "<!-- bench:c -->\nnew c" in perf.read_text()


def test_exit_cost_figures():
    out = ("exit-cost: loop 4 ns\r\nexit-cost: hvc 4116 ns\r\n"
           "PASS: hvc\r\nexit-cost: uart-fr 5232 ns\r\n")
    assert bench.exit_cost_figures(out) == {"loop": 4, "hvc": 4116,
                                            "uart-fr": 5232}
