#ifndef HYP_SMP_H
#define HYP_SMP_H
#include "hyp/dt.h"

void smp_boot_secondaries(const struct dt_info *dt);
/* fn(arg, part, nparts) on every online CPU at once, part 0..nparts-1,
 * from the boot CPU while the secondaries wait for the guest (before
 * the_vm is set); returns when all are done */
void smp_parallel(void (*fn)(void *arg, unsigned part, unsigned nparts),
		  void *arg);

#endif
