#ifndef HYP_TRAP_H
#define HYP_TRAP_H
#include "hyp/types.h"

/* what the EL2 vectors save (hyp/vectors.S) */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
};
_Static_assert(sizeof(struct trap_frame) == 36 * 8, "matches vectors.S");

/* a 32-bit load that may abort (hyp/probe.S): 0, or -1 if it did */
int hyp_probe_read32(uintptr_t addr, uint32_t *val);
/* a semihosting call that may be UNDEFINED (hyp/probe.S): 0 and *ret, or
 * -1 if there is no semihosting */
int hyp_probe_semihost(uint64_t op, uintptr_t param, uint64_t *ret);

NORETURN void hyp_unexpected(struct trap_frame *f, unsigned vector);
/* A hypervisor bug that a check found (the caller has logged what, and
 * dumped what it knows): stop with EXIT_PANIC, as hyp_unexpected does */
NORETURN void hyp_panic_stop(void);
void dump_frame(const struct trap_frame *f);

#endif
