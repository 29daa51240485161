/*
 * el2_sysreg_map: the one table of the registers nv/ keeps for a guest
 * hypervisor - every EL2 register it can touch, then the EL1/EL0 registers
 * whose meaning depends on the virtual level (docs/nv.md has the rules and
 * the table as prose).
 *
 * Sources (Arm ARM DDI 0487 M.a.a): encodings include/arch/sysreg_enc.h,
 * VNCR offsets include/arch/vncr.h (D8.14.6.2 Table D8-120), the
 * redirection of SPSR/ELR/ESR/FAR_EL2 to the EL1 registers under NV2
 * (D8.14.6.1), the FEAT_VHE redirection of the _EL1 names at EL2 with
 * E2H = 1 (D8.13.2, Tables D8-113/D8-114), CNTHCTL_EL2 and CNTKCTL_EL1
 * never transformed (D8.14.6.2, I_RSCBR).
 *
 * Rows: name, encoding, VNCR offset or stored slot, EL1 counterpart and the
 * live EL1 register, flags (include/hyp/nv.h), translate hooks.
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/lib.h"
#include "hyp/nv.h"
#include "hyp/nv_state.h"

#define COMMON(n)                                                              \
	.name = #n, .enc = SYSREG_##n, .alias_name = NULL, .alias = 0, .cval = 0

/* EL2, stored in its VNCR slot, never live (no EL1 counterpart) */
#define EL2_VNCR(n)                                                            \
	{                                                                      \
		COMMON(n), .pair = 0, .vncr = VNCR_##n, .slot = NV_SLOT_NONE,  \
			   .live = NV_EL1_NONE, .flags = NV_IN_VNCR,           \
			   .e2h1_mask = 0, .to_el1 = NULL, .from_el1 = NULL    \
	}

/* EL2, no VNCR slot: stored in the vCPU, never live */
#define EL2_VCPU(n, fl)                                                        \
	{                                                                      \
		COMMON(n), .pair = 0, .vncr = NV_NO_VNCR, .slot = NV_SLOT_##n, \
			   .live = NV_EL1_NONE, .flags = NV_IN_VCPU | (fl),    \
			   .e2h1_mask = 0, .to_el1 = NULL, .from_el1 = NULL    \
	}

/* EL2, stored in the vCPU, and while in vEL2 live in EL1 register `el1` */
#define EL2_LIVE(n, el1, lv, fl, mask, to, from)                               \
	{                                                                      \
		COMMON(n), .pair = SYSREG_##el1, .vncr = NV_NO_VNCR,           \
			   .slot = NV_SLOT_##n, .live = NV_EL1_##lv,           \
			   .flags = NV_IN_VCPU | (fl), .e2h1_mask = (mask),    \
			   .to_el1 = (to), .from_el1 = (from)                  \
	}

/* computed on access: TVAL (from the CVAL register cv) or vGIC state */
#define EL2_COMP(n, p, cv, fl)                                                 \
	{                                                                      \
		.name = #n, .enc = SYSREG_##n, .alias_name = NULL, .alias = 0, \
		.cval = (cv), .pair = (p), .vncr = NV_NO_VNCR,                 \
		.slot = NV_SLOT_NONE, .live = NV_EL1_NONE,                     \
		.flags = NV_SPECIAL | NV_COMPUTED | (fl), .e2h1_mask = 0,      \
		.to_el1 = NULL, .from_el1 = NULL                               \
	}

/* EL1/EL0 register n, reached at EL2 (E2H = 1) as alias a; while in vEL2
 * its stored copy holds it if the EL2 register el2 is live in its place */
#define EL1_VNCR(n, a, el2, lv)                                                \
	{                                                                      \
		.name = #n, .enc = SYSREG_##n, .alias_name = #a,               \
		.alias = SYSREG_##a, .cval = 0, .pair = SYSREG_##el2,          \
		.vncr = VNCR_##n, .slot = NV_SLOT_NONE, .live = NV_EL1_##lv,   \
		.flags = NV_EL1 | NV_IN_VNCR, .e2h1_mask = 0, .to_el1 = NULL,  \
		.from_el1 = NULL                                               \
	}
/* EL1 timer TVAL: computed from its CVAL, which may be stored or live */
#define EL1_TVAL(n, a, el2, cv, fl)                                            \
	{                                                                      \
		.name = #n, .enc = SYSREG_##n, .alias_name = #a,               \
		.alias = SYSREG_##a, .cval = SYSREG_##cv,                      \
		.pair = SYSREG_##el2, .vncr = NV_NO_VNCR,                      \
		.slot = NV_SLOT_NONE, .live = NV_EL1_NONE,                     \
		.flags = NV_EL1 | NV_SPECIAL | NV_COMPUTED | (fl),             \
		.e2h1_mask = 0, .to_el1 = NULL, .from_el1 = NULL               \
	}
