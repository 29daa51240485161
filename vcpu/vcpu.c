/* vCPU reset, EL1 context, the run loop, dumps and counters. */
#include "hyp/vcpu.h"
#include "arch/sysreg.h"
#include "hyp/cpu.h"
#include "hyp/el2_hw.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/vm.h"

/* PSTATE for a vCPU's first instruction: EL1h, D, A, I, F masked
 * (Linux booting.rst; PSCI CPU_ON, DEN 0022 6.4.3.3) */
#define PSTATE_EL1H_DAIF 0x3c5UL
/* SCTLR_EL1 RES1 bits (Armv8.0 view: 29,28,23,22,20,11), MMU and caches
 * off, little-endian */
#define SCTLR_EL1_RESET 0x30d00800UL

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(v->vncr, 0, sizeof(v->vncr));
	memset(v->live, 0, sizeof(v->live));
	v->regs.x[0] = x0;
	v->regs.pc = pc;
	v->regs.pstate = PSTATE_EL1H_DAIF;
	vcpu_vncr(v, VNCR_SCTLR_EL1) = SCTLR_EL1_RESET;
	/* FP/SIMD usable at EL1 and EL0 without a trap to EL1: Linux expects
	 * CPACR_EL1.FPEN as the firmware left it, which QEMU sets to 0b11 */
	vcpu_vncr(v, VNCR_CPACR_EL1) = 3UL << 20;
}

void vcpu_load_el1(const struct vcpu *v)
{
	el1_regs_load(v);
	isb();
}

void vcpu_save_el1(struct vcpu *v)
{
	el1_regs_save(v);
}

static const char *const kind_names[] = { "sync", "irq", "fiq", "serror" };

void vcpu_dump(const struct vcpu *v)
{
	log_raw("  vcpu%u PC 0x%016lx PSTATE 0x%08lx\n", v->id,
		(unsigned long)v->regs.pc, (unsigned long)v->regs.pstate);
	vcpu_dump_gprs(v);
}

void vcpu_dump_gprs(const struct vcpu *v)
{
	for (int i = 0; i < 31; i += 2) {
		log_raw("  x%-2d 0x%016lx", i, (unsigned long)v->regs.x[i]);
		if (i + 1 < 31)
			log_raw("  x%-2d 0x%016lx", i + 1,
				(unsigned long)v->regs.x[i + 1]);
		log_raw("\n");
	}
}

static void handle_exit(struct vcpu *v, uint64_t kind)
{
	stats_exit(v, (unsigned)kind);
	switch (kind) {
	case EXIT_SYNC:
		vcpu_handle_sync(v);
		break;
	case EXIT_SERROR:
		/* taken from L2 with L1's AMO: L1's, at its vEL2 */
		if (nv_serror_to_vel2(v)) {
			nv_inject_serror(v, read_sysreg(esr_el2));
			break;
		}
		/* an SError the guest caused is the guest's: reflect it */
		log_warn("vcpu%u: SError (ESR_EL2 0x%lx): guest stopped", v->id,
			 (unsigned long)read_sysreg(esr_el2));
		v->vm->ops->crash(v->vm, v, EXIT_SERROR, "SError");
		break;
	case EXIT_IRQ:
		stats_irq(&v->stats, virq_handle(v));
		break;
	default:
		/* FIQs are Group 0: hypnest configures none */
		log_warn("vcpu%u: unexpected %s exit", v->id,
			 kind_names[kind & 3]);
		break;
	}
}

#ifdef TEST_HOOKS
bool vcpu_test_route_delay;

/* test=route-delay (make TEST_HOOKS=1, hyp/main.c): 5 ms between where a
 * nested guest's interrupt goes and the list registers, at vEL1 with its
 * IMO, so that a timer deadline falls in between */
static void test_route_delay(struct vcpu *v)
{
	uint64_t end;

	if (!vcpu_test_route_delay || !nv_irq_to_vel2(v))
		return;
	end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) / 200;
	while (read_sysreg(cntpct_el0) < end)
		;
}

bool vcpu_test_no_park;

/* test=no-park: a vCPU told to park for the crash report goes on running
 * the guest instead, as one stuck where it never looks would
 * (harness/test_guest_crash.py: the report says it did not stop) */
static bool test_no_park(void)
{
	return vcpu_test_no_park;
}
#else
static void test_route_delay(struct vcpu *v)
{
	(void)v;
}

static bool test_no_park(void)
{
	return false;
}
#endif

/* Before every entry. A guest at vEL1 whose HCR_EL2.IMO routes its
 * interrupts to its vEL2 takes a pending one there: decided on timers
 * sampled now (virq_flush samples again, for the level it then is at, and
 * fills no list register for vEL1). Then the real EL2 registers for that
 * level, then the list registers. */
static void prepare_entry(struct vcpu *v)
{
	/* the EL2 state of the level about to run first: the routing
	 * decision samples the timers on the CNTVOFF_EL2 that level runs
	 * with (D12.2.4.1), and again after an injection changed the level */
	vcpu_load_el2(v);
	if (nv_irq_to_vel2(v)) {
		virq_sample(v);
		if (virq_signalled(v)) {
			nv_inject_irq(v);
			vcpu_load_el2(v);
		}
	}
	test_route_delay(v);
	virq_flush(v);
}

void vcpu_run(struct vcpu *v)
{
	uint64_t kind;

	this_cpu()->vcpu = v;
	for (;;) {
		/* acquire: entry and context were written before the CPU_ON
		 * caller's release store of ON_PENDING (vcpu/smccc.c) */
		while (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) !=
		       VCPU_ON) {
			if (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) ==
			    VCPU_ON_PENDING) {
				vcpu_reset(v, v->entry, v->context);
				vcpu_load_el1(v);
				v->vm->ops->enter_prepare(v);
				if (v->vm->nested)
					nv_vcpu_start(v);
				v->power = VCPU_ON;
				break;
			}
			/* off: sleep until psci_cpu_on's kick (vcpu/smccc.c),
			 * not in a WFE loop (hyp/gic.c gic_sleep says why) */
			virq_wait(v);
		}
		prepare_entry(v);
		kind = vcpu_enter(&v->regs);
		if (v->nv.enabled) /* a virtual SError taken clears VSE */
			nv_hcr_exit(v);
		virq_sync(v);
		handle_exit(v, kind);
		/* another vCPU is reporting the guest's end (vm/vm.c) */
		if (v->vm->stopping && !test_no_park())
			vcpu_park(v, (unsigned)kind);
	}
}
