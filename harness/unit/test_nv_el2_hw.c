/* nv/el2_hw.c: the real EL2 registers behind a guest at virtual EL2 for
 * its level, and the traps its own CNTHCTL/CPTR/MDCR_EL2 cause at vEL1.
 * Bit positions are written out from the Arm ARM: CNTHCTL_EL2 D24.10.2,
 * CPTR_EL2 D24.2.38, MDCR_EL2 D24.3.17, VMPIDR_EL2 D24.2.219, ESR_EL2
 * D24.2.46; the CNTVOFF_EL2 rules from D24.10.28 and D12.2.4.1. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/el2_hw.h"
#include "hyp/vm.h"
#include "unit.h"

static struct vcpu v;
static struct vm vm;

#define VTTBR_VEL1 0x0001000040001000UL
#define VTTBR_VEL2 0x0002000040001000UL
#define OFF 0x123456UL
#define VBAR2 0x40080000UL

/* hypnest's base values: what an EL1 guest runs with */
static const struct el2_hw base = {
	.hcr = 0x3ul,
	.vttbr = VTTBR_VEL1,
	.cntvoff = 0,
	.cnthctl = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN,
	.vpidr = 0x410fd0c0,
	.vmpidr = BIT(31) | 1,
	.cptr = 0x33ff,
	.mdcr = MDCR_TPM | MDCR_TPMCR | 4,
};

static void setup(bool e2h, bool vel2)
{
	memset(&v, 0, sizeof(v));
	memset(&vm, 0, sizeof(vm));
	memset(fake_el1, 0, sizeof(fake_el1));
	vm.vttbr = VTTBR_VEL1;
	vm.vttbr_vel2 = VTTBR_VEL2;
	v.vm = &vm;
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = e2h ? NV_HCR_E2H : 0;
	vcpu_vncr(&v, VNCR_CNTVOFF_EL2) = OFF;
	vcpu_vncr(&v, VNCR_VPIDR_EL2) = 0x4a1ff123;
	vcpu_vncr(&v, VNCR_VMPIDR_EL2) = 0x0203;
	v.regs.pstate = 0x3c5; /* EL1h */
	if (vel2)
		nv_enter_vel2(&v);
}

static struct el2_hw hw_now(bool ecv)
{
	struct el2_hw hw = base;

	nv_el2_hw(&v, &hw, ecv);
	return hw;
}

/* Defect: E2H flipped without a trap. Under NV2 the guest's HCR_EL2 write
 * lands in the VNCR page; nv_el2_hw runs before every entry and relays
 * its live registers out for the new E2H before NV1 drops, so what it
 * then writes through the _EL1 names (its EL2 registers with E2H = 1) is
 * kept by the next trapped access. */
TEST(e2h_flip_in_memory_relaid_at_entry)
{
	/* TCR_EL2 with E2H = 1: T0SZ 25, T1SZ 25, TG1 4KB; CPTR_EL2 FPEN */
	uint64_t tcr = 25 | (25UL << 16) | (2UL << 30), cpacr = 3UL << 20;

	setup(false, true);
	vcpu_write_sys_reg(&v, SYSREG_TCR_EL2, 24);
	vcpu_vncr(&v, VNCR_HCR_EL2) = NV_HCR_E2H; /* no trap */
	(void)hw_now(true);			  /* an exit, then entry */
	CHECK(v.nv.loaded_e2h);
	fake_el1[NV_EL1_TCR] = tcr; /* MSR TCR_EL1: untrapped, NV1 = 0 */
	fake_el1[NV_EL1_CPACR] = cpacr;
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_TCR_EL2), tcr);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_CPTR_EL2) & (3UL << 20), cpacr);
	CHECK_EQ(fake_el1[NV_EL1_TCR], tcr);
	CHECK_EQ(fake_el1[NV_EL1_CPACR], cpacr);
	/* and back to E2H = 0, found the same way */
	vcpu_vncr(&v, VNCR_HCR_EL2) = 0;
	(void)hw_now(true);
	CHECK(!v.nv.loaded_e2h);
	CHECK_EQ(fake_el1[NV_EL1_TCR], nv_tcr_el2_to_el1(tcr));
}

