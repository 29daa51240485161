#include "hyp/asm.h"

/* struct boot_mmu { mair, tcr, ttbr, sctlr } (hyp/mmu.c) */
FUNC(mmu_enable)
	ldp	x1, x2, [x0]
	msr	mair_el2, x1
	msr	tcr_el2, x2
	ldp	x1, x2, [x0, #16]
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el2, x2
	isb
	ret
ENDFUNC(mmu_enable)
