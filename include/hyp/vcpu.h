/*
 * A virtual CPU (vcpu/). vCPU i runs on physical CPU i only, and hypnest
 * never touches FP/SIMD or EL1 system registers while a guest runs, so a
 * guest's EL1 and FP/SIMD state stay live in the hardware between exits:
 * the world switch (vcpu/switch.S) moves only x0-x30, PC and PSTATE.
 * The stored copy of the EL1 registers (loaded at reset, saved for dumps,
 * and later swapped for nested virtualization) is laid out as the
 * architected VNCR_EL2 page, so FEAT_NV2 can point the hardware at it.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H
#include "arch/esr.h"
#include "arch/vncr.h"
#include "hyp/config.h"
#include "hyp/el2_hw.h"
#include "hyp/nv_ich.h"
#include "hyp/nv_state.h"
#include "hyp/stats.h"
#include "hyp/types.h"

struct vm;

/* saved by vcpu/switch.S; offsets are used there */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t pc;	 /* ELR_EL2 at exit */
	uint64_t pstate; /* SPSR_EL2 at exit */
	uint64_t host_sp;
	uint64_t host_x19_x30[12];
};
_Static_assert(__builtin_offsetof(struct vcpu_regs, pc) == 248, "switch.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, host_sp) == 264,
	       "switch.S");

/* why vcpu_enter returned: the vector group that took the exit */
enum exit_kind { EXIT_SYNC, EXIT_IRQ, EXIT_FIQ, EXIT_SERROR };

/* ON_CLAIMED: a CPU_ON call is filling in the entry point (vcpu/smccc.c);
 * to everyone else it is ON_PENDING */
enum vcpu_power { VCPU_OFF, VCPU_ON_PENDING, VCPU_ON, VCPU_ON_CLAIMED };

/* Trap counters: struct vcpu_stats, include/hyp/stats.h */

/* EL1 context registers that have no VNCR_EL2 slot (include/hyp/sysregs.def:
 * the always-live ones and CNTKCTL_EL1): LIVE_<name> */
enum el1_live_reg {
#define SR_CTX_LIVE(n) LIVE_##n,
#include "hyp/sysregs.def"
	LIVE_NR
};

struct vcpu {
	struct vcpu_regs regs;
	/* the VNCR_EL2 page: stored EL1 (and later EL2) registers */
	uint64_t vncr[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
	uint64_t live[LIVE_NR];
	struct vm *vm;
	unsigned id;
	uint64_t mpidr;
	volatile enum vcpu_power power;
	uint64_t entry, context; /* set by PSCI CPU_ON */
	struct vcpu_stats stats;
	uint64_t ec_logged; /* 64 bits: unhandled ECs already logged once */
	struct nv_state nv; /* virtual EL2 (nv/) */
	unsigned nr_lrs;    /* list registers this CPU has (ICH_VTR_EL2) */
	unsigned lrs_used;  /* filled by the last virq_flush */
	/* vcpu/virq.c: which guest timers are live (hardware-linked), and
	 * the deadline hypnest's EL2 timer is armed at for the stored ones */
	unsigned timers_live;
	unsigned timers_phys_active; /* live ones whose PPI hypnest holds */
	uint64_t alarm;
	unsigned lr_timer; /* the LRs virq_flush loaded with a pending timer */
	struct nv_ich_run ich; /* the nested vGIC (vcpu/vgic_nested.c) */
	/* the real EL2 registers (include/hyp/el2_hw.h): the base values
	 * vm/vm.c gives the vCPU, what it last wrote and whether it did */
	struct el2_hw el2_base, el2_hw;
	bool el2_loaded;
};

/* the stored copy of an EL1 register at its VNCR offset */
#define vcpu_vncr(v, off) ((v)->vncr[(off) / 8])

uint64_t vcpu_enter(struct vcpu_regs *regs);
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
void vcpu_load_el1(const struct vcpu *v);
/* the table-driven moves between the stored copy and the CPU */
void el1_regs_load(const struct vcpu *v);
void el1_regs_save(struct vcpu *v);
void vcpu_save_el1(struct vcpu *v);
NORETURN void vcpu_run(struct vcpu *v);
#ifdef TEST_HOOKS
/* test=route-delay on hypnest's command line (vcpu/vcpu.c) */
extern bool vcpu_test_route_delay;
/* test=no-park: no vCPU parks for a crash report (vcpu/vcpu.c) */
extern bool vcpu_test_no_park;
#endif
void vcpu_dump(const struct vcpu *v);
void vcpu_dump_gprs(const struct vcpu *v); /* x0-x30 only */
/* a stopped guest's report (vcpu/report.c): this vCPU's level, registers
 * and exception registers, printed on its own CPU (kind: its last exit's,
 * enum exit_kind); park: wait for vm->report_turn to name this vCPU,
 * report, never return */
void vcpu_report(struct vcpu *v, unsigned kind);
NORETURN void vcpu_park(struct vcpu *v, unsigned kind);
void vcpu_print_stats(const struct vcpu *v);

/* exit handlers (vcpu/exit.c): return normally to resume the guest */
typedef void (*exit_handler_fn)(struct vcpu *v, uint64_t esr);
void vcpu_handle_sync(struct vcpu *v);
void vcpu_skip_instr(struct vcpu *v);

/* interrupts (vcpu/virq.c): around each entry, on IRQ exits, for WFI */
void virq_flush(struct vcpu *v);
/* the guest's timers into the vGIC model's lines, as of now */
void virq_sample(struct vcpu *v);
void virq_sync(struct vcpu *v);
/* returns the first INTID it acknowledged (1020..1023: none) */
unsigned virq_handle(struct vcpu *v);
/* WFI until a physical interrupt is pending, then virq_handle (a vCPU
 * idle, or off until its CPU_ON) */
void virq_wait(struct vcpu *v);
void virq_idle(struct vcpu *v);
/* the guest's CPU interface signals one of its interrupts now */
bool virq_signalled(struct vcpu *v);
/* make t's physical CPU look at t's interrupts again (no-op for self) */
void virq_kick(struct vcpu *t);
/* kick every vCPU but self that now has an interrupt to take */
void virq_kick_pending(struct vm *vm, struct vcpu *self);
/* the nested vGIC (vcpu/vgic_nested.c): a guest hypervisor's virtual
 * interface in the CPU while its vEL1 runs. flush: loaded (true) or not
 * its turn; sync: folded back (true) or nothing was loaded; maint: its
 * maintenance interrupt's line from its stored registers; wakeup: its
 * vEL1 has a virtual interrupt to take (WFI) */
bool vgic_nested_flush(struct vcpu *v);
bool vgic_nested_sync(struct vcpu *v);
void vgic_nested_maint(struct vcpu *v);
bool vgic_nested_wakeup(const struct vcpu *v);

/* exception injection into the guest's EL1 (vcpu/inject.c) */
void inject_undef(struct vcpu *v);
void inject_abort(struct vcpu *v, bool instr, uint64_t far, uint64_t exit_esr);

#endif
