/*
 * hyp/dt.c: parsing device trees compiled at test time with dtc from
 * harness/unit/dts/ (virt.dts is QEMU's; each other file changes one
 * thing). The directory is found next to this source file, relative to
 * the working directory (the repository's root), or in $UNIT_DTS_DIR.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp/dt.h"
#include "unit.h"

#define ERRLEN DT_ERR_LEN

/* name.dts compiled; the blob in a malloc'd (so 8-byte aligned) buffer */
static void *load(const char *name, size_t *size)
{
	return unit_dtc(name, "", size);
}

/* parse name.dts, which must succeed */
static void parse_ok(const char *name, struct dt_info *info)
{
	char err[ERRLEN] = "";
	void *blob = load(name, NULL);
	int ret = dt_parse(blob, info, err, sizeof(err));

	free(blob);
	CHECKF(ret == 0, "%s.dts: %d \"%s\"", name, ret, err);
}

/* parse name.dts, which must fail with a message containing what */
static void parse_fails(const char *name, const char *what)
{
	char err[ERRLEN] = "";
	struct dt_info info;
	void *blob = load(name, NULL);
	int ret = dt_parse(blob, &info, err, sizeof(err));

	free(blob);
	CHECKF(ret != 0, "%s.dts parsed", name);
	CHECKF(strstr(err, what), "%s.dts: \"%s\" lacks \"%s\"", name, err,
	       what);
}

static void check_range(const struct mem_range *r, uint64_t base, uint64_t size)
{
	CHECK_EQ(r->base, base);
	CHECK_EQ(r->size, size);
}

TEST(qemu_virt)
{
	struct dt_info info;

	parse_ok("virt", &info);
	CHECK_EQ(info.nmem, 1);
	check_range(&info.mem[0], 0x40000000, 0x40000000);
	CHECK_EQ(info.ncpus, 2);
	CHECK_EQ(info.ncpus_ignored, 0);
	CHECK_EQ(info.cpu_mpidr[0], 0);
	CHECK_EQ(info.cpu_mpidr[1], 1);
	check_range(&info.gic.gicd, 0x08000000, 0x10000);
	CHECK_EQ(info.gic.ngicr, 1);
	check_range(&info.gic.gicr[0], 0x080a0000, 0xf60000);
	CHECK_EQ(info.gic.maint_intid, 25); /* PPI 9 */
	check_range(&info.uart, 0x09000000, 0x1000);
	CHECK_EQ(info.timer_intid[DT_TIMER_SEC_PHYS], 29);
	CHECK_EQ(info.timer_intid[DT_TIMER_PHYS], 30);
	CHECK_EQ(info.timer_intid[DT_TIMER_VIRT], 27);
	CHECK_EQ(info.timer_intid[DT_TIMER_HYP_PHYS], 26);
	CHECK_EQ(info.timer_intid[DT_TIMER_HYP_VIRT], 0);
	CHECK_EQ(info.psci, DT_PSCI_SMC);
	CHECK_STR(info.bootargs, "log=debug test=none");
}

TEST(reserved)
{
	struct dt_info info;

	parse_ok("virt", &info);
	CHECK_EQ(info.nreserved, 2);
	check_range(&info.reserved[0], 0x48000000, 0x100000);
	check_range(&info.reserved[1], 0x4f000000, 0x200000);
}

/* every range of a reserved-memory node's reg is reserved */
TEST(reserved_multi_reg)
{
	struct dt_info info;

	parse_ok("reserved-multi-reg", &info);
	CHECK_EQ(info.nreserved, 3);
	check_range(&info.reserved[0], 0x48000000, 0x100000);
	check_range(&info.reserved[1], 0x4f000000, 0x200000);
	check_range(&info.reserved[2], 0x4f400000, 0x100000);
}

/* more reserved ranges than dt_info holds: an error, never a silently
 * dropped range (hypnest would hand that memory out) */
TEST(too_many_reserved)
{
	parse_fails("many-reserved", "reserved");
}

