/*
 * Translate hooks: an EL2 register value written by a guest hypervisor that
 * runs with HCR_EL2.E2H = 0 (the "nVHE" EL2 layout), turned into the value
 * of its EL1 counterpart, which holds it while the guest is at vEL2 (really
 * EL1, with HCR_EL2.{NV,NV1} = {1,1}). With E2H = 1 the EL2 registers have
 * the EL1 layouts and nothing here applies.
 *
 * Source: Arm ARM DDI 0487 M.a.a, the register descriptions cited at each
 * hook (docs/arm-facts.md (b) has the same tables side by side).
 *
 * Direction EL2 -> EL1 (to_el1): every field with an EL1 counterpart is
 * moved to it; every EL1 bit with no EL2 source gets the value stated
 * (a harmless or RES1 value: no EL0 runs in the vEL2 context when E2H = 0);
 * every EL2 bit with no EL1 counterpart is dropped *from the live value
 * only*: the stored copy keeps what the guest wrote (nv/sysreg_access.c).
 *
 * Direction EL1 -> EL2 (from_el1(el1, old)): the exact inverse for the
 * bits to_el1 moves, and every other EL2 bit (no counterpart, RES0/RES1,
 * unknown) taken from `old`, the stored copy. So for every x,
 * from_el1(to_el1(x), x) == x, and a change the live register saw (by
 * hardware or an untrapped access) shows in the EL2 view for the bits it
 * can hold. RES0/RES1 bits are neither checked nor forced in the EL2 value
 * (like the VNCR page, D8.14.6.2).
 */
#include "hyp/nv.h"

/* move bit field [h:l] of v to start at bit `to` */
static inline uint64_t fmove(uint64_t v, unsigned h, unsigned l, unsigned to)
{
	return FIELD(v, h, l) << to;
}

/*
 * SCTLR_EL2 (D24.2.176, E2H = 0 layout) -> SCTLR_EL1 (D24.2.175).
 * Same position and meaning, copied: M 0, A 1, C 2, SA 3, nAA 6, EOS 11,
 * I 12, EnDB 13, WXN 19, IESB 21, EIS 22, EE 25, EnDA 27, EnIB 30, EnIA 31,
 * BT 36 (-> BT1), ITFSB 37, TCF 41:40, ATA 43, DSSBS 44, TCSO 59, NMI 61,
 * SPINTMASK 62.
 * EL1 bits set to 1: SA0 4, ITD 7, SED 8, nTWI 16, nTWE 18, TSCXT 20,
 * SPAN 23, nTLSMD 28, LSMAOE 29 - the EL2 RES1 bits at the same positions
 * (4, 16, 18, 23, 28, 29), and the EL0 controls whose 1 is their RES1 value
 * or the harmless choice (ITD, SED, TSCXT: RES1 without FEAT_AA32EL0 /
 * FEAT_CSV2_2). SPAN = 1: PSTATE.PAN is not set on exception entry, as at
 * EL2 with E2H = 0 where PAN does not apply.
 * EL1 bits set to 0: everything else - the EL0-only controls (UMA 9,
 * EnRCTX 10, DZE 14, UCT 15, E0E 24, UCI 26, CMOW 32, MSCEn 33, EnFPM 34,
 * BT0 35, TCF0 39:38, ATA0 42, TWEDEn/TWEDEL 49:45, EnASR/EnAS0/EnALS
 * 56:54, EPAN 57, TCSO0 58, EnTP2 60, TIDCP 63), CP15BEN 5 (RES0 without
 * FEAT_AA32EL0) and the RES0 bits 17, 53:50.
 * EL2 bits dropped: the RES1 bit 5 (CP15BEN position) and every RES0 bit.
 */
#define SCTLR_KEEP                                                             \
	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(6) | BIT(11) | BIT(12) |      \
	 BIT(13) | BIT(19) | BIT(21) | BIT(22) | BIT(25) | BIT(27) | BIT(30) | \
	 BIT(31) | BIT(36) | BIT(37) | GENMASK(41, 40) | BIT(43) | BIT(44) |   \
	 BIT(59) | BIT(61) | BIT(62))
#define SCTLR_EL1_SET                                                          \
	(BIT(4) | BIT(7) | BIT(8) | BIT(16) | BIT(18) | BIT(20) | BIT(23) |    \
	 BIT(28) | BIT(29))

uint64_t nv_sctlr_el2_to_el1(uint64_t el2)
{
	return (el2 & SCTLR_KEEP) | SCTLR_EL1_SET;
}

