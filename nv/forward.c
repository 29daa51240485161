/*
 * Trap forwarding: an exit taken while the guest runs its vEL1 (or a vEL0
 * below it) that its guest hypervisor asked for goes to its vEL2 with the
 * same syndrome, as hardware would take it to EL2 (D1.4; each control in
 * its register's description). docs/nv.md "Trap forwarding".
 *
 * One table of rules. A rule names the exception class, the syndromes it
 * covers (a trap group of the register table, GRP_*, whose members are
 * named in include/hyp/sysregs.def; or a list of ISS mask/match pairs:
 * one encoding, a range, or a list), the access direction (EC 0x18), the levels
 * it applies at, the control register of the guest's that asks for it and its
 * bits, whether the trap is when any of them is set or when all are clear, and
 * the guest's E2H it applies with (CPTR_EL2 and CNTHCTL_EL2 change layout with
 * E2H). The controls are read from the guest's stored copies (the HCR_EL2 VNCR
 * slot, vcpu_read_sys_reg for the others).
 *
 * A rule only fires if the exit reaches hypnest: the HCR_EL2 ones because
 * the real HCR_EL2 carries the guest's trap bits at vEL1 (nv/hcr.c); the
 * CPTR_EL2, MDCR_EL2 and CNTHCTL_EL2 ones once the real register carries
 * the guest's controls at vEL1 (the per-level EL2 state), or where hypnest
 * traps the access for itself.
 *
 * Not here: the guest at vEL2 (nothing of its own HCR_EL2 applies to its
 * EL2) and at vEL0 in its EL2&0 regime ({E2H, TGE} = {1, 1}): there its
 * HCR_EL2 trap controls have Effective value 0 (D24.2.62: TWI, TWE, ...;
 * AArch64.CheckForWFxTrap tests HCR_EL2.TWI only when !IsInHost()), and
 * what does trap EL0 there (SCTLR_EL2.nTWI/nTWE, CPTR_EL2.FPEN,
 * CNTHCTL_EL2.EL0*) is live in the EL1 registers, so the hardware takes
 * it to the real EL1, i.e. vEL2, without hypnest. SMC (HCR_EL2.TSC) and
 * HVC: nv/exception.c.
 *
 * vEL0 with the guest's {E2H, TGE} = {0, 1} has no EL1: hypnest runs it
 * with the real TGE set (nv/hcr.c), so everything that would go to EL1
 * comes to hypnest, and goes on to vEL2 (tge_route) but for what is
 * hypnest's own: a stage 2 fault, a WFI/WFE only hypnest trapped.
 */
#include "arch/esr.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/sysreg_table.h"
#include "hyp/vcpu.h"

/* the control register a rule reads */
enum fwd_ctl {
	CTL_HCR,       /* HCR_EL2, Effective values */
	CTL_CPTR,      /* CPTR_EL2 */
	CTL_MDCR,      /* MDCR_EL2 */
	CTL_CNTHCTL,   /* CNTHCTL_EL2 */
	CTL_SCTLR_EL1, /* its vEL1's SCTLR_EL1 (vEL0 with TGE) */
};

enum { TRAP_SET, TRAP_CLEAR };	       /* trap when ... */
enum { E2H_ANY, E2H_0, E2H_1 };	       /* the rule's E2H */
enum { DIR_ANY, DIR_READ, DIR_WRITE }; /* EC 0x18 direction */
#define AT_EL0 BIT(0)
#define AT_EL1 BIT(1)
#define AT_BOTH (AT_EL0 | AT_EL1)

/* a syndrome is covered if (ISS & mask) == match */
struct iss_range {
	uint32_t mask, match;
};

struct fwd_rule {
	const char *name;
	uint8_t ec;
	uint8_t ctl;	/* enum fwd_ctl */
	uint8_t when;	/* TRAP_SET: any bit of mask set; TRAP_CLEAR: all
			   of them clear */
	uint8_t e2h;	/* E2H_* */
	uint8_t dir;	/* DIR_* (EC 0x18 only) */
	uint8_t levels; /* AT_EL0 / AT_EL1: the virtual levels */
	bool tge;	/* only at a vEL0 with {E2H, TGE} = {0, 1} */
	uint64_t mask;	/* bits of the control register */
	const struct iss_range *iss;
	unsigned niss; /* 0: every ISS of the class (but for grp) */
	uint32_t grp;  /* EC 0x18: the GRP_* trap groups it covers (0: iss) */
};

