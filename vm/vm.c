/*
 * Building and starting the guest: RAM from the page allocator mapped by
 * stage-2 at GUEST_RAM_IPA, the kernel/initrd copied in from where QEMU's
 * loader left them, a device tree made from the firmware's, and one vCPU
 * per physical CPU. EL2 register values are documented bit by bit below.
 */
#include "hyp/vm.h"
#include "arch/sysreg.h"
#include "hyp/arch.h"
#include "hyp/cpu.h"
#include "hyp/el2_hw.h"
#include "hyp/features.h"
#include "hyp/gic.h"
#include "hyp/guest_dt.h"
#include "hyp/guest_image.h"
#include "hyp/guest_ram.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/nv_l2.h"
#include "hyp/palloc.h"
#include "hyp/platform.h"
#include "hyp/vmid.h"

#define DT_MAX (2UL << 20) /* Linux: the DTB must fit in 2 MiB */

/* HCR_EL2 for an EL1 guest (D24.2.62):
 * VM(0) stage-2 on; SWIO(1) set/way invalidate as clean+invalidate;
 * FMO/IMO/AMO(3-5) physical FIQ/IRQ/SError to EL2, virtual ones to the
 * guest (with IMO, the guest's ICC_SGI1R_EL1 writes trap too: vGIC SGIs);
 * BSU(11:10)=IS barriers inner shareable; TWI(13) WFI traps, so an idle
 * vCPU sleeps in hypnest until its interrupt (vcpu/virq.c); TID3(18) ID
 * registers trap (vcpu/sysreg_trap.c sanitises them); TSC(19) SMC traps;
 * TIDCP(20) IMPLEMENTATION DEFINED registers trap; RW(31) EL1 is AArch64;
 * APK/API(40,41) pointer authentication keys and instructions untrapped.
 * E2H = 0 and TGE = 0: hypnest is an nVHE hypervisor. */
#define HCR_GUEST                                                              \
	(BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) | (1UL << 10) | BIT(13) |  \
	 BIT(18) | BIT(19) | BIT(20) | BIT(31) | BIT(40) | BIT(41))

struct vm *volatile the_vm;
static struct vm vm0;
static struct vcpu vcpus[MAX_CPUS];
static struct palloc *pages;
static struct vmid_pool vmids;

static NORETURN void refuse(const char *what, const char *why)
{
	log_err("guest: %s: %s", what, why);
	log_err("cannot start the guest: stopping (exit status %d)",
		EXIT_CONFIG);
	arch_exit(EXIT_CONFIG);
}

static int alloc_table(void *ctx, paddr_t *pa)
{
	(void)ctx;
	if (palloc_alloc(pages, 1, PAGE_SIZE, pa))
		return -1;
	memset((void *)(uintptr_t)*pa, 0, PAGE_SIZE);
	return 0;
}

static void setup_stage2(struct vm *vm)
{
	const struct cpu_features *f = cpu_features();
	unsigned ipa_bits = MIN(f->pa_bits, 48U);
	paddr_t root;

	if (ipa_bits < 40)
		refuse("stage-2", "PARange below 40 bits is not supported");
	if (alloc_table(NULL, &root))
		refuse("stage-2", "out of memory");
	vm->s2 = (struct pgtable){ .root = (uint64_t *)(uintptr_t)root,
				   .start_level = 0,
				   .alloc_page = alloc_table };
	vmid_init(&vmids, f->vmid_bits);
	if (vmid_alloc(&vmids, &vm->vmid))
		refuse("stage-2", "no VMID left");
	/* VTCR_EL2 (D24.2.224): T0SZ, SL0 = 2 (walk starts at level 0),
	 * IRGN0/ORGN0 = WBWA, SH0 = inner, TG0 = 4K, PS = PARange (capped at
	 * 48 bits), VS = 16-bit VMIDs when present, RES1 bit 31 */
	vm->vtcr = (64 - ipa_bits) | (2UL << 6) | (1UL << 8) | (1UL << 10) |
		   (3UL << 12) | ((uint64_t)MIN(f->parange, 5U) << 16) |
		   (f->vmid_bits == 16 ? BIT(19) : 0) | BIT(31);
	vm->vttbr = ((uint64_t)vm->vmid << 48) | root;
	if (vm->nested) {
		if (vmid_alloc(&vmids, &vm->vmid_vel2))
			refuse("stage-2", "no VMID left");
		vm->vttbr_vel2 = ((uint64_t)vm->vmid_vel2 << 48) | root;
		/* one per shadow slot: the guest hypervisor's VMs (L2) */
		for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
			if (vmid_alloc(&vmids, &vm->shadow_vmid[i]))
				refuse("stage-2", "no VMID left");
	}
	vm->hcr = HCR_GUEST;
}

