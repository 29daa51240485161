/*
 * Exception entry (docs/nv.md "Exception entry"): what the Arm ARM's
 * AArch64.TakeException (J1.1.2.35, D1.4.2) does, for the two levels an
 * exception of the guest can be taken to by hypnest: the guest's EL1 (an
 * ordinary guest, or the vEL1 of a guest hypervisor), and a guest
 * hypervisor's virtual EL2, which really runs at EL1. One implementation;
 * the target only chooses the registers (ELR/SPSR/ESR/FAR/VBAR/SCTLR_EL1
 * or _EL2, reached through vcpu_read/write_sys_reg wherever nv/ keeps
 * them), whether HPFAR_EL2 is written, and the PAN rule.
 *
 *  - vector (D1.4.1.6): from a lower level "lower EL using AArch64" 0x400
 *    (a hypnest guest has no AArch32); from the target level "current EL"
 *    0x200 with SP_ELx (PSTATE.SP = 1), 0x000 with SP_EL0; + 0x80 IRQ,
 *    0x100 FIQ, 0x180 SError (SCTLR2_ELx.EASE: FEAT_RASv2 not offered).
 *    PC = VBAR_ELx<63:11>:offset<10:0>.
 *  - SPSR_ELx = PSTATE as the guest believes it (GetPSRFromPSTATE): the
 *    real PSTATE at the exit, M[3:2] = EL2 while at vEL2 (really EL1).
 *    BTYPE is passed on as the hardware recorded it (for the exceptions it
 *    does not define it for, keeping it is one of the allowed choices).
 *  - ELR_ELx = v->regs.pc: the preferred return address, which is the real
 *    ELR_EL2 of the exit for the traps injected or forwarded here.
 *  - ESR_ELx for synchronous exceptions and SError (not for IRQ/FIQ:
 *    AArch64.ReportException is not called for them); FAR_ELx (and, at
 *    EL2, HPFAR_EL2) when the caller gives them (UNKNOWN otherwise: left as
 *    they are).
 *  - new PSTATE (D1.4.2 R_WTXBY): ELxh, which is the real EL1h (0b0101)
 *    for both targets; D, A, I, F = 1; nRW = 0, SP = 1, IL = 0, SS = 0,
 *    BTYPE = 0, UAO = 0; SSBS = SCTLR_ELx.DSSBS; PAN = 1 if SCTLR_ELx.SPAN
 *    = 0 and the target is EL1, or EL2 with HCR_EL2.{E2H, TGE} = {1, 1}
 *    (ELIsInHost(EL0)), else unchanged; NZCV and DIT unchanged
 *    (TakeException does not write them, I_RFWPH). Not offered to hypnest
 *    guests (vcpu/sysreg_trap.c hides them), so 0: TCO (MTE), ALLINT (NMI), PM
 *    (EBEP), PPEND (SEBEP), EXLOCK (GCS), PACM (PAuth_LR), UINJ. Without
 *    FEAT_PAN SCTLR_ELx.SPAN is RES1, without FEAT_SSBS DSSBS is RES0, so
 *    neither feature needs a check.
 *
 * EL2 target order: the context switch first (nv_enter_vel2, from vEL1 or
 * from vEL0 under vEL1), then the writes through vcpu_write_sys_reg.
 * ELR/SPSR/ESR/FAR_EL2 are live in the EL1 registers at vEL2 (NV2
 * redirects the guest's accesses there, D8.14.6.1), so each write lands in
 * the live register and its stored copy, and the vEL1 values those EL1
 * registers held have been saved to their VNCR slots by the switch.
 * (Writing before the switch would also work - the switch loads the stored
 * copies - but the vEL1 values must never be read from the live registers
 * after the writes.) EL1 target: at vEL1 (never at vEL2: the caller
 * decides) the _EL1 names are the live EL1 registers.
 */
#include "arch/esr.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/vcpu.h"

#define VBAR_ADDR_MASK (~0x7ffUL) /* VBAR_ELx bits [10:0] are RES0 */

unsigned nv_vcpu_el(const struct vcpu *v)
{
	unsigned el = NV_PSR_EL(v->regs.pstate);

	return el == 1 && v->nv.in_vel2 ? 2 : el;
}

uint64_t nv_guest_pstate(const struct vcpu *v)
{
	uint64_t p = v->regs.pstate;

	/* real EL1h/EL1t at vEL2 -> EL2h/EL2t (M[0], the SP, kept) */
	if (nv_vcpu_el(v) == 2)
		p = (p & ~(3UL << 2)) | (2UL << 2);
	return p;
}

/* the registers of the target Exception level, by the accessor that
 * names them */
static const struct target_regs {
	uint32_t elr, spsr, esr, far, vbar, sctlr;
} target_regs[3] = {
	[1] = { SYSREG_ELR_EL1, SYSREG_SPSR_EL1, SYSREG_ESR_EL1, SYSREG_FAR_EL1,
		SYSREG_VBAR_EL1, SYSREG_SCTLR_EL1 },
	[2] = { SYSREG_ELR_EL2, SYSREG_SPSR_EL2, SYSREG_ESR_EL2, SYSREG_FAR_EL2,
		SYSREG_VBAR_EL2, SYSREG_SCTLR_EL2 },
};

unsigned nv_sync_target_el(const struct vcpu *v)
{
	unsigned el = nv_vcpu_el(v);

	if (!v->nv.enabled)
		return 1;
	/* AArch64.Undefined, AArch64.DataAbort/InstructionAbort: from EL0
	 * with HCR_EL2.TGE = 1 the exception goes to EL2 (both E2H) */
	if (el == 2 || (el == 0 && (vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_TGE)))
		return 2;
	return 1;
}

