/*
 * The arch interface of nv/ on the hardware: the live EL1 registers. hypnest
 * runs at EL2 with HCR_EL2.E2H = 0, so every _EL1/_EL0 name below reaches
 * the real EL1/EL0 register (no FEAT_VHE redirection). Not built for the
 * host: harness/unit/fake_sysregs.c stands in for it there.
 */
#include "arch/sysreg.h"
#include "hyp/nv.h"

uint64_t nv_arch_read_el1(enum nv_el1_reg r)
{
	switch (r) {
	case NV_EL1_SCTLR:
		return read_sysreg(sctlr_el1);
	case NV_EL1_CPACR:
		return read_sysreg(cpacr_el1);
	case NV_EL1_TTBR0:
		return read_sysreg(ttbr0_el1);
	case NV_EL1_TTBR1:
		return read_sysreg(ttbr1_el1);
	case NV_EL1_TCR:
		return read_sysreg(tcr_el1);
	case NV_EL1_ESR:
		return read_sysreg(esr_el1);
	case NV_EL1_FAR:
		return read_sysreg(far_el1);
	case NV_EL1_AFSR0:
		return read_sysreg(afsr0_el1);
	case NV_EL1_AFSR1:
		return read_sysreg(afsr1_el1);
	case NV_EL1_MAIR:
		return read_sysreg(mair_el1);
	case NV_EL1_AMAIR:
		return read_sysreg(amair_el1);
	case NV_EL1_VBAR:
		return read_sysreg(vbar_el1);
	case NV_EL1_CONTEXTIDR:
		return read_sysreg(contextidr_el1);
	case NV_EL1_ELR:
		return read_sysreg(elr_el1);
	case NV_EL1_SPSR:
		return read_sysreg(spsr_el1);
	case NV_EL1_SP_EL1:
		return read_sysreg(sp_el1);
	case NV_EL1_CNTKCTL:
		return read_sysreg(cntkctl_el1);
	case NV_EL1_CNTP_CTL:
		return read_sysreg(cntp_ctl_el0);
	case NV_EL1_CNTP_CVAL:
		return read_sysreg(cntp_cval_el0);
	case NV_EL1_CNTV_CTL:
		return read_sysreg(cntv_ctl_el0);
	case NV_EL1_CNTV_CVAL:
		return read_sysreg(cntv_cval_el0);
	case NV_EL1_PAR:
		return read_sysreg(par_el1);
	case NV_EL1_TPIDR_EL1:
		return read_sysreg(tpidr_el1);
	case NV_EL1_TPIDR_EL0:
		return read_sysreg(tpidr_el0);
	case NV_EL1_TPIDRRO_EL0:
		return read_sysreg(tpidrro_el0);
	case NV_EL1_CSSELR:
		return read_sysreg(csselr_el1);
	case NV_EL1_SP_EL0:
		return read_sysreg(sp_el0);
	default:
		return 0;
	}
}

void nv_arch_write_el1(enum nv_el1_reg r, uint64_t val)
{
	switch (r) {
	case NV_EL1_SCTLR:
		write_sysreg(sctlr_el1, val);
		break;
	case NV_EL1_CPACR:
		write_sysreg(cpacr_el1, val);
		break;
	case NV_EL1_TTBR0:
		write_sysreg(ttbr0_el1, val);
		break;
	case NV_EL1_TTBR1:
		write_sysreg(ttbr1_el1, val);
		break;
	case NV_EL1_TCR:
		write_sysreg(tcr_el1, val);
		break;
	case NV_EL1_ESR:
		write_sysreg(esr_el1, val);
		break;
	case NV_EL1_FAR:
		write_sysreg(far_el1, val);
		break;
	case NV_EL1_AFSR0:
		write_sysreg(afsr0_el1, val);
		break;
	case NV_EL1_AFSR1:
		write_sysreg(afsr1_el1, val);
		break;
	case NV_EL1_MAIR:
		write_sysreg(mair_el1, val);
		break;
	case NV_EL1_AMAIR:
		write_sysreg(amair_el1, val);
		break;
	case NV_EL1_VBAR:
		write_sysreg(vbar_el1, val);
		break;
	case NV_EL1_CONTEXTIDR:
		write_sysreg(contextidr_el1, val);
		break;
	case NV_EL1_ELR:
		write_sysreg(elr_el1, val);
		break;
	case NV_EL1_SPSR:
		write_sysreg(spsr_el1, val);
		break;
	case NV_EL1_SP_EL1:
		write_sysreg(sp_el1, val);
		break;
	case NV_EL1_CNTKCTL:
		write_sysreg(cntkctl_el1, val);
		break;
	case NV_EL1_CNTP_CTL:
		write_sysreg(cntp_ctl_el0, val);
		break;
	case NV_EL1_CNTP_CVAL:
		write_sysreg(cntp_cval_el0, val);
		break;
	case NV_EL1_CNTV_CTL:
		write_sysreg(cntv_ctl_el0, val);
		break;
	case NV_EL1_CNTV_CVAL:
		write_sysreg(cntv_cval_el0, val);
		break;
	case NV_EL1_PAR:
		write_sysreg(par_el1, val);
		break;
	case NV_EL1_TPIDR_EL1:
		write_sysreg(tpidr_el1, val);
		break;
	case NV_EL1_TPIDR_EL0:
		write_sysreg(tpidr_el0, val);
		break;
	case NV_EL1_TPIDRRO_EL0:
		write_sysreg(tpidrro_el0, val);
		break;
	case NV_EL1_CSSELR:
		write_sysreg(csselr_el1, val);
		break;
	case NV_EL1_SP_EL0:
		write_sysreg(sp_el0, val);
		break;
	default:
		break;
	}
}

uint64_t nv_arch_read_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}
