/*
 * Entry points. hypnest is started like a Linux arm64 Image (Linux
 * Documentation/arch/arm64/booting.rst): MMU off, x0 = physical address of
 * the DTB, at EL2 if the machine has it. The image is position independent:
 * it first applies its own R_AARCH64_RELATIVE relocations, so it runs
 * wherever the loader put it.
 */
#include "hyp/asm.h"
#include "hyp/config.h"

#define R_AARCH64_RELATIVE 1027

/*
 * SCTLR_EL2 before any data access: MMU and caches off, alignment checks
 * off, little-endian (EE resets to an IMPLEMENTATION DEFINED value, D24.2.176,
 * and the relocation loop below already loads data), only the RES1 bits
 * of the E2H = 0 layout set (the value of include/arch/sysreg.h's
 * SCTLR_EL2_RES1, which C-only syntax keeps out of assembly). Built from
 * immediates: a literal-pool load would be a data access in the
 * endianness being fixed.
 */
#define SCTLR_EL2_RES1 0x30C50830
.macro	sctlr_el2_mmu_off, tmp
	mov	\tmp, #(SCTLR_EL2_RES1 & 0xffff)
	movk	\tmp, #(SCTLR_EL2_RES1 >> 16), lsl #16
	msr	sctlr_el2, \tmp
	isb
.endm

	.section .text.head, "ax"
	.global _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	HYP_TEXT_OFFSET		/* text_offset */
	.quad	0			/* image_size incl. bss: written by scripts/set-image-size.py */
	.quad	0xa			/* flags: LE, 4K pages, place anywhere */
	.quad	0, 0, 0			/* res2-4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary_entry:
	mov	x19, x0			/* DTB */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	0f			/* reported below, once C can run */
	sctlr_el2_mmu_off x1
0:
	/* relocate: every RELATIVE entry gets (addend + load delta) */
	adr	x1, _start
	ldr	x2, =HYP_LINK_BASE
	sub	x20, x1, x2		/* x20 = load delta */
	adrp	x3, __rela_start
	add	x3, x3, :lo12:__rela_start
	adrp	x4, __rela_end
	add	x4, x4, :lo12:__rela_end
1:	cmp	x3, x4
	b.hs	2f
	ldp	x5, x6, [x3], #16	/* r_offset, r_info */
	ldr	x7, [x3], #8		/* r_addend */
	cmp	w6, #R_AARCH64_RELATIVE
	b.ne	1b			/* the link step forbids any other type */
	add	x7, x7, x20
	str	x7, [x5, x20]
	b	1b
2:	/* zero bss */
	adrp	x3, __bss_start
	add	x3, x3, :lo12:__bss_start
	adrp	x4, __bss_end
	add	x4, x4, :lo12:__bss_end
3:	cmp	x3, x4
	b.hs	4f
	stp	xzr, xzr, [x3], #16
	b	3b
4:	/* CPU 0's stack (the first slot starts with its guard page) */
	adrp	x3, hyp_stacks
	add	x3, x3, :lo12:hyp_stacks
	add	sp, x3, #STACK_SLOT
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	wrong_el
	bl	el2_setup
	mov	x0, x19
	bl	boot_primary		/* does not return */
	b	park

wrong_el:
	lsr	x0, x1, #2
	bl	boot_wrong_el		/* does not return */
	b	park

/*
 * A secondary CPU, started by PSCI CPU_ON with context_id = its index:
 * MMU off, its own stack, then the primary's translation regime.
 */
FUNC(secondary_entry)
	mov	x19, x0
	sctlr_el2_mmu_off x1		/* started at EL2 by hypnest's CPU_ON */
	adrp	x3, hyp_stacks
	add	x3, x3, :lo12:hyp_stacks
	mov	x4, #STACK_SLOT
	add	x5, x19, #1
	madd	x3, x4, x5, x3
	mov	sp, x3
	bl	el2_setup
	adrp	x0, boot_mmu
	add	x0, x0, :lo12:boot_mmu
	bl	mmu_enable
	mov	x0, x19
	bl	secondary_main		/* does not return */
	b	park
ENDFUNC(secondary_entry)

/* Registers every CPU sets before C: a known HCR_EL2 (E2H = 0, TGE = 0,
 * nothing trapped to EL2 yet), FP/SIMD untrapped at EL2, our vectors;
 * then, in C, the EL2 registers that reset to UNKNOWN and that nothing
 * else writes before a guest runs (cpu_el2_init, hyp/el2_boot.c). */
el2_setup:
	stp	x29, x30, [sp, #-16]!
	msr	tpidr_el2, xzr		/* no percpu yet: arch_cpu_id() says 0 */
	mov	x0, #0
	orr	x0, x0, #(1 << 31)	/* HCR_EL2.RW */
	msr	hcr_el2, x0
	mov	x0, #0x33ff		/* CPTR_EL2_DEFAULT */
	msr	cptr_el2, x0
	adrp	x0, hyp_vectors
	add	x0, x0, :lo12:hyp_vectors
	msr	vbar_el2, x0
	isb
	bl	cpu_el2_init
	ldp	x29, x30, [sp], #16
	ret

FUNC(park)
	wfi
	b	park
ENDFUNC(park)
