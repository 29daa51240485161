#ifndef HYP_SYSREG_TRAP_H
#define HYP_SYSREG_TRAP_H
#include "hyp/vcpu.h"

/* Emulate a trapped MSR/MRS (EC 0x18); false: not emulated, UNDEF it. */
bool sysreg_trap(struct vcpu *v, uint64_t esr);
/* the name of row `row` of the trap table (for the counters) */
const char *sysreg_trap_name(unsigned row);
/* the guest's HVC: SMCCC and PSCI (vcpu/smccc.c) */
void smccc_handle(struct vcpu *v);

#endif
