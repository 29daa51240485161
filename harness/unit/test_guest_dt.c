/*
 * vm/guest_dt.c: guest device trees built from host trees compiled at test
 * time with dtc from harness/unit/dts/: qemu-virt-smp2.dts is QEMU 10's own
 * (dumped, unedited) and the guest-*.dts files change it. Every host tree
 * gets two /memreserve/ entries here (load_host). The directory is found
 * next to this source file, relative to the working directory (the
 * repository's root), or in $UNIT_DTS_DIR.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp/config.h"
#include "hyp/guest_dt.h"
#include "unit.h"

#define ERRLEN 200
#define OUTLEN 65536
#define VIRT "qemu-virt-smp2"
#define RAM_BASE 0x50000000ULL
#define RAM_SIZE 0x10000000ULL
#define INITRD 0x5c000000ULL
#define INITRD_SIZE 0x200000ULL
#define BOOTARGS "console=ttyAMA0 rdinit=/init"

static const struct guest_dt_config default_cfg = {
	.ram_base = RAM_BASE,
	.ram_size = RAM_SIZE,
	.initrd_start = INITRD,
	.initrd_size = INITRD_SIZE,
	.bootargs = BOOTARGS,
	.ncpus = 2,
};

/* name.dts compiled by dtc with options opts, in a malloc'd buffer */
static void *compile_opts(const char *name, const char *opts, size_t *size)
{
	return unit_dtc(name, opts, size);
}

static void *compile(const char *name, size_t *size)
{
	return compile_opts(name, "", size);
}

/* the host tree: name.dts plus /memreserve/ entries, as hypnest gets it */
static void *load_host(const char *name)
{
	size_t size;
	void *blob = compile(name, &size), *host = malloc(size + 256);

	CHECK(host);
	CHECK_EQ(fdt_open_into(blob, host, (int)size + 256), 0);
	free(blob);
	CHECK_EQ(fdt_add_mem_rsv(host, 0x48000000, 0x100000), 0);
	CHECK_EQ(fdt_add_mem_rsv(host, 0x7f000000, 0x1000000), 0);
	CHECK_EQ(fdt_pack(host), 0);
	return host;
}

static int build(const void *host, const struct guest_dt_config *cfg, void *out,
		 size_t outlen, char *err)
{
	err[0] = '\0';
	return guest_dt_build(host, out, outlen, cfg, err, ERRLEN);
}

/* the guest tree, which must build and pass fdt_check_full */
static void *build_ok(const void *host, const struct guest_dt_config *cfg)
{
	char err[ERRLEN];
	void *out = malloc(OUTLEN);

	CHECK(out);
	CHECKF(!build(host, cfg, out, OUTLEN, err), "refused: %s", err);
	CHECK_EQ(fdt_check_full(out, fdt_totalsize(out)), 0);
	CHECK(fdt_totalsize(out) <= guest_dt_size_bound(host, cfg));
	return out;
}

static void build_fails(const void *host, const struct guest_dt_config *cfg,
			const char *what)
{
	char err[ERRLEN];
	void *out = malloc(OUTLEN);

	CHECK(out);
	CHECKF(build(host, cfg, out, OUTLEN, err), "built, expected \"%s\"",
	       what);
	free(out);
	CHECKF(!strncmp(err, "guest DT: ", 10), "\"%s\"", err);
	CHECKF(strstr(err, what), "\"%s\" lacks \"%s\"", err, what);
}

static int node(const void *fdt, const char *path)
{
	return fdt_path_offset(fdt, path);
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
	int n = node(fdt, path);

	return n < 0 ? NULL : fdt_getprop(fdt, n, prop, NULL);
}

static bool has_prop(const void *fdt, const char *path, const char *prop)
{
	int n = node(fdt, path);

	return n >= 0 && fdt_getprop(fdt, n, prop, NULL);
}

static uint64_t u64_prop(const void *fdt, const char *path, const char *prop)
{
	int len, n = node(fdt, path);
	const fdt64_t *p = n < 0 ? NULL : fdt_getprop(fdt, n, prop, &len);

	CHECKF(p, "%s %s missing", path, prop);
	CHECKF(len == 8, "%s %s is %d bytes, not 8", path, prop, len);
	return fdt64_ld(p);
}

static uint32_t u32_prop(const void *fdt, const char *path, const char *prop)
{
	int len, n = node(fdt, path);
	const fdt32_t *p = n < 0 ? NULL : fdt_getprop(fdt, n, prop, &len);

	CHECKF(p, "%s %s missing", path, prop);
	CHECKF(len == 4, "%s %s is %d bytes, not 4", path, prop, len);
	return fdt32_ld(p);
}

/* the same property, byte for byte, in both trees */
static void same_prop(const void *a, const void *b, const char *path,
		      const char *prop)
{
	int la, lb;
	const void *pa = fdt_getprop(a, node(a, path), prop, &la);
	const void *pb = fdt_getprop(b, node(b, path), prop, &lb);

	CHECKF(pa && pb, "%s %s: missing", path, prop);
	CHECKF(la == lb && !memcmp(pa, pb, (size_t)la), "%s %s differs", path,
	       prop);
}

static int count_compat(const void *fdt, const char *compat)
{
	int n = 0, off = -1;

	while ((off = fdt_node_offset_by_compatible(fdt, off, compat)) >= 0)
		n++;
	return n;
}

