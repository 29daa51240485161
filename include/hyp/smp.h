#ifndef HYP_SMP_H
#define HYP_SMP_H
#include "hyp/dt.h"

void smp_boot_secondaries(const struct dt_info *dt);

#endif
