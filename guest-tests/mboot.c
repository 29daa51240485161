/*
 * A guest hypervisor booted with payloads (multiboot modules): started at
 * (virtual) EL2, it reads its device tree's /chosen/module@... nodes, as
 * Xen reads those of QEMU's -device guest-loader, and checks that it was
 * given exactly the two payloads harness/test_mboot.py stages -- a
 * "multiboot,kernel" with bootargs MBOOT_ARGS and a "multiboot,ramdisk"
 * without --, that their reg (in /chosen's #address-cells/#size-cells, or
 * the root's when /chosen has none) lies in its RAM clear of its own image
 * and of its DTB, and that the bytes there are the payload files' own:
 * each file is a header ("MBOOTPAT", seed, size) and then pattern(seed, i)
 * for every byte, so that a misplaced, truncated or mixed-up copy shows.
 * The DT is read by the few lines below, not by libfdt: a second reader.
 */
#include "gt.h"

#define MBOOT_ARGS "mboot-test dom0 root=/dev/ram0 x=1"
#define SEED_KERNEL 0x1234
#define SEED_RAMDISK 0x5678
#define HDR 16
#define MAX_MODS 4

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

extern char __image_start[], __image_end[];

struct prop {
	const uint8_t *val;
	uint32_t len;
	bool present;
};

struct mod {
	const char *name;
	struct prop reg, compatible, bootargs;
};

static struct {
	uint32_t root_ac, root_sc;
	struct prop chosen_ac, chosen_sc, mem_reg;
	struct mod mods[MAX_MODS];
	unsigned nmods, other_children;
} dt;

/* byte loads only: the MMU is off, all of memory is Device memory */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

/* the same function as harness/test_mboot.py's pattern() */
static uint8_t pattern(uint32_t seed, uint32_t i)
{
	uint32_t h = i * 0x9e3779b1U + seed;

	h ^= h >> 15;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	return (uint8_t)(h >> 24);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void take_prop(unsigned depth, bool in_chosen, bool in_memory,
		      const char *name, const uint8_t *val, uint32_t len)
{
	struct prop p = { val, len, true };
	struct mod *m = dt.nmods ? &dt.mods[dt.nmods - 1] : NULL;

	if (depth == 1 && !strcmp(name, "#address-cells"))
		dt.root_ac = be32(val);
	else if (depth == 1 && !strcmp(name, "#size-cells"))
		dt.root_sc = be32(val);
	else if (depth == 2 && in_chosen && !strcmp(name, "#address-cells"))
		dt.chosen_ac = p;
	else if (depth == 2 && in_chosen && !strcmp(name, "#size-cells"))
		dt.chosen_sc = p;
	else if (depth == 2 && in_memory && !strcmp(name, "reg"))
		dt.mem_reg = p;
	else if (depth == 3 && in_chosen && m && !strcmp(name, "reg"))
		m->reg = p;
	else if (depth == 3 && in_chosen && m && !strcmp(name, "compatible"))
		m->compatible = p;
	else if (depth == 3 && in_chosen && m && !strcmp(name, "bootargs"))
		m->bootargs = p;
}

/* one pass over the structure block: what the checks below need */
static bool read_dt(const uint8_t *fdt)
{
	const uint8_t *st = fdt + be32(fdt + 8), *strs = fdt + be32(fdt + 12);
	uint32_t off = 0, size = be32(fdt + 36);
	unsigned depth = 0;
	bool in_chosen = false, in_memory = false;

	if (be32(fdt) != 0xd00dfeed)
		return false;
	dt.root_ac = 2; /* the DT specification's defaults */
	dt.root_sc = 1;
	while (off + 4 <= size) {
		uint32_t tag = be32(st + off), len;
		const char *name;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			name = (const char *)st + off;
			off = (off + strlen(name) + 1 + 3) & ~3U;
			depth++;
			if (depth == 2) {
				in_chosen = !strcmp(name, "chosen");
				in_memory = starts(name, "memory@");
			} else if (depth == 3 && in_chosen) {
				if (starts(name, "module@") &&
				    dt.nmods < MAX_MODS)
					dt.mods[dt.nmods++].name = name;
				else
					dt.other_children++;
			}
			break;
		case FDT_END_NODE:
			depth--;
			break;
		case FDT_PROP:
			len = be32(st + off);
			name = (const char *)strs + be32(st + off + 4);
			take_prop(depth, in_chosen, in_memory, name,
				  st + off + 8, len);
			off = (off + 8 + len + 3) & ~3U;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return true;
		default:
			return false;
		}
	}
	return false;
}