static int count_props(const void *fdt, int n)
{
	int prop, count = 0;

	fdt_for_each_property_offset (prop, fdt, n)
		count++;
	return count;
}

/* ---------------------------------------------------------------- memory */

/* Every memory range of the tree lies in guest RAM, and together they are
 * exactly the guest RAM. */
static void check_memory(const void *fdt, uint64_t base, uint64_t size,
			 int cells)
{
	char path[64];
	int n, len, nodes = 0;
	const fdt32_t *reg;

	for (n = fdt_next_node(fdt, -1, NULL); n >= 0;
	     n = fdt_next_node(fdt, n, NULL)) {
		const char *type = fdt_getprop(fdt, n, "device_type", NULL);
		if (type && !strcmp(type, "memory"))
			nodes++;
	}
	CHECK_EQ(nodes, 1);
	snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)base);
	n = node(fdt, path);
	CHECKF(n >= 0, "%s missing", path);
	CHECK_EQ(fdt_parent_offset(fdt, n), 0);
	CHECK_STR(str(fdt, path, "device_type"), "memory");
	reg = fdt_getprop(fdt, n, "reg", &len);
	CHECK(reg);
	CHECK_EQ(len, 2 * cells * 4);
	if (cells == 2) {
		CHECK_EQ((uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1),
			 base);
		CHECK_EQ((uint64_t)fdt32_ld(reg + 2) << 32 | fdt32_ld(reg + 3),
			 size);
	} else {
		CHECK_EQ(fdt32_ld(reg), base);
		CHECK_EQ(fdt32_ld(reg + 1), size);
	}
	/* nothing of the host's memory map */
	CHECK_EQ(fdt_num_mem_rsv(fdt), 0);
	CHECK(node(fdt, "/reserved-memory") < 0);
}

TEST(memory_is_guest_ram_only)
{
	void *host = load_host(VIRT), *out;

	CHECK_EQ(fdt_num_mem_rsv(host), 2);
	out = build_ok(host, &default_cfg);
	check_memory(out, RAM_BASE, RAM_SIZE, 2);
	CHECK(node(out, "/memory@40000000") < 0);
	free(out);
	free(host);
}

TEST(memory_reserved_nodes_removed)
{
	const fdt32_t hyp_reg[] = { 0, cpu_to_fdt32(0x40000000), 0,
				    cpu_to_fdt32(0x400000) };
	void *host = load_host("guest-extras"), *out;
	int rm;

	/* give the host a /reserved-memory to lose */
	host = realloc(host, fdt_totalsize(host) + 512);
	CHECK(host);
	CHECK_EQ(fdt_open_into(host, host, fdt_totalsize(host) + 512), 0);
	rm = fdt_add_subnode(host, 0, "reserved-memory");
	CHECK(rm >= 0);
	rm = fdt_add_subnode(host, rm, "hyp@40000000");
	CHECK(rm >= 0);
	CHECK_EQ(fdt_setprop(host, rm, "reg", hyp_reg, sizeof(hyp_reg)), 0);
	out = build_ok(host, &default_cfg);
	check_memory(out, RAM_BASE, RAM_SIZE, 2);
	free(out);
	free(host);
}

TEST(memory_above_4g)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT), *out;

	cfg.ram_base = 0x100000000ULL;
	cfg.ram_size = 0x140000000ULL;
	cfg.initrd_start = 0x200000000ULL;
	out = build_ok(host, &cfg);
	check_memory(out, cfg.ram_base, cfg.ram_size, 2);
	free(out);
	free(host);
}

TEST(memory_one_cell_root)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host("guest-cells1"), *out;

	cfg.ncpus = 1;
	out = build_ok(host, &cfg);
	check_memory(out, RAM_BASE, RAM_SIZE, 1);
	free(out);
	cfg.ram_base = 0x100000000ULL;
	cfg.initrd_size = 0;
	build_fails(host, &cfg, "does not fit the root's #address-cells");
	free(host);
}

/* ---------------------------------------------------------------- cpus */

/* cpu@0..cpu@<n-1> first under /cpus, in order, with host phandles on
 * the first host_n ones only; no cpu-map; phandles unique in the tree. */
static void check_cpus(const void *fdt, unsigned n, unsigned host_n)
{
	static const uint32_t host_phandles[] = { 0x8002, 0x8001 };
	int cpus = node(fdt, "/cpus"), child;
	unsigned i = 0;
	uint32_t seen[64];
	int nseen = 0;

	CHECK(cpus >= 0);
	CHECK(node(fdt, "/cpus/cpu-map") < 0);
	fdt_for_each_subnode (child, fdt, cpus) {
		const char *type = fdt_getprop(fdt, child, "device_type", NULL);
		char name[16], path[32];
		if (!type || strcmp(type, "cpu"))
			continue;
		snprintf(name, sizeof(name), "cpu@%x", i);
		snprintf(path, sizeof(path), "/cpus/%s", name);
		CHECK_STR(fdt_get_name(fdt, child, NULL), name);
		CHECK_EQ(u32_prop(fdt, path, "reg"), i);
		CHECK_STR(str(fdt, path, "compatible"), "arm,cortex-a57");
		CHECK_STR(str(fdt, path, "enable-method"), "psci");
		if (i < host_n)
			CHECK_EQ(fdt_get_phandle(fdt, child), host_phandles[i]);
		else
			CHECK_EQ(fdt_get_phandle(fdt, child), 0);
		i++;
	}
	CHECK_EQ(i, n);
	for (child = fdt_next_node(fdt, -1, NULL); child >= 0;
	     child = fdt_next_node(fdt, child, NULL)) {
		uint32_t ph = fdt_get_phandle(fdt, child);
		if (!ph)
			continue;
		for (int k = 0; k < nseen; k++)
			CHECKF(seen[k] != ph, "phandle 0x%x twice", ph);
		CHECK(nseen < 64);
		seen[nseen++] = ph;
	}
}