/* ---- the syndromes (ISS layouts: D24.2.46 ESR_EL2) ---- */

/* one EC 0x18 register or instruction */
#define ONE(enc)                                                               \
	{                                                                      \
		SYSREG_ISS_MASK, (enc)                                         \
	}
/* EC 0x18: op0, op1, CRn, CRm fixed, op2 any */
#define CRM(op0, op1, crn, crm)                                                \
	{                                                                      \
		SYSREG_ENC(3, 7, 15, 15, 0), SYSREG_ENC(op0, op1, crn, crm, 0) \
	}
#define RANGES(a) a, ARRAY_SIZE(a), 0

/* EC 0x01: TI[0] 0 is WFI/WFIT, 1 is WFE/WFET */
static const struct iss_range wfi[] = { { 1, 0 } };
static const struct iss_range wfe[] = { { 1, 1 } };
/* writes of CSSELR_EL1 (TID2, TID4) */
static const struct iss_range csselr[] = { ONE(SYSREG_CSSELR_EL1) };
/* HCR_EL2.TSW: DC ISW, CSW, CISW */
static const struct iss_range dc_sw[] = {
	ONE(SYSREG_ENC(1, 0, 7, 6, 2)),
	ONE(SYSREG_ENC(1, 0, 7, 10, 2)),
	ONE(SYSREG_ENC(1, 0, 7, 14, 2)),
};
/* HCR_EL2.TPCP: DC IVAC, CIVAC, CVAC, CVAP (FEAT_DPB), CVADP (FEAT_DPB2),
 * CIVAPS (FEAT_PoPS) */
static const struct iss_range dc_poc[] = {
	ONE(SYSREG_ENC(1, 0, 7, 6, 1)),	 ONE(SYSREG_ENC(1, 3, 7, 14, 1)),
	ONE(SYSREG_ENC(1, 3, 7, 10, 1)), ONE(SYSREG_ENC(1, 3, 7, 12, 1)),
	ONE(SYSREG_ENC(1, 3, 7, 13, 1)), ONE(SYSREG_ENC(1, 0, 7, 15, 1)),
};
/* HCR_EL2.TPU and TOCU: IC IVAU, IC IALLU, DC CVAU (TPU: IC IALLUIS) */
#define POU                                                                    \
	ONE(SYSREG_ENC(1, 3, 7, 5, 1)), ONE(SYSREG_ENC(1, 0, 7, 5, 0)),        \
	    ONE(SYSREG_ENC(1, 3, 7, 11, 1))
static const struct iss_range pou[] = { POU, ONE(SYSREG_ENC(1, 0, 7, 1, 0)) };
static const struct iss_range ocu[] = { POU };
/* HCR_EL2.TICAB: IC IALLUIS */
static const struct iss_range icab[] = { ONE(SYSREG_ENC(1, 0, 7, 1, 0)) };
/* HCR_EL2.TTLBIS: *IS (CRm 3) and range *IS (CRm 2); TTLBOS: *OS (CRm 1)
 * and range *OS (CRm 5) */
static const struct iss_range tlbi_is[] = { CRM(1, 0, 8, 3), CRM(1, 0, 8, 2),
					    CRM(1, 0, 9, 3), CRM(1, 0, 9, 2) };
static const struct iss_range tlbi_os[] = { CRM(1, 0, 8, 1), CRM(1, 0, 8, 5),
					    CRM(1, 0, 9, 1), CRM(1, 0, 9, 5) };