uint64_t nv_sctlr_el1_to_el2(uint64_t el1, uint64_t old)
{
	return (el1 & SCTLR_KEEP) | (old & ~SCTLR_KEEP);
}

/*
 * TCR_EL2 (D24.2.195, E2H = 0 layout) -> TCR_EL1 (D24.2.194).
 *   T0SZ 5:0, IRGN0 9:8, ORGN0 11:10, SH0 13:12, TG0 15:14  -> same bits
 *   PS 18:16     -> IPS 34:32 (same encoding)
 *   TBI 20       -> TBI0 37          HA 21  -> HA 39     HD 22 -> HD 40
 *   HPD 24       -> HPD0 41          HWU59..62 28:25 -> HWU059..062 46:43
 *   TBID 29      -> TBID0 51         TCMA 30 -> TCMA0 57
 *   DS 32        -> DS 59            MTX 33  -> MTX0 60
 * EL1 bits with no EL2 source: EPD1 23 = 1 (no TTBR1 walks: the EL2
 * regime has one VA range), TG1 31:30 = 0b10 (4KB; 0b00 is reserved),
 * every other one 0 (EPD0, T1SZ, A1, IRGN1/ORGN1/SH1, AS, TBI1, HPD1,
 * HWU1xx, TBID1, NFD0/1, E0PD0/1, TCMA1, MTX1). With A1 = 0 and TTBR0's
 * ASID cleared (below), vEL2 runs with ASID 0.
 * EL2 bits dropped: RES1 23 and 31 (EPD1/TG1 hold 1s there anyway), RES0
 * 7:6, 19, 63:34.
 */
#define TCR2_MAPPED                                                            \
	(GENMASK(5, 0) | GENMASK(15, 8) | GENMASK(18, 16) | GENMASK(22, 20) |  \
	 GENMASK(30, 24) | GENMASK(33, 32))
#define TCR_EL1_EPD1 BIT(23)
#define TCR_EL1_TG1_4K (2UL << 30)

uint64_t nv_tcr_el2_to_el1(uint64_t el2)
{
	uint64_t el1 = el2 & (GENMASK(5, 0) | GENMASK(15, 8));

	el1 |= fmove(el2, 18, 16, 32); /* PS -> IPS */
	el1 |= fmove(el2, 20, 20, 37); /* TBI -> TBI0 */
	el1 |= fmove(el2, 22, 21, 39); /* HA, HD */
	el1 |= fmove(el2, 24, 24, 41); /* HPD -> HPD0 */
	el1 |= fmove(el2, 28, 25, 43); /* HWU59..62 -> HWU059..062 */
	el1 |= fmove(el2, 29, 29, 51); /* TBID -> TBID0 */
	el1 |= fmove(el2, 30, 30, 57); /* TCMA -> TCMA0 */
	el1 |= fmove(el2, 32, 32, 59); /* DS */
	el1 |= fmove(el2, 33, 33, 60); /* MTX -> MTX0 */
	return el1 | TCR_EL1_EPD1 | TCR_EL1_TG1_4K;
}

uint64_t nv_tcr_el1_to_el2(uint64_t el1, uint64_t old)
{
	uint64_t el2 = el1 & (GENMASK(5, 0) | GENMASK(15, 8));

	el2 |= fmove(el1, 34, 32, 16);
	el2 |= fmove(el1, 37, 37, 20);
	el2 |= fmove(el1, 40, 39, 21);
	el2 |= fmove(el1, 41, 41, 24);
	el2 |= fmove(el1, 46, 43, 25);
	el2 |= fmove(el1, 51, 51, 29);
	el2 |= fmove(el1, 57, 57, 30);
	el2 |= fmove(el1, 59, 59, 32);
	el2 |= fmove(el1, 60, 60, 33);
	return el2 | (old & ~TCR2_MAPPED);
}

/*
 * TTBR0_EL2 (D24.2.210) -> TTBR0_EL1 (D24.2.209): BADDR 47:1 and CnP 0
 * (and the 52-bit BADDR bits inside 5:2) are the same bits. Bits 63:48 are
 * the ASID with E2H = 1 and RES0 with E2H = 0: cleared, so the live
 * register uses ASID 0 (see TCR above). The 128-bit (FEAT_D128) form is
 * not supported.
 */
#define TTBR_ASID GENMASK(63, 48)

uint64_t nv_ttbr0_el2_to_el1(uint64_t el2)
{
	return el2 & ~TTBR_ASID;
}

uint64_t nv_ttbr0_el1_to_el2(uint64_t el1, uint64_t old)
{
	return (el1 & ~TTBR_ASID) | (old & TTBR_ASID);
}