TEST(cpus_1_2_4_from_2)
{
	static const unsigned counts[] = { 1, 2, 4, MAX_CPUS };
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT);

	for (unsigned i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		void *out;
		cfg.ncpus = counts[i];
		out = build_ok(host, &cfg);
		check_cpus(out, counts[i], 2);
		free(out);
	}
	free(host);
}

TEST(cpus_from_single_cpu_host)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host("guest-smp1"), *out;

	CHECK(!has_prop(host, "/cpus/cpu@0", "enable-method"));
	cfg.ncpus = 3;
	out = build_ok(host, &cfg);
	check_cpus(out, 3, 1);
	CHECK_STR(str(out, "/cpus/cpu@2", "device_type"), "cpu");
	free(out);
	free(host);
}

TEST(cpus_other_children_kept)
{
	void *host = load_host("guest-extras"), *out;

	out = build_ok(host, &default_cfg);
	check_cpus(out, 2, 2);
	CHECK_STR(str(out, "/cpus/l2-cache", "compatible"), "cache");
	free(out);
	free(host);
}

TEST(cpus_count_refused)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT);

	cfg.ncpus = 0;
	build_fails(host, &cfg, "0 vCPUs: must be 1 to");
	cfg.ncpus = MAX_CPUS + 1;
	build_fails(host, &cfg, "vCPUs: must be 1 to");
	free(host);
}

/* ---------------------------------------------------------------- psci */

TEST(psci_hvc_without_01_ids)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	void *host = load_host(VIRT), *out;
	int len;
	const void *p;

	CHECK_STR(str(host, "/psci", "method"), "smc");
	CHECK(has_prop(host, "/psci", "cpu_on"));
	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/psci", "method"), "hvc");
	p = fdt_getprop(out, node(out, "/psci"), "compatible", &len);
	CHECK(p);
	CHECK_EQ(len, sizeof(compat));
	CHECK(!memcmp(p, compat, sizeof(compat)));
	CHECK(!has_prop(out, "/psci", "cpu_on"));
	CHECK(!has_prop(out, "/psci", "cpu_off"));
	CHECK(!has_prop(out, "/psci", "migrate"));
	CHECK(!has_prop(out, "/psci", "cpu_suspend"));
	free(out);
	free(host);
}

TEST(psci_01_keeps_function_ids)
{
	void *host = load_host("guest-psci01"), *out;

	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/psci", "method"), "hvc");
	CHECK_STR(str(out, "/psci", "compatible"), "arm,psci");
	CHECK_EQ(u32_prop(out, "/psci", "cpu_on"), 0xc4000003);
	CHECK_EQ(u32_prop(out, "/psci", "cpu_off"), 0x84000002);
	CHECK_EQ(u32_prop(out, "/psci", "migrate"), 0xc4000005);
	CHECK_EQ(u32_prop(out, "/psci", "cpu_suspend"), 0xc4000001);
	free(out);
	free(host);
}

TEST(psci_added_when_missing)
{
	void *host = load_host("guest-no-psci"), *out;

	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/psci", "method"), "hvc");
	CHECK_STR(str(out, "/psci", "compatible"), "arm,psci-0.2");
	free(out);
	free(host);
}

/* ---------------------------------------------------------------- chosen */

TEST(chosen_bootargs_initrd)
{
	void *host = load_host(VIRT), *out;

	CHECK(has_prop(host, "/chosen", "rng-seed"));
	CHECK(has_prop(host, "/chosen", "kaslr-seed"));
	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/chosen", "bootargs"), BOOTARGS);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), INITRD);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-end"),
		 INITRD + INITRD_SIZE);
	CHECK_STR(str(out, "/chosen", "stdout-path"), "/pl011@9000000");
	CHECK(!has_prop(out, "/chosen", "rng-seed"));
	CHECK(!has_prop(out, "/chosen", "kaslr-seed"));
	CHECK_EQ(count_props(out, node(out, "/chosen")), 4);
	free(out);
	free(host);
}

TEST(chosen_host_values_replaced)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host("guest-extras"), *out;

	CHECK_STR(str(host, "/chosen", "bootargs"), "log=debug");
	cfg.initrd_start = RAM_BASE;
	cfg.initrd_size = RAM_SIZE; /* all of RAM: still inside */
	out = build_ok(host, &cfg);
	CHECK_STR(str(out, "/chosen", "bootargs"), BOOTARGS);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), RAM_BASE);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-end"),
		 RAM_BASE + RAM_SIZE);
	CHECK(!has_prop(out, "/chosen", "linux,usable-memory-range"));
	CHECK(node(out, "/chosen/framebuffer@0") < 0);
	free(out);
	free(host);
}

