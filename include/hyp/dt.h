/* What hypnest needs from the firmware's device tree (hyp/dt.c). Pure
 * libfdt logic, built for the host too and unit-tested there. */
#ifndef HYP_DT_H
#define HYP_DT_H
#include "hyp/config.h"
#include "hyp/types.h"

#define DT_MAX_MEM 8
#define DT_MAX_RESERVED 16
#define DT_MAX_GICR 4
#define DT_ERR_LEN 160
#define DT_MAX_MODULES 8 /* multiboot modules in /chosen */

struct mem_range {
	paddr_t base;
	uint64_t size;
};

/*
 * A payload for the guest, described in /chosen by the multiboot-module
 * convention (what QEMU's -device guest-loader writes, and what Xen reads):
 * a child of /chosen compatible with "multiboot,module" (and, as a rule,
 * "multiboot,kernel" or "multiboot,ramdisk"), its reg one <address size>
 * pair where the bytes were staged, an optional bootargs string. reg's
 * cells are /chosen's #address-cells/#size-cells, or the root's when
 * /chosen has none (QEMU writes none and two 64-bit values for the root's
 * 2 + 2; Linux and Xen look up the parents). The pointers are into the
 * firmware's tree, which stays where it is.
 */
struct dt_module {
	struct mem_range r;
	const char *compatible; /* the property as it is: NUL-separated */
	int compatible_len;	/* bytes, the last one a NUL */
	const char *bootargs;	/* NUL-terminated, or NULL: none */
	const char *name;	/* the node's name, for messages */
};

enum dt_conduit { DT_PSCI_NONE, DT_PSCI_SMC, DT_PSCI_HVC };

/* timer PPIs in the order of the arm,armv8-timer binding */
enum dt_timer {
	DT_TIMER_SEC_PHYS,
	DT_TIMER_PHYS,
	DT_TIMER_VIRT,
	DT_TIMER_HYP_PHYS,
	DT_TIMER_HYP_VIRT,
	DT_TIMER_COUNT
};

struct dt_info {
	struct mem_range mem[DT_MAX_MEM];
	unsigned nmem;
	struct mem_range reserved[DT_MAX_RESERVED]; /* /memreserve/ + nodes */
	unsigned nreserved;
	uint64_t cpu_mpidr[MAX_CPUS];
	unsigned ncpus;
	unsigned ncpus_ignored; /* DT cpus beyond MAX_CPUS */
	struct {
		struct mem_range gicd;
		struct mem_range gicr[DT_MAX_GICR];
		unsigned ngicr;
		unsigned maint_intid; /* maintenance interrupt, as an INTID */
	} gic;
	struct mem_range uart;
	unsigned uart_intid; /* its interrupt, as an INTID; 0 = none */
	unsigned timer_intid[DT_TIMER_COUNT]; /* 0 = not described */
	enum dt_conduit psci;
	char bootargs[256];
	struct dt_module modules[DT_MAX_MODULES]; /* in the tree's order */
	unsigned nmodules;
};

/* Check the blob's header (before mapping all of it): 0 and its total size,
 * or non-zero with a message. Reads only the first 40 bytes, byte by byte
 * (it runs with the MMU off). */
int dt_check_header(const void *fdt, uint32_t *totalsize, char *err,
		    size_t errlen);
/* Parse everything; 0, or non-zero with a message naming what is wrong.
 * A /chosen module node is refused, never skipped: reg not exactly one
 * pair, a size of 0, a range that wraps, bootargs or compatible not
 * NUL-terminated, more than DT_MAX_MODULES of them. */
int dt_parse(const void *fdt, struct dt_info *info, char *err, size_t errlen);

#endif
