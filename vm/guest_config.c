/* Parsing the guest's description from hypnest's command line
 * (include/hyp/vm.h). Arch-independent. */
#include "hyp/bootargs.h"
#include "hyp/lib.h"
#include "hyp/vm.h"

static int range(const char *args, const char *key, paddr_t *addr,
		 uint64_t *size, char *err, size_t errlen)
{
	char val[64], *end;

	*addr = 0;
	*size = 0;
	if (!bootarg_get(args, key, val, sizeof(val)))
		return 0;
	*addr = strtoul(val, &end, 0);
	if (*end != ':' || end == val) {
		hyp_snprintf(err, errlen, "%s=%s: expected <addr>:<size>", key,
			     val);
		return -1;
	}
	*size = strtoul(end + 1, &end, 0);
	if (*end || !*size) {
		hyp_snprintf(err, errlen, "%s=%s: bad size", key, val);
		return -1;
	}
	return 0;
}

static int number(const char *args, const char *key, uint64_t *out, char *err,
		  size_t errlen)
{
	char val[32], *end;

	if (!bootarg_get(args, key, val, sizeof(val)))
		return 0;
	*out = strtoul(val, &end, 0);
	if (*end || end == val || !*out) {
		hyp_snprintf(err, errlen, "%s=%s: expected a positive number",
			     key, val);
		return -1;
	}
	return 0;
}

static const char *const el2_names[] = {
	[GUEST_EL2_OFF] = "off",
	[GUEST_EL2_NVHE] = "nvhe",
	[GUEST_EL2_VHE] = "vhe",
};

const char *guest_el2_name(enum guest_el2 e)
{
	return (unsigned)e < ARRAY_SIZE(el2_names) ? el2_names[e] : "?";
}

/* key=<one of names[0..n)>: its index in *out, left as it is if key is
 * absent */
static int choice(const char *args, const char *key, const char *const *names,
		  unsigned n, unsigned *out, const char *expected, char *err,
		  size_t errlen)
{
	char val[16];

	if (!bootarg_get(args, key, val, sizeof(val)))
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (names[i] && !strcmp(val, names[i])) {
			*out = i;
			return 0;
		}
	}
	hyp_snprintf(err, errlen, "%s=%s: expected %s", key, val, expected);
	return -1;
}

static const char *const s2_names[] = {
	[GUEST_S2_PAGES] = "pages",
	[GUEST_S2_BLOCKS] = "blocks",
};

int guest_config_parse(const char *bootargs, struct guest_config *c, char *err,
		       size_t errlen)
{
	const char *sep = strstr(bootargs, " -- ");
	char own[256];
	uint64_t cpus = 0;
	unsigned el2, s2;
	size_t n = sep ? (size_t)(sep - bootargs) : strlen(bootargs);

	memset(c, 0, sizeof(*c));
	c->mem_mb = GUEST_DEFAULT_MEM_MB;
	/* hypnest's own words are the ones before " -- " */
	n = MIN(n, sizeof(own) - 1);
	memcpy(own, bootargs, n);
	own[n] = '\0';
	if (sep)
		hyp_snprintf(c->cmdline, sizeof(c->cmdline), "%s", sep + 4);
	if (range(own, "guest.kernel", &c->kernel, &c->kernel_size, err,
		  errlen) ||
	    range(own, "guest.initrd", &c->initrd, &c->initrd_size, err,
		  errlen) ||
	    number(own, "guest.mem", &c->mem_mb, err, errlen) ||
	    number(own, "guest.cpus", &cpus, err, errlen))
		return -1;
	c->ncpus = (unsigned)MIN(cpus, (uint64_t)MAX_CPUS + 1);
	/* guest RAM is made of 2 MiB blocks (vm/guest_ram.c), the DTB takes
	 * the top one whole */
	if (c->mem_mb % 2) {
		hyp_snprintf(err, errlen,
			     "guest.mem=%lu: an even number of MiB is needed "
			     "(guest RAM is made of 2 MiB blocks)",
			     (unsigned long)c->mem_mb);
		return -1;
	}
	el2 = GUEST_EL2_OFF;
	s2 = GUEST_S2_AUTO;
	if (choice(own, "guest.el2", el2_names, ARRAY_SIZE(el2_names), &el2,
		   "off, nvhe or vhe", err, errlen) ||
	    choice(own, "guest.s2", s2_names, ARRAY_SIZE(s2_names), &s2,
		   "pages or blocks", err, errlen))
		return -1;
	c->el2 = (enum guest_el2)el2;
	c->s2 = (enum guest_s2)s2;
	c->present = c->kernel_size != 0;
	if (!c->present && (c->initrd_size || sep)) {
		hyp_snprintf(err, errlen, "%s",
			     "an initrd or guest command line was given but no "
			     "guest.kernel=<addr>:<size>");
		return -1;
	}
	return 0;
}