TEST(chosen_without_bootargs_or_initrd)
{
	static const char *const none[] = { NULL, "" };
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host("guest-extras");

	cfg.initrd_size = 0;
	for (int i = 0; i < 2; i++) {
		void *out;
		cfg.bootargs = none[i];
		out = build_ok(host, &cfg);
		CHECK(!has_prop(out, "/chosen", "bootargs"));
		CHECK(!has_prop(out, "/chosen", "linux,initrd-start"));
		CHECK(!has_prop(out, "/chosen", "linux,initrd-end"));
		CHECK_STR(str(out, "/chosen", "stdout-path"), "/pl011@9000000");
		CHECK_EQ(count_props(out, node(out, "/chosen")), 1);
		CHECK_EQ(fdt_first_subnode(out, node(out, "/chosen")),
			 -FDT_ERR_NOTFOUND);
		free(out);
	}
	free(host);
}

TEST(chosen_stdout_path_added)
{
	void *host = load_host("guest-no-stdout"), *out;

	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/chosen", "stdout-path"), "/pl011@9000000");
	free(out);
	free(host);
}

TEST(chosen_missing_is_added)
{
	void *host = load_host(VIRT), *out;

	CHECK_EQ(fdt_del_node(host, node(host, "/chosen")), 0);
	out = build_ok(host, &default_cfg);
	CHECK_STR(str(out, "/chosen", "bootargs"), BOOTARGS);
	CHECK_STR(str(out, "/chosen", "stdout-path"), "/pl011@9000000");
	free(out);
	free(host);
}

/* ---------------------------------------------------------------- devices */

TEST(root_children_exactly)
{
	static const char *const want[] = {
		"memory@50000000", "psci",    "pl011@9000000",
		"intc@8000000",	   "cpus",    "timer",
		"apb-pclk",	   "aliases", "chosen",
	};
	void *host = load_host(VIRT), *out = build_ok(host, &default_cfg);
	int child, n = 0;

	fdt_for_each_subnode (child, out, 0) {
		const char *name = fdt_get_name(out, child, NULL);
		bool found = false;
		for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			found |= !strcmp(name, want[i]);
		CHECKF(found, "unexpected root child %s", name);
		n++;
	}
	CHECK_EQ(n, sizeof(want) / sizeof(want[0]));
	free(out);
	free(host);
}

TEST(host_devices_removed)
{
	static const char *const gone[] = {
		"cfi-flash",	   "qemu,fw-cfg-mmio",
		"virtio,mmio",	   "pci-host-ecam-generic",
		"arm,pl061",	   "arm,pl031",
		"gpio-keys",	   "qemu,platform",
		"arm,armv8-pmuv3", "arm,gic-v3-its",
	};
	void *host = load_host(VIRT), *out = build_ok(host, &default_cfg);

	for (unsigned i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		CHECKF(count_compat(host, gone[i]) > 0, "%s not in host",
		       gone[i]);
		CHECKF(count_compat(out, gone[i]) == 0, "%s kept", gone[i]);
	}
	CHECK(node(out, "/flash@0") < 0);
	CHECK(node(out, "/fw-cfg@9020000") < 0);
	CHECK(node(out, "/pcie@10000000") < 0);
	CHECK(node(out, "/virtio_mmio@a000000") < 0);
	free(out);
	free(host);
}

TEST(gic_kept_without_its)
{
	void *host = load_host(VIRT), *out = build_ok(host, &default_cfg);
	int gic = fdt_node_offset_by_compatible(out, -1, "arm,gic-v3");

	CHECK_EQ(count_compat(out, "arm,gic-v3"), 1);
	CHECK(gic >= 0);
	CHECK(node(out, "/intc@8000000/its@8080000") < 0);
	CHECK_EQ(fdt_first_subnode(out, gic), -FDT_ERR_NOTFOUND);
	same_prop(host, out, "/intc@8000000", "reg");
	same_prop(host, out, "/intc@8000000", "interrupts");
	same_prop(host, out, "/intc@8000000", "#redistributor-regions");
	same_prop(host, out, "/intc@8000000", "phandle");
	CHECK(has_prop(out, "/intc@8000000", "interrupt-controller"));
	CHECK_EQ(fdt_node_offset_by_phandle(
		     out, u32_prop(out, "/", "interrupt-parent")),
		 gic);
	same_prop(host, out, "/timer", "interrupts");
	free(out);
	free(host);
}

TEST(uart_and_its_clock_kept)
{
	void *host = load_host(VIRT), *out = build_ok(host, &default_cfg);
	const fdt32_t *clocks;
	int len, clk;

	same_prop(host, out, "/pl011@9000000", "reg");
	same_prop(host, out, "/pl011@9000000", "interrupts");
	same_prop(host, out, "/pl011@9000000", "compatible");
	clocks = fdt_getprop(out, node(out, "/pl011@9000000"), "clocks", &len);
	CHECK(clocks);
	CHECK_EQ(len, 8);
	for (int i = 0; i < 2; i++) {
		clk = fdt_node_offset_by_phandle(out, fdt32_ld(clocks + i));
		CHECK(clk >= 0);
		CHECK_EQ(clk, node(out, "/apb-pclk"));
	}
	CHECK_STR(str(out, "/apb-pclk", "compatible"), "fixed-clock");
	CHECK_EQ(u32_prop(out, "/apb-pclk", "clock-frequency"), 24000000);
	CHECK_EQ(count_compat(out, "arm,pl011"), 1);
	free(out);
	free(host);
}

