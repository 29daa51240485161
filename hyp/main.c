/*
 * The boot CPU's path, from entry.S to a running system:
 * header check of the DTB -> EL2 MMU on (image + DTB) -> DT parsed ->
 * console -> features checked -> RAM and devices mapped -> page allocator ->
 * secondary CPUs -> banner. Any failure on the way is reported and ends the
 * run with a non-zero status (include/hyp/config.h).
 */
#include "arch/sysreg.h"
#include "hyp/arch.h"
#include "hyp/bootargs.h"
#include "hyp/config.h"
#include "hyp/cpu.h"
#include "hyp/dt.h"
#include "hyp/features.h"
#include "hyp/gic.h"
#include "hyp/guest_ram.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/mmu.h"
#include "hyp/palloc.h"
#include "hyp/platform.h"
#include "hyp/smp.h"
#include "hyp/vm.h"

#define HYP_VERSION "0.1"

NORETURN void boot_primary(paddr_t dtb);
NORETURN void boot_wrong_el(unsigned el);

static struct dt_info dt;
static struct palloc ram;
static struct guest_config guest;

static void early_sink(const char *s, size_t len)
{
	semihost_write(s, len);
}

static NORETURN void fatal(const char *msg)
{
	log_err("%s", msg);
	log_err("cannot continue: stopping (exit status %d)", EXIT_CONFIG);
	arch_exit(EXIT_CONFIG);
}

/* Entered at EL1 (QEMU without virtualization=on) or EL3: say so. */
void boot_wrong_el(unsigned el)
{
	char msg[160];
	int n =
	    hyp_snprintf(msg, sizeof(msg),
			 "hypnest: entered at EL%u, but it must be started at "
			 "EL2 (QEMU: -M virt,virtualization=on)\n",
			 el);

	semihost_write(msg, (size_t)n);
	semihost_exit(EXIT_WRONG_EL);
}

static uint64_t ram_total(void)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < dt.nmem; i++)
		t += dt.mem[i].size;
	return t;
}

static void check_features(void)
{
	const struct cpu_features *f = cpu_features();

	if (!f->e2h0)
		fatal(
		    "this CPU has no FEAT_E2H0 (HCR_EL2.E2H is RES1): hypnest "
		    "runs its own EL2 with E2H = 0 and needs it");
	if (!f->gic_sysregs)
		fatal("this CPU has no GICv3 system register interface");
	if (f->pa_bits < 40)
		log_warn("small physical address range: %u bits", f->pa_bits);
}

/* Ranges the allocator must never hand out: the image, the DTB and what
 * the DT reserves. */
static unsigned busy_ranges(struct mem_range *out, paddr_t dtb,
			    uint32_t dtb_size)
{
	paddr_t s, e;
	unsigned n = 0;

	mmu_image_range(&s, &e);
	out[n++] = (struct mem_range){ s, e - s };
	out[n++] = (struct mem_range){ dtb, dtb_size };
	for (unsigned i = 0; i < dt.nreserved; i++)
		out[n++] = dt.reserved[i];
	/* where QEMU's loader staged the guest's images: the guest's own
	 * RAM must not be carved out of them before they are copied in */
	if (guest.present)
		out[n++] =
		    (struct mem_range){ guest.kernel, guest.kernel_size };
	if (guest.initrd_size)
		out[n++] =
		    (struct mem_range){ guest.initrd, guest.initrd_size };
	/* and the payloads /chosen describes (multiboot modules), copied
	 * into the guest's RAM by vm_create like the kernel */
	for (unsigned i = 0; i < dt.nmodules; i++)
		out[n++] = dt.modules[i].r;
	return n;
}

static bool in_ram(paddr_t base, uint64_t size)
{
	for (unsigned i = 0; i < dt.nmem; i++)
		if (base >= dt.mem[i].base && size <= dt.mem[i].size &&
		    base - dt.mem[i].base <= dt.mem[i].size - size)
			return true;
	return false;
}

static bool overlap(struct mem_range a, struct mem_range b)
{
	return a.base < b.base + b.size && b.base < a.base + a.size;
}

/* something in RAM that a staged range must keep clear of */
struct staged {
	const char *what, *name; /* printed one after the other */
	struct mem_range r;
	const char *sep; /* between the name and the range */
};

/* st must be in RAM hypnest maps (or reading it faults) and clear of
 * every range in other[0..n) */
