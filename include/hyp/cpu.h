/* Per-CPU state of the hypervisor (hyp/cpu.c); TPIDR_EL2 points at it. */
#ifndef HYP_CPU_H
#define HYP_CPU_H
#include "hyp/config.h"
#include "hyp/types.h"

struct vcpu_regs;
struct vcpu;

struct percpu {
	struct vcpu_regs *cur_regs; /* first: vcpu/switch.S reads [tpidr_el2] */
	struct vcpu *vcpu;	    /* the vCPU pinned to this CPU, if any */
	unsigned id;
	uint64_t mpidr;
	bool online;
};

extern struct percpu percpu[MAX_CPUS];
void cpu_set_current(unsigned id);
struct percpu *this_cpu(void);
unsigned cpus_online(void);
/* hyp/el2_boot.c. Every CPU, from hyp/entry.S before any other C, MMU off: the
 * EL2 registers that reset to UNKNOWN and that nothing else writes before a
 * guest runs (HCRX_EL2, the fine-grained traps, HSTR, HACR, the EL2 and
 * EL1 timers' controls, the virtual CPU interface) get known values. */
void cpu_el2_init(void);
/* log=debug: those registers read back, on the calling CPU */
void cpu_el2_log_state(void);

#endif