/* Guest RAM: reserved now, zeroed and mapped at its first use
 * (vm/guest_ram.c; harness/test_guest.py::test_ram_is_zeroed) */
static void setup_ram(struct vm *vm, uint64_t mem_mb)
{
	switch (guest_ram_setup(vm, mem_mb)) {
	case GUEST_RAM_ENOMEM:
		refuse("memory", "not enough free RAM for guest.mem");
	case GUEST_RAM_ES2:
		refuse("stage-2", "cannot map guest RAM");
	}
}

/*
 * The payloads /chosen describes for a guest hypervisor (multiboot
 * modules, hyp/dt.c), copied from where QEMU's guest-loader staged them
 * to page-aligned IPAs going down from top (the initrd, or the DTB), in
 * the tree's order, none below the kernel's end: each gets the node the
 * guest DT describes it by.
 */
_Static_assert(DT_MAX_MODULES <= GUEST_DT_MAX_MODULES,
	       "every module hypnest's DT may have fits the guest's");

static void load_modules(struct vm *vm, const struct dt_info *dt,
			 uint64_t kernel_end, uint64_t top,
			 struct guest_dt_module *out)
{
	for (unsigned i = 0; i < dt->nmodules; i++) {
		const struct dt_module *m = &dt->modules[i];
		char why[DT_ERR_LEN];

		if (!guest_ram_place_below(top, kernel_end, m->r.base,
					   m->r.size, &top)) {
			hyp_snprintf(why, sizeof(why),
				     "/chosen/%s (%lu bytes) does not fit "
				     "between the kernel's end 0x%lx and 0x%lx "
				     "in guest RAM (guest.mem)",
				     m->name, (unsigned long)m->r.size,
				     (unsigned long)kernel_end,
				     (unsigned long)top);
			refuse("multiboot module", why);
		}
		guest_ram_copy(vm, top, (const void *)(uintptr_t)m->r.base,
			       m->r.size);
		out[i] = (struct guest_dt_module){
			.ipa = top,
			.size = m->r.size,
			.compatible = m->compatible,
			.compatible_len = m->compatible_len,
			.bootargs = m->bootargs,
		};
		log_info("guest module %u: /chosen/%s, %lu bytes, at IPA 0x%lx",
			 i, m->name, (unsigned long)m->r.size,
			 (unsigned long)top);
	}
}

