/*
 * The guest's device tree (include/hyp/guest_dt.h says what it keeps).
 * The firmware's tree is opened into the output buffer and edited there
 * with libfdt: first everything the guest must not see is deleted, then
 * the guest's own nodes and properties are added. Deleting first keeps
 * the peak size below the host's packed size plus the additions, which is
 * what guest_dt_size_bound() adds up. The host tree is only read (for the
 * cpu nodes' properties and the phandle references), never written.
 * Bindings followed: the DT specification (memory, cpus, chosen, aliases,
 * /memreserve/, reserved-memory) and Linux's arm,psci, arm,gic-v3,
 * arm,pl011, arm,armv8-timer and clock/reset/power-domain bindings.
 */
#include <libfdt.h>

#include "hyp/config.h"
#include "hyp/guest_dt.h"
#include "hyp/lib.h"

#define MAX_REFS 32 /* nodes kept because a kept node references them */
#define PATH_LEN 128
#define NAME_LEN 32

struct gdt {
	const void *host;
	void *fdt; /* the output */
	size_t outlen;
	const struct guest_dt_config *cfg;
	char *err;
	size_t errlen;
	uint32_t refs[MAX_REFS];
	unsigned nrefs;
	char uart[PATH_LEN]; /* path of the kept PL011, "" if none */
};

static int gfail(struct gdt *g, const char *fmt, ...) PRINTF(2, 3);

static int gfail(struct gdt *g, const char *fmt, ...)
{
	va_list ap;

	if (g->err && g->errlen) {
		va_start(ap, fmt);
		hyp_vsnprintf(g->err, g->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A libfdt result: 0 when it is not an error, else -1 and a message. */
static int fdt_ok(struct gdt *g, int ret, const char *what)
{
	if (ret >= 0)
		return 0;
	if (ret == -FDT_ERR_NOSPACE)
		return gfail(g,
			     "guest DT: buffer too small (need %zu bytes, "
			     "have %zu)",
			     guest_dt_size_bound(g->host, g->cfg), g->outlen);
	return gfail(g, "guest DT: %s: %s", what, fdt_strerror(ret));
}

static bool is_compat(const void *fdt, int node, const char *compat)
{
	return !fdt_node_check_compatible(fdt, node, compat);
}

static bool is_path(const void *fdt, int node, const char *path)
{
	return node == fdt_path_offset(fdt, path);
}

static bool name_is(const void *fdt, int node, const char *name)
{
	const char *n = fdt_get_name(fdt, node, NULL);

	return n && !strcmp(n, name);
}

static bool prop_is(const void *fdt, int node, const char *prop,
		    const char *val)
{
	const char *v = fdt_getprop(fdt, node, prop, NULL);

	return v && !strcmp(v, val);
}

static const char *const psci_compats[] = { "arm,psci-1.0", "arm,psci-0.2",
					    "arm,psci" };

static bool is_psci(const void *fdt, int node)
{
	for (unsigned i = 0; i < ARRAY_SIZE(psci_compats); i++)
		if (is_compat(fdt, node, psci_compats[i]))
			return true;
	return is_path(fdt, node, "/psci");
}

static int find_psci(const void *fdt)
{
	int node;

	for (unsigned i = 0; i < ARRAY_SIZE(psci_compats); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, psci_compats[i]);
		if (node >= 0)
			return node;
	}
	return fdt_path_offset(fdt, "/psci");
}

static bool is_cpu(const void *fdt, int node)
{
	const char *n = fdt_get_name(fdt, node, NULL);

	return prop_is(fdt, node, "device_type", "cpu") ||
	       (n && (!strcmp(n, "cpu") || !strncmp(n, "cpu@", 4)));
}

/* The idx-th cpu node of the host, or a negative value. */
static int host_cpu(const void *fdt, unsigned idx)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return cpus;
	fdt_for_each_subnode (node, fdt, cpus)
		if (is_cpu(fdt, node) && !idx--)
			return node;
	return -FDT_ERR_NOTFOUND;
}

static unsigned host_ncpus(const void *fdt)
{
	unsigned n = 0;

	while (host_cpu(fdt, n) >= 0)
		n++;
	return n;
}

static bool in_refs(const struct gdt *g, uint32_t ph)
{
	for (unsigned i = 0; i < g->nrefs; i++)
		if (g->refs[i] == ph)
			return true;
	return false;
}

/* A node kept with its whole subtree (less dropped_child() ones). Works
 * on the host tree and on the output alike. */
static bool is_target(const struct gdt *g, const void *fdt, int node)
{
	uint32_t ph;

	if (prop_is(fdt, node, "device_type", "memory"))
		return false;
	if (is_path(fdt, node, "/cpus") || is_path(fdt, node, "/chosen") ||
	    is_path(fdt, node, "/aliases"))
		return true;
	if (is_compat(fdt, node, "arm,gic-v3") ||
	    is_compat(fdt, node, "arm,armv8-timer") || is_psci(fdt, node))
		return true;
	if (g->uart[0] && is_path(fdt, node, g->uart))
		return true;
	ph = fdt_get_phandle(fdt, node);
	return ph && in_refs(g, ph);
}

/* Children of kept nodes that are deleted all the same: the ITS, anything
 * under /chosen, cpu-map and (with cpus) the cpu nodes, which are made
 * anew. */
static bool dropped_child(const void *fdt, int parent, int child, bool cpus)
{
	if (is_compat(fdt, child, "arm,gic-v3-its"))
		return true;
	if (is_path(fdt, parent, "/chosen"))
		return true;
	if (is_path(fdt, parent, "/cpus"))
		return name_is(fdt, child, "cpu-map") ||
		       (cpus && is_cpu(fdt, child));
	return false;
}

static bool has_target_below(const struct gdt *g, const void *fdt, int node)
{
	int depth = 0;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0 || depth <= 0)
			return false;
		if (is_target(g, fdt, node))
			return true;
	}
}

