/*
 * Address translation instructions a guest hypervisor executes at virtual
 * EL2 (docs/nv.md "Address translation and TLB maintenance"; hypervisor
 * build). They reach hypnest through the real HCR_EL2: NV traps the EL2
 * ones (AT S1E2R/W, AT S12E*), AT (set while the guest is at vEL2,
 * nv_hcr) the EL1/EL0 ones, which would otherwise translate the live EL1
 * registers, i.e. the vEL2 context. Each is emulated with the software
 * walker (mm/walk.c) on the registers of the regime it names, as
 * AArch64.AT (J1.1.3.10) chooses it from the guest's HCR_EL2 (C5.4):
 *
 *   AT S1E2R/W                 its EL2 regime (E2H = 0) or EL2&0 (E2H = 1)
 *   AT S1E1*, S1E0*, S12E*,    HCR_EL2.{E2H, TGE} = {1, 1}: its EL2&0
 *   when in host               regime, stage 1 only (as EL2 or EL0)
 *   AT S1E1*, S1E0*            its vEL1's EL1&0 regime (the stored vEL1
 *                              SCTLR/TCR/TTBR0/TTBR1/MAIR_EL1), stage 1;
 *                              its walks go through its stage 2 when its
 *                              HCR_EL2.VM or DC is set
 *   AT S12E1*, S12E0*          the same, then its stage 2 (VTTBR/VTCR_EL2)
 *                              when VM or DC is set: its "physical" address
 *
 * Its "physical" addresses are hypnest's IPAs of the VM: descriptors are
 * read through hypnest's stage 2, from the guest's RAM only; anything else
 * is an External abort on the walk, which AArch64.AT takes as a Data Abort
 * at EL2 (no PAR_EL1). Otherwise PAR_EL1, which is never swapped between
 * levels, gets AArch64.EncodePAR's value.
 */
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/id_regs.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/pgtable.h"
#include "hyp/vm.h"
#include "hyp/walk.h"

#define SCTLR_EE BIT(25)
#define PSR_PAN BIT(22)

/* Data Abort ISS (D24.2.46): CM (a cache maintenance or AT instruction),
 * S1PTW, WnR (1 for AT: AArch64.FaultSyndrome) */
#define ISS_CM BIT(8)
#define ISS_S1PTW BIT(7)
#define ISS_WNR BIT(6)

enum at_stage {
	AT_S1E2, /* its own EL2 or EL2&0 regime */
	AT_S1,	 /* EL1&0 stage 1 (EL2&0 when in host) */
	AT_S12,	 /* EL1&0 stages 1 and 2 (EL2&0 stage 1 when in host) */
};

/* C5.4: op0 1, CRn 7, CRm 8 (9: the PAN forms) */
static const struct at_op {
	uint32_t enc;
	enum at_stage stage;
	bool el0, write, pan;
} at_ops[] = {
	{ SYSREG_ENC(1, 0, 7, 8, 0), AT_S1, false, false, false }, /* S1E1R */
	{ SYSREG_ENC(1, 0, 7, 8, 1), AT_S1, false, true, false },  /* S1E1W */
	{ SYSREG_ENC(1, 0, 7, 8, 2), AT_S1, true, false, false },  /* S1E0R */
	{ SYSREG_ENC(1, 0, 7, 8, 3), AT_S1, true, true, false },   /* S1E0W */
	{ SYSREG_ENC(1, 0, 7, 9, 0), AT_S1, false, false, true },  /* S1E1RP */
	{ SYSREG_ENC(1, 0, 7, 9, 1), AT_S1, false, true, true },   /* S1E1WP */
	{ SYSREG_ENC(1, 4, 7, 8, 0), AT_S1E2, false, false, false }, /* S1E2R */
	{ SYSREG_ENC(1, 4, 7, 8, 1), AT_S1E2, false, true, false },  /* S1E2W */
	{ SYSREG_ENC(1, 4, 7, 8, 4), AT_S12, false, false, false }, /* S12E1R */
	{ SYSREG_ENC(1, 4, 7, 8, 5), AT_S12, false, true, false },  /* S12E1W */
	{ SYSREG_ENC(1, 4, 7, 8, 6), AT_S12, true, false, false },  /* S12E0R */
	{ SYSREG_ENC(1, 4, 7, 8, 7), AT_S12, true, true, false },   /* S12E0W */
};