TEST(clock_references_followed)
{
	void *host = load_host("guest-extras"), *out;

	out = build_ok(host, &default_cfg);
	/* pl011 -> apb-pclk -> osc; unused-clk is referenced by nothing */
	CHECK_EQ(u32_prop(out, "/osc", "clock-frequency"), 48000000);
	CHECK(node(out, "/unused-clk") < 0);
	free(out);
	free(host);
}

TEST(aliases_pruned)
{
	void *host = load_host("guest-extras"), *out;
	int aliases;

	CHECK_EQ(count_props(host, node(host, "/aliases")), 4);
	out = build_ok(host, &default_cfg);
	aliases = node(out, "/aliases");
	CHECK(aliases >= 0);
	CHECK_STR(str(out, "/aliases", "serial0"), "/pl011@9000000");
	CHECK_EQ(count_props(out, aliases), 1);
	free(out);
	free(host);
}

TEST(nested_uart_keeps_its_bus_only)
{
	void *host = load_host("guest-nested-uart"), *out;
	int soc, child, n = 0;

	out = build_ok(host, &default_cfg);
	soc = node(out, "/soc");
	CHECK(soc >= 0);
	fdt_for_each_subnode (child, out, soc)
		n++;
	CHECK_EQ(n, 1);
	same_prop(host, out, "/soc/serial@9000000", "reg");
	CHECK(node(out, "/apb-pclk") >= 0);
	CHECK_EQ(count_compat(out, "virtio,mmio"), 0);
	CHECK_STR(str(out, "/chosen", "stdout-path"), "serial0:115200n8");
	CHECK_STR(str(out, "/aliases", "serial0"), "/soc/serial@9000000");
	free(out);
	free(host);
}

TEST(root_properties_kept)
{
	static const char *const props[] = {
		"compatible",	    "model",
		"#address-cells",   "#size-cells",
		"interrupt-parent", "dma-coherent"
	};
	void *host = load_host(VIRT), *out = build_ok(host, &default_cfg);

	for (unsigned i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		same_prop(host, out, "/", props[i]);
	CHECK_EQ(count_props(out, 0), count_props(host, 0));
	free(out);
	free(host);
}

TEST(host_tree_untouched)
{
	void *host = load_host("guest-extras"), *copy, *out;

	copy = malloc(fdt_totalsize(host));
	CHECK(copy);
	memcpy(copy, host, fdt_totalsize(host));
	out = build_ok(host, &default_cfg);
	CHECK(!memcmp(copy, host, fdt_totalsize(host)));
	free(out);
	free(copy);
	free(host);
}

/* QEMU's own blob has 1 MiB of totalsize, nearly all free space: the
 * guest tree still fits a buffer the size of the used part. */
TEST(host_with_free_space)
{
	void *host = load_host(VIRT), *big = malloc(1 << 20), *out;
	size_t bound;
	char err[ERRLEN];

	CHECK(big);
	CHECK_EQ(fdt_open_into(host, big, 1 << 20), 0);
	CHECK_EQ(fdt_totalsize(big), 1 << 20);
	bound = guest_dt_size_bound(big, &default_cfg);
	CHECK(bound < 16384);
	CHECK_EQ(bound, guest_dt_size_bound(host, &default_cfg));
	out = malloc(bound);
	CHECK(out);
	CHECKF(!build(big, &default_cfg, out, bound, err), "refused: %s", err);
	CHECK_EQ(fdt_check_full(out, fdt_totalsize(out)), 0);
	check_memory(out, RAM_BASE, RAM_SIZE, 2);
	check_cpus(out, 2, 2);
	free(out);
	free(big);
	free(host);
}

/* a version 16 blob (no size_dt_struct in its header) */
TEST(host_version_16)
{
	size_t size;
	void *host = compile_opts(VIRT, "-V 16", &size), *out;

	CHECK_EQ(fdt_version(host), 16);
	out = build_ok(host, &default_cfg);
	CHECK_EQ(fdt_version(out), 17);
	check_memory(out, RAM_BASE, RAM_SIZE, 2);
	check_cpus(out, 2, 2);
	free(out);
	free(host);
}

/* ---------------------------------------------------------------- errors */

/* Build into a buffer of exactly len bytes (ASan sees any write past it):
 * 0, or non-zero with a "need N bytes" message, N being want. */
static int try_size(const void *host, const struct guest_dt_config *cfg,
		    size_t len, const char *want)
{
	char err[ERRLEN];
	void *out = malloc(len);
	int ret;

	CHECK(out);
	ret = build(host, cfg, out, len, err);
	free(out);
	CHECKF(!ret || strstr(err, want), "%zu bytes: \"%s\" lacks \"%s\"", len,
	       err, want);
	return ret;
}

/* Too small a buffer is refused with "need N bytes", N being
 * guest_dt_size_bound(), which is always enough; from the smallest size
 * that works (found to 4 bytes) up to N, every size tried works. */
static void check_sizes(const void *host, const struct guest_dt_config *cfg)
{
	size_t bound = guest_dt_size_bound(host, cfg), fails = 0, works = 0;
	char want[64];

	CHECK(bound > 64);
	snprintf(want, sizeof(want), "buffer too small (need %zu bytes", bound);
	CHECK(!try_size(host, cfg, bound, want));
	for (size_t len = 64; len < bound && !works; len += 256)
		if (try_size(host, cfg, len, want))
			fails = len;
		else
			works = len;
	if (!works)
		works = bound;
	for (size_t len = fails + 4; len < works; len += 4)
		if (!try_size(host, cfg, len, want))
			works = len;
	for (size_t len = works; len < bound; len += 128)
		CHECKF(!try_size(host, cfg, len, want),
		       "%zu bytes refused, %zu were enough", len, works);
}

TEST(buffer_too_small)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT), *out = malloc(512);
	char err[ERRLEN], args[GUEST_BOOTARGS_MAX + 1];

	CHECK(out);
	CHECK(build(host, &cfg, out, 512, err));
	CHECKF(strstr(err, "guest DT: buffer too small (need "), "%s", err);
	CHECKF(strstr(err, "have 512)"), "%s", err);
	free(out);
	check_sizes(host, &cfg);
	cfg.ncpus = MAX_CPUS;
	memset(args, 'a', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	cfg.bootargs = args;
	check_sizes(host, &cfg);
	free(host);
	host = load_host("guest-no-stdout");
	cfg.ncpus = 1;
	cfg.bootargs = NULL;
	cfg.initrd_size = 0;
	check_sizes(host, &cfg);
	free(host);
	host = load_host("guest-smp1");
	cfg.ncpus = MAX_CPUS;
	check_sizes(host, &cfg);
	free(host);
}

