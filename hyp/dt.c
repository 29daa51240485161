/*
 * Reading the firmware's device tree. Bindings followed: the DT
 * specification (memory, cpus, chosen, /memreserve/, reserved-memory),
 * Linux's arm,gic-v3, arm,armv8-timer, arm,psci and arm,pl011 bindings, and
 * the multiboot modules of /chosen (Xen's docs/misc/arm/device-tree/
 * booting.txt; what QEMU's -device guest-loader writes).
 * "ranges" translation is not applied: the devices hypnest uses must sit
 * at the root or under a bus with identity ranges, as on QEMU virt.
 */
#include <libfdt.h>

#include "hyp/dt.h"
#include "hyp/lib.h"

#define FDT_MAX_SIZE (2U << 20) /* a sane DTB is far smaller */

static int fail(char *err, size_t len, const char *fmt, const char *what)
{
	hyp_snprintf(err, len, fmt, what);
	return -1;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int dt_check_header(const void *fdt, uint32_t *totalsize, char *err,
		    size_t errlen)
{
	const uint8_t *p = fdt;

	if (!fdt)
		return fail(
		    err, errlen, "%s",
		    "no device tree: x0 was 0 at entry (the boot protocol "
		    "passes the DTB's address in x0)");
	if ((uintptr_t)fdt & 7)
		return fail(err, errlen, "%s",
			    "device tree address in x0 is not 8-byte aligned");
	if (be32_at(p) != FDT_MAGIC)
		return fail(
		    err, errlen, "%s",
		    "corrupt device tree: bad magic (expected 0xd00dfeed)");
	*totalsize = be32_at(p + 4);
	if (*totalsize < 40 || *totalsize > FDT_MAX_SIZE)
		return fail(err, errlen, "%s",
			    "corrupt device tree: implausible totalsize");
	return 0;
}

/* Read cell values; cells is 1 or 2. */
static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/* The n-th (address, size) pair of a node's reg, using its parent's
 * #address-cells / #size-cells. */
static int node_reg(const void *fdt, int node, int n, struct mem_range *r)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent),
	    sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (n + 1) * (ac + sc) * 4)
		return -1;
	reg += n * (ac + sc);
	r->base = read_cells(reg, ac);
	r->size = read_cells(reg + ac, sc);
	return 0;
}

static int parse_memory(const void *fdt, struct dt_info *info, char *err,
			size_t errlen)
{
	int node;

	fdt_for_each_subnode (node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		struct mem_range r;
		if (!type || strcmp(type, "memory"))
			continue;
		for (int i = 0; !node_reg(fdt, node, i, &r); i++) {
			if (!r.size)
				continue;
			if (info->nmem == DT_MAX_MEM)
				return fail(
				    err, errlen, "%s",
				    "device tree: too many memory ranges");
			info->mem[info->nmem++] = r;
		}
	}
	if (!info->nmem)
		return fail(
		    err, errlen, "%s",
		    "device tree: no memory node (device_type = \"memory\")");
	return 0;
}

/* Dropping a reserved range would let its memory be handed out: fail. */
static int add_reserved(struct dt_info *info, uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	if (info->nreserved == DT_MAX_RESERVED)
		return -1;
	info->reserved[info->nreserved++] = (struct mem_range){ base, size };
	return 0;
}

static int parse_reserved(const void *fdt, struct dt_info *info, char *err,
			  size_t errlen)
{
	uint64_t base, size;
	int node = fdt_path_offset(fdt, "/reserved-memory"), ret = 0;

	for (int i = 0; i < fdt_num_mem_rsv(fdt) && !ret; i++)
		if (!fdt_get_mem_rsv(fdt, i, &base, &size))
			ret = add_reserved(info, base, size);
	if (node >= 0) {
		fdt_for_each_subnode (node, fdt, node) {
			struct mem_range r;
			for (int i = 0; !ret && !node_reg(fdt, node, i, &r);
			     i++)
				ret = add_reserved(info, r.base, r.size);
		}
	}
	if (ret)
		return fail(err, errlen, "%s",
			    "device tree: too many reserved memory ranges");
	return 0;
}