/* the vector offset of an exception taken to target_el from where the
 * vCPU is */
static uint64_t vector_base_offset(const struct vcpu *v, unsigned target_el)
{
	if (nv_vcpu_el(v) < target_el)
		return NV_VEC_LOWER_A64;
	return (v->regs.pstate & NV_PSR_M_SP) ? NV_VEC_CUR_SPX : NV_VEC_CUR_SP0;
}

/* is PSTATE.PAN set on entry when SCTLR_ELx.SPAN = 0 (R_WTXBY) */
static bool pan_target(const struct vcpu *v, unsigned target_el)
{
	return target_el == 1 || nv_vel2_host(v);
}

/* PSTATE after taking an exception to target_el (D1.4.2), old: PSTATE
 * before; the target's SCTLR */
static uint64_t entry_pstate(const struct vcpu *v, unsigned target_el,
			     uint64_t sctlr, uint64_t old)
{
	/* EL1h, or EL2h which is the real EL1h */
	uint64_t p = NV_PSR_M_EL1H | NV_PSR_DAIF;

	p |= old & (NV_PSR_NZCV | NV_PSR_DIT | NV_PSR_PAN);
	if (pan_target(v, target_el) && !(sctlr & NV_SCTLR_SPAN))
		p |= NV_PSR_PAN;
	if (sctlr & NV_SCTLR_DSSBS)
		p |= NV_PSR_SSBS;
	return p;
}

void vcpu_take_exception(struct vcpu *v, unsigned target_el, uint64_t type,
			 const struct exc_syndrome *s)
{
	const struct target_regs *r = &target_regs[target_el == 2 ? 2 : 1];
	uint64_t old = v->regs.pstate;
	uint64_t spsr = nv_guest_pstate(v);
	uint64_t elr = v->regs.pc;
	uint64_t off = vector_base_offset(v, target_el) + type;

	/* no-op from vEL2, and from vEL0 in the EL2&0 regime; the exit
	 * accounting sees the level it leaves (an episode, nv/level.c) */
	if (target_el == 2) {
		nv_episode_enter_vel2(v, type, s->esr ? s->esr_val : 0);
		nv_enter_vel2(v);
	}
	vcpu_write_sys_reg(v, r->elr, elr);
	vcpu_write_sys_reg(v, r->spsr, spsr);
	if (s->esr)
		vcpu_write_sys_reg(v, r->esr, s->esr_val);
	if (s->far) {
		vcpu_write_sys_reg(v, r->far, s->far_val);
		if (target_el == 2)
			vcpu_write_sys_reg(v, SYSREG_HPFAR_EL2, s->hpfar_val);
	}
	v->regs.pc = (vcpu_read_sys_reg(v, r->vbar) & VBAR_ADDR_MASK) | off;
	v->regs.pstate =
	    entry_pstate(v, target_el, vcpu_read_sys_reg(v, r->sctlr), old);
}

void nv_inject_sync(struct vcpu *v, uint64_t esr_el2, uint64_t far_el2,
		    bool set_far, uint64_t hpfar)
{
	struct exc_syndrome s = { true, set_far, esr_el2, far_el2, hpfar };

	vcpu_take_exception(v, 2, NV_VEC_SYNC, &s);
}

void nv_inject_irq(struct vcpu *v)
{
	struct exc_syndrome s = { 0 };

	vcpu_take_exception(v, 2, NV_VEC_IRQ, &s);
}

void nv_inject_fiq(struct vcpu *v)
{
	struct exc_syndrome s = { 0 };

	vcpu_take_exception(v, 2, NV_VEC_FIQ, &s);
}

void nv_inject_serror(struct vcpu *v, uint64_t esr_el2)
{
	struct exc_syndrome s = { .esr = true, .esr_val = esr_el2 };

	vcpu_take_exception(v, 2, NV_VEC_SERROR, &s);
}

/*
 * HVC (AArch64.CallHypervisor): taken to EL2 from EL1 or EL2, preferred
 * return address the next instruction (the real ELR_EL2 of the exit
 * already is), ESR EC 0x16 with the imm16 - the real ESR_EL2. UNDEFINED at
 * EL1 and EL2 when HCR_EL2.HCD = 1 (EL3 not implemented for the guest,
 * D24.2.62), taken to the level it was executed at, with the HVC itself as
 * the return address.
 */
bool nv_hvc_from_vel1(struct vcpu *v, uint64_t esr)
{
	unsigned el = nv_vcpu_el(v);

	if (!v->nv.enabled || el == 0)
		return false;
	if (vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_HCD) {
		if (el == 1)
			return false; /* UNDEF to vEL1: the caller's */
		v->regs.pc -= 4;
		nv_inject_sync(v, ESR_UNDEFINED, 0, false, 0);
		return true;
	}
	nv_inject_sync(v, esr, 0, false, 0);
	return true;
}

/* SMC trapped by HCR_EL2.TSC (D8.14.1, D24.2.62): to EL2 with EC 0x17,
 * the preferred return address the SMC itself (a trap, not the SMC
 * exception), which is where the real trap left ELR_EL2. */
bool nv_smc_from_vel1(struct vcpu *v, uint64_t esr)
{
	if (!v->nv.enabled || nv_vcpu_el(v) != 1 ||
	    !(vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_TSC))
		return false;
	nv_inject_sync(v, esr, 0, false, 0);
	return true;
}