/* the result does not depend on what the struct held before */
TEST(info_cleared)
{
	struct dt_info info;

	memset(&info, 0xa5, sizeof(info));
	parse_ok("virt", &info);
	CHECK_EQ(info.nmem, 1);
	CHECK_EQ(info.ncpus_ignored, 0);
	CHECK_EQ(info.timer_intid[DT_TIMER_HYP_VIRT], 0);
	CHECK_EQ(info.mem[1].base, 0);
	CHECK_EQ(info.cpu_mpidr[2], 0);
}

TEST(gicv2)
{
	parse_fails("gicv2", "GICv2");
	parse_fails("gicv2", "arm,cortex-a15-gic");
}

TEST(no_gic)
{
	parse_fails("no-gic", "no GICv3");
}

TEST(gic_no_maintenance_irq)
{
	parse_fails("gic-no-maint", "maintenance interrupt");
}

TEST(two_redistributor_regions)
{
	struct dt_info info;

	parse_ok("gicr2", &info);
	check_range(&info.gic.gicd, 0x08000000, 0x10000);
	CHECK_EQ(info.gic.ngicr, 2);
	check_range(&info.gic.gicr[0], 0x080a0000, 0xf60000);
	check_range(&info.gic.gicr[1], 0x4010000000, 0x4000000);
	CHECK_EQ(info.gic.maint_intid, 25);
}

TEST(redistributor_region_missing)
{
	parse_fails("gicr-missing", "redistributor");
}

TEST(no_memory)
{
	parse_fails("no-memory", "no memory node");
}

TEST(two_memory_ranges)
{
	struct dt_info info;

	parse_ok("two-memory", &info);
	CHECK_EQ(info.nmem, 2);
	check_range(&info.mem[0], 0x40000000, 0x20000000);
	check_range(&info.mem[1], 0x100000000, 0x40000000);
}

TEST(no_cpus_node)
{
	parse_fails("no-cpus", "no /cpus");
}

TEST(no_cpu_nodes)
{
	parse_fails("cpus-empty", "no cpu nodes");
}

TEST(too_many_cpus)
{
	static const uint64_t want[] = { 0x0,	0x1,   0x2,   0x3,
					 0x100, 0x101, 0x102, 0x103 };
	struct dt_info info;

	CHECK_EQ(MAX_CPUS, ARRAY_SIZE(want));
	parse_ok("many-cpus", &info);
	CHECK_EQ(info.ncpus, MAX_CPUS);
	CHECK_EQ(info.ncpus_ignored, 2);
	for (unsigned i = 0; i < MAX_CPUS; i++)
		CHECK_EQ(info.cpu_mpidr[i], want[i]);
}

TEST(cpu_reg_two_cells)
{
	struct dt_info info;

	parse_ok("cpus-2cells", &info);
	CHECK_EQ(info.ncpus, 2);
	CHECK_EQ(info.cpu_mpidr[0], 0);
	CHECK_EQ(info.cpu_mpidr[1], 0x100000100);
}

TEST(psci_hvc)
{
	struct dt_info info;

	parse_ok("psci-hvc", &info);
	CHECK_EQ(info.psci, DT_PSCI_HVC);
	CHECK_EQ(info.timer_intid[DT_TIMER_HYP_PHYS], 26);
	CHECK_EQ(info.timer_intid[DT_TIMER_HYP_VIRT], 28);
}

TEST(psci_bad_method)
{
	parse_fails("psci-bad-method", "method");
}

TEST(no_psci)
{
	struct dt_info info;

	parse_ok("no-psci", &info);
	CHECK_EQ(info.psci, DT_PSCI_NONE);
	CHECK_EQ(info.ncpus, 2);
}

TEST(stdout_path_options)
{
	struct dt_info info;

	parse_ok("stdout-opts", &info);
	check_range(&info.uart, 0x09040000, 0x1000);
}

TEST(stdout_path_alias)
{
	struct dt_info info;

	parse_ok("stdout-alias", &info);
	check_range(&info.uart, 0x09040000, 0x1000);
}

TEST(no_uart)
{
	parse_fails("no-uart", "no PL011");
}

TEST(no_chosen)
{
	struct dt_info info;

	parse_ok("no-chosen", &info);
	CHECK_STR(info.bootargs, "");
	check_range(&info.uart, 0x09000000, 0x1000);
}

/* ---------------------------------------------------- multiboot modules */