/* HCR_EL2.TDZ: DC ZVA */
static const struct iss_range dc_zva[] = { ONE(SYSREG_ENC(1, 3, 7, 4, 1)) };
/* HCR_EL2.TLOR: LORSA, LOREA, LORN, LORC, LORID */
static const struct iss_range lor[] = {
	ONE(SYSREG_LORSA_EL1), ONE(SYSREG_LOREA_EL1), ONE(SYSREG_LORN_EL1),
	ONE(SYSREG_LORC_EL1),  ONE(SYSREG_LORID_EL1),
};
/* HCR_EL2.APK: APIA/APIB (CRm 1), APDA/APDB (CRm 2), APGA (CRm 3) keys */
static const struct iss_range pac_keys[] = {
	CRM(3, 0, 2, 1),
	CRM(3, 0, 2, 2),
	CRM(3, 0, 2, 3),
};
/* CNTHCTL_EL2: the EL1 physical counter and timer */
static const struct iss_range cntpct[] = { ONE(SYSREG_CNTPCT_EL0) };
/* MDCR_EL2.TDA: DBGB/WVR/CR<n> (op2 4-7), MDCCINT, MDSCR, OSDTRRX/TX,
 * OSECCR, DBGCLAIMSET/CLR, DBGAUTHSTATUS, MDCCSR_EL0, DBGDTR*_EL0 */
static const struct iss_range dbg[] = {
	{ SYSREG_ENC(3, 7, 15, 0, 4), SYSREG_ENC(2, 0, 0, 0, 4) },
	ONE(SYSREG_MDCCINT_EL1),
	ONE(SYSREG_MDSCR_EL1),
	ONE(SYSREG_OSDTRRX_EL1),
	ONE(SYSREG_ENC(2, 0, 0, 3, 2)), /* OSDTRTX_EL1 */
	ONE(SYSREG_OSECCR_EL1),
	ONE(SYSREG_DBGCLAIMSET_EL1),
	ONE(SYSREG_ENC(2, 0, 7, 9, 6)), /* DBGCLAIMCLR_EL1 */
	ONE(SYSREG_DBGAUTHSTATUS_EL1),
	ONE(SYSREG_MDCCSR_EL0),
	ONE(SYSREG_DBGDTR_EL0),
	ONE(SYSREG_DBGDTRRX_EL0), /* = DBGDTRTX_EL0 */
};
/* MDCR_EL2.TDOSA: OSLAR, OSLSR, OSDLR, DBGPRCR; TDRA: MDRAR */
static const struct iss_range dbg_os[] = {
	ONE(SYSREG_OSLAR_EL1),
	ONE(SYSREG_OSLSR_EL1),
	ONE(SYSREG_OSDLR_EL1),
	ONE(SYSREG_DBGPRCR_EL1),
};
static const struct iss_range dbg_rom[] = { ONE(SYSREG_MDRAR_EL1) };
/* IHI 0069, ICC_SGI1R_EL1 and ICC_ASGI1R_EL1 (HCR_EL2.IMO), ICC_SGI0R_EL1
 * (HCR_EL2.FMO): writes at EL1 trap to EL2 while its interrupts of that
 * group are routed to EL2 */
/* ICC_SGI0R, SGI1R, ASGI1R_EL1: all three trap at EL1 when HCR_EL2.IMO
 * or FMO is 1 (GICv3, IHI 0069: the virtual CPU interface has no SGI
 * generation; QEMU's gicv3_sgi_access tests IMO || FMO), whichever group
 * they name */
static const struct iss_range sgi_regs[] = { ONE(SYSREG_ICC_SGI1R_EL1),
					     ONE(SYSREG_ICC_ASGI1R_EL1),
					     ONE(SYSREG_ICC_SGI0R_EL1) };

/* ---- the controls ---- */
/* CPTR_TFP, CPTR_TCPAC, MDCR_TD*, CNTHCTL_EL1PCTEN/EL1PCEN (E2H = 0
 * layouts): include/hyp/el2_hw.h */
#define CPTR_FPEN0 BIT(20) /* E2H = 1: FPEN[0] clear traps EL1 and EL0 */
#define CNTHCTL_E2H_EL1PCTEN BIT(10) /* E2H = 1 */
#define CNTHCTL_E2H_EL1PTEN BIT(11)  /* E2H = 1 */
#define SCTLR_NTWI BIT(16)	     /* D24.2.175 */
#define SCTLR_NTWE BIT(18)

#define EC_PAC 0x09 /* pointer authentication trapped by HCR_EL2.API */
#define EC_FP 0x07  /* FP/SIMD trapped by CPTR_EL2 */

/*
 * RULE(name, class, control register, its bits, trap when set or clear,
 *      the guest's E2H, direction (EC 0x18), virtual levels, syndromes)
 */
