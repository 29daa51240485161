#include "hyp/asm.h"

/* x0 = function id, x1-x3 arguments; result in x0 (SMCCC 1.1: x4-x17
 * may be clobbered, which the AAPCS64 caller already assumes for x9-x17;
 * x4-x8 are argument registers, also caller-saved). */
FUNC(smccc_smc)
	smc	#0
	ret
ENDFUNC(smccc_smc)

FUNC(smccc_hvc)
	hvc	#0
	ret
ENDFUNC(smccc_hvc)