/* parse name.dts, which must succeed; the blob is returned (the modules
 * point into it) */
static void *parse_keep(const char *name, struct dt_info *info)
{
	char err[ERRLEN] = "";
	void *blob = load(name, NULL);

	CHECKF(!dt_parse(blob, info, err, sizeof(err)), "%s.dts: \"%s\"", name,
	       err);
	return blob;
}

TEST(modules_qemu_layout)
{
	static const char kernel[] = "multiboot,module\0multiboot,kernel";
	static const char ramdisk[] = "multiboot,module\0multiboot,ramdisk";
	struct dt_info info;
	void *blob = parse_keep("modules", &info);

	CHECK_EQ(info.nmodules, 2);
	/* the tree's order, reg in the root's 2 + 2 cells */
	check_range(&info.modules[0].r, 0x45000000, 0x1388);
	CHECK_STR(info.modules[0].name, "module@0x45000000");
	CHECK_EQ(info.modules[0].compatible_len, sizeof(kernel));
	CHECK(!memcmp(info.modules[0].compatible, kernel, sizeof(kernel)));
	CHECK_STR(info.modules[0].bootargs, "root=/dev/ram0 console=hvc0");
	check_range(&info.modules[1].r, 0x44000000, 0x100000010ULL);
	CHECK_EQ(info.modules[1].compatible_len, sizeof(ramdisk));
	CHECK(!memcmp(info.modules[1].compatible, ramdisk, sizeof(ramdisk)));
	CHECK(!info.modules[1].bootargs);
	/* hypnest's own command line is still /chosen's bootargs */
	CHECK_STR(info.bootargs, "log=debug test=none");
	free(blob);
}

TEST(modules_chosen_cells_and_others)
{
	struct dt_info info;
	void *blob = parse_keep("modules-cells1", &info);

	CHECK_EQ(info.nmodules, 1);
	check_range(&info.modules[0].r, 0x46000000, 0x2000);
	CHECK_STR(info.modules[0].name, "module@46000000");
	free(blob);
}

TEST(modules_none)
{
	struct dt_info info;

	parse_ok("virt", &info);
	CHECK_EQ(info.nmodules, 0);
	parse_ok("no-chosen", &info);
	CHECK_EQ(info.nmodules, 0);
}

#define BLOB_ROOM 4096

/* modules.dts opened with room to edit */
static void *modules_blob(void)
{
	size_t size;
	void *blob = load("modules", &size), *big = malloc(size + BLOB_ROOM);

	CHECK(big);
	CHECK_EQ(fdt_open_into(blob, big, (int)size + BLOB_ROOM), 0);
	free(blob);
	return big;
}

static void edited_fails(void *blob, const char *what)
{
	char err[ERRLEN] = "";
	struct dt_info info;

	CHECKF(dt_parse(blob, &info, err, sizeof(err)) != 0, "parsed: %s",
	       what);
	CHECKF(strstr(err, what), "\"%s\" lacks \"%s\"", err, what);
	free(blob);
}

static void set_kernel_prop(void *blob, const char *prop, const void *val,
			    int len)
{
	int node = fdt_path_offset(blob, "/chosen/module@0x45000000");

	CHECK(node >= 0);
	if (val)
		CHECK_EQ(fdt_setprop(blob, node, prop, val, len), 0);
	else
		CHECK_EQ(fdt_delprop(blob, node, prop), 0);
}

TEST(modules_bad_reg)
{
	const fdt32_t three[3] = { 0, cpu_to_fdt32(0x45000000),
				   cpu_to_fdt32(0x1000) };
	const fdt32_t five[5] = { 0, cpu_to_fdt32(0x45000000), 0,
				  cpu_to_fdt32(0x1000), 0 };
	const fdt32_t empty[4] = { 0, cpu_to_fdt32(0x45000000), 0, 0 };
	const fdt32_t wraps[4] = { cpu_to_fdt32(0xffffffff),
				   cpu_to_fdt32(0xfffff000), 0,
				   cpu_to_fdt32(0x2000) };
	const char *reg = "/chosen/module@0x45000000: multiboot module without "
			  "a reg of exactly one <address size> pair";
	void *b;

	b = modules_blob();
	set_kernel_prop(b, "reg", NULL, 0);
	edited_fails(b, reg);
	b = modules_blob();
	set_kernel_prop(b, "reg", three, sizeof(three));
	edited_fails(b, reg);
	b = modules_blob();
	set_kernel_prop(b, "reg", five, sizeof(five));
	edited_fails(b, reg);
	b = modules_blob();
	set_kernel_prop(b, "reg", empty, sizeof(empty));
	edited_fails(b, "module@0x45000000: multiboot module of size 0");
	b = modules_blob();
	set_kernel_prop(b, "reg", wraps, sizeof(wraps));
	edited_fails(b, "module@0x45000000: multiboot module range wraps");
}