static int parse_cpus(const void *fdt, struct dt_info *info, char *err,
		      size_t errlen)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	int ac = fdt_address_cells(fdt, cpus);

	if (cpus < 0)
		return fail(err, errlen, "%s", "device tree: no /cpus node");
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;
		if (!type || strcmp(type, "cpu"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || ac < 1 || ac > 2 || len < ac * 4)
			return fail(
			    err, errlen, "%s",
			    "device tree: cpu node without a valid reg");
		if (info->ncpus == MAX_CPUS) {
			info->ncpus_ignored++;
			continue;
		}
		info->cpu_mpidr[info->ncpus++] = read_cells(reg, ac);
	}
	if (!info->ncpus)
		return fail(err, errlen, "%s", "device tree: no cpu nodes");
	return 0;
}

static const char *const gicv2_compatibles[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,gic-v2"
};

/* The n-th interrupt specifier of a GIC-parented node, as an INTID:
 * cells are <type number flags>, type 0 = SPI (+32), 1 = PPI (+16). */
static int node_intid(const void *fdt, int node, int n, unsigned *intid)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

	if (!p || len < (n + 1) * 12)
		return -1;
	p += n * 3;
	*intid = fdt32_ld(p + 1) + (fdt32_ld(p) == 1 ? 16 : 32);
	return 0;
}

static int parse_gic(const void *fdt, struct dt_info *info, char *err,
		     size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	const fdt32_t *p;
	unsigned nregions = 1;

	if (node < 0) {
		for (unsigned i = 0; i < ARRAY_SIZE(gicv2_compatibles); i++)
			if (fdt_node_offset_by_compatible(
				fdt, -1, gicv2_compatibles[i]) >= 0)
				return fail(err, errlen,
					    "interrupt controller is GICv2 "
					    "(%s): hypnest "
					    "needs a GICv3 (QEMU: -M "
					    "virt,gic-version=3)",
					    gicv2_compatibles[i]);
		return fail(
		    err, errlen, "%s",
		    "device tree: no GICv3 (compatible \"arm,gic-v3\")");
	}
	p = fdt_getprop(fdt, node, "#redistributor-regions", NULL);
	if (p)
		nregions = fdt32_ld(p);
	if (node_reg(fdt, node, 0, &info->gic.gicd) || nregions < 1 ||
	    nregions > DT_MAX_GICR)
		return fail(err, errlen, "%s",
			    "device tree: GICv3 node has a bad reg");
	for (unsigned i = 0; i < nregions; i++)
		if (node_reg(fdt, node, 1 + (int)i, &info->gic.gicr[i]))
			return fail(
			    err, errlen, "%s",
			    "device tree: GICv3 redistributor regions missing");
	info->gic.ngicr = nregions;
	if (node_intid(fdt, node, 0, &info->gic.maint_intid))
		return fail(
		    err, errlen, "%s",
		    "device tree: GICv3 node has no maintenance interrupt");
	return 0;
}

static int parse_uart(const void *fdt, struct dt_info *info, char *err,
		      size_t errlen)
{
	const char *path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
				       "stdout-path", NULL);
	int node = -1;

	if (path) {
		size_t n = strchr(path, ':')
			       ? (size_t)(strchr(path, ':') - path)
			       : strlen(path);
		node = fdt_path_offset_namelen(fdt, path, (int)n);
		if (node >= 0 &&
		    fdt_node_check_compatible(fdt, node, "arm,pl011"))
			node = -1;
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0 || node_reg(fdt, node, 0, &info->uart))
		return fail(
		    err, errlen, "%s",
		    "device tree: no PL011 UART (compatible \"arm,pl011\")");
	/* optional: without it the guest's console has no RX interrupt */
	if (node_intid(fdt, node, 0, &info->uart_intid))
		info->uart_intid = 0;
	return 0;
}

static void parse_timer(const void *fdt, struct dt_info *info)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");

	for (int i = 0; node >= 0 && i < DT_TIMER_COUNT; i++)
		if (node_intid(fdt, node, i, &info->timer_intid[i]))
			break;
}

static int parse_psci(const void *fdt, struct dt_info *info, char *err,
		      size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0) {
		info->psci = DT_PSCI_NONE;
		return 0;
	}
	method = fdt_getprop(fdt, node, "method", NULL);
	if (method && !strcmp(method, "smc"))
		info->psci = DT_PSCI_SMC;
	else if (method && !strcmp(method, "hvc"))
		info->psci = DT_PSCI_HVC;
	else
		return fail(
		    err, errlen, "%s",
		    "device tree: /psci has no method \"smc\" or \"hvc\"");
	return 0;
}