static void load_images(struct vm *vm, const struct guest_config *c,
			const struct dt_info *dt, const void *host_fdt)
{
	static struct guest_dt_module modules[DT_MAX_MODULES];
	struct arm64_image_info img;
	struct guest_dt_config gdt;
	char err[DT_ERR_LEN];
	uint64_t dtb_ipa = vm->ram_ipa + vm->ram_size - DT_MAX;
	uint64_t initrd_ipa = 0, kernel_end;
	void *dtb;

	if (arm64_image_check((const void *)(uintptr_t)c->kernel,
			      c->kernel_size, &img, err, sizeof(err)))
		refuse("kernel", err);
	if (img.raw)
		log_info("guest kernel: no arm64 Image header: a raw binary, "
			 "loaded at RAM + 0x%llx as QEMU loads one",
			 (unsigned long long)img.text_offset);
	if (arm64_image_load_offset(&img) + img.image_size > vm->ram_size / 2)
		refuse("kernel", "does not fit in the lower half of guest RAM");
	guest_ram_copy(vm, vm->ram_ipa + arm64_image_load_offset(&img),
		       (const void *)(uintptr_t)c->kernel, c->kernel_size);
	kernel_end = ALIGN_UP(vm->ram_ipa + arm64_image_load_offset(&img) +
				  img.image_size,
			      PAGE_SIZE);
	if (kernel_end > dtb_ipa)
		refuse("kernel", "would overlap the DTB's 2 MiB at the top of "
				 "guest RAM (guest.mem)");
	if (c->initrd_size) {
		if (initrd_check((const void *)(uintptr_t)c->initrd,
				 c->initrd_size, err, sizeof(err)))
			refuse("initrd", err);
		log_info("guest initrd: %llu bytes, %s; passed through as is",
			 (unsigned long long)c->initrd_size,
			 initrd_format((const void *)(uintptr_t)c->initrd,
				       c->initrd_size));
		if (c->initrd_size > vm->ram_size / 4)
			refuse("initrd", "larger than a quarter of guest RAM");
		if (!guest_ram_place_below(dtb_ipa, kernel_end, c->initrd,
					   c->initrd_size, &initrd_ipa))
			refuse("initrd", "would overlap the kernel below the "
					 "DTB's 2 MiB at the top of guest RAM "
					 "(guest.mem)");
		guest_ram_copy(vm, initrd_ipa,
			       (const void *)(uintptr_t)c->initrd,
			       c->initrd_size);
	}
	load_modules(vm, dt, kernel_end, c->initrd_size ? initrd_ipa : dtb_ipa,
		     modules);
	gdt = (struct guest_dt_config){
		.ram_base = vm->ram_ipa,
		.ram_size = vm->ram_size,
		.initrd_start = c->initrd_size ? initrd_ipa : 0,
		.initrd_size = c->initrd_size,
		.bootargs = c->cmdline,
		.ncpus = vm->ncpus,
		.psci_smc = vm->nested,
		.modules = modules,
		.nmodules = dt->nmodules,
	};
	dtb = guest_ram_ptr(vm, dtb_ipa);
	if (guest_dt_build(host_fdt, dtb, DT_MAX, &gdt, err, sizeof(err)))
		refuse("device tree", err);
	guest_ram_clean(vm, dtb_ipa, DT_MAX);
	vm->vcpu[0]->entry = vm->ram_ipa + arm64_image_load_offset(&img);
	vm->vcpu[0]->context = dtb_ipa;
}

static void uart_tx(void *ctx, uint8_t c)
{
	(void)ctx;
	console_guest_putc(c);
}

/* The guest's devices: a GICv3 and a PL011 where the firmware's are (the
 * guest's DT is a copy of that part of the firmware's), both emulated:
 * nothing of theirs is mapped at stage-2, so every access traps. */
static void setup_devices(struct vm *vm, const struct dt_info *dt)
{
	uint64_t mpidr[MAX_CPUS];

	for (unsigned i = 0; i < vm->ncpus; i++)
		mpidr[i] = vm->vcpu[i]->mpidr;
	vgic_init(&vm->vgic, vm->ncpus, mpidr, dt->gic.gicd.base,
		  dt->gic.gicr[0].base);
	for (unsigned i = 0; i < DT_TIMER_COUNT; i++)
		vm->timer_intid[i] = dt->timer_intid[i];
	vm->maint_intid = dt->gic.maint_intid;
	vm->uart_intid = dt->uart_intid;
	vpl011_init(&vm->uart, dt->uart.base, uart_tx, NULL);
	if (vm->uart_intid >= 32) {
		gic_enable_spi(vm->uart_intid, percpu[0].mpidr);
		pl011_rx_irq(true);
	} else {
		log_warn("guest console: the UART has no SPI in the DT; the "
			 "guest gets no input");
	}
}