#define RULE(...) RULE_(__VA_ARGS__)
#define RULE_(n, e, c, b, w, h, d, l, r, nr, g)                                \
	{                                                                      \
		n, e, c, w, h, d, l, false, b, r, nr, g                        \
	}
/* the same, only at a vEL0 with {E2H, TGE} = {0, 1} */
#define TGE_RULE(...) TGE_RULE_(__VA_ARGS__)
#define TGE_RULE_(n, e, c, b, w, r, nr, g)                                     \
	{                                                                      \
		n, e, c, w, E2H_ANY, DIR_ANY, AT_EL0, true, b, r, nr, g        \
	}
#define ALL_ISS NULL, 0, 0
/* EC 0x18: the encodings of the trap group g (sysreg_key_groups) */
#define GROUP(g) NULL, 0, (g)
#define S TRAP_SET
#define C TRAP_CLEAR
#define HCR(bit) CTL_HCR, NV_HCR_##bit

static const struct fwd_rule fwd_rules[] = {
	/* HCR_EL2 (D24.2.62): the TRAP and INVERTED rows of nv/hcr.c */
	RULE("WFI (TWI)", EC_WFX, HCR(TWI), S, E2H_ANY, DIR_ANY, AT_BOTH,
	     RANGES(wfi)),
	RULE("WFE (TWE)", EC_WFX, HCR(TWE), S, E2H_ANY, DIR_ANY, AT_BOTH,
	     RANGES(wfe)),
	RULE("ID group 1 (TID1)", EC_SYS64, HCR(TID1), S, E2H_ANY, DIR_READ,
	     AT_EL1, GROUP(GRP_TID1)),
	RULE("ID group 2 (TID2)", EC_SYS64, HCR(TID2), S, E2H_ANY, DIR_READ,
	     AT_BOTH, GROUP(GRP_TID2)),
	RULE("CSSELR_EL1 write (TID2)", EC_SYS64, HCR(TID2), S, E2H_ANY,
	     DIR_WRITE, AT_EL1, RANGES(csselr)),
	RULE("ID group 3 (TID3)", EC_SYS64, HCR(TID3), S, E2H_ANY, DIR_READ,
	     AT_EL1, GROUP(GRP_TID3)),
	RULE("ID group 4 (TID4)", EC_SYS64, HCR(TID4), S, E2H_ANY, DIR_READ,
	     AT_EL1, GROUP(GRP_TID4)),
	RULE("CSSELR_EL1 write (TID4)", EC_SYS64, HCR(TID4), S, E2H_ANY,
	     DIR_WRITE, AT_EL1, RANGES(csselr)),
	RULE("IMPDEF register (TIDCP)", EC_SYS64, HCR(TIDCP), S, E2H_ANY,
	     DIR_ANY, AT_BOTH, GROUP(GRP_TIDCP)),
	RULE("ACTLR_EL1 (TACR)", EC_SYS64, HCR(TACR), S, E2H_ANY, DIR_ANY,
	     AT_EL1, GROUP(GRP_TACR)),
	RULE("DC by set/way (TSW)", EC_SYS64, HCR(TSW), S, E2H_ANY, DIR_ANY,
	     AT_EL1, RANGES(dc_sw)),
	RULE("DC to the PoC (TPCP)", EC_SYS64, HCR(TPCP), S, E2H_ANY, DIR_ANY,
	     AT_BOTH, RANGES(dc_poc)),
	RULE("IC/DC to the PoU (TPU)", EC_SYS64, HCR(TPU), S, E2H_ANY, DIR_ANY,
	     AT_BOTH, RANGES(pou)),
	RULE("IC/DC to the PoU (TOCU)", EC_SYS64, HCR(TOCU), S, E2H_ANY,
	     DIR_ANY, AT_BOTH, RANGES(ocu)),
	RULE("IC IALLUIS (TICAB)", EC_SYS64, HCR(TICAB), S, E2H_ANY, DIR_ANY,
	     AT_EL1, RANGES(icab)),
	RULE("TLB maintenance (TTLB)", EC_SYS64, HCR(TTLB), S, E2H_ANY, DIR_ANY,
	     AT_EL1, GROUP(GRP_TTLB)),
	RULE("TLBI Inner Shareable (TTLBIS)", EC_SYS64, HCR(TTLBIS), S, E2H_ANY,
	     DIR_ANY, AT_EL1, RANGES(tlbi_is)),
	RULE("TLBI Outer Shareable (TTLBOS)", EC_SYS64, HCR(TTLBOS), S, E2H_ANY,
	     DIR_ANY, AT_EL1, RANGES(tlbi_os)),
	RULE("VM register write (TVM)", EC_SYS64, HCR(TVM), S, E2H_ANY,
	     DIR_WRITE, AT_EL1, GROUP(GRP_TVM)),
	RULE("VM register read (TRVM)", EC_SYS64, HCR(TRVM), S, E2H_ANY,
	     DIR_READ, AT_EL1, GROUP(GRP_TVM)),
	RULE("DC ZVA (TDZ)", EC_SYS64, HCR(TDZ), S, E2H_ANY, DIR_ANY, AT_BOTH,
	     RANGES(dc_zva)),
	RULE("LOR register (TLOR)", EC_SYS64, HCR(TLOR), S, E2H_ANY, DIR_ANY,
	     AT_EL1, RANGES(lor)),
	RULE("pointer authentication (API = 0)", EC_PAC, HCR(API), C, E2H_ANY,
	     DIR_ANY, AT_BOTH, ALL_ISS),
	RULE("pointer authentication key (APK = 0)", EC_SYS64, HCR(APK), C,
	     E2H_ANY, DIR_ANY, AT_EL1, RANGES(pac_keys)),
	/* the GIC's SGI registers by the interrupt routing (EMULATED rows of
	 * nv/hcr.c: Effective values, 1 with {E2H, TGE} = {0, 1}) */
	RULE("ICC_SGI*R_EL1 write (IMO or FMO)", EC_SYS64, CTL_HCR,
	     NV_HCR_IMO | NV_HCR_FMO, S, E2H_ANY, DIR_WRITE, AT_EL1,
	     RANGES(sgi_regs)),
	/* vEL0 with {E2H, TGE} = {0, 1}: a WFI/WFE its SCTLR_EL1 traps to
	 * EL1, which TGE routes to EL2 (AArch64.CheckForWFxTrap) */
	TGE_RULE("WFI (SCTLR_EL1.nTWI = 0, TGE)", EC_WFX, CTL_SCTLR_EL1,
		 SCTLR_NTWI, C, RANGES(wfi)),
	TGE_RULE("WFE (SCTLR_EL1.nTWE = 0, TGE)", EC_WFX, CTL_SCTLR_EL1,
		 SCTLR_NTWE, C, RANGES(wfe)),
	/* CPTR_EL2 (D24.2.38): its layout follows E2H */
	RULE("FP/SIMD (CPTR_EL2.TFP)", EC_FP, CTL_CPTR, CPTR_TFP, S, E2H_0,
	     DIR_ANY, AT_BOTH, ALL_ISS),
	RULE("FP/SIMD (CPTR_EL2.FPEN = x0)", EC_FP, CTL_CPTR, CPTR_FPEN0, C,
	     E2H_1, DIR_ANY, AT_BOTH, ALL_ISS),
	RULE("CPACR_EL1 (CPTR_EL2.TCPAC)", EC_SYS64, CTL_CPTR, CPTR_TCPAC, S,
	     E2H_ANY, DIR_ANY, AT_EL1, GROUP(GRP_TCPAC)),
	/* MDCR_EL2 (D24.3.17): TDE makes TDA, TDOSA, TDRA act as 1 */
	RULE("debug register (MDCR_EL2.TDA)", EC_SYS64, CTL_MDCR,
	     MDCR_TDA | MDCR_TDE, S, E2H_ANY, DIR_ANY, AT_BOTH, RANGES(dbg)),
	RULE("OS lock register (MDCR_EL2.TDOSA)", EC_SYS64, CTL_MDCR,
	     MDCR_TDOSA | MDCR_TDE, S, E2H_ANY, DIR_ANY, AT_EL1,
	     RANGES(dbg_os)),
	RULE("MDRAR_EL1 (MDCR_EL2.TDRA)", EC_SYS64, CTL_MDCR,
	     MDCR_TDRA | MDCR_TDE, S, E2H_ANY, DIR_ANY, AT_BOTH,
	     RANGES(dbg_rom)),
	/* CNTHCTL_EL2 (D24.10.2): enables, so a trap when clear */
	RULE("CNTPCT_EL0 (CNTHCTL_EL2.EL1PCTEN = 0)", EC_SYS64, CTL_CNTHCTL,
	     CNTHCTL_EL1PCTEN, C, E2H_0, DIR_READ, AT_BOTH, RANGES(cntpct)),
	RULE("CNTP_* (CNTHCTL_EL2.EL1PCEN = 0)", EC_SYS64, CTL_CNTHCTL,
	     CNTHCTL_EL1PCEN, C, E2H_0, DIR_ANY, AT_BOTH, GROUP(GRP_PTIMER)),
	RULE("CNTPCT_EL0 (CNTHCTL_EL2.EL1PCTEN = 0, E2H)", EC_SYS64,
	     CTL_CNTHCTL, CNTHCTL_E2H_EL1PCTEN, C, E2H_1, DIR_READ, AT_BOTH,
	     RANGES(cntpct)),
	RULE("CNTP_* (CNTHCTL_EL2.EL1PTEN = 0, E2H)", EC_SYS64, CTL_CNTHCTL,
	     CNTHCTL_E2H_EL1PTEN, C, E2H_1, DIR_ANY, AT_BOTH,
	     GROUP(GRP_PTIMER)),
};