static void parse_chosen(const void *fdt, struct dt_info *info)
{
	const char *args =
	    fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL);

	info->bootargs[0] = '\0';
	if (args)
		hyp_snprintf(info->bootargs, sizeof(info->bootargs), "%s",
			     args);
}

/* A cell count for node's children: node's own property, else its
 * nearest ancestor's (as Linux and Xen read it, and as QEMU's
 * guest-loader relies on for /chosen), else the DT specification's
 * default. */
static int cells_up(const void *fdt, int node, const char *prop, int dflt)
{
	for (; node >= 0; node = node ? fdt_parent_offset(fdt, node) : -1) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

		if (p)
			return len == 4 ? (int)fdt32_ld(p) : -1;
	}
	return dflt;
}

static int module_fail(char *err, size_t errlen, const char *name,
		       const char *why)
{
	hyp_snprintf(err, errlen, "device tree: /chosen/%s: %s", name, why);
	return -1;
}

/* a property that is exactly one NUL-terminated string */
static bool one_string(const char *v, int len)
{
	return v && len > 0 && strnlen(v, (size_t)len) == (size_t)len - 1;
}

static int parse_module(const void *fdt, int node, int ac, int sc,
			struct dt_module *m, char *err, size_t errlen)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	const fdt32_t *reg;
	int len;

	m->name = name ? name : "?";
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len != (ac + sc) * 4)
		return module_fail(err, errlen, m->name,
				   "multiboot module without a reg of exactly "
				   "one <address size> pair in /chosen's "
				   "#address-cells/#size-cells");
	m->r.base = read_cells(reg, ac);
	m->r.size = read_cells(reg + ac, sc);
	if (!m->r.size)
		return module_fail(err, errlen, m->name,
				   "multiboot module of size 0");
	if (m->r.base + m->r.size < m->r.base)
		return module_fail(err, errlen, m->name,
				   "multiboot module range wraps");
	m->compatible = fdt_getprop(fdt, node, "compatible", &len);
	m->compatible_len = len;
	if (!m->compatible || len < 1 || m->compatible[len - 1])
		return module_fail(err, errlen, m->name,
				   "compatible is not NUL-terminated");
	m->bootargs = fdt_getprop(fdt, node, "bootargs", &len);
	if (m->bootargs && !one_string(m->bootargs, len))
		return module_fail(err, errlen, m->name,
				   "bootargs is not one NUL-terminated string");
	return 0;
}

/* The guest's payloads: /chosen's "multiboot,module" children. */
static int parse_modules(const void *fdt, struct dt_info *info, char *err,
			 size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node;
	int ac = cells_up(fdt, chosen, "#address-cells", 2),
	    sc = cells_up(fdt, chosen, "#size-cells", 1);

	if (chosen < 0)
		return 0;
	fdt_for_each_subnode (node, fdt, chosen) {
		if (fdt_node_check_compatible(fdt, node, "multiboot,module"))
			continue;
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
			return fail(err, errlen, "%s",
				    "device tree: /chosen has multiboot "
				    "modules but #address-cells/#size-cells "
				    "other than 1 or 2");
		if (info->nmodules == DT_MAX_MODULES) {
			hyp_snprintf(err, errlen,
				     "device tree: more than %d multiboot "
				     "modules in /chosen",
				     DT_MAX_MODULES);
			return -1;
		}
		if (parse_module(fdt, node, ac, sc,
				 &info->modules[info->nmodules++], err, errlen))
			return -1;
	}
	return 0;
}

int dt_parse(const void *fdt, struct dt_info *info, char *err, size_t errlen)
{
	int ret = fdt_check_header(fdt);

	memset(info, 0, sizeof(*info));
	if (!ret)
		ret = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (ret) {
		return fail(err, errlen, "corrupt device tree: %s",
			    fdt_strerror(ret));
	}
	if (parse_memory(fdt, info, err, errlen) ||
	    parse_cpus(fdt, info, err, errlen) ||
	    parse_gic(fdt, info, err, errlen) ||
	    parse_uart(fdt, info, err, errlen) ||
	    parse_psci(fdt, info, err, errlen) ||
	    parse_reserved(fdt, info, err, errlen) ||
	    parse_modules(fdt, info, err, errlen))
		return -1;
	parse_timer(fdt, info);
	parse_chosen(fdt, info);
	return 0;
}