TEST(modules_bad_strings)
{
	static const char compat[] = "multiboot,module\0multiboot,kernel";
	void *b;

	b = modules_blob();
	set_kernel_prop(b, "bootargs", "abc", 3);
	edited_fails(b, "module@0x45000000: bootargs is not one "
			"NUL-terminated string");
	b = modules_blob();
	set_kernel_prop(b, "bootargs", "a\0b", 4);
	edited_fails(b, "bootargs is not one NUL-terminated string");
	b = modules_blob();
	set_kernel_prop(b, "bootargs", "", 0);
	edited_fails(b, "bootargs is not one NUL-terminated string");
	/* the last string not terminated: still a module by its first */
	b = modules_blob();
	set_kernel_prop(b, "compatible", compat, sizeof(compat) - 1);
	edited_fails(b, "module@0x45000000: compatible is not "
			"NUL-terminated");
}

TEST(modules_bad_chosen_cells)
{
	void *b = modules_blob();
	int chosen = fdt_path_offset(b, "/chosen");

	CHECK_EQ(fdt_setprop_u32(b, chosen, "#address-cells", 3), 0);
	edited_fails(b, "/chosen has multiboot modules but "
			"#address-cells/#size-cells other than 1 or 2");
	b = modules_blob();
	chosen = fdt_path_offset(b, "/chosen");
	CHECK_EQ(fdt_setprop_u32(b, chosen, "#size-cells", 0), 0);
	edited_fails(b, "other than 1 or 2");
}

/* DT_MAX_MODULES parse; one more is refused, not dropped */
TEST(modules_too_many)
{
	for (unsigned total = DT_MAX_MODULES; total <= DT_MAX_MODULES + 1;
	     total++) {
		void *b = modules_blob();
		int chosen = fdt_path_offset(b, "/chosen");
		struct dt_info info;
		char err[ERRLEN] = "";

		for (unsigned i = 2; i < total; i++) {
			char name[32];
			fdt32_t reg[4] = { 0, cpu_to_fdt32(0x50000000 + i), 0,
					   cpu_to_fdt32(0x1000) };
			int node;

			snprintf(name, sizeof(name), "module@%x",
				 0x50000000 + i);
			node = fdt_add_subnode(b, chosen, name);
			CHECK(node >= 0);
			CHECK_EQ(fdt_setprop_string(b, node, "compatible",
						    "multiboot,module"),
				 0);
			CHECK_EQ(fdt_setprop(b, node, "reg", reg, sizeof(reg)),
				 0);
		}
		if (total == DT_MAX_MODULES) {
			CHECKF(!dt_parse(b, &info, err, sizeof(err)), "%s",
			       err);
			CHECK_EQ(info.nmodules, DT_MAX_MODULES);
			free(b);
		} else {
			edited_fails(b, "more than 8 multiboot modules in "
					"/chosen");
		}
	}
}

/* dt_check_header reads the header only */

TEST(header_ok)
{
	char err[ERRLEN] = "";
	uint32_t total = 0;
	size_t size;
	void *blob = load("virt", &size);
	int ret = dt_check_header(blob, &total, err, sizeof(err));

	free(blob);
	CHECKF(ret == 0, "%s", err);
	CHECK_EQ(total, size);
}

static void header_fails(const void *fdt, const char *what)
{
	char err[ERRLEN] = "";
	uint32_t total = 0;

	CHECK(dt_check_header(fdt, &total, err, sizeof(err)) != 0);
	CHECKF(strstr(err, what), "\"%s\" lacks \"%s\"", err, what);
}

