#ifndef HYP_SYSREG_TRAP_H
#define HYP_SYSREG_TRAP_H
#include "hyp/vcpu.h"

struct sysreg_key;
/* Emulate a trapped MSR/MRS (EC 0x18) whose encoding's entry in the
 * register table is k (sysreg_lookup; NULL: none); false: not emulated,
 * UNDEF it. */
bool sysreg_trap(struct vcpu *v, uint64_t esr, const struct sysreg_key *k);
/* the name of row `row` of the trap table (for the counters) */
const char *sysreg_trap_name(unsigned row);
/* the guest's HVC: SMCCC and PSCI (vcpu/smccc.c) */
void smccc_handle(struct vcpu *v);

#endif