static void check_one_staged(const struct staged *st,
			     const struct staged *other, unsigned n)
{
	char err[DT_ERR_LEN];

	if (!in_ram(st->r.base, st->r.size)) {
		hyp_snprintf(err, sizeof(err),
			     "%s%s%s0x%lx:%lu is not inside "
			     "RAM",
			     st->what, st->name, st->sep,
			     (unsigned long)st->r.base,
			     (unsigned long)st->r.size);
		fatal(err);
	}
	for (unsigned k = 0; k < n; k++) {
		if (!other[k].r.size || !overlap(st->r, other[k].r))
			continue;
		hyp_snprintf(
		    err, sizeof(err), "%s%s%s0x%lx:%lu overlaps %s%s", st->what,
		    st->name, st->sep, (unsigned long)st->r.base,
		    (unsigned long)st->r.size, other[k].what, other[k].name);
		fatal(err);
	}
}

/*
 * What QEMU's loader staged for the guest (its kernel, initrd and the
 * multiboot modules /chosen describes) must be in RAM and clear of
 * hypnest's image, the DTB, /reserved-memory and each other: their whole
 * 2 MiB blocks become the guest's RAM where they lie (vm/guest_ram.c
 * adopt), so an overlap would hand the guest memory that is not its own.
 */
static void check_guest_staging(paddr_t dtb, uint32_t dtb_size)
{
	struct staged all[2 + DT_MAX_RESERVED + 2 + DT_MAX_MODULES];
	unsigned n = 0, fixed;
	paddr_t s, e;

#define STAGED(w, nm, base, size, sp)                                          \
	all[n++] = (struct staged){                                            \
		.what = w, .name = nm, .r = { base, size }, .sep = sp          \
	}
	mmu_image_range(&s, &e);
	STAGED("hypnest's image", "", s, e - s, "");
	STAGED("the DTB", "", dtb, dtb_size, "");
	for (unsigned i = 0; i < dt.nreserved; i++)
		STAGED("reserved memory", "", dt.reserved[i].base,
		       dt.reserved[i].size, "");
	fixed = n;
	if (guest.present)
		STAGED("guest.kernel", "", guest.kernel, guest.kernel_size,
		       "=");
	if (guest.initrd_size)
		STAGED("guest.initrd", "", guest.initrd, guest.initrd_size,
		       "=");
	for (unsigned i = 0; i < dt.nmodules; i++)
		STAGED("multiboot module /chosen/", dt.modules[i].name,
		       dt.modules[i].r.base, dt.modules[i].r.size, " ");
#undef STAGED
	for (unsigned i = fixed; i < n; i++)
		check_one_staged(&all[i], all, i);
}

/* the highest page-aligned spot for len bytes in [base, end) clear of busy */
static paddr_t find_hole(paddr_t base, paddr_t end, uint64_t len,
			 const struct mem_range *busy, unsigned nbusy)
{
	paddr_t cand = ALIGN_DOWN(end - len, PAGE_SIZE);
	bool moved = true;

	while (moved && cand >= base && cand < end) {
		moved = false;
		for (unsigned i = 0; i < nbusy; i++) {
			if (cand < busy[i].base + busy[i].size &&
			    busy[i].base < cand + len) {
				cand =
				    ALIGN_DOWN(busy[i].base - len, PAGE_SIZE);
				moved = true;
			}
		}
	}
	return (cand >= base && cand < end) ? cand : 0;
}