/* CNTVOFF_EL2: the guest's at vEL1 and at vEL2 with E2H = 0 (EL2 reads
 * CNTVCT_EL0 with the offset then), 0 at vEL2 with E2H = 1 and in the
 * EL2&0 regime */
TEST(cntvoff_by_level)
{
	setup(false, false);
	CHECK_EQ(hw_now(true).cntvoff, OFF);
	setup(true, false);
	CHECK_EQ(hw_now(true).cntvoff, OFF);
	setup(false, true);
	CHECK_EQ(hw_now(true).cntvoff, OFF);
	setup(true, true);
	CHECK_EQ(hw_now(true).cntvoff, 0);
	/* vEL0 with E2H = TGE = 1: the vEL2 context stays loaded */
	vcpu_vncr(&v, VNCR_HCR_EL2) = NV_HCR_E2H | NV_HCR_TGE;
	v.regs.pstate = 0;
	CHECK_EQ(hw_now(true).cntvoff, 0);
}

/* MIDR_EL1/MPIDR_EL1 at EL1 read VPIDR/VMPIDR_EL2: the guest's at vEL1
 * (VMPIDR bit 31 RES1), hypnest's at vEL2; VTTBR: one VMID per context */
TEST(ids_and_vmid_by_level)
{
	struct el2_hw hw;

	setup(false, false);
	hw = hw_now(false);
	CHECK_EQ(hw.vpidr, 0x4a1ff123);
	CHECK_EQ(hw.vmpidr, BIT(31) | 0x0203);
	CHECK_EQ(hw.vttbr, VTTBR_VEL1);
	vcpu_vncr(&v, VNCR_VMPIDR_EL2) = ~0UL; /* RES0 bits not written */
	CHECK_EQ(hw_now(false).vmpidr, 0xffc1ffffffUL);
	setup(true, true);
	hw = hw_now(false);
	CHECK_EQ(hw.vpidr, base.vpidr);
	CHECK_EQ(hw.vmpidr, base.vmpidr);
	CHECK_EQ(hw.vttbr, VTTBR_VEL2);
}

/* the guest's traps for its vEL1 in hypnest's registers (E2H = 0 layout),
 * for both layouts of the guest's; none at vEL2 */
TEST(vel1_traps_composed)
{
	struct el2_hw hw;

	/* E2H = 0: CNTHCTL EL1PCTEN/EL1PCEN clear, CPTR TFP, TCPAC, MDCR
	 * TDA */
	setup(false, false);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, 0);
	vcpu_write_sys_reg(&v, SYSREG_CPTR_EL2, BIT(10) | BIT(31));
	vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, MDCR_TDA);
	hw = hw_now(false);
	CHECK_EQ(hw.cnthctl, 0);
	CHECK_EQ(hw.cptr, 0x33ffUL | CPTR_TFP | CPTR_TCPAC);
	CHECK_EQ(hw.mdcr, base.mdcr | MDCR_TDA);
	/* the same guest values at vEL2: hypnest's own */
	nv_enter_vel2(&v);
	hw = hw_now(false);
	CHECK_EQ(hw.cnthctl, base.cnthctl);
	CHECK_EQ(hw.cptr, base.cptr);
	CHECK_EQ(hw.mdcr, base.mdcr);
	/* E2H = 1: EL1PCTEN 10, EL1PTEN 11; bits 0/1 (EL0*) do not count */
	setup(true, false);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, BIT(0) | BIT(1) | BIT(11));
	CHECK_EQ(hw_now(false).cnthctl, CNTHCTL_EL1PCEN);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, BIT(10) | BIT(11));
	CHECK_EQ(hw_now(false).cnthctl, base.cnthctl);
	/* FPEN: 0b00 and 0b10 trap EL1, 0b01 (TGE = 0) and 0b11 do not */
	for (uint64_t fpen = 0; fpen < 4; fpen++) {
		vcpu_write_sys_reg(&v, SYSREG_CPTR_EL2, fpen << 20);
		CHECK_EQ(hw_now(false).cptr & CPTR_TFP,
			 (fpen & 1) ? 0 : CPTR_TFP);
	}
	/* TDE: TDA, TDOSA, TDRA act as 1 (TDE itself is not applied) */
	vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, MDCR_TDE);
	CHECK_EQ(hw_now(false).mdcr,
		 base.mdcr | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA);
}

