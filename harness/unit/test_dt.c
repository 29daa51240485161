/*
 * hyp/dt.c: parsing device trees compiled at test time with dtc from
 * harness/unit/dts/ (virt.dts is QEMU's; each other file changes one
 * thing). The directory is found next to this source file, relative to
 * the working directory (the repository's root), or in $UNIT_DTS_DIR.
 */
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
