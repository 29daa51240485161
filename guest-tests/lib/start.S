/*
 * Entry of a bare-metal guest test: an arm64 Image header (so hypnest
 * loads it exactly as it loads Linux), a stack, EL1 vectors that hand
 * every exception to gt_exception() in C, then gt_main(x0 = DTB).
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
	mrs	x1, mpidr_el1
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

/* Exceptions: x0 = vector offset / 0x80, x1 = ESR_EL1, x2 = FAR_EL1,
 * x3 = ELR_EL1; gt_exception returns the ELR to resume at. */
.macro vec idx
	.balign	0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	x0, #\idx
	b	vec_common
.endm
	.balign	2048
gt_vectors:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vec	\i
	.endr
vec_common:
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	mrs	x3, elr_el1
	bl	gt_exception
	msr	elr_el1, x0
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

	.global gt_hvc
gt_hvc:
	hvc	#0
	ret

	.bss
	.balign	16
gt_stacks:
	.space	16384 * 8