static void put_be32(void *p, uint32_t v)
{
	unsigned char *b = p;

	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

static uint32_t get_be32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

TEST(header_null)
{
	header_fails(NULL, "x0 was 0");
}

TEST(header_misaligned)
{
	size_t size;
	char *blob = load("virt", &size);
	char *copy = malloc(size + 8);

	CHECK(copy);
	memcpy(copy + 4, blob, size);
	free(blob);
	header_fails(copy + 4, "not 8-byte aligned");
	free(copy);
}

TEST(header_bad_magic)
{
	uint64_t hdr[5] = { 0 };

	put_be32(hdr, 0xfeedd00d);
	put_be32((char *)hdr + 4, 1024);
	header_fails(hdr, "bad magic");
}

TEST(header_absurd_size)
{
	static const uint32_t sizes[] = { 0, 39, 0x80000000, 0xffffffff,
					  (2U << 20) + 1 };
	uint64_t hdr[5] = { 0 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		put_be32(hdr, 0xd00dfeed);
		put_be32((char *)hdr + 4, sizes[i]);
		header_fails(hdr, "implausible totalsize");
	}
}

/* a short error buffer: message cut, still terminated */
TEST(error_truncated)
{
	char err[12];

	memset(err, '#', sizeof(err));
	CHECK(dt_check_header(NULL, NULL, err, 8) != 0);
	CHECK_EQ(strlen(err), 7);
	CHECK_EQ(err[8], '#');
}

/* a blob with one thing broken: dt_parse fails, naming it corrupt */
static void parse_corrupt(char *blob, const char *what)
{
	char err[ERRLEN] = "";
	struct dt_info info;
	int ret = dt_parse(blob, &info, err, sizeof(err));

	CHECKF(ret != 0, "%s: parsed", what);
	CHECKF(strstr(err, "corrupt device tree"), "%s: \"%s\"", what, err);
}

#define OFF_STRUCT 8
#define OFF_STRINGS 12
#define SIZE_STRINGS 32
#define SIZE_STRUCT 36

TEST(corrupt_blobs)
{
	size_t size;
	char *good = load("virt", &size), *b = malloc(size);
	uint32_t st, st_size;

	CHECK(b);
	st = get_be32(good + OFF_STRUCT);
	st_size = get_be32(good + SIZE_STRUCT);
	CHECK(st_size > 64 && st + st_size <= size);

	memcpy(b, good, size);
	put_be32(b, 0xd00dfeee);
	parse_corrupt(b, "magic");

	memcpy(b, good, size);
	put_be32(b + SIZE_STRUCT, st_size / 2);
	parse_corrupt(b, "struct block cut in half");

	memcpy(b, good, size);
	put_be32(b + SIZE_STRUCT, st_size - 4);
	parse_corrupt(b, "struct block without FDT_END");

	memcpy(b, good, size);
	put_be32(b + st, 0x12345678);
	parse_corrupt(b, "first tag not FDT_BEGIN_NODE");

	memcpy(b, good, size);
	put_be32(b + st + st_size - 4, 0x2); /* FDT_END -> FDT_END_NODE */
	parse_corrupt(b, "FDT_END overwritten");

	memcpy(b, good, size);
	put_be32(b + st + st_size - 8, 0x1); /* last END_NODE -> BEGIN */
	parse_corrupt(b, "unbalanced nodes");

	memcpy(b, good, size);
	put_be32(b + 4, get_be32(good + 4) - 0x40); /* totalsize */
	put_be32(b + SIZE_STRINGS, get_be32(good + SIZE_STRINGS) + 0x40);
	parse_corrupt(b, "strings past totalsize");

	memcpy(b, good, size);
	put_be32(b + OFF_STRUCT, (uint32_t)size);
	parse_corrupt(b, "struct block past the end");

	/* the good one still parses: the checks above did not pass by
	 * accident of a broken copy */
	memcpy(b, good, size);
	{
		struct dt_info info;
		char err[ERRLEN] = "";
		CHECKF(dt_parse(b, &info, err, sizeof(err)) == 0, "%s", err);
	}
	free(good);
	free(b);
}
