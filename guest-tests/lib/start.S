/*
 * Entry of a bare-metal guest test: an arm64 Image header (so hypnest
 * loads it exactly as it loads Linux), a stack, EL1 vectors (and, when
 * started at EL2, EL2 vectors) that hand every exception to gt_exception()
 * in C, then gt_main(x0 = DTB).
 */
	.section .text.head, "ax"
	.global _start
_start:
	b	1f
	.long	0
	.quad	0			/* text_offset */
	.quad	__image_size		/* image_size: absolute, non-PIE link */
	.quad	0xa			/* LE, 4K, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0
1:	mov	x19, x0
	mrs	x1, mpidr_el1
	tst	x1, #0xff
	b.ne	3f			/* only vCPU 0 clears bss */
	adr	x1, __bss_start
	adr	x2, __bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:	adr	x1, gt_vectors
	msr	vbar_el1, x1
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	5f
	adr	x1, gt_vectors_el2	/* a (virtual) EL2 guest hypervisor */
	msr	vbar_el2, x1
5:	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	adr	x2, gt_stacks
	add	x1, x1, #1
	lsl	x1, x1, #14		/* 16 KiB per vCPU */
	add	sp, x2, x1
	isb
	mov	x0, x19
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, 4f
	bl	gt_main
	b	.
4:	bl	gt_secondary
	b	.

/* Exceptions: x0 = vector offset / 0x80 (+ 16 for the EL2 table),
 * x1 = ESR_ELx, x2 = FAR_ELx, x3 = ELR_ELx, x4 = the saved frame (struct
 * gt_frame: x0-x18, x30, SPSR_ELx); gt_exception returns the ELR to
 * resume at, and may change the frame's registers and SPSR. */
.macro vec idx, el
	.balign	0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	x0, #\idx
	b	vec_common_\el
.endm

.macro vec_common el, base
vec_common_\el:
	add	x0, x0, #\base
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x1, spsr_\el
	str	x1, [sp, #160]
	mrs	x1, esr_\el
	mrs	x2, far_\el
	mrs	x3, elr_\el
	mov	x4, sp
	bl	gt_exception
	msr	elr_\el, x0
	ldr	x1, [sp, #160]
	msr	spsr_\el, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret
.endm

	.balign	2048
	.global	gt_vectors
gt_vectors:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vec	\i, el1
	.endr
	vec_common el1, 0

/* The same at EL2 (explicit *_EL2 names: right with HCR_EL2.E2H 0 or 1) */
	.balign	2048
	.global	gt_vectors_el2
gt_vectors_el2:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vec	\i, el2
	.endr
	vec_common el2, 16

/* gt_run_lower(entry, sp_el1, arg, spsr): from EL2, ERET to entry(arg) at
 * the EL and mode of spsr, on stack sp_el1; returns (the lower EL's x0)
 * when an EL2 handler ends the run with gt_lower_exit(). */
	.global	gt_run_lower
gt_run_lower:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	sp_el1, x1
	msr	elr_el2, x0
	msr	spsr_el2, x3
	mov	x0, x2
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x29, xzr
	mov	x30, xzr
	isb
	eret
	/* an EL2 handler's ERET lands here at EL2h, SP_EL2 as at the ERET */
	.global	gt_lower_returned
gt_lower_returned:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.global gt_hvc
gt_hvc:
	hvc	#0
	ret

	.global gt_smc
gt_smc:
	smc	#0
	ret

	.bss
	.balign	16
gt_stacks:
	.space	16384 * 8