static bool prop_eq(const struct prop *p, const char *v, uint32_t len)
{
	return p->present && p->len == len && !memcmp(p->val, v, len);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* the header and every byte of a payload at [base, base + size) */
static void check_bytes(const char *what, uint64_t base, uint64_t size,
			uint32_t seed)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)base;
	uint64_t bad = size;

	CHECK(size > HDR && !memcmp(p, "MBOOTPAT", 8), what);
	CHECK_EQ(be32(p + 8), seed, what);
	CHECK_EQ(be32(p + 12), size, what);
	for (uint64_t i = HDR; i < size && bad == size; i++)
		if (p[i] != pattern(seed, (uint32_t)i))
			bad = i;
	gt_check(bad == size, what, "byte %lu of %lu differs",
		 (unsigned long)bad, (unsigned long)size);
}

static void check_module(const struct mod *m, uint32_t ac, uint32_t sc,
			 uint64_t dtb)
{
	static const char kernel[] = "multiboot,module\0multiboot,kernel";
	static const char ramdisk[] = "multiboot,module\0multiboot,ramdisk";
	bool is_kernel = prop_eq(&m->compatible, kernel, sizeof(kernel));
	uint64_t base, size, mem_base, mem_size;
	const char *unit = m->name + 7;
	char name[24];

	gt_printf("module %s\n", m->name);
	CHECK(is_kernel || prop_eq(&m->compatible, ramdisk, sizeof(ramdisk)),
	      "compatible: multiboot,module + multiboot,kernel/ramdisk");
	if (is_kernel)
		CHECK(prop_eq(&m->bootargs, MBOOT_ARGS, sizeof(MBOOT_ARGS)),
		      "the kernel's bootargs as given");
	else
		CHECK(!m->bootargs.present, "the ramdisk has no bootargs");
	CHECK_EQ(m->reg.len, (ac + sc) * 4, "reg: one <address size> pair");
	if (m->reg.len != (ac + sc) * 4)
		return;
	base = cells(m->reg.val, ac);
	size = cells(m->reg.val + 4 * ac, sc);
	gt_printf("reg 0x%lx 0x%lx\n", (unsigned long)base,
		  (unsigned long)size);
	if (starts(unit, "0x")) /* QEMU's name, hypnest's is the spec's */
		unit += 2;
	hyp_snprintf(name, sizeof(name), "%lx", (unsigned long)base);
	CHECK(!strcmp(unit, name), "unit address is reg's address");
	CHECK_EQ(base & 0xfff, 0, "page aligned");
	mem_base = dt.mem_reg.present ? cells(dt.mem_reg.val, dt.root_ac) : 0;
	mem_size = dt.mem_reg.present
		       ? cells(dt.mem_reg.val + 4 * dt.root_ac, dt.root_sc)
		       : 0;
	CHECK(base >= mem_base && base + size <= mem_base + mem_size,
	      "inside the memory node");
	CHECK(!overlaps(base, size, (uintptr_t)__image_start,
			(uintptr_t)(__image_end - __image_start)),
	      "clear of the image");
	CHECK(!overlaps(base, size, dtb, be32((const uint8_t *)dtb + 4)),
	      "clear of the DTB");
	check_bytes(is_kernel ? "the kernel's bytes" : "the ramdisk's bytes",
		    base, size, is_kernel ? SEED_KERNEL : SEED_RAMDISK);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uint32_t ac, sc;

	CHECK_EQ(current_el(), 2, "a guest hypervisor: at EL2");
	CHECK(read_dt((const uint8_t *)(uintptr_t)dtb), "DT read");
	CHECK_EQ(dt.nmods, 2, "two modules in /chosen");
	CHECK_EQ(dt.other_children, 0, "nothing else in /chosen");
	CHECK(dt.mem_reg.present, "a memory node");
	ac = dt.chosen_ac.present ? be32(dt.chosen_ac.val) : dt.root_ac;
	sc = dt.chosen_sc.present ? be32(dt.chosen_sc.val) : dt.root_sc;
	gt_printf("note: /chosen cells %u %u (%s)\n", ac, sc,
		  dt.chosen_ac.present ? "its own" : "the root's");
	CHECK(ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2, "cells 1 or 2");
	for (unsigned i = 0; i < dt.nmods && ac && sc && ac <= 2 && sc <= 2;
	     i++)
		check_module(&dt.mods[i], ac, sc, dtb);
	CHECK(dt.nmods != 2 || !prop_eq(&dt.mods[0].compatible,
					(const char *)dt.mods[1].compatible.val,
					dt.mods[1].compatible.len),
	      "one kernel, one ramdisk");
	gt_done();
}