TEST(corrupt_host_tree)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT), *out = malloc(OUTLEN);
	char err[ERRLEN];

	CHECK(out);
	CHECK(build(NULL, &cfg, out, OUTLEN, err));
	CHECK_STR(err, "guest DT: no host device tree");
	CHECK(build(host, NULL, out, OUTLEN, err));
	CHECK_STR(err, "guest DT: no configuration");
	CHECK(build(host, &cfg, NULL, OUTLEN, err));
	CHECK_STR(err, "guest DT: no output buffer");
	/* bad magic */
	((uint8_t *)host)[0] ^= 0xff;
	CHECK(build(host, &cfg, out, OUTLEN, err));
	CHECKF(strstr(err, "guest DT: host device tree is corrupt: "), "%s",
	       err);
	CHECK_EQ(guest_dt_size_bound(host, &cfg), 0);
	((uint8_t *)host)[0] ^= 0xff;
	/* a broken tag in the structure block */
	memset((uint8_t *)host + fdt_off_dt_struct(host) + 8, 0xee, 4);
	CHECK(build(host, &cfg, out, OUTLEN, err));
	CHECKF(strstr(err, "guest DT: host device tree is corrupt: "), "%s",
	       err);
	free(host);
	/* totalsize smaller than the blocks */
	host = load_host(VIRT);
	fdt_set_totalsize(host, fdt_totalsize(host) - 64);
	CHECK(build(host, &cfg, out, OUTLEN, err));
	CHECKF(strstr(err, "guest DT: host device tree is corrupt: "), "%s",
	       err);
	free(host);
	/* no /cpus */
	host = load_host(VIRT);
	CHECK_EQ(fdt_del_node(host, node(host, "/cpus")), 0);
	CHECK(build(host, &cfg, out, OUTLEN, err));
	CHECK_STR(err, "guest DT: host device tree has no /cpus");
	free(host);
	free(out);
}