/* ---------------------------------------------------------------- refs */

static const struct {
	const char *prop, *cells; /* cells: NULL for a single phandle */
} ref_props[] = {
	{ "clocks", "#clock-cells" },
	{ "resets", "#reset-cells" },
	{ "power-domains", "#power-domain-cells" },
	{ "interrupts-extended", "#interrupt-cells" },
	{ "interrupt-parent", NULL },
};

static int add_ref(struct gdt *g, uint32_t ph)
{
	if (in_refs(g, ph))
		return 0;
	if (g->nrefs == MAX_REFS)
		return gfail(g,
			     "guest DT: more than %d nodes are referenced by "
			     "phandle from the kept ones",
			     MAX_REFS);
	g->refs[g->nrefs++] = ph;
	return 0;
}

/* Record the phandles a host node's properties of ref_props[] name. */
static int node_refs(struct gdt *g, int node)
{
	const void *h = g->host;

	for (unsigned r = 0; r < ARRAY_SIZE(ref_props); r++) {
		int len;
		const fdt32_t *p =
		    fdt_getprop(h, node, ref_props[r].prop, &len);
		uint32_t n = p && len > 0 ? (uint32_t)len / 4 : 0;

		for (uint32_t i = 0; i < n;) {
			uint32_t ph = fdt32_ld(p + i), cells;
			const fdt32_t *c;
			int prov;

			if (!ph || ph == ~0U) { /* an empty entry */
				i++;
				continue;
			}
			prov = fdt_node_offset_by_phandle(h, ph);
			if (prov < 0)
				break; /* dangling already in the host tree */
			if (add_ref(g, ph))
				return -1;
			if (!ref_props[r].cells)
				break;
			c = fdt_getprop(h, prov, ref_props[r].cells, &len);
			if (!c || len != 4)
				break;
			cells = fdt32_ld(c);
			if (cells >= n - i)
				break;
			i += 1 + cells;
		}
	}
	return 0;
}

/* Walk the host nodes that will be kept, recording their references. */
static int gather(struct gdt *g, int node, bool in_target)
{
	const void *h = g->host;
	int child;

	if (!in_target)
		in_target = is_target(g, h, node);
	if (!in_target && node && !has_target_below(g, h, node))
		return 0;
	if (node_refs(g, node))
		return -1;
	fdt_for_each_subnode (child, h, node) {
		if (in_target && dropped_child(h, node, child, false))
			continue;
		if (gather(g, child, in_target))
			return -1;
	}
	return 0;
}

