/* Run a snippet at any Exception level and mode by an ERET, and catch the
 * first exception it takes, wherever it is taken (EL1 or EL2), with the
 * PSTATE the vector's first instructions see: for tests of exception entry
 * itself (guest-tests/exc_entry.c, vel2_debug.c). Header-only (the Makefile
 * links a fixed library); include it from one .c file.
 *
 *   cap_run(entry, spsr, sp, arg): from the current EL (1 or 2), ERET to
 *   entry with SPSR = spsr (its EL, SP, NZCV, DAIF, DIT, SSBS, PAN, UAO,
 *   SS, ...), SP_EL0 = SP_ELx (and, at EL2, SP_EL1) = sp, x0 = arg, x9 =
 *   0. The first exception taken to this EL's vectors ends the run:
 *   cap_el1 or cap_el2 holds what it saw and cap_run returns its vector
 *   index (offset / 0x80). Started at EL2 with HCR_EL2.E2H = 0, VBAR_EL1
 *   points at the EL1 table too: an exception taken to EL1 is recorded in
 *   cap_el1, whose vector then leaves EL1 with an HVC (recorded in
 *   cap_el2, vector 8).
 *   The callee-saved registers, SP, DAIF and the VBARs are restored;
 *   every other PSTATE field stays as the exception left it.
 *
 * The snippets keep x9 as an instruction counter (the vectors record it),
 * and must not use x19-x30. */
#ifndef GT_CAPTURE_H
#define GT_CAPTURE_H
#include "gt.h"

struct cap {
	uint64_t vector; /* offset / 0x80: 0-3 SP_EL0, 4-7 SP_ELx, 8-11 lower */
	uint64_t esr, elr, spsr, far;
	/* PSTATE at the vector, from MRS NZCV, DAIF, PAN, UAO, DIT, SSBS
	 * (0 when the CPU lacks the field), CurrentEL, SPSel */
	uint64_t nzcv, daif, pan, uao, dit, ssbs, currentel, spsel;
	uint64_t x9;
};
_Static_assert(sizeof(struct cap) == 14 * 8, "capture.h assembly");

/* which optional PSTATE fields the vectors read (from the ID registers) */
#define CAP_PAN BIT(0)
#define CAP_UAO BIT(1)
#define CAP_DIT BIT(2)
#define CAP_SSBS BIT(3)

volatile struct cap cap_el1, cap_el2;
uint64_t cap_feat;
/* x19-x30, SP, DAIF, VBAR_ELx, VBAR_EL1 (at EL2), EL1 table installed
 * from EL2 */
uint64_t cap_ctx[17];

uint64_t cap_run_el1(uint64_t entry, uint64_t spsr, uint64_t sp, uint64_t arg);
uint64_t cap_run_el2(uint64_t entry, uint64_t spsr, uint64_t sp, uint64_t arg);

static inline uint64_t cap_run(uint64_t entry, uint64_t spsr, uint64_t sp,
			       uint64_t arg)
{
	uint64_t v;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
	if (((v >> 2) & 3) == 2)
		return cap_run_el2(entry, spsr, sp, arg);
	return cap_run_el1(entry, spsr, sp, arg);
}

/* the optional PSTATE fields this CPU (as the test sees it) has */
static inline uint64_t cap_features(void)
{
	uint64_t mmfr1, mmfr2, pfr0, pfr1, f = 0;

	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
	__asm__ volatile("mrs %0, id_aa64mmfr2_el1" : "=r"(mmfr2));
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
	if ((mmfr1 >> 20) & 0xf)
		f |= CAP_PAN;
	if ((mmfr2 >> 4) & 0xf)
		f |= CAP_UAO;
	if ((pfr0 >> 48) & 0xf)
		f |= CAP_DIT;
	if ((pfr1 >> 4) & 0xf)
		f |= CAP_SSBS;
	return f;
}

/* PAN s3_0_c4_c2_3, UAO s3_0_c4_c2_4, DIT s3_3_c4_c2_5, SSBS s3_3_c4_c2_6:
 * by encoding, the toolchain's default -march may not know the names */
