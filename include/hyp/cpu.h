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

#endif
