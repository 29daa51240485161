/*
 * EL2 exception vectors (Arm ARM D1.3.2: 16 entries of 0x80 bytes).
 * Current-EL entries are hypervisor bugs: they save a struct trap_frame on
 * the stack and call hyp_unexpected(frame, vector index), which dumps and
 * stops. Lower-EL entries are guest exits: x0/x1 go on the stack (SP_EL2
 * still holds the host stack vcpu_enter left) and guest_exit
 * (vcpu/switch.S) saves the rest and returns to the run loop.
 *
 * Two current-EL exceptions are expected (hyp/probe.S): an abort on
 * hyp_probe_read32's load, which checks that a device the DT names is
 * really there, and an UNDEFINED semihosting HLT (hyp_probe_semihost:
 * QEMU without semihosting). Each resumes at its probe's failure path
 * instead of reporting.
 */
#include "hyp/asm.h"

#define FRAME_SIZE (36 * 8) /* x0-x30, sp, elr, spsr, esr, far */

.macro exit_vector kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\kind
	b	guest_exit
.endm

.macro vector idx
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\idx
	b	save_and_report
.endm

	.section .text
	.balign	2048
	.global hyp_vectors
hyp_vectors:
	.irp i, 0, 1, 2, 3
	vector \i
	.endr
	/* current EL with SP_EL2, synchronous: maybe a probe */
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mrs	x0, elr_el2
	adr	x1, hyp_probe_load
	cmp	x0, x1
	adr	x1, hyp_probe_fail
	b.eq	2f
	adr	x1, hyp_probe_hlt
	cmp	x0, x1
	adr	x1, hyp_probe_hlt_fail
	b.ne	1f
2:	msr	elr_el2, x1
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
1:	mov	x0, #4
	b	save_and_report
	.irp i, 5, 6, 7
	vector \i
	.endr
	/* lower EL, AArch64 then AArch32: kind = sync, irq, fiq, serror */
	.irp i, 0, 1, 2, 3, 0, 1, 2, 3
	exit_vector \i
	.endr

save_and_report:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x1, sp, #FRAME_SIZE	/* sp before the exception */
	stp	x30, x1, [sp, #240]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #256]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #272]
	mov	x1, x0
	mov	x0, sp
	bl	hyp_unexpected		/* does not return */
	b	park
