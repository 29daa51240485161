/* What arch-independent code may ask of the CPU. The hypervisor implements
 * these in hyp/ (arm64); the host unit tests in harness/unit/fake_arch.c. */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H
#include "hyp/types.h"

unsigned arch_cpu_id(void);
NORETURN void arch_exit(int status);
/* what was written to translation tables so far is seen by the hardware's
 * table walks from here on (a DSB ISHST: D8.17.1) */
void arch_table_barrier(void);

#endif
