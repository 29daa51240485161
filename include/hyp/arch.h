/* What arch-independent code may ask of the CPU. The hypervisor implements
 * these in hyp/ (arm64); the host unit tests in harness/unit/fake_arch.c. */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H
#include "hyp/types.h"

unsigned arch_cpu_id(void);
NORETURN void arch_exit(int status);

#endif
