/*
 * The emulated exception return of a guest hypervisor (docs/nv.md "Level
 * switches"). With HCR_EL2.NV = 1 its ERET, ERETAA and ERETAB at vEL2
 * (really EL1) trap with EC 0x1A (D8.14.1); hypnest performs the return
 * from EL2 the guest asked for, as AArch64.ExceptionReturn (J1.1.3.36),
 * IllegalExceptionReturn and SetPSTATEFromPSR (J1.3.3.448/474) and D1.4.4
 * describe, with the guest's virtual SPSR_EL2 and ELR_EL2, and leaves the
 * result in v->regs.pc/pstate for the real ERET of the world switch.
 *
 * ERETAA/ERETAB are treated as ERET: the pointer authentication of ELR
 * (AuthIA/AuthIB with SP as the modifier) is not emulated, ELR is used as
 * it is. A guest that signs ELR_EL2 and returns with ERETAA/ERETAB would
 * resume at the signed, non-canonical address and fault there (Linux does
 * not use them).
 *
 * Illegal returns (D1.4.4.2, IllegalExceptionReturn, ELFromSPSR), for a
 * guest with EL0-EL2 all AArch64, no EL3, one (Non-secure) Security state:
 *   - M[4] = 1: AArch32 is not implemented (ELFromSPSR: no valid mode);
 *   - M[3:2] = EL3: not implemented for the guest;
 *   - M[1] = 1, or M[3:0] = 0b0001 (EL0 with SP_EL0 only);
 *   - a target above the current EL (EL2 from vEL1);
 *   - EL1 while the guest's HCR_EL2.TGE = 1;
 *   - register width: never (no AArch32 anywhere, HCR_EL2.RW is RAO/WI);
 *     Secure EL2, RME, GCS EXLOCK: not implemented for the guest.
 * Then PSTATE.IL = 1, PC = ELR, EL/nRW/SP unchanged; N, Z, C, V, D, A, I,
 * F, PAN and SS from the SPSR; the UNKNOWN UAO, DIT, SSBS keep their value,
 * the UNKNOWN BTYPE is 0. The guest then takes an Illegal Execution state
 * exception at vEL2, which the hardware delivers at real EL1 (VBAR_EL1 =
 * its VBAR_EL2, SPSR_EL1.M = EL2 under NV2, D8.14.6.3) without hypnest.
 *
 * Legal return: PSTATE = SPSR for every field a hypnest guest has (the
 * NV_PSR_ERET_KEEP bits: NZCV, DIT, UAO, PAN, SS, IL, SSBS, BTYPE, DAIF,
 * M); bits [63:32] and the TCO/ALLINT bits are dropped (MTE, NMI, EBEP,
 * SEBEP, GCS, PAuth_LR and UINJ are not offered to guests), so is M[4].
 *   - to vEL2 (M[3:2] = 0b10): the vEL2 context stays loaded, M becomes the
 *     real EL1h/EL1t (M[0] kept: SP_EL2 is live in SP_EL1, SP_EL0 is SP_EL0).
 *   - to vEL1/vEL0: nv_leave_vel2 after reading SPSR/ELR, M as is. Except
 *     to vEL0 with the guest's HCR_EL2.{E2H, TGE} = {1, 1}: its EL0 then
 *     runs in the EL2&0 regime, whose registers are the vEL2 context.
 * A return to vEL1, or to a vEL0 below it, while the guest's HCR_EL2.VM or
 * DC is 1 enters its own VM (L2): nv_el2_hw then runs it on the shadow of
 * the guest's stage 2 (nv/l2.c, docs/nested.md).
 *
 * The real ERET does the rest: PSTATE.SS by DebugExceptionReturnSS with the
 * real debug state (the guest's self-hosted debug is not emulated), the
 * tag/sign handling of the PC (AArch64.BranchAddr in the real regime), the
 * Event Register, the local exclusive monitor.
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/vcpu.h"

/* IllegalExceptionReturn(spsr) at virtual level cur_el */
static bool illegal_return(const struct vcpu *v, unsigned cur_el, uint64_t spsr)
{
	unsigned target = NV_PSR_EL(spsr);

	/* ELFromSPSR: valid? */
	if (spsr & NV_PSR_NRW)
		return true; /* AArch32: not implemented */
	if (target == 3)
		return true; /* EL3: not implemented */
	if (spsr & NV_PSR_M_1)
		return true;
	if (target == 0 && (spsr & NV_PSR_M_SP))
		return true;
	if (target > cur_el)
		return true;
	if (target == 1 && (vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_TGE))
		return true;
	return false;
}

/* does a return to vEL0 stay in the vEL2 register context */
static bool el0_in_host(const struct vcpu *v)
{
	return nv_vel2_host(v);
}

/* into its vEL1 context: its EL1 TLBIs issued untrapped while it ran with
 * {E2H, TGE} = {1, 1} (then TGE cleared in memory) may have missed the
 * vEL1 VMID: invalidate it first (nv/hcr.c, vel2_ttlb) */
static void enter_vel1(struct vcpu *v)
{
	if (v->nv.vel1_tlbi_unseen) {
		nv_tlbi_vel1_all(v);
		v->nv.vel1_tlbi_unseen = false;
	}
	nv_leave_vel2(v);
}

void nv_emulate_eret(struct vcpu *v)
{
	unsigned el = nv_vcpu_el(v);
	uint64_t cur = v->regs.pstate;
	uint64_t spsr, elr, pstate, from_spsr;

	if (el == 0)
		return; /* ERET is UNDEFINED at EL0 and never traps */
	/* the accessors first reload the context if E2H changed in memory */
	spsr =
	    vcpu_read_sys_reg(v, el == 2 ? SYSREG_SPSR_EL2 : SYSREG_SPSR_EL1);
	elr = vcpu_read_sys_reg(v, el == 2 ? SYSREG_ELR_EL2 : SYSREG_ELR_EL1);

	if (illegal_return(v, el, spsr)) {
		from_spsr = NV_PSR_NZCV | NV_PSR_DAIF | NV_PSR_PAN | NV_PSR_SS;
		pstate = (cur & ~(from_spsr | NV_PSR_BTYPE)) |
			 (spsr & from_spsr) | NV_PSR_IL;
		v->regs.pc = elr;
		v->regs.pstate = pstate;
		return;
	}

	pstate = spsr & NV_PSR_ERET_KEEP;
	switch (NV_PSR_EL(spsr)) {
	case 2:
		pstate &= ~NV_PSR_M_MASK;
		pstate |= (spsr & NV_PSR_M_SP) ? NV_PSR_M_EL1H : NV_PSR_M_EL1T;
		break;
	case 1:
		enter_vel1(v);
		break;
	default:
		if (!el0_in_host(v))
			enter_vel1(v);
		break;
	}
	v->regs.pc = elr;
	v->regs.pstate = pstate;
	/* the exit accounting: an episode ends if its level resumes */
	nv_episode_eret(v);
}