static const struct at_op *find_op(uint32_t enc)
{
	for (unsigned i = 0; i < ARRAY_SIZE(at_ops); i++)
		if (at_ops[i].enc == enc)
			return &at_ops[i];
	return NULL;
}

/* TGran*_2 (ID_AA64MMFR0_EL1[43:32]): 0 "as stage 1", 1 none, 2+ yes */
static bool s2_granule(unsigned field, bool stage1)
{
	return field ? field >= 2 : stage1;
}

/* What the guest's ID registers say (its sanitised view, sysreg/id_regs.c:
 * what it is offered, not what this CPU has) */
void nv_walk_features(const struct vcpu *v, struct walk_features *out)
{
	static const uint8_t pa_bits[] = { 32, 36, 40, 42, 44, 48 };
	uint64_t mmfr0 = id_reg_guest(v, SYSREG_ID_AA64MMFR0_EL1);
	uint64_t mmfr1 = id_reg_guest(v, SYSREG_ID_AA64MMFR1_EL1);
	uint64_t mmfr2 = id_reg_guest(v, SYSREG_ID_AA64MMFR2_EL1);
	unsigned pan = (unsigned)FIELD(mmfr1, 23, 20);
	struct walk_features f = {
		.pa_bits = pa_bits[MIN(FIELD(mmfr0, 3, 0), 5UL)],
		.tgran4 = FIELD(mmfr0, 31, 28) != 0xf,
		.tgran64 = FIELD(mmfr0, 27, 24) != 0xf,
		.tgran16 = FIELD(mmfr0, 23, 20) != 0,
		.ttst = FIELD(mmfr2, 31, 28) != 0,
		.lva = FIELD(mmfr2, 19, 16) != 0,
		.hpds = FIELD(mmfr1, 15, 12) != 0,
		.hafdbs = FIELD(mmfr1, 3, 0) != 0,
		.pan = pan != 0,
		.epan = pan >= 3,
		.e0pd = FIELD(mmfr2, 63, 60) != 0,
		.xnx = FIELD(mmfr1, 31, 28) != 0,
		.s2fwb = FIELD(mmfr2, 43, 40) != 0,
	};

	f.s2tgran4 = s2_granule((unsigned)FIELD(mmfr0, 43, 40), f.tgran4);
	f.s2tgran64 = s2_granule((unsigned)FIELD(mmfr0, 39, 36), f.tgran64);
	f.s2tgran16 = s2_granule((unsigned)FIELD(mmfr0, 35, 32), f.tgran16);
	*out = f;
}

/* FEAT_PAN2: AT S1E1RP/WP exist (ID_AA64MMFR1_EL1.PAN >= 2) */
static bool pan2(const struct vcpu *v)
{
	return FIELD(id_reg_guest(v, SYSREG_ID_AA64MMFR1_EL1), 23, 20) >= 2;
}

/* A descriptor at the guest's physical address ipa: only in its RAM,
 * through hypnest's stage 2 (identity-mapped at EL2). The guest may have
 * written it with its MMU or caches off, straight to memory: hypnest's
 * line is cleaned and invalidated first (an earlier walk may hold it). */
bool nv_l1_read(void *arg, uint64_t ipa, uint64_t *desc)
{
	struct vm *vm = arg;
	volatile uint64_t *p = vm->ops->ram_ptr(vm, ipa);

	if (!p)
		return false;
	__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	dsb(sy);
	*desc = *p;
	return true;
}

static uint64_t vncr(const struct vcpu *v, unsigned off)
{
	return v->vncr[off / 8];
}

/* its vEL1's EL1&0 regime: the stored copies (at vEL2 the EL1 registers
 * hold the vEL2 context), and its stage 2 */