static uint64_t control(struct vcpu *v, enum fwd_ctl c)
{
	switch (c) {
	case CTL_HCR:
		return nv_guest_hcr_eff(v);
	case CTL_CPTR:
		return vcpu_read_sys_reg(v, SYSREG_CPTR_EL2);
	case CTL_MDCR:
		return vcpu_read_sys_reg(v, SYSREG_MDCR_EL2);
	case CTL_CNTHCTL:
		return vcpu_read_sys_reg(v, SYSREG_CNTHCTL_EL2);
	case CTL_SCTLR_EL1:
		return vcpu_read_sys_reg(v, SYSREG_SCTLR_EL1);
	}
	return 0;
}

static bool in_ranges(const struct iss_range *r, unsigned n, uint32_t iss)
{
	for (unsigned i = 0; i < n; i++)
		if ((iss & r[i].mask) == r[i].match)
			return true;
	return false;
}

/* groups: an EC 0x18 syndrome's trap groups (sysreg_key_groups) */
static bool covers(const struct fwd_rule *r, uint32_t iss, uint32_t groups)
{
	if (r->ec == EC_SYS64) {
		bool read = SYSREG_ISS_IS_READ(iss);

		if ((r->dir == DIR_READ && !read) ||
		    (r->dir == DIR_WRITE && read))
			return false;
	}
	if (r->grp)
		return (groups & r->grp) != 0;
	return !r->niss || in_ranges(r->iss, r->niss, iss);
}