/* the guest's EL2 event stream at every level; EL1TVT at vEL2 with
 * E2H = 0 only, and only with FEAT_ECV */
TEST(event_stream_and_el1tvt)
{
	uint64_t evnt = BIT(2) | BIT(3) | (5UL << 4);

	setup(false, false);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, 3 | evnt | BIT(17));
	CHECK_EQ(hw_now(true).cnthctl, base.cnthctl | evnt);
	nv_enter_vel2(&v);
	CHECK_EQ(hw_now(true).cnthctl, base.cnthctl | evnt | CNTHCTL_EL1TVT);
	CHECK_EQ(hw_now(false).cnthctl, base.cnthctl | evnt);
	setup(true, true);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, evnt);
	CHECK_EQ(hw_now(true).cnthctl, base.cnthctl | evnt);
}

/* ESR_EL2 values (D24.2.46): EC 0x18 ISS Op0[21:20] Op2[19:17]
 * Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0]; EC 0x07 from
 * AArch64: CV 1, COND 0b1110 */
#define ESR_SYS(op0, op1, crn, crm, op2, rd)                                   \
	((0x18UL << 26) | BIT(25) | ((uint64_t)(op0) << 20) |                  \
	 ((uint64_t)(op2) << 17) | ((uint64_t)(op1) << 14) |                   \
	 ((uint64_t)(crn) << 10) | (3UL << 5) | ((uint64_t)(crm) << 1) | (rd))
#define ESR_FP ((0x07UL << 26) | BIT(25) | 0x1e00000UL)

static void at_vel1(bool e2h)
{
	setup(e2h, false);
	vcpu_write_sys_reg(&v, SYSREG_VBAR_EL2, VBAR2);
	v.regs.pc = 0x40201000;
}

static void check_forwarded(uint64_t esr)
{
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ESR_EL2), esr);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ELR_EL2), 0x40201000UL);
}