/*
 * CPTR_EL2 (D24.2.38, E2H = 0 layout) -> CPACR_EL1 (D24.2.36).
 * The EL2 trap bits are "1 = trap"; the EL1 enables are two-bit fields
 * where 0b11 traps nothing and 0b00 traps EL1 and EL0:
 *   TFP 10 -> FPEN 21:20 = TFP ? 0b00 : 0b11
 *   TZ 8   -> ZEN 17:16  = TZ ? 0b00 : 0b11
 *   TSM 12 -> SMEN 25:24 = TSM ? 0b00 : 0b11
 *   TTA 20 -> TTA 28
 * Not representable in CPACR_EL1: TCPAC 31 (traps EL1's CPACR_EL1
 * accesses: that is a trap on the guest's vEL1, applied by hypnest's own
 * CPTR_EL2 when it runs vEL1), TAM 30 (CPACR_EL1 bit 30 is RES0 without
 * FEAT_NV2p1): dropped. RES1 bits 13, 9, 7:0: dropped. EL1 bits with no
 * source: E0POE 29 = 0, everything else 0.
 * Reverse: TFP = 1 unless FPEN lets EL1 through (FPEN<0> = 1: 0b01 traps
 * EL0 only, 0b11 nothing); likewise TZ, TSM; TTA from TTA 28.
 */
#define CPTR_TZ BIT(8)
#define CPTR_TFP BIT(10)
#define CPTR_TSM BIT(12)
#define CPTR_TTA BIT(20)
#define CPTR_MAPPED (CPTR_TZ | CPTR_TFP | CPTR_TSM | CPTR_TTA)
#define CPACR_ZEN_SHIFT 16
#define CPACR_FPEN_SHIFT 20
#define CPACR_SMEN_SHIFT 24
#define CPACR_TTA BIT(28)

uint64_t nv_cptr_el2_to_cpacr(uint64_t el2)
{
	uint64_t el1 = 0;

	if (!(el2 & CPTR_TFP))
		el1 |= 3UL << CPACR_FPEN_SHIFT;
	if (!(el2 & CPTR_TZ))
		el1 |= 3UL << CPACR_ZEN_SHIFT;
	if (!(el2 & CPTR_TSM))
		el1 |= 3UL << CPACR_SMEN_SHIFT;
	if (el2 & CPTR_TTA)
		el1 |= CPACR_TTA;
	return el1;
}

uint64_t nv_cpacr_to_cptr_el2(uint64_t el1, uint64_t old)
{
	uint64_t el2 = old & ~CPTR_MAPPED;

	if (!(el1 & BIT(CPACR_FPEN_SHIFT)))
		el2 |= CPTR_TFP;
	if (!(el1 & BIT(CPACR_ZEN_SHIFT)))
		el2 |= CPTR_TZ;
	if (!(el1 & BIT(CPACR_SMEN_SHIFT)))
		el2 |= CPTR_TSM;
	if (el1 & CPACR_TTA)
		el2 |= CPTR_TTA;
	return el2;
}

/*
 * CNTHCTL_EL2 (D24.10.2, E2H = 0 layout) -> CNTKCTL_EL1 (D24.10.15).
 * Same bits: EVNTEN 2, EVNTDIR 3, EVNTI 7:4, EVNTIS 17 (the event stream;
 * the EL2 one counts CNTPCT, the EL1 one CNTVCT: equal when hypnest runs
 * vEL2 with CNTVOFF_EL2 = 0).
 * No counterpart: EL1PCTEN 0, EL1PCEN 1 (they gate vEL1's counter and
 * timer accesses: a trap on vEL1, applied by hypnest's own CNTHCTL_EL2),
 * ECV 12, EL1TVT 13, EL1TVCT 14, EL1NVPCT 15, EL1NVVCT 16, CNTVMASK 18,
 * CNTPMASK 19 (CNTKCTL_EL1 10-16, 18, 19 are RES0 without FEAT_NV2p1):
 * dropped. EL1 bits with no source: EL0PCTEN 0, EL0VCTEN 1, EL0VTEN 8,
 * EL0PTEN 9 = 0 (EL0 access trapped; no EL0 runs in this context).
 */
#define CNTHCTL_EVNT (GENMASK(7, 2) | BIT(17))

uint64_t nv_cnthctl_el2_to_cntkctl(uint64_t el2)
{
	return el2 & CNTHCTL_EVNT;
}

uint64_t nv_cntkctl_to_cnthctl_el2(uint64_t el1, uint64_t old)
{
	return (el1 & CNTHCTL_EVNT) | (old & ~CNTHCTL_EVNT);
}