/* guest.el2=nvhe|vhe: virtual EL2 needs FEAT_NV2; without it the guest
 * starts at EL1, and the log says why */
static void choose_el2(struct vm *vm, const struct guest_config *c)
{
	const struct cpu_features *f = cpu_features();

	vm->el2 = c->el2;
	vm->nested = c->el2 != GUEST_EL2_OFF && f->nv >= 2;
	if (c->el2 != GUEST_EL2_OFF && f->nv < 2)
		log_warn("guest.el2=%s: this CPU has no FEAT_NV2 (%s): the "
			 "guest starts at EL1, without virtual EL2",
			 guest_el2_name(c->el2), features_nv_name(f));
	else if (vm->nested)
		log_info("guest: starts at virtual EL2 (FEAT_NV2), offered as "
			 "%s guest hypervisor",
			 c->el2 == GUEST_EL2_VHE ? "a VHE (E2H=1 allowed)"
						 : "an nVHE (FEAT_VHE hidden)");
}

/*
 * guest.s2=pages|blocks, or chosen here: 4 KiB pages on a software model
 * of a CPU (MIDR_EL1.Implementer 0x00, "reserved for software use",
 * D24.2.137: QEMU's max CPU), 2 MiB blocks on any other. Why: QEMU's TLB
 * records a translation through a 2 MiB stage-2 block as a 2 MiB "large
 * page" even where the guest's stage 1 maps 4 KiB, and a TLBI by VA that
 * falls in the span of a vCPU's large pages flushes its whole TLB; with
 * blocks, each of the guest kernel's single-page TLBIs (~50,000 as its
 * ftrace patches itself at boot, more for every munmap) empties the TLB,
 * refilled by two-stage walks. Pages took an L1 boot from ~1.3x to ~1.15x
 * bare QEMU (docs/perf.md). On a real CPU blocks need fewer TLB entries
 * and shorter walks, and a TLBI costs what it costs.
 */
static void choose_s2(struct vm *vm, const struct guest_config *c)
{
	bool model = cpu_features()->soft_model;

	vm->ram_pages =
	    c->s2 == GUEST_S2_PAGES || (c->s2 == GUEST_S2_AUTO && model);
	log_info("guest: stage 2 maps its RAM in %s (%s)",
		 vm->ram_pages ? "4 KiB pages" : "2 MiB blocks",
		 c->s2 != GUEST_S2_AUTO ? "guest.s2"
		 : model		? "a software model of a CPU: cheaper "
					  "TLB maintenance"
					: "fewer TLB entries");
}

/* what the vCPUs reach the VM by (below) */
static const struct vm_ops vm_ops;

struct vm *vm_create(const struct guest_config *c, const struct dt_info *dt,
		     const void *host_fdt, unsigned cpus_online,
		     struct palloc *pa)
{
	struct vm *vm = &vm0;

	pages = pa;
	vm->pages = pa;
	vm->ops = &vm_ops;
	vm->ncpus = c->ncpus ? c->ncpus : cpus_online;
	if (vm->ncpus > cpus_online)
		refuse("guest.cpus", "more vCPUs than physical CPUs online "
				     "(vCPUs are pinned 1:1)");
	for (unsigned i = 0; i < vm->ncpus; i++) {
		vcpus[i].vm = vm;
		vcpus[i].id = i;
		vcpus[i].mpidr = i; /* Aff0 = index, as in the guest's DT */
		vcpus[i].power = VCPU_OFF;
		vcpus[i].alarm = ~0UL; /* hypnest's EL2 timer: off */
		vm->vcpu[i] = &vcpus[i];
	}
	choose_el2(vm, c);
	choose_s2(vm, c);
	setup_stage2(vm);
	setup_ram(vm, c->mem_mb);
	/* after the RAM: the shadow tables' budget is a share of the rest */
	if (vm->nested && nv_l2_init(vm, vm->vcpu[0]))
		refuse("nested guests", "no memory for shadow stage-2 tables");
	setup_devices(vm, dt);
	load_images(vm, c, dt, host_fdt);
	log_info("guest: %u vCPU%s, %lu MiB at IPA 0x%lx, kernel entry 0x%lx, "
		 "DTB 0x%lx",
		 vm->ncpus, vm->ncpus == 1 ? "" : "s", (unsigned long)c->mem_mb,
		 (unsigned long)vm->ram_ipa, (unsigned long)vm->vcpu[0]->entry,
		 (unsigned long)vm->vcpu[0]->context);
	return vm;
}

static struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (vm->vcpu[i]->mpidr == (mpidr & 0xff00ffffffUL))
			return vm->vcpu[i];
	return NULL;
}

static void vm_enter_prepare(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & MDCR_HPMN;

	/* the base values of the vCPU's EL2 registers (an EL1 guest runs
	 * with these; include/hyp/el2_hw.h), written by vcpu_load_el2 */
	v->el2_base = (struct el2_hw){
		.hcr = vm->hcr,
		.vtcr = vm->vtcr,
		.vttbr = vm->vttbr,
		/* the virtual count is the physical one */
		.cntvoff = 0,
		/* E2H = 0 layout: EL1PCTEN, EL1PCEN: the EL1 physical counter
		 * and timer without traps */
		.cnthctl = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN,
		/* what the guest reads as MIDR_EL1/MPIDR_EL1; VMPIDR bit 31
		 * is RES1, U (bit 30) = 0: a multiprocessor */
		.vpidr = read_sysreg(midr_el1),
		.vmpidr = BIT(31) | v->mpidr,
		/* FP/SIMD untrapped, SVE and SME trapped (hidden) */
		.cptr = CPTR_EL2_DEFAULT,
		/* TPM, TPMCR trap the PMU (hidden in the ID registers); HPMN
		 * = every counter, as a value of 0 would be UNPREDICTABLE */
		.mdcr = MDCR_TPM | MDCR_TPMCR | pmcr_n,
	};
	vcpu_el2_invalidate(v);
	/* nothing another guest (or the vCPU's earlier life) left in this
	 * CPU's EL1&0 TLB entries, whichever VMID */
	__asm__ volatile("tlbi alle1\n dsb nsh\n isb" ::: "memory");
}

/* the line follows the UART; whoever it is routed to looks again (a
 * kick of the vCPU running here is a no-op: its next entry looks) */
static void uart_update_line(struct vm *vm)
{
	bool level = vpl011_irq_level(&vm->uart);
	unsigned t;

	if (!vm->uart_intid)
		return;
	vgic_set_line(&vm->vgic, 0, vm->uart_intid, level);
	t = vgic_target(&vm->vgic, 0, vm->uart_intid);
	if (level && t < vm->ncpus)
		virq_kick(vm->vcpu[t]);
}

/* Received bytes go from the physical UART to the guest's while it has
 * room; what it has no room for waits in the physical FIFO with the
 * physical RX interrupt off, until the guest reads (vm_mmio). */
static void vm_uart_rx(struct vm *vm)
{
	spin_lock(&vm->uart_rx_lock);
	while (vpl011_rx_room(&vm->uart)) {
		int c = pl011_getc();

		if (c < 0)
			break;
		vpl011_rx_push(&vm->uart, (uint8_t)c);
	}
	if (vm->uart_intid)
		pl011_rx_irq(vpl011_rx_room(&vm->uart) != 0);
	spin_unlock(&vm->uart_rx_lock);
	uart_update_line(vm);
}

static int mmio_gic(struct vcpu *v, paddr_t ipa, bool write, unsigned size,
		    uint64_t *val)
{
	int r = vgic_mmio(&v->vm->vgic, v->id, ipa, write, size, val);

	if (r == VGIC_MMIO_HANDLED && write)
		virq_kick_pending(v->vm, v);
	return r;
}