__asm__(
    ".pushsection .text\n"
    ".macro cap_vec idx, el\n"
    "	.balign 0x80\n"
    "	mrs x10, nzcv\n"
    "	mrs x11, daif\n"
    "	mov x12, #\\idx\n"
    "	b cap_common_\\el\n"
    ".endm\n"
    ".macro cap_opt bit, reg, off\n"
    "	mov x13, #0\n"
    "	tbz x17, #\\bit, 1f\n"
    "	mrs x13, \\reg\n"
    "1:	str x13, [x16, #\\off]\n"
    ".endm\n"
    /* record into rec; then leave (el1 at EL2: by HVC) */
    ".macro cap_common el, rec\n"
    "cap_common_\\el:\n"
    "	adrp x16, \\rec\n"
    "	add x16, x16, :lo12:\\rec\n"
    "	str x12, [x16, #0]\n"
    "	mrs x13, esr_\\el\n"
    "	str x13, [x16, #8]\n"
    "	mrs x13, elr_\\el\n"
    "	str x13, [x16, #16]\n"
    "	mrs x13, spsr_\\el\n"
    "	str x13, [x16, #24]\n"
    "	mrs x13, far_\\el\n"
    "	str x13, [x16, #32]\n"
    "	str x10, [x16, #40]\n"
    "	str x11, [x16, #48]\n"
    "	adrp x17, cap_feat\n"
    "	ldr x17, [x17, :lo12:cap_feat]\n"
    "	cap_opt 0, s3_0_c4_c2_3, 56\n"
    "	cap_opt 1, s3_0_c4_c2_4, 64\n"
    "	cap_opt 2, s3_3_c4_c2_5, 72\n"
    "	cap_opt 3, s3_3_c4_c2_6, 80\n"
    "	mrs x13, CurrentEL\n"
    "	str x13, [x16, #88]\n"
    "	mrs x13, spsel\n"
    "	str x13, [x16, #96]\n"
    "	str x9, [x16, #104]\n"
    "	.ifc \\el, el1\n"
    "	adrp x14, cap_ctx\n"
    "	add x14, x14, :lo12:cap_ctx\n"
    "	ldr x15, [x14, #128]\n"
    "	cbz x15, 2f\n" /* cap_run_el1: unwind here */
    "	hvc #0xca9\n"  /* started at EL2: leave EL1 */
    "	b .\n"
    "2:\n"
    "	.endif\n"
    "	adrp x9, cap_ctx\n"
    "	add x9, x9, :lo12:cap_ctx\n"
    "	ldr x10, [x9, #112]\n"
    "	msr vbar_\\el, x10\n"
    "	.ifc \\el, el2\n"
    "	ldr x10, [x9, #128]\n"
    "	cbz x10, 3f\n"
    "	ldr x10, [x9, #120]\n"
    "	msr vbar_el1, x10\n"
    "3:\n"
    "	.endif\n"
    "	ldp x19, x20, [x9, #0]\n"
    "	ldp x21, x22, [x9, #16]\n"
    "	ldp x23, x24, [x9, #32]\n"
    "	ldp x25, x26, [x9, #48]\n"
    "	ldp x27, x28, [x9, #64]\n"
    "	ldp x29, x30, [x9, #80]\n"
    "	ldr x10, [x9, #96]\n"
    "	mov sp, x10\n"
    "	ldr x10, [x9, #104]\n"
    "	msr daif, x10\n"
    "	isb\n"
    "	ldr x0, [x16, #0]\n"
    "	ret\n"
    ".endm\n"
    /* cap_run_elX(entry x0, spsr x1, sp x2, arg x3) */
    ".macro cap_run el\n"
    "	.global cap_run_\\el\n"
    "cap_run_\\el:\n"
    "	adrp x9, cap_ctx\n"
    "	add x9, x9, :lo12:cap_ctx\n"
    "	stp x19, x20, [x9, #0]\n"
    "	stp x21, x22, [x9, #16]\n"
    "	stp x23, x24, [x9, #32]\n"
    "	stp x25, x26, [x9, #48]\n"
    "	stp x27, x28, [x9, #64]\n"
    "	stp x29, x30, [x9, #80]\n"
    "	mov x10, sp\n"
    "	str x10, [x9, #96]\n"
    "	mrs x10, daif\n"
    "	str x10, [x9, #104]\n"
    "	mrs x10, vbar_\\el\n"
    "	str x10, [x9, #112]\n"
    "	adr x10, cap_vectors_\\el\n"
    "	msr vbar_\\el, x10\n"
    "	.ifc \\el, el2\n"
    "	msr sp_el1, x2\n"
    "	str xzr, [x9, #128]\n"
    "	mrs x10, hcr_el2\n"
    "	tbnz x10, #34, 3f\n" /* E2H = 1: no EL1 runs; VBAR_EL1 is VBAR_EL2 */
    "	mrs x10, vbar_el1\n"
    "	str x10, [x9, #120]\n"
    "	adr x10, cap_vectors_el1\n"
    "	msr vbar_el1, x10\n"
    "	mov x10, #1\n"
    "	str x10, [x9, #128]\n"
    "3:\n"
    "	.else\n"
    "	str xzr, [x9, #128]\n"
    "	.endif\n"
    "	msr elr_\\el, x0\n"
    "	msr spsr_\\el, x1\n"
    "	msr sp_el0, x2\n"
    "	mov sp, x2\n"
    "	mov x0, x3\n"
    "	mov x9, #0\n"
    "	isb\n"
    "	eret\n"
    ".endm\n"
    "	.balign 2048\n"
    "cap_vectors_el1:\n"
    "	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "	cap_vec \\i, el1\n"
    "	.endr\n"
    "	cap_common el1, cap_el1\n"
    "	.balign 2048\n"
    "cap_vectors_el2:\n"
    "	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "	cap_vec \\i, el2\n"
    "	.endr\n"
    "	cap_common el2, cap_el2\n"
    "	cap_run el1\n"
    "	cap_run el2\n"
    ".popsection\n");

#endif
