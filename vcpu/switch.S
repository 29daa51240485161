/*
 * The world switch. vcpu_enter(regs) saves the host's callee-saved
 * registers and SP in regs, loads the guest's x0-x30, PC and PSTATE and
 * ERETs. Any exception from the guest (a lower EL) lands in guest_exit
 * (hyp/vectors.S), which saves the guest's registers into the same regs
 * (found through percpu->cur_regs, the first word at TPIDR_EL2) and
 * returns from vcpu_enter with the exit kind.
 */
#include "hyp/asm.h"

#define PC 248
#define HOST_SP 264
#define HOST_REGS 272

FUNC(vcpu_enter)
	stp	x19, x20, [x0, #HOST_REGS + 0]
	stp	x21, x22, [x0, #HOST_REGS + 16]
	stp	x23, x24, [x0, #HOST_REGS + 32]
	stp	x25, x26, [x0, #HOST_REGS + 48]
	stp	x27, x28, [x0, #HOST_REGS + 64]
	stp	x29, x30, [x0, #HOST_REGS + 80]
	mov	x1, sp
	str	x1, [x0, #HOST_SP]
	mrs	x1, tpidr_el2
	str	x0, [x1]		/* percpu->cur_regs */
	ldp	x1, x2, [x0, #PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh			/* no straight-line speculation past eret */
	isb
ENDFUNC(vcpu_enter)

/* x0 = exit kind; the guest's x0, x1 are on the stack (hyp/vectors.S) */
FUNC(guest_exit)
	mrs	x1, tpidr_el2
	ldr	x1, [x1]
	stp	x2, x3, [x1, #16]
	stp	x4, x5, [x1, #32]
	stp	x6, x7, [x1, #48]
	stp	x8, x9, [x1, #64]
	stp	x10, x11, [x1, #80]
	stp	x12, x13, [x1, #96]
	stp	x14, x15, [x1, #112]
	stp	x16, x17, [x1, #128]
	stp	x18, x19, [x1, #144]
	stp	x20, x21, [x1, #160]
	stp	x22, x23, [x1, #176]
	stp	x24, x25, [x1, #192]
	stp	x26, x27, [x1, #208]
	stp	x28, x29, [x1, #224]
	str	x30, [x1, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #PC]
	ldr	x2, [x1, #HOST_SP]
	mov	sp, x2
	ldp	x19, x20, [x1, #HOST_REGS + 0]
	ldp	x21, x22, [x1, #HOST_REGS + 16]
	ldp	x23, x24, [x1, #HOST_REGS + 32]
	ldp	x25, x26, [x1, #HOST_REGS + 48]
	ldp	x27, x28, [x1, #HOST_REGS + 64]
	ldp	x29, x30, [x1, #HOST_REGS + 80]
	ret
ENDFUNC(guest_exit)