/* live for every level: never redirected (docs/nv.md) */
#define ALWAYS_LIVE(n, lv)                                                     \
	{                                                                      \
		COMMON(n), .pair = 0, .vncr = NV_NO_VNCR,                      \
			   .slot = NV_SLOT_NONE, .live = NV_EL1_##lv,          \
			   .flags = NV_EL1 | NV_ALWAYS_LIVE | NV_NO_VHE,       \
			   .e2h1_mask = 0, .to_el1 = NULL, .from_el1 = NULL    \
	}

/* CPTR_EL2 with E2H = 1 has the CPACR_EL1 layout (D24.2.38); the live
 * CPACR_EL1 holds ZEN, FPEN, SMEN, TTA, E0POE, but TAM 30 and TCPAC 31
 * only with FEAT_NV2p1 (D24.2.36): those come from the stored copy */
#define CPTR_E2H1_LIVE                                                         \
	(GENMASK(17, 16) | GENMASK(21, 20) | GENMASK(25, 24) | BIT(28) |       \
	 BIT(29))
/* CNTHCTL_EL2 with E2H = 1 (D24.10.2) in CNTKCTL_EL1 (D24.10.15): bits
 * 9:0 and EVNTIS 17; 10-16, 18, 19 are RES0 there without FEAT_NV2p1 */
#define CNTHCTL_E2H1_LIVE (GENMASK(9, 0) | BIT(17))

#define LIVE NV_LIVE_EL1
#define XLATE (NV_LIVE_EL1 | NV_TRANSLATED)