/* does r send this exit (class ec, syndrome iss in trap groups groups, at
 * virtual level el) to vEL2 */
static bool fires(struct vcpu *v, const struct fwd_rule *r, unsigned ec,
		  uint32_t iss, uint32_t groups, unsigned el, bool tge)
{
	uint64_t ctl;

	if (r->ec != ec || !(r->levels & BIT(el)) || (r->tge && !tge))
		return false;
	if ((r->e2h == E2H_0 && nv_guest_e2h(v)) ||
	    (r->e2h == E2H_1 && !nv_guest_e2h(v)))
		return false;
	if (!covers(r, iss, groups))
		return false;
	ctl = control(v, (enum fwd_ctl)r->ctl) & r->mask;
	return r->when == TRAP_SET ? ctl != 0 : ctl == 0;
}

/* the data/instruction fault status codes a stage 1 with its MMU off (as
 * TGE makes it for EL0, D24.2.62) can give: alignment. Anything else of
 * EC 0x20/0x24 is a stage 2 fault, hypnest's (MMIO, or not the guest's
 * memory). */
#define FSC_ALIGNMENT 0x21
#define EC_PC_ALIGN 0x22
#define EC_WATCHPT_LOW 0x34

/* the classes that report a FAR (D24.2.49 FAR_EL2) */
static bool is_abort(unsigned ec)
{
	return ec == EC_IABT_LOW || ec == EC_DABT_LOW || ec == EC_PC_ALIGN ||
	       ec == EC_WATCHPT_LOW;
}