TEST(config_refused)
{
	struct guest_dt_config cfg;
	void *host = load_host(VIRT);
	char args[GUEST_BOOTARGS_MAX + 2], err[ERRLEN];

	cfg = default_cfg;
	cfg.ram_size = 0;
	build_fails(host, &cfg, "guest RAM size is 0");
	cfg = default_cfg;
	cfg.ram_base = RAM_BASE + 0x800;
	cfg.initrd_size = 0;
	build_fails(host, &cfg, "not 4 KiB aligned");
	cfg.ram_base = RAM_BASE;
	cfg.ram_size = RAM_SIZE + 1;
	build_fails(host, &cfg, "not 4 KiB aligned");
	cfg = default_cfg;
	cfg.ram_base = 0xfffffffffff00000ULL;
	build_fails(host, &cfg, "wraps");
	cfg = default_cfg;
	cfg.initrd_start = RAM_BASE - 0x1000;
	build_fails(host, &cfg,
		    "initrd 0x4ffff000 size 0x200000 is not "
		    "inside guest RAM [0x50000000-0x60000000)");
	cfg.initrd_start = RAM_BASE + RAM_SIZE - 0x1000;
	build_fails(host, &cfg, "not inside guest RAM");
	cfg.initrd_start = 0xfffffffffffff000ULL;
	build_fails(host, &cfg, "not inside guest RAM");
	cfg = default_cfg;
	memset(args, 'x', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	cfg.bootargs = args;
	build_fails(host, &cfg, "bootargs of 2048 characters");
	args[sizeof(args) - 2] = '\0';
	free(build_ok(host, &cfg));
	/* the output on top of the input */
	CHECK(build(host, &default_cfg, host, fdt_totalsize(host), err));
	CHECK_STR(err, "guest DT: output buffer overlaps the host device "
		       "tree");
	free(host);
}

TEST(error_message_fits_small_buffer)
{
	struct guest_dt_config cfg = default_cfg;
	void *host = load_host(VIRT), *out = malloc(OUTLEN);
	char err[16];

	CHECK(out);
	cfg.ncpus = 0;
	memset(err, 'x', sizeof(err));
	CHECK(guest_dt_build(host, out, OUTLEN, &cfg, err, sizeof(err)));
	CHECK_EQ(strlen(err), sizeof(err) - 1);
	CHECK(guest_dt_build(host, out, OUTLEN, &cfg, NULL, 0));
	free(out);
	free(host);
}

/* ------------------------------------------------------ multiboot modules */

static const char MOD_KERNEL[] = "multiboot,module\0multiboot,kernel";
static const char MOD_RAMDISK[] = "multiboot,module\0multiboot,ramdisk";
#define MOD_ARGS "root=/dev/ram0 console=hvc0"

/* two payloads below the initrd (0x5c000000), as vm/vm.c places them */
static const struct guest_dt_module two_modules[] = {
	{ .ipa = 0x5bffe000,
	  .size = 0x1388,
	  .compatible = MOD_KERNEL,
	  .compatible_len = sizeof(MOD_KERNEL),
	  .bootargs = MOD_ARGS },
	{ .ipa = 0x5b000000,
	  .size = 0x801003,
	  .compatible = MOD_RAMDISK,
	  .compatible_len = sizeof(MOD_RAMDISK) },
};

static struct guest_dt_config modules_cfg(void)
{
	struct guest_dt_config cfg = default_cfg;

	cfg.modules = two_modules;
	cfg.nmodules = 2;
	return cfg;
}

/* the node's reg is exactly <ipa size> in ac + sc cells */
static void check_reg(const void *fdt, int n, int ac, int sc, uint64_t ipa,
		      uint64_t size)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, n, "reg", &len);
	uint64_t a = 0, s = 0;

	CHECK(p);
	CHECK_EQ(len, (ac + sc) * 4);
	for (int i = 0; i < ac; i++)
		a = a << 32 | fdt32_ld(p + i);
	for (int i = 0; i < sc; i++)
		s = s << 32 | fdt32_ld(p + ac + i);
	CHECK_EQ(a, ipa);
	CHECK_EQ(s, size);
}

static void check_modules(const void *out, const struct guest_dt_config *cfg,
			  int ac)
{
	int chosen = node(out, "/chosen"), n = fdt_first_subnode(out, chosen);

	CHECK_EQ(u32_prop(out, "/chosen", "#address-cells"), ac);
	CHECK_EQ(u32_prop(out, "/chosen", "#size-cells"), ac);
	for (unsigned i = 0; i < cfg->nmodules; i++) {
		const struct guest_dt_module *m = &cfg->modules[i];
		char name[32];
		const void *compat;
		int len;

		/* in the configuration's order, named for their IPA */
		CHECKF(n >= 0, "module %u missing", i);
		snprintf(name, sizeof(name), "module@%llx",
			 (unsigned long long)m->ipa);
		CHECK_STR(fdt_get_name(out, n, NULL), name);
		check_reg(out, n, ac, ac, m->ipa, m->size);
		compat = fdt_getprop(out, n, "compatible", &len);
		CHECK(compat);
		CHECK_EQ(len, m->compatible_len);
		CHECK(!memcmp(compat, m->compatible, (size_t)len));
		if (m->bootargs)
			CHECK_STR(fdt_getprop(out, n, "bootargs", NULL),
				  m->bootargs);
		else
			CHECK(!fdt_getprop(out, n, "bootargs", NULL));
		/* reg, compatible, bootargs: nothing else */
		CHECK_EQ(count_props(out, n), m->bootargs ? 3 : 2);
		n = fdt_next_subnode(out, n);
	}
	CHECK_EQ(n, -FDT_ERR_NOTFOUND);
}

TEST(chosen_modules)
{
	struct guest_dt_config cfg = modules_cfg();
	void *host = load_host("guest-modules"), *out;

	CHECK(node(host, "/chosen/module@0x44000000") >= 0);
	out = build_ok(host, &cfg);
	check_modules(out, &cfg, 2);
	/* the firmware's (hypnest's own) are gone */
	CHECK(node(out, "/chosen/module@0x44000000") < 0);
	CHECK(node(out, "/chosen/module@0x45000000") < 0);
	/* the rest of /chosen as without modules, plus the two cells */
	CHECK_STR(str(out, "/chosen", "bootargs"), BOOTARGS);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), INITRD);
	CHECK_EQ(count_props(out, node(out, "/chosen")), 6);
	free(out);
	/* one module, no initrd: the same */
	cfg.nmodules = 1;
	cfg.initrd_size = 0;
	out = build_ok(host, &cfg);
	check_modules(out, &cfg, 2);
	free(out);
	free(host);
}

TEST(chosen_modules_one_cell)
{
	struct guest_dt_config cfg = modules_cfg();
	void *host = load_host("guest-cells1"), *out;

	out = build_ok(host, &cfg);
	check_modules(out, &cfg, 1);
	free(out);
	free(host);
}