/* Until no new reference appears: a kept clock may name another. */
static int gather_refs(struct gdt *g)
{
	unsigned before;

	do {
		before = g->nrefs;
		if (gather(g, 0, false))
			return -1;
	} while (g->nrefs != before);
	return 0;
}

/* The PL011 the guest gets: the one stdout-path names, else the first. */
static int find_uart(struct gdt *g)
{
	const void *h = g->host;
	const char *path =
	    fdt_getprop(h, fdt_path_offset(h, "/chosen"), "stdout-path", NULL);
	int node = -1, ret;

	if (path) {
		const char *colon = strchr(path, ':');
		int n = colon ? (int)(colon - path) : (int)strlen(path);

		node = fdt_path_offset_namelen(h, path, n);
		if (node >= 0 && !is_compat(h, node, "arm,pl011"))
			node = -1;
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(h, -1, "arm,pl011");
	g->uart[0] = '\0';
	if (node < 0)
		return 0;
	ret = fdt_get_path(h, node, g->uart, sizeof(g->uart));
	if (ret)
		return gfail(g, "guest DT: path of the PL011 too long: %s",
			     fdt_strerror(ret));
	return 0;
}

/* ---------------------------------------------------------------- delete */

static int prune(struct gdt *g, int parent, bool in_target)
{
	void *f = g->fdt;
	int node, ret;

again:
	fdt_for_each_subnode (node, f, parent) {
		bool target = in_target || is_target(g, f, node), drop;

		if (in_target)
			drop = dropped_child(f, parent, node, true);
		else
			drop = !target && !has_target_below(g, f, node);
		if (drop) {
			ret = fdt_del_node(f, node);
			if (ret)
				return fdt_ok(g, ret, "deleting a node");
			goto again;
		}
		/* deletions below node leave node's offset as it is */
		if (prune(g, node, target))
			return -1;
	}
	return 0;
}

static bool alias_ok(const void *fdt, const char *val, int len)
{
	return val && len > 1 && val[0] == '/' && !val[len - 1] &&
	       fdt_path_offset(fdt, val) >= 0;
}

/* Delete the properties of node for which keep() is false. */
static int prune_props(struct gdt *g, int node,
		       bool (*keep)(const void *fdt, const char *name,
				    const char *val, int len))
{
	void *f = g->fdt;
	int prop, len, ret;

again:
	fdt_for_each_property_offset (prop, f, node) {
		const char *name = NULL,
			   *val = fdt_getprop_by_offset(f, prop, &name, &len);

		if (!name)
			return fdt_ok(g, len, "reading a property");
		if (keep(f, name, val, len))
			continue;
		/* name is read before the struct block moves */
		ret = fdt_delprop(f, node, name);
		if (ret)
			return fdt_ok(g, ret, "deleting a property");
		goto again;
	}
	return 0;
}

static bool keep_alias(const void *fdt, const char *name, const char *val,
		       int len)
{
	(void)name;
	return alias_ok(fdt, val, len);
}

/* stdout-path only, and only when it leads to a node still there */
static bool keep_chosen(const void *fdt, const char *name, const char *val,
			int len)
{
	const char *colon;

	if (strcmp(name, "stdout-path") || !val || len < 2 || val[len - 1])
		return false;
	colon = strchr(val, ':');
	return fdt_path_offset_namelen(
		   fdt, val, colon ? (int)(colon - val) : len - 1) >= 0;
}

static const char *const psci01_props[] = { "cpu_on", "cpu_off", "migrate",
					    "cpu_suspend" };

static int delete_all(struct gdt *g)
{
	void *f = g->fdt;
	int node, ret;

	while (fdt_num_mem_rsv(f) > 0) {
		ret = fdt_del_mem_rsv(f, 0);
		if (ret)
			return fdt_ok(g, ret, "deleting /memreserve/");
	}
	if (prune(g, 0, false))
		return -1;
	/* and an ITS kept for another reason (a phandle to it) */
	while ((node = fdt_node_offset_by_compatible(f, -1,
						     "arm,gic-v3-its")) >= 0) {
		ret = fdt_del_node(f, node);
		if (ret)
			return fdt_ok(g, ret, "deleting the ITS");
	}
	node = fdt_path_offset(f, "/aliases");
	if (node >= 0 && prune_props(g, node, keep_alias))
		return -1;
	node = fdt_path_offset(f, "/chosen");
	if (node >= 0 && prune_props(g, node, keep_chosen))
		return -1;
	node = find_psci(f);
	if (node >= 0 && (is_compat(f, node, "arm,psci-0.2") ||
			  is_compat(f, node, "arm,psci-1.0"))) {
		for (unsigned i = 0; i < ARRAY_SIZE(psci01_props); i++) {
			ret = fdt_delprop(f, node, psci01_props[i]);
			if (ret && ret != -FDT_ERR_NOTFOUND)
				return fdt_ok(g, ret, "editing /psci");
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- add */

/* v in cells (1 or 2) big-endian 32-bit cells at p; the number written */
static int put_cells(fdt32_t *p, int cells, uint64_t v)
{
	if (cells == 2)
		*p++ = cpu_to_fdt32((uint32_t)(v >> 32));
	*p = cpu_to_fdt32((uint32_t)v);
	return cells;
}

static int add_memory(struct gdt *g)
{
	void *f = g->fdt;
	char name[NAME_LEN];
	fdt32_t reg[4];
	int node, n, ret;

	hyp_snprintf(name, sizeof(name), "memory@%llx",
		     (unsigned long long)g->cfg->ram_base);
	node = fdt_add_subnode(f, 0, name);
	if (node < 0)
		return fdt_ok(g, node, "adding the memory node");
	n = put_cells(reg, fdt_address_cells(f, 0), g->cfg->ram_base);
	n += put_cells(reg + n, fdt_size_cells(f, 0), g->cfg->ram_size);
	ret = fdt_setprop_string(f, node, "device_type", "memory");
	if (!ret)
		ret = fdt_setprop(f, node, "reg", reg, n * (int)sizeof(*reg));
	return fdt_ok(g, ret, "adding the memory node");
}

static int add_chosen(struct gdt *g)
{
	const struct guest_dt_config *cfg = g->cfg;
	void *f = g->fdt;
	int node = fdt_path_offset(f, "/chosen"), ret = 0;

	if (node < 0)
		node = fdt_add_subnode(f, 0, "chosen");
	if (node < 0)
		return fdt_ok(g, node, "adding /chosen");
	if (cfg->bootargs && cfg->bootargs[0])
		ret = fdt_setprop_string(f, node, "bootargs", cfg->bootargs);
	if (!ret && cfg->initrd_size)
		ret = fdt_setprop_u64(f, node, "linux,initrd-start",
				      cfg->initrd_start);
	if (!ret && cfg->initrd_size)
		ret = fdt_setprop_u64(f, node, "linux,initrd-end",
				      cfg->initrd_start + cfg->initrd_size);
	if (!ret && g->uart[0] && !fdt_getprop(f, node, "stdout-path", NULL))
		ret = fdt_setprop_string(f, node, "stdout-path", g->uart);
	return fdt_ok(g, ret, "editing /chosen");
}

/* The guest's payloads as /chosen/module@<ipa> nodes; libfdt inserts a
 * new node first, so the last one goes in first, and a new property
 * first, so each node's go last to first. */
static int add_modules(struct gdt *g)
{
	const struct guest_dt_config *cfg = g->cfg;
	void *f = g->fdt;
	int chosen = fdt_path_offset(f, "/chosen"), ret;
	int ac = fdt_address_cells(f, 0), sc = fdt_size_cells(f, 0);

	if (!cfg->nmodules)
		return 0;
	/* explicit: strict readers take 2 and 1 when they are missing */
	ret = fdt_setprop_u32(f, chosen, "#size-cells", (uint32_t)sc);
	if (!ret)
		ret =
		    fdt_setprop_u32(f, chosen, "#address-cells", (uint32_t)ac);
	if (ret)
		return fdt_ok(g, ret, "editing /chosen");
	for (unsigned i = cfg->nmodules; i-- > 0;) {
		const struct guest_dt_module *m = &cfg->modules[i];
		char name[NAME_LEN];
		fdt32_t reg[4];
		int node, n;

		hyp_snprintf(name, sizeof(name), "module@%llx",
			     (unsigned long long)m->ipa);
		node = fdt_add_subnode(f, chosen, name);
		if (node < 0)
			return fdt_ok(g, node, "adding a module node");
		n = put_cells(reg, ac, m->ipa);
		n += put_cells(reg + n, sc, m->size);
		ret = 0;
		if (m->bootargs)
			ret = fdt_setprop_string(f, node, "bootargs",
						 m->bootargs);
		if (!ret)
			ret = fdt_setprop(f, node, "compatible", m->compatible,
					  m->compatible_len);
		if (!ret)
			ret = fdt_setprop(f, node, "reg", reg,
					  n * (int)sizeof(*reg));
		if (ret)
			return fdt_ok(g, ret, "adding a module node");
	}
	return 0;
}

static int add_psci(struct gdt *g)
{
	void *f = g->fdt;
	int node = find_psci(f), ret = 0;

	if (node < 0) {
		node = fdt_add_subnode(f, 0, "psci");
		if (node < 0)
			return fdt_ok(g, node, "adding /psci");
		ret = fdt_setprop_string(f, node, "compatible", "arm,psci-0.2");
	}
	if (!ret)
		ret = fdt_setprop_string(f, node, "method",
					 g->cfg->psci_smc ? "smc" : "hvc");
	return fdt_ok(g, ret, "editing /psci");
}

static bool skip_cpu_prop(const char *name, bool copy)
{
	if (!strcmp(name, "reg") || !strcmp(name, "enable-method") ||
	    !strcmp(name, "cpu-release-addr"))
		return true;
	return copy &&
	       (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle"));
}

/* Copy the host cpu node src's properties to node, keeping their order
 * (libfdt inserts a new property first, so they go last to first). */
static int copy_cpu_props(struct gdt *g, int src, int node, bool copy)
{
	const void *h = g->host;
	int prop, nprops = 0, len, ret;

	fdt_for_each_property_offset (prop, h, src)
		nprops++;
	for (int k = nprops - 1; k >= 0; k--) {
		const char *name = NULL;
		const void *val;
		int i = 0;

		fdt_for_each_property_offset (prop, h, src)
			if (i++ == k)
				break;
		val = fdt_getprop_by_offset(h, prop, &name, &len);
		if (!val || !name)
			return fdt_ok(g, len, "reading a host cpu node");
		if (skip_cpu_prop(name, copy))
			continue;
		ret = fdt_setprop(g->fdt, node, name, val, len);
		if (ret)
			return fdt_ok(g, ret, "adding a cpu node");
	}
	return 0;
}

static int add_cpus(struct gdt *g)
{
	void *f = g->fdt;
	unsigned nhost = host_ncpus(g->host);
	int cpus = fdt_path_offset(f, "/cpus");
	int ac = fdt_address_cells(f, cpus);

	/* libfdt inserts a new node first: last vCPU first */
	for (unsigned i = g->cfg->ncpus; i-- > 0;) {
		int src = host_cpu(g->host, i < nhost ? i : 0), node, ret;
		char name[NAME_LEN];
		fdt32_t reg[2];

		hyp_snprintf(name, sizeof(name), "cpu@%x", i);
		node = fdt_add_subnode(f, cpus, name);
		if (node < 0)
			return fdt_ok(g, node, "adding a cpu node");
		if (copy_cpu_props(g, src, node, i >= nhost))
			return -1;
		ret = fdt_setprop_string(f, node, "enable-method", "psci");
		if (!ret)
			ret = fdt_setprop(f, node, "reg", reg,
					  put_cells(reg, ac, i) *
					      (int)sizeof(*reg));
		if (ret)
			return fdt_ok(g, ret, "adding a cpu node");
	}
	return 0;
}

/* ---------------------------------------------------------------- checks */

static bool fits_cells(uint64_t v, int cells)
{
	return cells == 2 || v <= 0xffffffffULL;
}

static int check_config(struct gdt *g)
{
	const struct guest_dt_config *c = g->cfg;
	const void *h = g->host;
	uint64_t ram_end = c->ram_base + c->ram_size;
	int ac = fdt_address_cells(h, 0), sc = fdt_size_cells(h, 0), cpus;
	size_t args = c->bootargs ? strlen(c->bootargs) : 0;

	if (!c->ncpus || c->ncpus > MAX_CPUS)
		return gfail(g, "guest DT: %u vCPUs: must be 1 to %d", c->ncpus,
			     MAX_CPUS);
	if (!c->ram_size)
		return gfail(g, "guest DT: guest RAM size is 0");
	if (ram_end < c->ram_base)
		return gfail(g, "guest DT: guest RAM 0x%llx + 0x%llx wraps",
			     (unsigned long long)c->ram_base,
			     (unsigned long long)c->ram_size);
	if (!IS_ALIGNED(c->ram_base, PAGE_SIZE) ||
	    !IS_ALIGNED(c->ram_size, PAGE_SIZE))
		return gfail(g,
			     "guest DT: guest RAM 0x%llx size 0x%llx is not "
			     "4 KiB aligned",
			     (unsigned long long)c->ram_base,
			     (unsigned long long)c->ram_size);
	if (c->initrd_size &&
	    (c->initrd_start < c->ram_base ||
	     c->initrd_start + c->initrd_size < c->initrd_start ||
	     c->initrd_start + c->initrd_size > ram_end))
		return gfail(g,
			     "guest DT: initrd 0x%llx size 0x%llx is not "
			     "inside guest RAM [0x%llx-0x%llx)",
			     (unsigned long long)c->initrd_start,
			     (unsigned long long)c->initrd_size,
			     (unsigned long long)c->ram_base,
			     (unsigned long long)ram_end);
	if (args > GUEST_BOOTARGS_MAX)
		return gfail(g,
			     "guest DT: bootargs of %zu characters: Linux "
			     "takes at most %d",
			     args, GUEST_BOOTARGS_MAX);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return gfail(g,
			     "guest DT: host root #address-cells %d / "
			     "#size-cells %d: only 1 or 2 are supported",
			     ac, sc);
	if (!fits_cells(c->ram_base, ac) || !fits_cells(c->ram_size, sc))
		return gfail(g,
			     "guest DT: guest RAM 0x%llx size 0x%llx does not "
			     "fit the root's #address-cells/#size-cells",
			     (unsigned long long)c->ram_base,
			     (unsigned long long)c->ram_size);
	cpus = fdt_path_offset(h, "/cpus");
	if (cpus < 0)
		return gfail(g, "guest DT: host device tree has no /cpus");
	ac = fdt_address_cells(h, cpus);
	if (ac < 1 || ac > 2)
		return gfail(g,
			     "guest DT: /cpus #address-cells %d: only 1 or "
			     "2 are supported",
			     ac);
	if (!host_ncpus(h))
		return gfail(g, "guest DT: host device tree has no cpu nodes");
	return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int check_module(struct gdt *g, unsigned i, int ac, int sc)
{
	const struct guest_dt_config *c = g->cfg;
	const struct guest_dt_module *m = &c->modules[i];
	uint64_t ram_end = c->ram_base + c->ram_size;

	if (!m->size || m->ipa < c->ram_base || m->ipa + m->size < m->ipa ||
	    m->ipa + m->size > ram_end)
		return gfail(g,
			     "guest DT: module %u 0x%llx size 0x%llx is not "
			     "inside guest RAM [0x%llx-0x%llx)",
			     i, (unsigned long long)m->ipa,
			     (unsigned long long)m->size,
			     (unsigned long long)c->ram_base,
			     (unsigned long long)ram_end);
	if (!fits_cells(m->ipa, ac) || !fits_cells(m->size, sc))
		return gfail(g,
			     "guest DT: module %u 0x%llx size 0x%llx does not "
			     "fit the root's #address-cells/#size-cells",
			     i, (unsigned long long)m->ipa,
			     (unsigned long long)m->size);
	if (c->initrd_size &&
	    ranges_overlap(m->ipa, m->size, c->initrd_start, c->initrd_size))
		return gfail(g, "guest DT: module %u overlaps the initrd", i);
	for (unsigned k = 0; k < i; k++)
		if (ranges_overlap(m->ipa, m->size, c->modules[k].ipa,
				   c->modules[k].size))
			return gfail(
			    g, "guest DT: module %u overlaps module %u", i, k);
	if (!m->compatible || m->compatible_len < 1 ||
	    m->compatible[m->compatible_len - 1])
		return gfail(g,
			     "guest DT: module %u: compatible is empty or not "
			     "NUL-terminated",
			     i);
	if (m->bootargs && strlen(m->bootargs) > GUEST_BOOTARGS_MAX)
		return gfail(g,
			     "guest DT: module %u: bootargs of %zu characters: "
			     "at most %d",
			     i, strlen(m->bootargs), GUEST_BOOTARGS_MAX);
	return 0;
}

static int check_modules(struct gdt *g)
{
	const void *h = g->host;
	int ac = fdt_address_cells(h, 0), sc = fdt_size_cells(h, 0);

	if (g->cfg->nmodules > GUEST_DT_MAX_MODULES)
		return gfail(g, "guest DT: %u modules: at most %d",
			     g->cfg->nmodules, GUEST_DT_MAX_MODULES);
	if (g->cfg->nmodules && !g->cfg->modules)
		return gfail(g, "guest DT: modules missing");
	for (unsigned i = 0; i < g->cfg->nmodules; i++)
		if (check_module(g, i, ac, sc))
			return -1;
	return 0;
}

static int check_host(struct gdt *g, const void *host)
{
	int ret;

	if (!host)
		return gfail(g, "guest DT: no host device tree");
	ret = fdt_check_header(host);
	if (!ret)
		ret = fdt_check_full(host, fdt_totalsize(host));
	if (ret)
		return gfail(g, "guest DT: host device tree is corrupt: %s",
			     fdt_strerror(ret));
	return 0;
}

/* ---------------------------------------------------------------- API */

static size_t struct_size(const void *fdt)
{
	int next = 0;

	if (fdt_version(fdt) >= 17)
		return fdt_size_dt_struct(fdt);
	while (fdt_next_tag(fdt, next, &next) != FDT_END)
		;
	return next > 0 ? (size_t)next : 0;
}

static size_t props_size(const void *fdt, int node)
{
	size_t n = 0;
	int prop, len;

	fdt_for_each_property_offset (prop, fdt, node)
		if (fdt_getprop_by_offset(fdt, prop, NULL, &len))
			n += sizeof(struct fdt_property) + ALIGN_UP(len, 4);
	return n;
}

/*
 * Copy the host tree packed (header, memory reservations, structure,
 * strings: its free space left out) to the start of out, and open it
 * there with all of out as room. fdt_open_into() straight from the host
 * would want out to be as large as the host's totalsize, free space
 * included: 1 MiB for QEMU's tree.
 */
static int open_packed(struct gdt *g, int len)
{
	const void *h = g->host;
	uint8_t *o = g->fdt;
	size_t rsv =
	    (fdt_num_mem_rsv(h) + 1) * sizeof(struct fdt_reserve_entry);
	size_t st = struct_size(h), str = fdt_size_dt_strings(h);
	size_t off_rsv = ALIGN_UP(sizeof(struct fdt_header), 8);
	size_t off_st = off_rsv + rsv, off_str = off_st + st;

	if (off_str + str > (size_t)len)
		return fdt_ok(g, -FDT_ERR_NOSPACE, "");
	memset(o, 0, off_rsv);
	memcpy(o + off_rsv, (const uint8_t *)h + fdt_off_mem_rsvmap(h), rsv);
	memcpy(o + off_st, (const uint8_t *)h + fdt_off_dt_struct(h), st);
	memcpy(o + off_str, (const uint8_t *)h + fdt_off_dt_strings(h), str);
	fdt_set_magic(o, FDT_MAGIC);
	fdt_set_totalsize(o, (uint32_t)(off_str + str));
	fdt_set_off_mem_rsvmap(o, (uint32_t)off_rsv);
	fdt_set_off_dt_struct(o, (uint32_t)off_st);
	fdt_set_off_dt_strings(o, (uint32_t)off_str);
	fdt_set_version(o, 17);
	fdt_set_last_comp_version(o, 16);
	fdt_set_boot_cpuid_phys(o, fdt_boot_cpuid_phys(h));
	fdt_set_size_dt_strings(o, (uint32_t)str);
	fdt_set_size_dt_struct(o, (uint32_t)st);
	return fdt_ok(g, fdt_open_into(o, o, len),
		      "opening the host device tree");
}

size_t guest_dt_size_bound(const void *host, const struct guest_dt_config *cfg)
{
	const size_t prop = sizeof(struct fdt_property), tag = 4;
	size_t n, args;
	unsigned nhost;

	if (!host || !cfg || fdt_check_header(host))
		return 0;
	/* the host tree packed, as fdt_open_into() lays it out */
	n = ALIGN_UP(sizeof(struct fdt_header), 8) +
	    (fdt_num_mem_rsv(host) + 1) * sizeof(struct fdt_reserve_entry) +
	    struct_size(host) + fdt_size_dt_strings(host);
	/* property names that may be new to the strings block */
	n += 128;
	/* memory@<16 digits>: begin, name, device_type, reg (4 cells), end */
	n += tag + NAME_LEN + prop + 8 + prop + 16 + tag;
	/* chosen: begin, name, end, bootargs, initrd-start/-end, stdout-path */
	args = cfg->bootargs ? strlen(cfg->bootargs) : 0;
	n += 3 * tag + 8 + prop + ALIGN_UP(args + 1, 4) + 2 * (prop + 8) +
	     prop + PATH_LEN;
	/* /chosen's #address-cells, #size-cells; each module: begin, name,
	 * reg (4 cells), compatible, bootargs, end */
	n += 2 * (prop + 4);
	for (unsigned i = 0;
	     cfg->modules && i < cfg->nmodules && i < GUEST_DT_MAX_MODULES;
	     i++) {
		const struct guest_dt_module *m = &cfg->modules[i];

		n += tag + NAME_LEN + prop + 16 + tag + prop +
		     ALIGN_UP((size_t)MAX(m->compatible_len, 0), 4);
		if (m->bootargs)
			n += prop + ALIGN_UP(strlen(m->bootargs) + 1, 4);
	}
	/* psci: begin, name, end, compatible, method */
	n += 3 * tag + 8 + prop + 16 + prop + 4;
	/* cpus: begin, name, copied properties, reg, enable-method, end */
	nhost = host_ncpus(host);
	for (unsigned i = 0; i < cfg->ncpus && i < MAX_CPUS; i++) {
		int src = host_cpu(host, i < nhost ? i : 0);
		n += tag + NAME_LEN + prop + 8 + prop + 8 + tag;
		if (src >= 0)
			n += props_size(host, src);
	}
	return n;
}

int guest_dt_build(const void *host_fdt, void *out, size_t outlen,
		   const struct guest_dt_config *cfg, char *err, size_t errlen)
{
	struct gdt g = { .host = host_fdt,
			 .fdt = out,
			 .outlen = outlen,
			 .cfg = cfg,
			 .err = err,
			 .errlen = errlen };
	uintptr_t o = (uintptr_t)out, h = (uintptr_t)host_fdt;
	int len = outlen > INT32_MAX ? INT32_MAX : (int)outlen, ret;

	if (!cfg)
		return gfail(&g, "guest DT: no configuration");
	if (!out)
		return gfail(&g, "guest DT: no output buffer");
	if (check_host(&g, host_fdt) || check_config(&g) || check_modules(&g))
		return -1;
	if (o < h + fdt_totalsize(host_fdt) && h < o + outlen)
		return gfail(&g, "guest DT: output buffer overlaps the host "
				 "device tree");
	if (find_uart(&g) || gather_refs(&g))
		return -1;
	if (open_packed(&g, len) || delete_all(&g) || add_memory(&g) ||
	    add_chosen(&g) || add_modules(&g) || add_psci(&g) || add_cpus(&g))
		return -1;
	ret = fdt_pack(out);
	if (!ret)
		ret = fdt_check_full(out, fdt_totalsize(out));
	if (ret)
		return gfail(&g, "guest DT: the result is not a valid tree: %s",
			     fdt_strerror(ret));
	return 0;
}
