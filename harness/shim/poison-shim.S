/*
 * Test-only boot shim: an arm64 Image that QEMU's -kernel starts at EL2
 * (x0 = the DTB QEMU built, with -append in /chosen/bootargs). It fills
 * the EL2 registers that reset to UNKNOWN on hardware with junk, as a
 * boot loader or reset might leave them, then enters hypnest's ELF, which
 * QEMU's generic loader put at its link address, with that x0
 * (harness/test_boot_state.py). QEMU resets all of them to 0, so without
 * this a missing initialisation in hypnest goes unnoticed.
 *
 * Poisoned where the CPU has them (its ID registers, as hypnest decides):
 * HCRX_EL2, the fine-grained trap registers (all ones: every trap bit set,
 * every nXXX bit "untrapped"), HSTR_EL2, HACR_EL2, CNTVOFF_EL2, VSESR_EL2, the EL2
 * and EL1 timers (enabled, compare value 0: firing), the virtual CPU
 * interface (ICH_HCR_EL2 and ICH_VMCR_EL2 all ones, every active priority
 * set, a pending interrupt in each of the first four list registers), and
 * last SCTLR_EL2: big-endian data, alignment checks on.
 */
#include "hyp/config.h"

#define SCTLR_EL2_RES1 0x30C50830
#define SCTLR_A (1 << 1)
#define SCTLR_EE (1 << 25)

	.section .text
	.global _start
_start:
	b	1f
	.long	0
	.quad	0x80000			/* text_offset: below hypnest's 2 MiB */
	.quad	_end - _start		/* image_size */
	.quad	0xa			/* LE, 4K, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

1:	mov	x19, x0			/* the DTB, for hypnest */
	mov	x9, #-1			/* the junk */

	mrs	x1, id_aa64mmfr1_el1
	ubfx	x2, x1, #40, #4		/* HCX */
	cbz	x2, 2f
	msr	s3_4_c1_c2_2, x9	/* HCRX_EL2 */
2:	mrs	x2, id_aa64mmfr0_el1
	ubfx	x2, x2, #56, #4		/* FGT: 1 FEAT_FGT, 2 FEAT_FGT2 */
	cbz	x2, 4f
	msr	s3_4_c1_c1_4, x9	/* HFGRTR_EL2 */
	msr	s3_4_c1_c1_5, x9	/* HFGWTR_EL2 */
	msr	s3_4_c1_c1_6, x9	/* HFGITR_EL2 */
	msr	s3_4_c3_c1_4, x9	/* HDFGRTR_EL2 */
	msr	s3_4_c3_c1_5, x9	/* HDFGWTR_EL2 */
	mrs	x3, id_aa64pfr0_el1
	ubfx	x3, x3, #44, #4		/* AMU */
	cbz	x3, 3f
	msr	s3_4_c3_c1_6, x9	/* HAFGRTR_EL2 */
3:	cmp	x2, #2
	b.lo	4f
	msr	s3_4_c3_c1_2, x9	/* HFGRTR2_EL2 */
	msr	s3_4_c3_c1_3, x9	/* HFGWTR2_EL2 */
	msr	s3_4_c3_c1_7, x9	/* HFGITR2_EL2 */
	msr	s3_4_c3_c1_0, x9	/* HDFGRTR2_EL2 */
	msr	s3_4_c3_c1_1, x9	/* HDFGWTR2_EL2 */
4:	msr	hstr_el2, x9
	msr	hacr_el2, x9
	msr	cntvoff_el2, x9
	mrs	x3, id_aa64pfr0_el1
	ubfx	x3, x3, #28, #4		/* RAS */
	cbz	x3, 5f
	msr	s3_4_c5_c2_3, x9	/* VSESR_EL2 */
5:

	/* timers: enabled, unmasked, already expired */
	mov	x4, #1
	msr	cnthp_cval_el2, xzr
	msr	cnthp_ctl_el2, x4
	msr	cntp_cval_el0, xzr
	msr	cntp_ctl_el0, x4
	msr	cntv_cval_el0, xzr
	msr	cntv_ctl_el0, x4
	ubfx	x2, x1, #8, #4		/* MMFR1.VH: the EL2 virtual timer */
	cbz	x2, 5f
	msr	s3_4_c14_c3_2, xzr	/* CNTHV_CVAL_EL2 */
	msr	s3_4_c14_c3_1, x4	/* CNTHV_CTL_EL2 */

5:	/* the virtual CPU interface, through the system registers */
	mrs	x2, id_aa64pfr0_el1
	ubfx	x2, x2, #24, #4		/* GIC */
	cbz	x2, 7f
	mrs	x2, icc_sre_el2
	orr	x2, x2, #1		/* SRE */
	msr	icc_sre_el2, x2
	isb
	msr	ich_hcr_el2, x9
	msr	ich_vmcr_el2, x9
	msr	ich_ap0r0_el2, x9	/* AP0R before AP1R (IHI 0069) */
	msr	ich_ap1r0_el2, x9
	mrs	x2, ich_vtr_el2
	and	x2, x2, #0x1f		/* ListRegs: LRs - 1 */
	cmp	x2, #3
	b.lo	7f
	/* State = pending, Group 1, priority 0x80, vINTID 27 + n (the
	 * virtual timer's PPI and its neighbours) */
	mov	x5, #(0x5080 << 48)
	add	x6, x5, #27
	msr	ich_lr0_el2, x6
	add	x6, x5, #28
	msr	ich_lr1_el2, x6
	add	x6, x5, #29
	msr	ich_lr2_el2, x6
	add	x6, x5, #30
	msr	ich_lr3_el2, x6

7:	mov	x0, x19
	mov	x1, #(HYP_LINK_BASE & 0xffff)
	movk	x1, #((HYP_LINK_BASE >> 16) & 0xffff), lsl #16
	/* last: from here on only registers, no data access */
	mov	x2, #(SCTLR_EL2_RES1 & 0xffff)
	movk	x2, #(SCTLR_EL2_RES1 >> 16), lsl #16
	orr	x2, x2, #SCTLR_A
	orr	x2, x2, #SCTLR_EE
	msr	sctlr_el2, x2
	isb
	br	x1