const struct el2_reg el2_sysreg_map[] = {
	/* ---- EL2 registers with a VNCR slot: memory only ---- */
	EL2_VNCR(HCR_EL2),
	EL2_VNCR(HCRX_EL2),
	EL2_VNCR(HSTR_EL2),
	EL2_VNCR(VTTBR_EL2),
	EL2_VNCR(VTCR_EL2),
	EL2_VNCR(VPIDR_EL2),
	EL2_VNCR(VMPIDR_EL2),
	EL2_VNCR(TPIDR_EL2),
	EL2_VNCR(CNTVOFF_EL2),
	EL2_VNCR(VNCR_EL2),
	EL2_VNCR(ICH_HCR_EL2),
	EL2_VNCR(ICH_VMCR_EL2),
	EL2_VNCR(ICH_AP0R0_EL2),
	EL2_VNCR(ICH_AP0R1_EL2),
	EL2_VNCR(ICH_AP0R2_EL2),
	EL2_VNCR(ICH_AP0R3_EL2),
	EL2_VNCR(ICH_AP1R0_EL2),
	EL2_VNCR(ICH_AP1R1_EL2),
	EL2_VNCR(ICH_AP1R2_EL2),
	EL2_VNCR(ICH_AP1R3_EL2),
	EL2_VNCR(ICH_LR0_EL2),
	EL2_VNCR(ICH_LR1_EL2),
	EL2_VNCR(ICH_LR2_EL2),
	EL2_VNCR(ICH_LR3_EL2),
	EL2_VNCR(ICH_LR4_EL2),
	EL2_VNCR(ICH_LR5_EL2),
	EL2_VNCR(ICH_LR6_EL2),
	EL2_VNCR(ICH_LR7_EL2),
	EL2_VNCR(ICH_LR8_EL2),
	EL2_VNCR(ICH_LR9_EL2),
	EL2_VNCR(ICH_LR10_EL2),
	EL2_VNCR(ICH_LR11_EL2),
	EL2_VNCR(ICH_LR12_EL2),
	EL2_VNCR(ICH_LR13_EL2),
	EL2_VNCR(ICH_LR14_EL2),
	EL2_VNCR(ICH_LR15_EL2),

	/* ---- EL2 registers with no slot and no EL1 counterpart ---- */
	EL2_VCPU(ACTLR_EL2, 0), /* ACTLR_EL1 is IMPLEMENTATION DEFINED */
	EL2_VCPU(MDCR_EL2, 0),
	EL2_VCPU(HACR_EL2, 0),
	EL2_VCPU(HPFAR_EL2, 0), /* not redirected by NV2 (D8.14.6.1) */
	EL2_VCPU(ZCR_EL2, 0),	/* SVE is hidden from the guest */
	EL2_VCPU(RVBAR_EL2, NV_READ_ONLY),

	/* ---- EL2 registers live in an EL1 register while in vEL2 ---- */
	EL2_LIVE(SCTLR_EL2, SCTLR_EL1, SCTLR, XLATE, 0, nv_sctlr_el2_to_el1,
		 nv_sctlr_el1_to_el2),
	EL2_LIVE(TCR_EL2, TCR_EL1, TCR, XLATE, 0, nv_tcr_el2_to_el1,
		 nv_tcr_el1_to_el2),
	EL2_LIVE(TTBR0_EL2, TTBR0_EL1, TTBR0, XLATE, 0, nv_ttbr0_el2_to_el1,
		 nv_ttbr0_el1_to_el2),
	EL2_LIVE(CPTR_EL2, CPACR_EL1, CPACR, XLATE, CPTR_E2H1_LIVE,
		 nv_cptr_el2_to_cpacr, nv_cpacr_to_cptr_el2),
	EL2_LIVE(TTBR1_EL2, TTBR1_EL1, TTBR1, LIVE, 0, NULL, NULL),
	EL2_LIVE(AFSR0_EL2, AFSR0_EL1, AFSR0, LIVE, 0, NULL, NULL),
	EL2_LIVE(AFSR1_EL2, AFSR1_EL1, AFSR1, LIVE, 0, NULL, NULL),
	EL2_LIVE(ESR_EL2, ESR_EL1, ESR, LIVE, 0, NULL, NULL),
	EL2_LIVE(FAR_EL2, FAR_EL1, FAR, LIVE, 0, NULL, NULL),
	EL2_LIVE(MAIR_EL2, MAIR_EL1, MAIR, LIVE, 0, NULL, NULL),
	EL2_LIVE(AMAIR_EL2, AMAIR_EL1, AMAIR, LIVE, 0, NULL, NULL),
	EL2_LIVE(VBAR_EL2, VBAR_EL1, VBAR, LIVE, 0, NULL, NULL),
	EL2_LIVE(CONTEXTIDR_EL2, CONTEXTIDR_EL1, CONTEXTIDR, LIVE, 0, NULL,
		 NULL),
	EL2_LIVE(SPSR_EL2, SPSR_EL1, SPSR, LIVE | NV_SPECIAL, 0, NULL, NULL),
	EL2_LIVE(ELR_EL2, ELR_EL1, ELR, LIVE | NV_SPECIAL, 0, NULL, NULL),
	EL2_LIVE(SP_EL2, SP_EL1, SP_EL1, LIVE | NV_SPECIAL, 0, NULL, NULL),
	/* not live with E2H = 0: CNTKCTL_EL1 stays the guest's own then */
	EL2_LIVE(CNTHCTL_EL2, CNTKCTL_EL1, CNTKCTL, NV_LIVE_E2H1,
		 CNTHCTL_E2H1_LIVE, NULL, NULL),
	/* the EL2 timers run on the EL1 timers while in vEL2 */
	EL2_LIVE(CNTHP_CTL_EL2, CNTP_CTL_EL0, CNTP_CTL, LIVE, 0, NULL, NULL),
	EL2_LIVE(CNTHP_CVAL_EL2, CNTP_CVAL_EL0, CNTP_CVAL, LIVE, 0, NULL, NULL),
	EL2_LIVE(CNTHV_CTL_EL2, CNTV_CTL_EL0, CNTV_CTL, LIVE, 0, NULL, NULL),
	EL2_LIVE(CNTHV_CVAL_EL2, CNTV_CVAL_EL0, CNTV_CVAL, LIVE, 0, NULL, NULL),

	/* ---- computed ---- */
	EL2_COMP(CNTHP_TVAL_EL2, SYSREG_CNTP_TVAL_EL0, SYSREG_CNTHP_CVAL_EL2,
		 0),
	EL2_COMP(CNTHV_TVAL_EL2, SYSREG_CNTV_TVAL_EL0, SYSREG_CNTHV_CVAL_EL2,
		 0),
	EL2_COMP(ICH_VTR_EL2, 0, 0, NV_READ_ONLY),
	EL2_COMP(ICH_MISR_EL2, 0, 0, NV_READ_ONLY),
	EL2_COMP(ICH_EISR_EL2, 0, 0, NV_READ_ONLY),
	EL2_COMP(ICH_ELRSR_EL2, 0, 0, NV_READ_ONLY),

	/* ---- EL1/EL0 registers: live at vEL1, stored at vEL2 when their EL2
	 * counterpart occupies them ---- */
	EL1_VNCR(SCTLR_EL1, SCTLR_EL12, SCTLR_EL2, SCTLR),
	EL1_VNCR(CPACR_EL1, CPACR_EL12, CPTR_EL2, CPACR),
	EL1_VNCR(TTBR0_EL1, TTBR0_EL12, TTBR0_EL2, TTBR0),
	EL1_VNCR(TTBR1_EL1, TTBR1_EL12, TTBR1_EL2, TTBR1),
	EL1_VNCR(TCR_EL1, TCR_EL12, TCR_EL2, TCR),
	EL1_VNCR(ESR_EL1, ESR_EL12, ESR_EL2, ESR),
	EL1_VNCR(FAR_EL1, FAR_EL12, FAR_EL2, FAR),
	EL1_VNCR(AFSR0_EL1, AFSR0_EL12, AFSR0_EL2, AFSR0),
	EL1_VNCR(AFSR1_EL1, AFSR1_EL12, AFSR1_EL2, AFSR1),
	EL1_VNCR(MAIR_EL1, MAIR_EL12, MAIR_EL2, MAIR),
	EL1_VNCR(AMAIR_EL1, AMAIR_EL12, AMAIR_EL2, AMAIR),
	EL1_VNCR(VBAR_EL1, VBAR_EL12, VBAR_EL2, VBAR),
	EL1_VNCR(CONTEXTIDR_EL1, CONTEXTIDR_EL12, CONTEXTIDR_EL2, CONTEXTIDR),
	EL1_VNCR(ELR_EL1, ELR_EL12, ELR_EL2, ELR),
	EL1_VNCR(SPSR_EL1, SPSR_EL12, SPSR_EL2, SPSR),
	EL1_VNCR(CNTP_CTL_EL0, CNTP_CTL_EL02, CNTHP_CTL_EL2, CNTP_CTL),
	EL1_VNCR(CNTP_CVAL_EL0, CNTP_CVAL_EL02, CNTHP_CVAL_EL2, CNTP_CVAL),
	EL1_VNCR(CNTV_CTL_EL0, CNTV_CTL_EL02, CNTHV_CTL_EL2, CNTV_CTL),
	EL1_VNCR(CNTV_CVAL_EL0, CNTV_CVAL_EL02, CNTHV_CVAL_EL2, CNTV_CVAL),
	/* MRS/MSR SP_EL1 names SP_EL1 at EL2 whatever E2H: no alias, no VHE
	 * redirection; at vEL2 it is the stored vEL1 SP (slot 0x240) */
	{
	    .name = "SP_EL1",
	    .alias_name = NULL,
	    .enc = SYSREG_SP_EL1,
	    .alias = 0,
	    .pair = SYSREG_SP_EL2,
	    .cval = 0,
	    .vncr = VNCR_SP_EL1,
	    .slot = NV_SLOT_NONE,
	    .live = NV_EL1_SP_EL1,
	    .flags = NV_EL1 | NV_IN_VNCR | NV_NO_VHE,
	    .e2h1_mask = 0,
	    .to_el1 = NULL,
	    .from_el1 = NULL,
	},
	/* no VNCR slot (I_RSCBR); displaced only when E2H = 1 */
	{
	    .name = "CNTKCTL_EL1",
	    .alias_name = "CNTKCTL_EL12",
	    .enc = SYSREG_CNTKCTL_EL1,
	    .alias = SYSREG_CNTKCTL_EL12,
	    .pair = SYSREG_CNTHCTL_EL2,
	    .cval = 0,
	    .vncr = NV_NO_VNCR,
	    .slot = NV_SLOT_CNTKCTL_EL1,
	    .live = NV_EL1_CNTKCTL,
	    .flags = NV_EL1 | NV_IN_VCPU,
	    .e2h1_mask = 0,
	    .to_el1 = NULL,
	    .from_el1 = NULL,
	},
	EL1_TVAL(CNTP_TVAL_EL0, CNTP_TVAL_EL02, CNTHP_TVAL_EL2, CNTP_CVAL_EL0,
		 0),
	EL1_TVAL(CNTV_TVAL_EL0, CNTV_TVAL_EL02, CNTHV_TVAL_EL2, CNTV_CVAL_EL0,
		 NV_VCOUNT),

	/* ---- live for every level: never a stored copy ---- */
	ALWAYS_LIVE(PAR_EL1, PAR),
	ALWAYS_LIVE(TPIDR_EL1, TPIDR_EL1),
	ALWAYS_LIVE(TPIDR_EL0, TPIDR_EL0),
	ALWAYS_LIVE(TPIDRRO_EL0, TPIDRRO_EL0),
	ALWAYS_LIVE(CSSELR_EL1, CSSELR),
	ALWAYS_LIVE(SP_EL0, SP_EL0),
};

const unsigned el2_sysreg_map_len = ARRAY_SIZE(el2_sysreg_map);

const struct el2_reg *nv_find(uint32_t enc)
{
	enc &= SYSREG_ISS_MASK;
	for (unsigned i = 0; i < ARRAY_SIZE(el2_sysreg_map); i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];

		if (r->enc == enc || (r->alias && r->alias == enc))
			return r;
	}
	return NULL;
}

const struct el2_reg *nv_find_name(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(el2_sysreg_map); i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];

		if (!strcmp(r->name, name) ||
		    (r->alias_name && !strcmp(r->alias_name, name)))
			return r;
	}
	return NULL;
}