static void vel1_regime(struct vcpu *v, uint64_t hcr, struct walk_ctx *c)
{
	c->s1 = (struct walk_s1_regs){
		.regime = WALK_EL10,
		.sctlr = vncr(v, VNCR_SCTLR_EL1),
		.tcr = vncr(v, VNCR_TCR_EL1),
		.ttbr0 = vncr(v, VNCR_TTBR0_EL1),
		.ttbr1 = vncr(v, VNCR_TTBR1_EL1),
		.mair = vncr(v, VNCR_MAIR_EL1),
	};
	c->s2 = (struct walk_s2_regs){
		.vtcr = vncr(v, VNCR_VTCR_EL2),
		.vttbr = vncr(v, VNCR_VTTBR_EL2),
		.fwb = hcr & NV_HCR_FWB,
		.ptw = (hcr & NV_HCR_PTW) && !(hcr & NV_HCR_TGE),
		.ee = vcpu_read_sys_reg(v, SYSREG_SCTLR_EL2) & SCTLR_EE,
	};
	/* D24.2.62: VM or DC enable stage 2; DC and TGE turn stage 1 of
	 * EL1&0 off (AArch64.S1Enabled, AArch64.NSS2TTWParams) */
	c->s2_on = hcr & (NV_HCR_VM | NV_HCR_DC);
	c->s1_off = hcr & (NV_HCR_DC | NV_HCR_TGE);
	c->dc = hcr & NV_HCR_DC;
}

/* its own regime: EL2 (E2H = 0) or EL2&0 (E2H = 1), no stage 2 */
static void vel2_regime(struct vcpu *v, bool e2h, struct walk_ctx *c)
{
	c->s1 = (struct walk_s1_regs){
		.regime = e2h ? WALK_EL10 : WALK_EL2,
		.sctlr = vcpu_read_sys_reg(v, SYSREG_SCTLR_EL2),
		.tcr = vcpu_read_sys_reg(v, SYSREG_TCR_EL2),
		.ttbr0 = vcpu_read_sys_reg(v, SYSREG_TTBR0_EL2),
		.ttbr1 = e2h ? vcpu_read_sys_reg(v, SYSREG_TTBR1_EL2) : 0,
		.mair = vcpu_read_sys_reg(v, SYSREG_MAIR_EL2),
	};
}

/* AArch64.AT: a synchronous External abort on the walk is taken, as a
 * Data Abort from the current EL (vEL2), FAR = the input address, ELR =
 * the AT itself */
static void take_abort(struct vcpu *v, const struct walk_result *r, uint64_t va)
{
	uint64_t esr = ((uint64_t)EC_DABT_CUR << 26) | ESR_IL_32BIT | ISS_CM |
		       ISS_WNR | (r->s1ptw ? ISS_S1PTW : 0) | walk_fsc(r);

	nv_inject_sync(v, esr, va, true, 0);
}

enum nv_sys nv_at(struct vcpu *v, uint32_t enc, uint64_t va)
{
	const struct at_op *op = find_op(enc);
	struct walk_features f;
	struct walk_ctx c;
	struct walk_result r;
	struct walk_access a;
	uint64_t hcr;
	bool e2h;

	if (!op || !v->nv.enabled || !v->nv.in_vel2 || (op->pan && !pan2(v)))
		return NV_SYS_UNDEF;
	hcr = vncr(v, VNCR_HCR_EL2);
	e2h = hcr & NV_HCR_E2H;
	nv_walk_features(v, &f);
	c = (struct walk_ctx){ .feat = &f, .read = nv_l1_read, .arg = v->vm };
	a = (struct walk_access){
		.el0 = op->el0,
		.write = op->write,
		.pan = op->pan && (v->regs.pstate & PSR_PAN),
	};
	if (op->stage == AT_S1E2 || nv_vel2_host(v))
		vel2_regime(v, e2h, &c);
	else
		vel1_regime(v, hcr, &c);
	if (op->stage == AT_S12)
		walk_s12(&c, va, &a, &r);
	else
		walk_s1(&c, va, &a, &r);
	if (r.fault == WALK_FAULT_EXT_ABORT) {
		take_abort(v, &r, va);
		return NV_SYS_EXCEPTION;
	}
	/* PAR_EL1 is never swapped between levels: the live register */
	write_sysreg(par_el1, walk_par(&r));
	return NV_SYS_DONE;
}