/*
 * vEL0 with the guest's {E2H, TGE} = {0, 1}: the exit is what the
 * hardware would have taken to EL1 and TGE to EL2 (D24.2.62 TGE: "all
 * exceptions that would be routed to EL1 are routed to EL2"), or
 * hypnest's own trap. The esr to take to vEL2, or 0 if hypnest's own.
 */
static uint64_t tge_route(struct vcpu *v, uint64_t esr, uint32_t groups)
{
	unsigned ec = (unsigned)ESR_EC(esr);
	uint32_t iss = (uint32_t)ESR_ISS(esr);

	switch (ec) {
	case EC_WFX: /* the guest's own WFx traps were the rules' */
		return 0;
	case EC_IABT_LOW:
	case EC_DABT_LOW:
		return (iss & 0x3f) == FSC_ALIGNMENT ? esr : 0;
	case EC_SYS64:
		/* hypnest's TIDCP may trap EL0's IMPDEF accesses (that is
		 * IMPLEMENTATION DEFINED); with the guest's TIDCP = 0 they
		 * are UNDEFINED at EL0 (D24.2.62 TIDCP) */
		if ((groups & GRP_TIDCP) &&
		    !(nv_guest_hcr_eff(v) & NV_HCR_TIDCP))
			return ESR_UNDEFINED;
		return esr;
	default:
		return esr;
	}
}

static void forward(struct vcpu *v, uint64_t esr)
{
	unsigned ec = (unsigned)ESR_EC(esr);

	/* ELR_EL2: v->regs.pc, the real ELR_EL2 of the exit: the trapped
	 * instruction, or after an SVC, as the hardware set it */
	if (is_abort(ec))
		nv_inject_sync(v, esr, nv_arch_read_far(), true, 0);
	else
		nv_inject_sync(v, esr, 0, false, 0);
}

bool nv_forward_key(struct vcpu *v, uint64_t esr, const struct sysreg_key *k)
{
	unsigned ec = (unsigned)ESR_EC(esr);
	uint32_t iss = (uint32_t)ESR_ISS(esr);
	uint32_t groups;
	unsigned el;
	bool tge;

	if (!v->nv.enabled || v->nv.in_vel2)
		return false;
	groups = ec == EC_SYS64 ? sysreg_key_groups(k, iss) : 0;
	el = nv_vcpu_el(v);
	tge = nv_vel0_tge(v);
	for (unsigned i = 0; i < ARRAY_SIZE(fwd_rules); i++) {
		if (fires(v, &fwd_rules[i], ec, iss, groups, el, tge)) {
			forward(v, esr);
			return true;
		}
	}
	if (tge) {
		uint64_t to_vel2 = tge_route(v, esr, groups);

		if (to_vel2) {
			forward(v, to_vel2);
			return true;
		}
	}
	return false;
}

bool nv_forward(struct vcpu *v, uint64_t esr)
{
	const struct sysreg_key *k = NULL;

	if (ESR_EC(esr) == EC_SYS64)
		k = sysreg_lookup(SYSREG_ISS_REG(esr));
	return nv_forward_key(v, esr, k);
}

/* R_BCXJB: its IMO (FMO) routes its vEL1/vEL0's physical interrupts to
 * vEL2; with {E2H, TGE} = {0, 1} they are 1 (nv_guest_hcr_eff) */
bool nv_irq_to_vel2(const struct vcpu *v)
{
	return v->nv.enabled && !v->nv.in_vel2 &&
	       (nv_guest_hcr_eff(v) & NV_HCR_IMO);
}

bool nv_fiq_to_vel2(const struct vcpu *v)
{
	return v->nv.enabled && !v->nv.in_vel2 &&
	       (nv_guest_hcr_eff(v) & NV_HCR_FMO);
}

/* hypnest's real AMO takes every SError from the guest to EL2. From L2,
 * where the guest's Effective AMO takes physical SErrors below its EL2
 * to its EL2 (D24.2.62 AMO; {E2H, TGE} = {0, 1} sets it,
 * nv_guest_hcr_eff), it is L1's to handle; from L1 itself (or with AMO
 * clear) it stays the guest's end (vm->ops->crash) */
bool nv_serror_to_vel2(const struct vcpu *v)
{
	return nv_in_l2(v) && (nv_guest_hcr_eff(v) & NV_HCR_AMO);
}