TEST(chosen_without_modules_drops_the_hosts)
{
	void *host = load_host("guest-modules"), *out;

	out = build_ok(host, &default_cfg);
	CHECK_EQ(fdt_first_subnode(out, node(out, "/chosen")),
		 -FDT_ERR_NOTFOUND);
	CHECK(!has_prop(out, "/chosen", "#address-cells"));
	CHECK(!has_prop(out, "/chosen", "#size-cells"));
	free(out);
	free(host);
}

TEST(modules_refused)
{
	struct guest_dt_module mods[GUEST_DT_MAX_MODULES + 1];
	struct guest_dt_config cfg = modules_cfg();
	void *host = load_host(VIRT), *cells1 = load_host("guest-cells1");
	char args[GUEST_BOOTARGS_MAX + 2];

	cfg.modules = mods;
#define RESET()                                                                \
	memcpy(mods, two_modules, sizeof(two_modules));                        \
	cfg.nmodules = 2
	RESET();
	mods[1].ipa = RAM_BASE - 0x1000;
	build_fails(host, &cfg,
		    "module 1 0x4ffff000 size 0x801003 is not inside guest "
		    "RAM [0x50000000-0x60000000)");
	RESET();
	mods[0].ipa = RAM_BASE + RAM_SIZE - 0x1000;
	build_fails(host, &cfg,
		    "module 0 0x5ffff000 size 0x1388 is not inside");
	RESET();
	mods[0].ipa = 0xfffffffffffff000ULL;
	build_fails(host, &cfg,
		    "module 0 0xfffffffffffff000 size 0x1388 is "
		    "not inside");
	RESET();
	mods[1].size = 0;
	build_fails(host, &cfg, "module 1 0x5b000000 size 0x0 is not inside");
	RESET();
	mods[0].ipa = INITRD + INITRD_SIZE - 0x1000;
	build_fails(host, &cfg, "module 0 overlaps the initrd");
	RESET();
	mods[1].ipa = 0x5bffd000;
	mods[1].size = 0x2000;
	build_fails(host, &cfg, "module 1 overlaps module 0");
	RESET();
	mods[0].compatible_len = 0;
	build_fails(host, &cfg,
		    "module 0: compatible is empty or not "
		    "NUL-terminated");
	RESET();
	mods[1].compatible_len--;
	build_fails(host, &cfg,
		    "module 1: compatible is empty or not "
		    "NUL-terminated");
	RESET();
	mods[1].compatible = NULL;
	build_fails(host, &cfg, "module 1: compatible is empty");
	RESET();
	memset(args, 'x', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	mods[0].bootargs = args;
	build_fails(host, &cfg,
		    "module 0: bootargs of 2048 characters: at "
		    "most 2047");
	args[sizeof(args) - 2] = '\0';
	free(build_ok(host, &cfg));
	RESET();
	cfg.modules = NULL;
	build_fails(host, &cfg, "modules missing");
	cfg.modules = mods;
	/* GUEST_DT_MAX_MODULES fit; one more is refused */
	for (unsigned i = 0; i <= GUEST_DT_MAX_MODULES; i++)
		mods[i] = (struct guest_dt_module){
			.ipa = RAM_BASE + 0x100000 * (i + 1),
			.size = 0x1000,
			.compatible = MOD_KERNEL,
			.compatible_len = sizeof(MOD_KERNEL),
		};
	cfg.nmodules = GUEST_DT_MAX_MODULES;
	free(build_ok(host, &cfg));
	cfg.nmodules = GUEST_DT_MAX_MODULES + 1;
	build_fails(host, &cfg, "9 modules: at most 8");
	/* a root of one cell cannot say an IPA at 4 GiB (the RAM, below it,
	 * can reach there) */
	cfg = default_cfg;
	cfg.ram_size = 0xf0000000ULL;
	cfg.modules = mods;
	cfg.nmodules = 1;
	mods[0].ipa = 0x100000000ULL;
	build_fails(cells1, &cfg,
		    "module 0 0x100000000 size 0x1000 does "
		    "not fit the root's "
		    "#address-cells/#size-cells");
	mods[0].ipa = 0xfffff000ULL;
	free(build_ok(cells1, &cfg));
#undef RESET
	free(cells1);
	free(host);
}

TEST(modules_buffer_bound)
{
	struct guest_dt_config cfg = modules_cfg();
	struct guest_dt_module mods[GUEST_DT_MAX_MODULES];
	static char args[GUEST_BOOTARGS_MAX + 1];
	void *host = load_host("guest-modules");

	check_sizes(host, &cfg);
	memset(args, 'a', sizeof(args) - 1);
	for (unsigned i = 0; i < GUEST_DT_MAX_MODULES; i++)
		mods[i] = (struct guest_dt_module){
			.ipa = 0x5ff000000000ULL + 0x1000000ULL * i,
			.size = 0x1000,
			.compatible = MOD_RAMDISK,
			.compatible_len = sizeof(MOD_RAMDISK),
			.bootargs = args,
		};
	cfg.ram_size = 0x600000000000ULL - RAM_BASE;
	cfg.modules = mods;
	cfg.nmodules = GUEST_DT_MAX_MODULES;
	check_sizes(host, &cfg);
	free(host);
}