static int mmio_uart(struct vcpu *v, paddr_t ipa, bool write, unsigned size,
		     uint64_t *val)
{
	struct vm *vm = v->vm;
	unsigned room = vpl011_rx_room(&vm->uart);
	int r = vpl011_mmio(&vm->uart, ipa, write, size, val);

	if (r != VPL011_MMIO_HANDLED)
		return r;
	/* the access made room (a DR read): bytes waiting in the physical
	 * FIFO move in; that also updates the line */
	if (vpl011_rx_room(&vm->uart) > room)
		vm_uart_rx(vm);
	else
		uart_update_line(vm);
	return r;
}

/* The emulated devices: each says VM_MMIO_NOT_MINE outside its range */
static int (*const mmio_devices[])(struct vcpu *, paddr_t, bool, unsigned,
				   uint64_t *) = {
	mmio_gic,
	mmio_uart,
};
_Static_assert(VGIC_MMIO_HANDLED == VM_MMIO_HANDLED &&
		   VGIC_MMIO_NOT_MINE == VM_MMIO_NOT_MINE &&
		   VPL011_MMIO_NOT_MINE == VM_MMIO_NOT_MINE &&
		   VPL011_MMIO_BAD == VM_MMIO_BAD,
	       "one set of MMIO results");

static int vm_mmio(struct vcpu *v, paddr_t ipa, bool write, unsigned size,
		   uint64_t *val)
{
	for (unsigned i = 0; i < ARRAY_SIZE(mmio_devices); i++) {
		int r = mmio_devices[i](v, ipa, write, size, val);

		if (r != VM_MMIO_NOT_MINE) {
			stats_mmio(&v->stats, i);
			return r;
		}
	}
	return VM_MMIO_NOT_MINE;
}

static const char *const vm_mmio_names[VCPU_MMIO_DEVS] = { "gic", "uart" };

void vm_run_cpu(struct vm *vm, unsigned cpu_id)
{
	struct vcpu *v = vm->vcpu[cpu_id];

	/* this CPU's side of the guest's interrupts */
	v->nr_lrs = MIN(gic_nr_lrs(), (unsigned)VGIC_MAX_LRS);
	if (vm->maint_intid)
		gic_enable_ppi(vm->maint_intid);
	if (vm->timer_intid[DT_TIMER_VIRT])
		gic_enable_ppi(vm->timer_intid[DT_TIMER_VIRT]);
	if (vm->timer_intid[DT_TIMER_PHYS])
		gic_enable_ppi(vm->timer_intid[DT_TIMER_PHYS]);
	/* hypnest's EL2 physical timer: the alarm for a nested guest's
	 * stored timers (vcpu/virq.c) */
	if (vm->nested && vm->timer_intid[DT_TIMER_HYP_PHYS])
		gic_enable_ppi(vm->timer_intid[DT_TIMER_HYP_PHYS]);
	if (cpu_id == 0)
		__atomic_store_n(&vm->vcpu[0]->power, VCPU_ON_PENDING,
				 __ATOMIC_RELEASE);
	vcpu_run(v);
}

/* The guest's end is claimed once, by SYSTEM_OFF (vm_stop) or a crash
 * (vm_crash): true for the first. The other vCPUs see vm->stopping at
 * their next exit and park (vcpu/vcpu.c), so whoever comes second, off
 * or crash, never prints into the first one's report. */
static bool vm_claim_end(struct vm *vm)
{
	return !__atomic_exchange_n(&vm->stopping, true, __ATOMIC_ACQ_REL);
}

static NORETURN void vm_stop(struct vm *vm, struct vcpu *by, const char *why)
{
	/* another vCPU is reporting a crash: that is the guest's end (this
	 * one prints its state in its turn); or stopping it already */
	if (!vm_claim_end(vm))
		vcpu_park(by, EXIT_SYNC);
	log_info("guest: %s from vcpu%u", why, by->id);
	for (unsigned i = 0; i < vm->ncpus; i++)
		vcpu_print_stats(vm->vcpu[i]);
	log_info("guest RAM: %u of %lu blocks of 2 MiB used: %u mapped where "
		 "its images were staged, %u zeroed at their first use (in "
		 "%lu ms)",
		 vm->ram_blocks_used,
		 (unsigned long)(vm->ram_size / GUEST_RAM_BLOCK),
		 vm->ram_blocks_staged,
		 vm->ram_blocks_used - vm->ram_blocks_staged,
		 (unsigned long)(vm->ram_fill_ticks * 1000 /
				 (read_sysreg(cntfrq_el0) ?: 1)));
	log_info("guest stopped: exit status 0");
	arch_exit(EXIT_OK);
}

