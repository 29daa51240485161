/*
 * The Linux guest's device tree, made from the firmware's (vm/guest_dt.c).
 * Pure libfdt logic, built for the host too and unit-tested there.
 *
 * The guest sees only what it owns. Of the firmware's tree it keeps:
 *  - the root's own properties;
 *  - /cpus, with exactly ncpus cpu nodes cpu@0..cpu@<ncpus-1> (reg = i,
 *    enable-method = "psci"; the other properties are those of the host's
 *    i-th cpu node, or of its first one for vCPUs beyond the host's
 *    count, which also lose phandle and cpu-release-addr); cpu-map is
 *    deleted (it names host CPUs); other /cpus children (caches) stay;
 *  - one /memory@<ram_base> node describing exactly the guest's RAM (all
 *    other memory nodes, /reserved-memory and every /memreserve/ entry
 *    are deleted: they describe the host's memory, not the guest's);
 *  - /chosen with only: stdout-path (kept; set to the kept PL011 when
 *    missing or dangling), bootargs, linux,initrd-start/-end (64-bit, the
 *    end exclusive); everything else goes, in particular rng-seed and
 *    kaslr-seed (seeds the firmware meant for hypnest; the guest gets
 *    none from hypnest: it uses FEAT_RNG or its own entropy) and any
 *    /chosen subnodes of the firmware's; and the guest's payloads
 *    (modules below), with /chosen's #address-cells/#size-cells set to
 *    the root's when there are any;
 *  - the PSCI node (compatible "arm,psci*" or /psci) with method = "hvc"
 *    (the guest calls PSCI through hypnest); its compatible stays, and for
 *    PSCI 0.2 and later ("arm,psci-0.2" or "arm,psci-1.0") the PSCI 0.1
 *    function-ID properties cpu_on, cpu_off, migrate, cpu_suspend are
 *    deleted. Without one, /psci is added with compatible "arm,psci-0.2";
 *  - every arm,gic-v3 node with its reg unchanged (hypnest emulates the
 *    distributor and redistributors at the same addresses), minus its ITS
 *    children (compatible "arm,gic-v3-its": no ITS is emulated);
 *  - the PL011 that stdout-path names, or else the first arm,pl011;
 *  - every arm,armv8-timer node;
 *  - /aliases, minus the aliases whose path no longer exists;
 *  - nodes that kept nodes reference through clocks, resets,
 *    power-domains, interrupts-extended or interrupt-parent (the PL011's
 *    fixed clock), transitively;
 *  - a node's ancestors when it is not a child of the root (their other
 *    children are deleted).
 * Everything else is deleted (flash, fw-cfg, virtio-mmio, PCIe, PL061,
 * PL031, gpio-keys, platform bus, PMU, ...). The result is packed.
 */
#ifndef HYP_GUEST_DT_H
#define HYP_GUEST_DT_H
#include "hyp/types.h"

#define GUEST_BOOTARGS_MAX 2047 /* Linux arm64: COMMAND_LINE_SIZE - 1 */
#define GUEST_DT_MAX_MODULES 8

/*
 * A payload in guest RAM for a guest hypervisor, described to it as QEMU's
 * guest-loader describes one to a hypervisor it boots (the multiboot-module
 * convention, as Xen reads it): a node /chosen/module@<ipa> with reg =
 * <ipa size> in the root's #address-cells/#size-cells, compatible copied
 * as given ("multiboot,module" and "multiboot,kernel"/"multiboot,ramdisk")
 * and bootargs when there are any. Nothing else of the firmware's node.
 */
struct guest_dt_module {
	paddr_t ipa; /* inside guest RAM */
	uint64_t size;
	const char *compatible; /* NUL-separated strings */
	int compatible_len;	/* bytes, the last one a NUL */
	const char *bootargs;	/* NULL: none */
};

struct guest_dt_config {
	paddr_t ram_base; /* guest RAM, guest-physical */
	uint64_t ram_size;
	paddr_t initrd_start; /* initrd, inside guest RAM */
	uint64_t initrd_size; /* 0: no initrd */
	const char *bootargs; /* NULL or "": none */
	unsigned ncpus;	      /* vCPUs; MPIDR of vCPU i = i (Aff0) */
	/* PSCI over SMC rather than HVC: a guest at virtual EL2 (its HVCs
	 * are its own, as they are for a hypervisor at EL2) */
	bool psci_smc;
	const struct guest_dt_module *modules; /* in this order */
	unsigned nmodules;
};

/*
 * Build the guest's tree from host_fdt into out (outlen bytes, not
 * overlapping host_fdt): 0, or non-zero with a one-line message
 * "guest DT: ..." in err. Refused: a corrupt host tree, ncpus 0 or above
 * MAX_CPUS, RAM of size 0, not 4 KiB-aligned, wrapping or not expressible
 * in the root's #address-cells/#size-cells, an initrd outside the RAM,
 * bootargs longer than GUEST_BOOTARGS_MAX, more than GUEST_DT_MAX_MODULES
 * modules, a module of size 0, outside the RAM, overlapping the initrd or
 * another module, not expressible in the root's cells, with a compatible
 * that is empty or not NUL-terminated or bootargs longer than
 * GUEST_BOOTARGS_MAX, a host tree without /cpus or
 * cpu nodes, too small an out buffer ("buffer too small (need N bytes,
 * have M)", where N is guest_dt_size_bound()).
 */
int guest_dt_build(const void *host_fdt, void *out, size_t outlen,
		   const struct guest_dt_config *cfg, char *err, size_t errlen);

/* An out buffer of this many bytes is always large enough for
 * guest_dt_build(host_fdt, cfg) (0 if host_fdt is not a valid tree). */
size_t guest_dt_size_bound(const void *host_fdt,
			   const struct guest_dt_config *cfg);

#endif
