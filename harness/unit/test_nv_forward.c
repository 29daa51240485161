/* nv/forward.c: which exits at vEL1 go to the guest's vEL2, by its
 * virtual HCR_EL2. ESR values and HCR_EL2 bit positions are written out
 * from the Arm ARM (D24.2.46 ESR_EL2, D24.2.62 HCR_EL2). */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

#define VBAR2 0x40080000UL
#define TWI BIT(13)
#define TWE BIT(14)
#define TID3 BIT(18)
#define TSC BIT(19)
#define TIDCP BIT(20)
#define TACR BIT(21)
#define TTLB BIT(25)
#define TVM BIT(26)
#define TRVM BIT(30)
#define IMO BIT(4)

#define ESR_WFI 0x06000000UL /* EC 0x01, IL, TI 0 */
#define ESR_WFE 0x06000001UL /* TI 1 */
/* EC 0x18, IL, ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5]
 * CRm[4:1] Direction[0] (1 = read) */
#define ESR_SYS(op0, op1, crn, crm, op2, rt, rd)                               \
	((0x18UL << 26) | (1UL << 25) | ((uint64_t)(op0) << 20) |              \
	 ((uint64_t)(op2) << 17) | ((uint64_t)(op1) << 14) |                   \
	 ((uint64_t)(crn) << 10) | ((uint64_t)(rt) << 5) |                     \
	 ((uint64_t)(crm) << 1) | (rd))
#define ESR_RD_PFR0 ESR_SYS(3, 0, 0, 4, 0, 3, 1)  /* ID_AA64PFR0_EL1 */
#define ESR_WR_SCTLR ESR_SYS(3, 0, 1, 0, 0, 3, 0) /* SCTLR_EL1 */
#define ESR_RD_SCTLR ESR_SYS(3, 0, 1, 0, 0, 3, 1)
#define ESR_WR_CTXID ESR_SYS(3, 0, 13, 0, 1, 3, 0) /* CONTEXTIDR_EL1 */
#define ESR_WR_TPIDR ESR_SYS(3, 0, 13, 0, 4, 3, 0) /* TPIDR_EL1: not VM */
#define ESR_RD_IMPDEF ESR_SYS(3, 0, 15, 0, 0, 3, 1)
#define ESR_RD_ACTLR ESR_SYS(3, 0, 1, 0, 1, 3, 1)
#define ESR_TLBI_VMALLE1 ESR_SYS(1, 0, 8, 7, 0, 31, 0)

static void at_vel1(uint64_t hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	vcpu_write_sys_reg(&v, SYSREG_VBAR_EL2, VBAR2);
	v.regs.pstate = 0x3c5; /* EL1h */
	v.regs.pc = 0x40201000;
}

/* forwarded: now at vEL2's "lower EL, AArch64, synchronous" vector, with
 * ESR_EL2 the exit's syndrome and ELR_EL2 the trapped instruction */
static void check_forwarded(uint64_t esr)
{
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ESR_EL2), esr);
	CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ELR_EL2), 0x40201000UL);
}

static void check_kept(void)
{
	CHECK(!v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, 0x40201000UL);
}

TEST(wfi_goes_to_vel2_only_with_twi)
{
	at_vel1(TWI);
	CHECK(nv_forward(&v, ESR_WFI));
	check_forwarded(ESR_WFI);
	at_vel1(TWE);
	CHECK(!nv_forward(&v, ESR_WFI));
	check_kept();
	at_vel1(0);
	CHECK(!nv_forward(&v, ESR_WFI));
}

TEST(wfe_goes_to_vel2_only_with_twe)
{
	at_vel1(TWE);
	CHECK(nv_forward(&v, ESR_WFE));
	check_forwarded(ESR_WFE);
	at_vel1(TWI);
	CHECK(!nv_forward(&v, ESR_WFE));
}

TEST(id_group3_reads_with_tid3)
{
	at_vel1(TID3);
	CHECK(nv_forward(&v, ESR_RD_PFR0));
	check_forwarded(ESR_RD_PFR0);
	at_vel1(0);
	CHECK(!nv_forward(&v, ESR_RD_PFR0));
}

TEST(vm_register_writes_with_tvm_reads_with_trvm)
{
	at_vel1(TVM);
	CHECK(nv_forward(&v, ESR_WR_SCTLR));
	at_vel1(TVM);
	CHECK(nv_forward(&v, ESR_WR_CTXID));
	at_vel1(TVM);
	CHECK(!nv_forward(&v, ESR_RD_SCTLR)); /* TVM: writes only */
	at_vel1(TVM);
	CHECK(!nv_forward(&v, ESR_WR_TPIDR)); /* not a VM register */
	at_vel1(TRVM);
	CHECK(nv_forward(&v, ESR_RD_SCTLR));
	at_vel1(TRVM);
	CHECK(!nv_forward(&v, ESR_WR_SCTLR));
}

TEST(impdef_actlr_tlbi)
{
	at_vel1(TIDCP);
	CHECK(nv_forward(&v, ESR_RD_IMPDEF));
	at_vel1(TACR);
	CHECK(nv_forward(&v, ESR_RD_ACTLR));
	at_vel1(TTLB);
	CHECK(nv_forward(&v, ESR_TLBI_VMALLE1));
	at_vel1(TVM | TRVM | TID3 | TWI | TWE | TACR | TIDCP);
	CHECK(!nv_forward(&v, ESR_TLBI_VMALLE1)); /* TTLB not set */
}

TEST(nothing_is_forwarded_at_vel2)
{
	at_vel1(~0UL & ~BIT(34));
	nv_enter_vel2(&v);
	CHECK(!nv_forward(&v, ESR_WFI));
	CHECK(!nv_forward(&v, ESR_RD_PFR0));
	CHECK_EQ(nv_forward_hcr_bits(&v), 0);
	CHECK(!nv_irq_to_vel2(&v));
}

TEST(real_hcr_carries_the_guests_trap_bits_at_vel1)
{
	at_vel1(TWI | TVM | IMO | BIT(0) | BIT(27));
	/* only trap controls: not VM, TGE or the routing bits */
	CHECK_EQ(nv_forward_hcr_bits(&v), TWI | TVM);
	at_vel1(TSC | TTLB | TRVM);
	CHECK_EQ(nv_forward_hcr_bits(&v), TSC | TTLB | TRVM);
}

TEST(interrupts_route_to_vel2_with_imo)
{
	at_vel1(IMO);
	CHECK(nv_irq_to_vel2(&v));
	at_vel1(0);
	CHECK(!nv_irq_to_vel2(&v));
}

TEST(not_nested_nothing_happens)
{
	at_vel1(TWI);
	v.nv.enabled = false;
	CHECK(!nv_forward(&v, ESR_WFI));
	CHECK_EQ(nv_forward_hcr_bits(&v), 0);
}