static const struct {
	uint32_t ctl;
	uint64_t traps0, traps1, clear0, clear1; /* E2H = 0, 1 */
	uint64_t esr;
} fwd_cases[] = {
	/* CNTPCT_EL0; CNTP_CTL/CVAL/TVAL_EL0 (not CNTPCTSS_EL0: FEAT_ECV is
	 * hidden from guests, so for its vEL1 it is UNDEFINED, not trapped) */
	{ SYSREG_CNTHCTL_EL2, 0, 0, BIT(0), BIT(10),
	  ESR_SYS(3, 3, 14, 0, 1, 1) },
	{ SYSREG_CNTHCTL_EL2, 0, 0, BIT(1), BIT(11),
	  ESR_SYS(3, 3, 14, 2, 1, 0) },
	{ SYSREG_CNTHCTL_EL2, 0, 0, BIT(1), BIT(11),
	  ESR_SYS(3, 3, 14, 2, 2, 1) },
	{ SYSREG_CNTHCTL_EL2, 0, 0, BIT(1), BIT(11),
	  ESR_SYS(3, 3, 14, 2, 0, 1) },
	/* FP; CPACR_EL1 */
	{ SYSREG_CPTR_EL2, BIT(10), 2UL << 20, 0, 3UL << 20, ESR_FP },
	{ SYSREG_CPTR_EL2, BIT(31), BIT(31), 0, 0, ESR_SYS(3, 0, 1, 0, 2, 1) },
	/* MDSCR_EL1, DBGBVR3_EL1, DBGCLAIMSET_EL1, MDCCSR_EL0 (TDA); OSLSR,
	 * OSLAR (TDOSA); MDRAR (TDRA); each also by TDE */
	{ SYSREG_MDCR_EL2, MDCR_TDA, MDCR_TDA, 0, 0,
	  ESR_SYS(2, 0, 0, 2, 2, 1) },
	{ SYSREG_MDCR_EL2, MDCR_TDA, MDCR_TDE, 0, 0,
	  ESR_SYS(2, 0, 0, 3, 4, 0) },
	{ SYSREG_MDCR_EL2, MDCR_TDE, MDCR_TDA, 0, 0,
	  ESR_SYS(2, 0, 7, 8, 6, 0) },
	{ SYSREG_MDCR_EL2, MDCR_TDA, MDCR_TDA, 0, 0,
	  ESR_SYS(2, 3, 0, 1, 0, 1) },
	{ SYSREG_MDCR_EL2, MDCR_TDOSA, MDCR_TDE, MDCR_TDA, MDCR_TDA,
	  ESR_SYS(2, 0, 1, 1, 4, 1) },
	{ SYSREG_MDCR_EL2, MDCR_TDOSA, MDCR_TDOSA, MDCR_TDRA, MDCR_TDRA,
	  ESR_SYS(2, 0, 1, 0, 4, 0) },
	{ SYSREG_MDCR_EL2, MDCR_TDRA, MDCR_TDE, MDCR_TDOSA, MDCR_TDOSA,
	  ESR_SYS(2, 0, 1, 0, 0, 1) },
};

/* a vEL1 trap its control asks for goes to its vEL2, same syndrome, ELR
 * at the instruction; with the control clear it is hypnest's */
TEST(vel1_traps_forwarded)
{
	for (unsigned i = 0; i < ARRAY_SIZE(fwd_cases); i++)
		for (int e2h = 0; e2h < 2; e2h++) {
			at_vel1(e2h);
			vcpu_write_sys_reg(&v, fwd_cases[i].ctl,
					   e2h ? fwd_cases[i].traps1
					       : fwd_cases[i].traps0);
			CHECKF(nv_forward(&v, fwd_cases[i].esr),
			       "case %u e2h %d", i, e2h);
			check_forwarded(fwd_cases[i].esr);
			at_vel1(e2h);
			vcpu_write_sys_reg(&v, fwd_cases[i].ctl,
					   e2h ? fwd_cases[i].clear1
					       : fwd_cases[i].clear0);
			CHECK(!nv_forward(&v, fwd_cases[i].esr));
			CHECK(!v.nv.in_vel2);
		}
}

/* never at vEL2 (its own accesses), never for other registers */
TEST(vel2_and_other_registers_not_forwarded)
{
	setup(false, true);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, 0);
	vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, MDCR_TDA | MDCR_TDE);
	CHECK(!nv_forward(&v, ESR_SYS(3, 3, 14, 0, 1, 1)));
	CHECK(!nv_forward(&v, ESR_SYS(2, 0, 0, 2, 2, 1)));
	at_vel1(false);
	vcpu_write_sys_reg(&v, SYSREG_CNTHCTL_EL2, 0);
	vcpu_write_sys_reg(&v, SYSREG_MDCR_EL2, MDCR_TDA | MDCR_TDE);
	/* CNTVCT_EL0, CNTV_CTL_EL0: not CNTHCTL's EL1PCTEN/EL1PCEN */
	CHECK(!nv_forward(&v, ESR_SYS(3, 3, 14, 0, 2, 1)));
	CHECK(!nv_forward(&v, ESR_SYS(3, 3, 14, 3, 1, 1)));
	/* trace (op0 2, op1 1): TTA's, trace hidden */
	CHECK(!nv_forward(&v, ESR_SYS(2, 1, 0, 2, 0, 1)));
	CHECK(!v.nv.in_vel2);
}