/* how long a vCPU gets to park and print its state (vcpu/report.c) */
#define REPORT_WAIT_US 1000000UL

/* vCPU i's turn in the report: printed by its own CPU, or here if it is
 * this one or off; false if it did not take its turn within
 * REPORT_WAIT_US. The turn is then withdrawn, so that the vCPU, parking
 * late, never prints into the rest of the report; one that took it in
 * time (vcpu_park: report_turn | REPORT_TAKEN) is printing and is waited
 * for. */
static bool report_one(struct vm *vm, struct vcpu *by, unsigned kind,
		       unsigned i)
{
	struct vcpu *t = vm->vcpu[i];
	unsigned turn = i + 1;
	uint64_t end;

	if (t == by) {
		vcpu_report(by, kind);
		return true;
	}
	if (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE) != VCPU_ON) {
		log_raw("vcpu%u: not running (off)\n", i);
		return true;
	}
	/* release: our lines so far are out before its turn */
	__atomic_store_n(&vm->report_turn, turn, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	end = timer_now_us() + REPORT_WAIT_US;
	while (__atomic_load_n(&vm->report_turn, __ATOMIC_ACQUIRE) == turn) {
		unsigned expect = turn;

		if (timer_now_us() > end &&
		    __atomic_compare_exchange_n(&vm->report_turn, &expect, 0,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return false;
	}
	/* taken: it prints at its own pace */
	while (__atomic_load_n(&vm->report_done, __ATOMIC_ACQUIRE) != i + 1)
		;
	return true;
}

/*
 * The guest ended other than by SYSTEM_OFF (a reset, a fatal SError):
 * what it was doing, then the counters, and a status of its own. Every
 * other vCPU is kicked out of the guest (a physical SGI: taken to EL2
 * whatever the guest masks) and parks at that exit (vcpu/vcpu.c); each
 * prints its own state in turn, by id. A second crash on another vCPU
 * meanwhile parks there.
 */
static NORETURN void vm_crash(struct vm *vm, struct vcpu *by, unsigned kind,
			      const char *why)
{
	if (!vm_claim_end(vm))
		vcpu_park(by, kind);
	log_err("guest: %s from vcpu%u: the guest is stopped; the state of "
		"its vCPUs:",
		why, by->id);
	dsb(ish);
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (vm->vcpu[i] != by)
			virq_kick(vm->vcpu[i]);
	for (unsigned i = 0; i < vm->ncpus; i++)
		/* its registers are not printed: while it runs (in the
		 * guest or in hypnest) they are being written, and what
		 * this CPU read would be no state it was ever in */
		if (!report_one(vm, by, kind, i))
			log_raw("vcpu%u: did not stop within %lu ms: still "
				"running, its registers are not shown (no "
				"stopped state to print)\n",
				i, REPORT_WAIT_US / 1000);
	for (unsigned i = 0; i < vm->ncpus; i++)
		vcpu_print_stats(vm->vcpu[i]);
	log_err("guest stopped: exit status %d (%s)", EXIT_GUEST_CRASH, why);
	arch_exit(EXIT_GUEST_CRASH);
}

static const struct vm_ops vm_ops = {
	.mmio = vm_mmio,
	.mmio_names = vm_mmio_names,
	.ipa_is_ram = guest_ram_is_ram,
	.ram_ptr = guest_ram_ptr,
	.vcpu_by_mpidr = vm_vcpu_by_mpidr,
	.enter_prepare = vm_enter_prepare,
	.uart_rx = vm_uart_rx,
	.stop = vm_stop,
	.crash = vm_crash,
};