/* Each memory range gets its bitmap from a free spot of its own pages. */
static void init_allocator(paddr_t dtb, uint32_t dtb_size)
{
	struct mem_range busy[4 + DT_MAX_RESERVED + DT_MAX_MODULES];
	unsigned nbusy;

	check_guest_staging(dtb, dtb_size);
	nbusy = busy_ranges(busy, dtb, dtb_size);

	for (unsigned i = 0; i < dt.nmem; i++) {
		paddr_t base = ALIGN_UP(dt.mem[i].base, PAGE_SIZE);
		paddr_t end =
		    ALIGN_DOWN(dt.mem[i].base + dt.mem[i].size, PAGE_SIZE);
		size_t npages = (end - base) / PAGE_SIZE;
		uint64_t bm_len =
		    ALIGN_UP(palloc_bitmap_bytes(npages), PAGE_SIZE);
		paddr_t bm = find_hole(base, end, bm_len, busy, nbusy);
		int ret;
		if (!bm) {
			log_warn("memory 0x%lx-0x%lx: no room for its bitmap; "
				 "unused",
				 (unsigned long)base, (unsigned long)end);
			continue;
		}
		ret = palloc_add_region(&ram, base, npages,
					(uint64_t *)(uintptr_t)bm);
		if (ret)
			fatal(palloc_strerror(ret));
		palloc_reserve(&ram, bm, bm_len / PAGE_SIZE);
	}
	for (unsigned i = 0; i < nbusy; i++) {
		paddr_t s = ALIGN_DOWN(busy[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_UP(busy[i].base + busy[i].size, PAGE_SIZE);
		palloc_reserve(&ram, s, (e - s) / PAGE_SIZE);
	}
	mmu_use_allocator(&ram);
}

static void map_platform(void)
{
	int ret = 0;

	for (unsigned i = 0; i < dt.nmem && !ret; i++)
		ret = mmu_map_ram(dt.mem[i].base, dt.mem[i].size);
	ret = ret ?: mmu_map_device(dt.gic.gicd.base, dt.gic.gicd.size);
	for (unsigned i = 0; i < dt.gic.ngicr && !ret; i++)
		ret = mmu_map_device(dt.gic.gicr[i].base, dt.gic.gicr[i].size);
	if (ret)
		fatal("cannot map RAM and devices: overlapping or misaligned "
		      "ranges in the device tree");
}

static void banner(void)
{
	const struct cpu_features *f = cpu_features();
	unsigned online = cpus_online();

	log_raw("\nhypnest " HYP_VERSION
		": bare-metal arm64 hypervisor, at EL2\n");
	log_raw("  cpus:     %u CPU%s online (of %u in the DT)\n", online,
		online == 1 ? "" : "s", dt.ncpus);
	log_raw("  ram:      %lu MiB", (unsigned long)(ram_total() >> 20));
	for (unsigned i = 0; i < dt.nmem; i++)
		log_raw(" [0x%lx-0x%lx]", (unsigned long)dt.mem[i].base,
			(unsigned long)(dt.mem[i].base + dt.mem[i].size - 1));
	log_raw(", %lu KiB free\n",
		(unsigned long)(palloc_free_pages(&ram) * (PAGE_SIZE / 1024)));
	log_raw("  gicv3:    GICD 0x%08lx GICR 0x%08lx (%u region%s), "
		"maintenance INTID %u\n",
		(unsigned long)dt.gic.gicd.base,
		(unsigned long)dt.gic.gicr[0].base, dt.gic.ngicr,
		dt.gic.ngicr == 1 ? "" : "s", dt.gic.maint_intid);
	log_raw("  timer:    INTIDs phys %u virt %u hyp-phys %u hyp-virt %u\n",
		dt.timer_intid[DT_TIMER_PHYS], dt.timer_intid[DT_TIMER_VIRT],
		dt.timer_intid[DT_TIMER_HYP_PHYS],
		dt.timer_intid[DT_TIMER_HYP_VIRT]);
	log_raw("  uart:     PL011 0x%08lx\n", (unsigned long)dt.uart.base);
	log_raw("  psci:     %s\n", dt.psci == DT_PSCI_SMC   ? "smc"
				    : dt.psci == DT_PSCI_HVC ? "hvc"
							     : "none");
	log_raw("  features: %s %s, FEAT_VHE %s, FEAT_E2H0 %s, FEAT_ECV %s, "
		"PARange %u bits, VMID %u bits\n",
		features_nv_name(f), f->nv ? "present" : "absent",
		f->vhe ? "present" : "absent", f->e2h0 ? "present" : "absent",
		f->ecv ? "present" : "absent", f->pa_bits, f->vmid_bits);
}

#ifdef TEST_HOOKS
/* test=dirty-ram: every free block of guest RAM's size filled with 0xa5
 * and given back, so a guest that finds anything but zeros in its RAM has
 * found someone else's data (harness/test_guest.py::test_ram_is_zeroed).
 * The blocks are chained through their first word while all are held. */
static void dirty_free_ram(void)
{
	paddr_t pa, head = 0;
	size_t n = 0;

	while (!palloc_alloc(&ram, GUEST_RAM_BLOCK / PAGE_SIZE, GUEST_RAM_BLOCK,
			     &pa)) {
		memset((void *)(uintptr_t)pa, 0xa5, GUEST_RAM_BLOCK);
		*(paddr_t *)(uintptr_t)pa = head;
		head = pa;
		n++;
	}
	while (head) {
		pa = head;
		head = *(paddr_t *)(uintptr_t)pa;
		palloc_free(&ram, pa, GUEST_RAM_BLOCK / PAGE_SIZE);
	}
	log_info("test hook: %zu MiB of free RAM filled with 0xa5",
		 n * (GUEST_RAM_BLOCK >> 20));
}

/* Test-build only (make TEST_HOOKS=1): deliberate failures the harness
 * asks for with test=<name> on the command line. */
static void run_test_hooks(void)
{
	char what[32];

	if (!bootarg_get(dt.bootargs, "test", what, sizeof(what)))
		return;
	log_info("test hook: %s", what);
	if (!strcmp(what, "dirty-ram")) {
		dirty_free_ram();
		return;
	}
	if (!strcmp(what, "route-delay")) { /* vcpu/vcpu.c */
		vcpu_test_route_delay = true;
		return;
	}
	if (!strcmp(what, "no-park")) { /* vcpu/vcpu.c */
		vcpu_test_no_park = true;
		return;
	}
	if (!strcmp(what, "fault")) /* the flash at 0 is never mapped at EL2 */
		(void)*(volatile uint64_t *)(uintptr_t)0x1000;
	if (!strcmp(what, "brk"))
		__asm__ volatile("brk #0x42");
	log_err("test hook %s did not fault", what);
}
#endif

void boot_primary(paddr_t dtb)
{
	char err[DT_ERR_LEN], arg[16];
	struct vm *vm;
	uint32_t dtb_size = 0;

	cpu_set_current(0);
	log_set_sink(early_sink);
	features_init();
	if (dt_check_header((const void *)(uintptr_t)dtb, &dtb_size, err,
			    sizeof(err)))
		fatal(err);
	mmu_boot(dtb, dtb_size);
	if (dt_parse((const void *)(uintptr_t)dtb, &dt, err, sizeof(err)))
		fatal(err);
	if (mmu_map_device(dt.uart.base, dt.uart.size))
		fatal("cannot map the UART");
	pl011_init(dt.uart.base);
	log_set_sink(console_hyp_write);
	if (bootarg_get(dt.bootargs, "log", arg, sizeof(arg)) &&
	    !strcmp(arg, "debug"))
		log_set_level(LOG_DEBUG);
	smccc_set_conduit(dt.psci == DT_PSCI_SMC   ? CONDUIT_SMC
			  : dt.psci == DT_PSCI_HVC ? CONDUIT_HVC
						   : CONDUIT_NONE);
	log_info("hypnest " HYP_VERSION " starting; DTB at 0x%lx (%u bytes)",
		 (unsigned long)dtb, dtb_size);
	check_features();
	cpu_el2_log_state();
	if (ram_total() < (uint64_t)MIN_RAM_MB << 20) {
		hyp_snprintf(
		    err, sizeof(err),
		    "too little memory: %lu MiB in the DT, hypnest needs at "
		    "least %u MiB",
		    (unsigned long)(ram_total() >> 20), MIN_RAM_MB);
		fatal(err);
	}
	if (guest_config_parse(dt.bootargs, &guest, err, sizeof(err)))
		fatal(err);
	map_platform();
	if (gic_init(&dt) || gic_init_cpu())
		fatal("cannot initialise the GICv3");
	init_allocator(dtb, dtb_size);
	__atomic_store_n(&percpu[0].online, true, __ATOMIC_RELEASE);
	smp_boot_secondaries(&dt);
	banner();
#ifdef TEST_HOOKS
	run_test_hooks();
#endif
	if (!guest.present) {
		log_info("no guest configured (guest.kernel=<addr>:<size>): "
			 "stopping (exit status 0)");
		arch_exit(EXIT_OK);
	}
	vm = vm_create(&guest, &dt, (const void *)(uintptr_t)dtb, cpus_online(),
		       &ram);
	/* release: the VM built before the secondaries' acquire sees it */
	__atomic_store_n(&the_vm, vm, __ATOMIC_RELEASE);
	dsb(ish);
	gic_kick_others(); /* secondaries sleep until the_vm is there */
	vm_run_cpu(vm, 0);
}
