/* nv/eret.c and nv/exception.c: the emulated ERET of a guest hypervisor and
 * exception entry into vEL2, on the fake EL1 registers. Every expected
 * value is written out by hand from the Arm ARM (DDI 0487 M.a.a): vector
 * offsets D1.4.1.6, exception entry D1.4.2 and AArch64.TakeException,
 * exception return D1.4.4 and AArch64.ExceptionReturn /
 * IllegalExceptionReturn / SetPSTATEFromPSR, SPSR layout C5.2.21. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

/* the vEL1 context, live in the EL1 registers while at vEL1 */
#define ELR1 0x0000ffff00001110UL
#define SPSR1 0x3c0UL
#define ESR1 0x96000001UL
#define FAR1 0x0000ffff0000fa10UL
#define VBAR1 0xffff800010000000UL
/* the guest hypervisor's EL2 registers */
#define VBAR2 0x40080000UL
#define ELR2 0x40001234UL
#define SPSR2 0x3c9UL

/* HCR_EL2 bits (D24.2.62) and ESR values (D24.2.46) */
#define E2H BIT(34)
#define TGE BIT(27)
#define HCD BIT(29)
#define TSC BIT(19)
#define ESR_HVC_1234 0x5a001234UL /* EC 0x16, IL, imm16 0x1234 */
#define ESR_SMC_0 0x5e000000UL	  /* EC 0x17, IL */
#define ESR_UNDEF 0x02000000UL	  /* EC 0x00, IL */
#define ESR_DABT 0x92000046UL	  /* EC 0x24, IL, WnR, level 2 translation */
#define ESR_SERROR 0xbe000000UL	  /* EC 0x2f, IL */

enum vlevel { AT_VEL2H, AT_VEL2T, AT_VEL1H, AT_VEL1T, AT_VEL0, AT_VEL0_HOST };

static void setup(uint64_t hcr)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	nv_reset(&v, true);
	vcpu_vncr(&v, VNCR_HCR_EL2) = hcr;
	fake_el1[NV_EL1_ELR] = ELR1;
	fake_el1[NV_EL1_SPSR] = SPSR1;
	fake_el1[NV_EL1_ESR] = ESR1;
	fake_el1[NV_EL1_FAR] = FAR1;
	fake_el1[NV_EL1_VBAR] = VBAR1;
	/* at vEL1 the EL2 registers are their stored copies */
	vcpu_write_sys_reg(&v, SYSREG_VBAR_EL2, VBAR2);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, ELR2);
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, SPSR2);
}

/* put the vCPU at a level; real PSTATE with the given extra bits */
static void put(enum vlevel l, uint64_t bits)
{
	static const uint64_t mode[] = { 0x5, 0x4, 0x5, 0x4, 0x0, 0x0 };

	if (l == AT_VEL2H || l == AT_VEL2T || l == AT_VEL0_HOST)
		nv_enter_vel2(&v);
	v.regs.pstate = mode[l] | bits;
	v.regs.pc = 0x40201000;
}

/* the guest's view at vEL2, through the trapped-access path */
static uint64_t guest_rd(uint32_t enc)
{
	uint64_t val = 0xdead;

	CHECK_EQ(nv_sysreg_access(&v, enc, false, &val), NV_ACCESS_DONE);
	return val;
}

static void set_eret(uint64_t spsr, uint64_t elr)
{
	vcpu_write_sys_reg(&v, SYSREG_SPSR_EL2, spsr);
	vcpu_write_sys_reg(&v, SYSREG_ELR_EL2, elr);
}

TEST(level_and_guest_pstate)
{
	setup(0);
	put(AT_VEL1H, 0);
	CHECK_EQ(nv_vcpu_el(&v), 1);
	CHECK_EQ(nv_guest_pstate(&v), 0x5);
	put(AT_VEL0, BIT(31));
	CHECK_EQ(nv_vcpu_el(&v), 0);
	CHECK_EQ(nv_guest_pstate(&v), BIT(31));
	put(AT_VEL2H, 0x3c0);
	CHECK_EQ(nv_vcpu_el(&v), 2);
	CHECK_EQ(nv_guest_pstate(&v), 0x3c9);
	put(AT_VEL2T, BIT(22));
	CHECK_EQ(nv_guest_pstate(&v), BIT(22) | 0x8);
	v.regs.pstate = 0x0; /* EL0 with the vEL2 context (EL2&0 host) */
	CHECK_EQ(nv_vcpu_el(&v), 0);
	CHECK_EQ(nv_guest_pstate(&v), 0x0);
}

/* D1.4.1.6: every source level x exception type, the SPSR M the guest
 * hypervisor finds, for both E2H */
TEST(vector_offsets_and_spsr_mode)
{
	static const struct {
		enum vlevel from;
		uint64_t hcr;
		uint64_t off[4]; /* sync, IRQ, FIQ, SError */
		uint64_t spsr_m;
	} cases[] = {
		{ AT_VEL2H, 0, { 0x200, 0x280, 0x300, 0x380 }, 0x9 },
		{ AT_VEL2T, 0, { 0x000, 0x080, 0x100, 0x180 }, 0x8 },
		{ AT_VEL1H, 0, { 0x400, 0x480, 0x500, 0x580 }, 0x5 },
		{ AT_VEL1T, 0, { 0x400, 0x480, 0x500, 0x580 }, 0x4 },
		{ AT_VEL0, 0, { 0x400, 0x480, 0x500, 0x580 }, 0x0 },
		{ AT_VEL2H, E2H, { 0x200, 0x280, 0x300, 0x380 }, 0x9 },
		{ AT_VEL2T, E2H, { 0x000, 0x080, 0x100, 0x180 }, 0x8 },
		{ AT_VEL1H, E2H, { 0x400, 0x480, 0x500, 0x580 }, 0x5 },
		{ AT_VEL1T, E2H, { 0x400, 0x480, 0x500, 0x580 }, 0x4 },
		{ AT_VEL0, E2H, { 0x400, 0x480, 0x500, 0x580 }, 0x0 },
		{ AT_VEL0_HOST,
		  E2H | TGE,
		  { 0x400, 0x480, 0x500, 0x580 },
		  0x0 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		for (unsigned t = 0; t < 4; t++) {
			setup(cases[i].hcr);
			put(cases[i].from, BIT(30) | BIT(7)); /* Z, I */
			switch (t) {
			case 0:
				nv_inject_sync(&v, ESR_DABT, 0x1000, true, 0);
				break;
			case 1:
				nv_inject_irq(&v);
				break;
			case 2:
				nv_inject_fiq(&v);
				break;
			default:
				nv_inject_serror(&v, ESR_SERROR);
				break;
			}
			CHECKF(v.regs.pc == VBAR2 + cases[i].off[t],
			       "case %u type %u: pc 0x%lx", i, t, v.regs.pc);
			CHECKF(v.nv.in_vel2, "case %u type %u", i, t);
			CHECKF(nv_vcpu_el(&v) == 2, "case %u type %u", i, t);
			/* EL2h is the real EL1h, D A I F set, Z kept; PAN
			 * set for E2H = TGE = 1 with SCTLR_EL2.SPAN = 0 */
			CHECKF(
			    v.regs.pstate ==
				(BIT(30) | 0x3c5 |
				 (cases[i].hcr == (E2H | TGE) ? BIT(22) : 0)),
			    "case %u type %u: pstate 0x%lx", i, t,
			    v.regs.pstate);
			CHECKF(guest_rd(SYSREG_SPSR_EL2) ==
				   (BIT(30) | BIT(7) | cases[i].spsr_m),
			       "case %u type %u", i, t);
			CHECKF(guest_rd(SYSREG_ELR_EL2) == 0x40201000,
			       "case %u type %u", i, t);
		}
	}
}

/* IRQ and FIQ leave ESR_EL2 alone; sync and SError write it */
TEST(syndrome_registers_by_type)
{
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		vcpu_write_sys_reg(&v, SYSREG_ESR_EL2, 0x77);
		vcpu_write_sys_reg(&v, SYSREG_FAR_EL2, 0x88);
		vcpu_write_sys_reg(&v, SYSREG_HPFAR_EL2, 0x99);
		put(AT_VEL1H, 0);
		nv_inject_irq(&v);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), 0x77);
		nv_inject_fiq(&v);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), 0x77);
		nv_inject_sync(&v, ESR_HVC_1234, 0xabc, false, 0xdef);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_HVC_1234);
		CHECK_EQ(guest_rd(SYSREG_FAR_EL2), 0x88);
		CHECK_EQ(guest_rd(SYSREG_HPFAR_EL2), 0x99);
		nv_inject_sync(&v, ESR_DABT, 0xabc, true, 0xdef0);
		CHECK_EQ(guest_rd(SYSREG_FAR_EL2), 0xabc);
		CHECK_EQ(guest_rd(SYSREG_HPFAR_EL2), 0xdef0);
		nv_inject_serror(&v, ESR_SERROR);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_SERROR);
		CHECK_EQ(guest_rd(SYSREG_FAR_EL2), 0xabc);
	}
}

/* from vEL1: the vEL1 ELR/SPSR/ESR/FAR/VBAR go to their VNCR slots, the
 * exception's values are live where the guest at vEL2 reads its EL2
 * registers (NV2 redirects ELR/SPSR/ESR/FAR_EL2 to the EL1 ones) */
TEST(inject_from_vel1_swaps_and_lands_live)
{
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		put(AT_VEL1H, BIT(29)); /* C */
		nv_inject_sync(&v, ESR_DABT, 0x12345000, true, 0x4560);
		CHECK(v.nv.in_vel2);
		CHECK_EQ(v.nv.loaded_e2h, e2h);
		/* the vEL1 context, saved */
		CHECK_EQ(vcpu_vncr(&v, VNCR_ELR_EL1), ELR1);
		CHECK_EQ(vcpu_vncr(&v, VNCR_SPSR_EL1), SPSR1);
		CHECK_EQ(vcpu_vncr(&v, VNCR_ESR_EL1), ESR1);
		CHECK_EQ(vcpu_vncr(&v, VNCR_FAR_EL1), FAR1);
		CHECK_EQ(vcpu_vncr(&v, VNCR_VBAR_EL1), VBAR1);
		/* the live registers: the guest's EL2 ones */
		CHECK_EQ(fake_el1[NV_EL1_ELR], 0x40201000);
		CHECK_EQ(fake_el1[NV_EL1_SPSR], BIT(29) | 0x5);
		CHECK_EQ(fake_el1[NV_EL1_ESR], ESR_DABT);
		CHECK_EQ(fake_el1[NV_EL1_FAR], 0x12345000);
		CHECK_EQ(fake_el1[NV_EL1_VBAR], VBAR2);
		/* and the stored copies agree */
		CHECK_EQ(v.nv.regs[NV_SLOT_ELR_EL2], 0x40201000);
		CHECK_EQ(v.nv.regs[NV_SLOT_ESR_EL2], ESR_DABT);
		CHECK_EQ(v.nv.regs[NV_SLOT_HPFAR_EL2], 0x4560);
		/* what the guest's handler reads */
		CHECK_EQ(guest_rd(SYSREG_ELR_EL2), 0x40201000);
		CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), BIT(29) | 0x5);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_DABT);
		CHECK_EQ(guest_rd(SYSREG_FAR_EL2), 0x12345000);
		CHECK_EQ(guest_rd(SYSREG_HPFAR_EL2), 0x4560);
		CHECK_EQ(guest_rd(SYSREG_VBAR_EL2), VBAR2);
		if (e2h) {
			/* VHE: _EL1 names are the EL2 registers, _EL12 the
			 * vEL1 ones */
			CHECK_EQ(guest_rd(SYSREG_ELR_EL1), 0x40201000);
			CHECK_EQ(guest_rd(SYSREG_ESR_EL1), ESR_DABT);
			CHECK_EQ(guest_rd(SYSREG_ELR_EL12), ELR1);
			CHECK_EQ(guest_rd(SYSREG_SPSR_EL12), SPSR1);
			CHECK_EQ(guest_rd(SYSREG_FAR_EL12), FAR1);
		} else {
			CHECK_EQ(guest_rd(SYSREG_ELR_EL1), ELR1);
			CHECK_EQ(guest_rd(SYSREG_SPSR_EL1), SPSR1);
			CHECK_EQ(guest_rd(SYSREG_ESR_EL1), ESR1);
			CHECK_EQ(guest_rd(SYSREG_VBAR_EL1), VBAR1);
		}
	}
}

/* from vEL2: no switch, the VNCR slots untouched, the live ELR/SPSR/ESR
 * overwritten (as the hardware would for an EL1 -> EL1 exception) */
TEST(inject_from_vel2_stays)
{
	uint64_t page[VNCR_PAGE_SIZE / 8];

	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		put(AT_VEL2H, 0x3c0);
		memcpy(page, v.vncr, sizeof(page));
		nv_inject_sync(&v, ESR_HVC_1234, 0, false, 0);
		CHECK(!memcmp(page, v.vncr, sizeof(page)));
		CHECK(v.nv.in_vel2);
		CHECK_EQ(v.regs.pc, VBAR2 + 0x200);
		CHECK_EQ(fake_el1[NV_EL1_ELR], 0x40201000);
		CHECK_EQ(fake_el1[NV_EL1_SPSR], 0x3c9);
		CHECK_EQ(fake_el1[NV_EL1_ESR], ESR_HVC_1234);
		CHECK_EQ(fake_el1[NV_EL1_VBAR], VBAR2);
	}
}

/* a nested guest's EL0 (vCPU at real EL0, vEL1 context loaded) and the
 * guest hypervisor's own EL0 under E2H = TGE = 1 (vEL2 context loaded) */
TEST(inject_from_vel0)
{
	setup(0);
	put(AT_VEL0, 0);
	nv_inject_sync(&v, ESR_UNDEF, 0, false, 0);
	CHECK(v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ELR_EL1), ELR1);
	CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), 0x0);

	setup(E2H | TGE);
	put(AT_VEL0_HOST, 0);
	vcpu_vncr(&v, VNCR_ELR_EL1) = 0x5555; /* its ELR_EL12 */
	nv_inject_irq(&v);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x480);
	CHECK_EQ(vcpu_vncr(&v, VNCR_ELR_EL1), 0x5555); /* no switch */
	CHECK_EQ(fake_el1[NV_EL1_ELR], 0x40201000);
	CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), 0x0);
}

/* D1.4.2 R_WTXBY and AArch64.TakeException: the PSTATE after entry */
TEST(entry_pstate_fields)
{
	/* everything set before: N Z C V, TCO, DIT, UAO, PAN, SS, IL,
	 * ALLINT, SSBS, BTYPE, D A I F (not all meaningful together) */
	uint64_t all = 0xf0000000UL | BIT(25) | BIT(24) | BIT(23) | BIT(22) |
		       BIT(21) | BIT(20) | BIT(13) | BIT(12) | (3UL << 10) |
		       0x3c0;

	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		put(AT_VEL1H, all);
		nv_inject_sync(&v, ESR_UNDEF, 0, false, 0);
		/* kept: NZCV, DIT, PAN (SPAN does not apply without TGE);
		 * SSBS = SCTLR_EL2.DSSBS = 0; the rest cleared */
		CHECK_EQ(v.regs.pstate,
			 0xf0000000UL | BIT(24) | BIT(22) | 0x3c5);
		CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), all | 0x5);
	}
	/* SSBS from SCTLR_EL2.DSSBS (bit 44), both layouts */
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		vcpu_write_sys_reg(&v, SYSREG_SCTLR_EL2, BIT(44));
		put(AT_VEL1H, 0);
		nv_inject_irq(&v);
		CHECK_EQ(v.regs.pstate, BIT(12) | 0x3c5);
		put(AT_VEL2H, 0);
		nv_inject_irq(&v);
		CHECK_EQ(v.regs.pstate, BIT(12) | 0x3c5);
	}
}

/* PAN is set only for EL2 with HCR_EL2.{E2H, TGE} = {1, 1} and
 * SCTLR_EL2.SPAN = 0; otherwise it keeps its value */
TEST(entry_pan)
{
	static const struct {
		uint64_t hcr, sctlr, pan_before, pan_after;
	} cases[] = {
		{ E2H | TGE, 0, 0, BIT(22) },
		{ E2H | TGE, 0, BIT(22), BIT(22) },
		{ E2H | TGE, BIT(23), 0, 0 },
		{ E2H | TGE, BIT(23), BIT(22), BIT(22) },
		{ E2H, 0, 0, 0 },
		{ E2H, 0, BIT(22), BIT(22) },
		{ TGE, 0, 0, 0 },
		{ 0, 0, 0, 0 },
		{ 0, 0, BIT(22), BIT(22) },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		for (unsigned from = 0; from < 2; from++) {
			setup(cases[i].hcr);
			vcpu_write_sys_reg(&v, SYSREG_SCTLR_EL2,
					   cases[i].sctlr);
			/* from vEL2, or from below: the host EL0 under
			 * E2H = TGE = 1, else vEL1 */
			if (from)
				put(AT_VEL2H, cases[i].pan_before);
			else if (cases[i].hcr == (E2H | TGE))
				put(AT_VEL0_HOST, cases[i].pan_before);
			else
				put(AT_VEL1H, cases[i].pan_before);
			nv_inject_sync(&v, ESR_UNDEF, 0, false, 0);
			CHECKF((v.regs.pstate & BIT(22)) == cases[i].pan_after,
			       "case %u from %u", i, from);
		}
	}
}

/* VBAR_EL2 bits [10:0] are RES0: PC = VBAR_EL2<63:11>:offset<10:0> */
TEST(vbar_low_bits_ignored)
{
	setup(0);
	vcpu_write_sys_reg(&v, SYSREG_VBAR_EL2, VBAR2 | 0x7ff);
	put(AT_VEL1H, 0);
	nv_inject_fiq(&v);
	CHECK_EQ(v.regs.pc, VBAR2 + 0x500);
}

/* ERET to vEL2: EL2h/EL2t become the real EL1h/EL1t; nothing switched */
TEST(eret_to_vel2_stays)
{
	static const struct {
		uint64_t spsr, pstate;
	} cases[] = {
		{ 0x3c9, 0x3c5 },
		{ 0x3c8, 0x3c4 },
		{ 0x9, 0x5 },
		{ 0x8, 0x4 },
		{ BIT(31) | BIT(22) | 0x149, BIT(31) | BIT(22) | 0x145 },
	};

	for (unsigned e2h = 0; e2h < 2; e2h++) {
		for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
			uint64_t page[VNCR_PAGE_SIZE / 8];
			uint64_t live[NV_EL1_NR];
			unsigned writes;

			setup(e2h ? E2H : 0);
			put(i & 1 ? AT_VEL2T : AT_VEL2H, 0x3c0);
			set_eret(cases[i].spsr, 0x40300000);
			memcpy(page, v.vncr, sizeof(page));
			memcpy(live, fake_el1, sizeof(live));
			writes = fake_el1_writes;
			nv_emulate_eret(&v);
			CHECKF(v.regs.pc == 0x40300000, "%u %u", e2h, i);
			CHECKF(v.regs.pstate == cases[i].pstate, "%u %u: 0x%lx",
			       e2h, i, v.regs.pstate);
			CHECKF(v.nv.in_vel2 && nv_vcpu_el(&v) == 2, "%u %u",
			       e2h, i);
			CHECKF(!memcmp(page, v.vncr, sizeof(page)), "%u %u",
			       e2h, i);
			CHECKF(!memcmp(live, fake_el1, sizeof(live)), "%u %u",
			       e2h, i);
			CHECKF(writes == fake_el1_writes, "%u %u", e2h, i);
		}
	}
}

/* the SPSR the hardware wrote for an exception the guest took at vEL2
 * (EL1 -> EL1 under NV2: M[3:2] = 0b10, D8.14.6.3), found live */
TEST(eret_with_hardware_spsr)
{
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		put(AT_VEL2H, 0x3c0);
		fake_el1[NV_EL1_SPSR] = 0x20000209; /* C, D, EL2h */
		fake_el1[NV_EL1_ELR] = 0x40400004;
		nv_emulate_eret(&v);
		CHECK_EQ(v.regs.pc, 0x40400004);
		CHECK_EQ(v.regs.pstate, 0x20000205);
		CHECK(v.nv.in_vel2);
	}
}

/* ERET to vEL1/vEL0: the vEL1 context comes back into the live registers;
 * the guest's EL2 registers are kept in their stored copies */
TEST(eret_to_vel1_switches)
{
	static const struct {
		uint64_t spsr, pstate;
	} cases[] = {
		{ 0x3c5, 0x3c5 },
		{ 0x3c4, 0x3c4 },
		{ 0x3c0, 0x3c0 },
		{ BIT(28) | BIT(21) | 0x5, BIT(28) | BIT(21) | 0x5 },
	};

	for (unsigned e2h = 0; e2h < 2; e2h++) {
		for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
			setup(e2h ? E2H : 0);
			put(AT_VEL2H, 0x3c0);
			fake_el1[NV_EL1_ESR] = 0x5a000000; /* hardware, vEL2 */
			set_eret(cases[i].spsr, 0x80001000);
			nv_emulate_eret(&v);
			CHECKF(v.regs.pc == 0x80001000, "%u %u", e2h, i);
			CHECKF(v.regs.pstate == cases[i].pstate, "%u %u: 0x%lx",
			       e2h, i, v.regs.pstate);
			CHECKF(!v.nv.in_vel2, "%u %u", e2h, i);
			CHECK_EQ(fake_el1[NV_EL1_ELR], ELR1);
			CHECK_EQ(fake_el1[NV_EL1_SPSR], SPSR1);
			CHECK_EQ(fake_el1[NV_EL1_ESR], ESR1);
			CHECK_EQ(fake_el1[NV_EL1_FAR], FAR1);
			CHECK_EQ(fake_el1[NV_EL1_VBAR], VBAR1);
			CHECK_EQ(v.nv.regs[NV_SLOT_SPSR_EL2], cases[i].spsr);
			CHECK_EQ(v.nv.regs[NV_SLOT_ELR_EL2], 0x80001000);
			CHECK_EQ(v.nv.regs[NV_SLOT_ESR_EL2], 0x5a000000);
			CHECK_EQ(v.nv.regs[NV_SLOT_VBAR_EL2], VBAR2);
		}
	}
}

/* ERET to EL0 under E2H = TGE = 1: EL0 runs in the EL2&0 regime, the vEL2
 * context stays; with only one of them the vEL1 context is loaded */
TEST(eret_to_vel0_host)
{
	static const struct {
		uint64_t hcr;
		bool stays;
	} cases[] = {
		{ E2H | TGE, true },
		{ E2H, false },
		{ TGE, false },
		{ 0, false },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup(cases[i].hcr);
		put(AT_VEL2H, 0x3c0);
		set_eret(0x0, 0x400000);
		nv_emulate_eret(&v);
		CHECKF(v.regs.pstate == 0x0 && v.regs.pc == 0x400000, "%u", i);
		CHECKF(v.nv.in_vel2 == cases[i].stays, "%u", i);
		CHECKF(nv_vcpu_el(&v) == 0, "%u", i);
		CHECKF(fake_el1[NV_EL1_VBAR] ==
			   (cases[i].stays ? VBAR2 : VBAR1),
		       "%u", i);
	}
}

/* SPSR fields (C5.2.21) a legal return takes, and those it drops */
TEST(eret_spsr_fields)
{
	uint64_t keep = 0xf0000000UL | BIT(24) | BIT(23) | BIT(22) | BIT(21) |
			BIT(20) | BIT(12) | (3UL << 10) | 0x3c0;
	uint64_t drop = (0x1fUL << 32) | BIT(27) | BIT(26) | BIT(25) |
			(0x3fUL << 14) | BIT(13) | BIT(5);

	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(e2h ? E2H : 0);
		put(AT_VEL2H, 0);
		set_eret(keep | drop | 0x9, 0x40000000);
		nv_emulate_eret(&v);
		CHECK_EQ(v.regs.pstate, keep | 0x5);
		setup(e2h ? E2H : 0);
		put(AT_VEL2H, 0);
		set_eret(keep | drop | 0x4, 0x40000000);
		nv_emulate_eret(&v);
		CHECK_EQ(v.regs.pstate, keep | 0x4);
	}
}

/* D1.4.4.2: each illegal return, at vEL2: PC = ELR, PSTATE.IL = 1, the
 * level and SP unchanged, NZCV/DAIF/PAN/SS from the SPSR, BTYPE 0, the
 * other UNKNOWN fields (UAO, DIT, SSBS) as they were; nothing switched */
TEST(eret_illegal_returns)
{
	static const struct {
		uint64_t hcr, m;
	} cases[] = {
		{ 0, 0xd },	    /* EL3h: EL3 not implemented */
		{ 0, 0xc },	    /* EL3t */
		{ 0, 0x10 },	    /* AArch32 User */
		{ 0, 0x13 },	    /* AArch32 Supervisor */
		{ 0, 0x1a },	    /* AArch32 Hyp */
		{ 0, 0x19 },	    /* M[4] with an AArch64 EL2h encoding */
		{ 0, 0x1 },	    /* EL0 with SP_EL0: M[3:0] = 0b0001 */
		{ 0, 0x2 },	    /* M[1] = 1 */
		{ 0, 0x3 },	    /* M[1] = 1 */
		{ 0, 0x6 },	    /* M[1] = 1, EL1 */
		{ 0, 0x7 },	    /* M[1] = 1, EL1 */
		{ 0, 0xa },	    /* M[1] = 1, EL2 */
		{ 0, 0xb },	    /* M[1] = 1, EL2 */
		{ TGE, 0x5 },	    /* EL1 with HCR_EL2.TGE = 1 */
		{ TGE, 0x4 },	    /* EL1t with HCR_EL2.TGE = 1 */
		{ E2H | TGE, 0x5 }, /* the same with E2H */
		{ E2H | TGE, 0x4 },
	};
	/* Z, PAN, SS, D, F set in the SPSR; C, UAO, DIT, SSBS, BTYPE, A, I
	 * in the PSTATE at the ERET */
	uint64_t spsr_bits = BIT(30) | BIT(22) | BIT(21) | BIT(9) | BIT(6);
	uint64_t cur_bits = BIT(29) | BIT(24) | BIT(23) | BIT(12) |
			    (2UL << 10) | BIT(8) | BIT(7);

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		for (unsigned sp = 0; sp < 2; sp++) {
			setup(cases[i].hcr);
			put(sp ? AT_VEL2H : AT_VEL2T, cur_bits);
			set_eret(spsr_bits | cases[i].m, 0x40500000);
			nv_emulate_eret(&v);
			CHECKF(v.regs.pc == 0x40500000, "case %u", i);
			CHECKF(v.regs.pstate ==
				   (BIT(30) | BIT(22) | BIT(21) | BIT(9) |
				    BIT(6) | BIT(24) | BIT(23) | BIT(12) |
				    BIT(20) | (sp ? 0x5 : 0x4)),
			       "case %u sp %u: 0x%lx", i, sp, v.regs.pstate);
			CHECKF(v.nv.in_vel2, "case %u", i);
			CHECKF(fake_el1[NV_EL1_VBAR] == VBAR2, "case %u", i);
		}
	}
}

/* the legal neighbours of the illegal cases */
TEST(eret_legal_edges)
{
	/* EL0 under TGE = 1 (E2H = 0: the vEL1 context, EL0 of EL1&0) */
	setup(TGE);
	put(AT_VEL2H, 0);
	set_eret(0x0, 0x1000);
	nv_emulate_eret(&v);
	CHECK(!(v.regs.pstate & BIT(20)));
	CHECK_EQ(v.regs.pstate, 0x0);
	/* EL2 with TGE = 1 */
	setup(E2H | TGE);
	put(AT_VEL2H, 0);
	set_eret(0x9, 0x1000);
	nv_emulate_eret(&v);
	CHECK_EQ(v.regs.pstate, 0x5);
	/* an IL already set in the SPSR is restored by a legal return */
	setup(0);
	put(AT_VEL2H, 0);
	set_eret(BIT(20) | 0x5, 0x1000);
	nv_emulate_eret(&v);
	CHECK_EQ(v.regs.pstate, BIT(20) | 0x5);
	CHECK(!v.nv.in_vel2);
}

/* at vEL1 (only if hypnest trapped an ERET there): the EL1 return, from
 * SPSR_EL1/ELR_EL1, no switch; a return to EL2 is illegal */
TEST(eret_at_vel1)
{
	setup(0);
	put(AT_VEL1H, 0);
	fake_el1[NV_EL1_SPSR] = 0x3c0;
	fake_el1[NV_EL1_ELR] = 0x2000;
	nv_emulate_eret(&v);
	CHECK_EQ(v.regs.pc, 0x2000);
	CHECK_EQ(v.regs.pstate, 0x3c0);
	CHECK(!v.nv.in_vel2);
	put(AT_VEL1H, 0);
	fake_el1[NV_EL1_SPSR] = 0x9;
	nv_emulate_eret(&v);
	CHECK_EQ(v.regs.pstate, BIT(20) | 0x5);
	CHECK(!v.nv.in_vel2);
	/* at EL0 ERET never traps: nothing happens */
	put(AT_VEL0, 0);
	nv_emulate_eret(&v);
	CHECK_EQ(v.regs.pc, 0x40201000);
	CHECK_EQ(v.regs.pstate, 0x0);
}

/* E2H written to the VNCR page at vEL2 (no trap under NV2): the ERET
 * finds the context reloaded in the new layout first */
TEST(eret_after_e2h_flip_in_memory)
{
	uint64_t tcr = BIT(31) | BIT(23) | (2UL << 16) | 24;

	setup(0);
	vcpu_write_sys_reg(&v, SYSREG_TCR_EL2, tcr);
	put(AT_VEL2H, 0);
	CHECK_EQ(fake_el1[NV_EL1_TCR], nv_tcr_el2_to_el1(tcr));
	set_eret(0x3c9, 0x40600000);
	vcpu_vncr(&v, VNCR_HCR_EL2) = E2H | TGE;
	nv_emulate_eret(&v);
	CHECK(v.nv.in_vel2 && v.nv.loaded_e2h);
	CHECK_EQ(fake_el1[NV_EL1_TCR], tcr);
	CHECK_EQ(v.regs.pc, 0x40600000);
	CHECK_EQ(v.regs.pstate, 0x3c5);
}

/* exception from vEL1 into vEL2 and the guest hypervisor's ERET back:
 * vEL1 resumes where it was, with its own registers */
TEST(round_trip_vel1_vel2_vel1)
{
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		uint64_t val;

		setup(e2h ? E2H : 0);
		put(AT_VEL1H, BIT(31) | 0x340);
		v.regs.pc = 0xffff800010203040UL; /* after its HVC */
		CHECK(nv_hvc_from_vel1(&v, ESR_HVC_1234));
		CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
		/* the handler: reads ESR, returns to ELR + 0 with the SPSR */
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_HVC_1234);
		val = 42; /* and writes x0 ... and something into ELR_EL2 */
		CHECK_EQ(nv_sysreg_access(&v, SYSREG_ELR_EL2, true, &val),
			 NV_ACCESS_DONE);
		val = 0xffff800010203040UL;
		CHECK_EQ(nv_sysreg_access(&v, SYSREG_ELR_EL2, true, &val),
			 NV_ACCESS_DONE);
		nv_emulate_eret(&v);
		CHECK(!v.nv.in_vel2);
		CHECK_EQ(v.regs.pc, 0xffff800010203040UL);
		CHECK_EQ(v.regs.pstate, BIT(31) | 0x345);
		CHECK_EQ(fake_el1[NV_EL1_ELR], ELR1);
		CHECK_EQ(fake_el1[NV_EL1_SPSR], SPSR1);
		CHECK_EQ(fake_el1[NV_EL1_ESR], ESR1);
		CHECK_EQ(fake_el1[NV_EL1_VBAR], VBAR1);
		/* the EL2 registers as the handler left them */
		CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_ESR_EL2), ESR_HVC_1234);
		CHECK_EQ(vcpu_read_sys_reg(&v, SYSREG_SPSR_EL2),
			 BIT(31) | 0x345);
	}
}

TEST(hvc)
{
	/* from vEL1: to vEL2 + 0x400, ELR = after the HVC, same ESR */
	setup(0);
	put(AT_VEL1H, 0);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC_1234));
	CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
	CHECK_EQ(guest_rd(SYSREG_ELR_EL2), 0x40201000);
	CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_HVC_1234);
	/* from vEL2: its own vector, current EL with SP_EL2 */
	setup(E2H);
	put(AT_VEL2H, 0);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC_1234));
	CHECK_EQ(v.regs.pc, VBAR2 + 0x200);
	CHECK_EQ(guest_rd(SYSREG_ELR_EL2), 0x40201000);
	CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), 0x9);
	/* HCD = 1 at vEL1: UNDEFINED at EL1, the caller's; nothing done */
	setup(HCD);
	put(AT_VEL1H, 0);
	CHECK(!nv_hvc_from_vel1(&v, ESR_HVC_1234));
	CHECK(!v.nv.in_vel2);
	CHECK_EQ(v.regs.pc, 0x40201000);
	CHECK_EQ(v.regs.pstate, 0x5);
	CHECK_EQ(fake_el1[NV_EL1_ELR], ELR1);
	/* HCD = 1 at vEL2: UNDEF to vEL2, ELR at the HVC itself */
	setup(HCD);
	put(AT_VEL2H, 0);
	CHECK(nv_hvc_from_vel1(&v, ESR_HVC_1234));
	CHECK_EQ(v.regs.pc, VBAR2 + 0x200);
	CHECK_EQ(guest_rd(SYSREG_ELR_EL2), 0x40201000 - 4);
	CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_UNDEF);
	/* not nested: not ours */
	setup(0);
	v.nv.enabled = false;
	put(AT_VEL1H, 0);
	CHECK(!nv_hvc_from_vel1(&v, ESR_HVC_1234));
	CHECK_EQ(v.regs.pc, 0x40201000);
}

TEST(smc)
{
	/* vEL1, TSC = 1: a trap to vEL2, ELR = the SMC itself */
	for (unsigned e2h = 0; e2h < 2; e2h++) {
		setup(TSC | (e2h ? E2H : 0));
		put(AT_VEL1H, 0);
		CHECK(nv_smc_from_vel1(&v, ESR_SMC_0));
		CHECK_EQ(v.regs.pc, VBAR2 + 0x400);
		CHECK_EQ(guest_rd(SYSREG_ELR_EL2), 0x40201000);
		CHECK_EQ(guest_rd(SYSREG_ESR_EL2), ESR_SMC_0);
		CHECK_EQ(guest_rd(SYSREG_SPSR_EL2), 0x5);
	}
	/* TSC = 0: the firmware's */
	setup(0);
	put(AT_VEL1H, 0);
	CHECK(!nv_smc_from_vel1(&v, ESR_SMC_0));
	CHECK_EQ(v.regs.pc, 0x40201000);
	CHECK(!v.nv.in_vel2);
	/* from vEL2 TSC does not apply: the firmware's */
	setup(TSC);
	put(AT_VEL2H, 0);
	CHECK(!nv_smc_from_vel1(&v, ESR_SMC_0));
	CHECK_EQ(v.regs.pc, 0x40201000);
}

/* ---- Exception entry into EL1: the same AArch64.TakeException with
 * target EL1 (vcpu_take_exception(v, 1, ...)), for a plain guest and for
 * the vEL1 of a guest hypervisor, with the _EL1 registers live. Expected
 * values from D1.4.1.6 (offsets), D1.4.2 R_WTXBY / I_RFWPH (PSTATE) ---- */

/* a plain guest (nested = false) or a guest hypervisor at vEL1, with
 * SCTLR_EL1 = sctlr */
static void setup_el1(bool nested, uint64_t sctlr)
{
	setup(0);
	if (!nested)
		nv_reset(&v, false);
	fake_el1[NV_EL1_SCTLR] = sctlr;
}

static void take_el1(uint64_t type, bool esr, bool far)
{
	struct exc_syndrome s = { esr, far, ESR_DABT, 0x12345000, 0x4560 };

	vcpu_take_exception(&v, 1, type, &s);
}

/* every source level x exception type: the offset from VBAR_EL1, SPSR_EL1
 * the PSTATE before, ELR_EL1 the return address; nothing of vEL2 moves */
TEST(el1_entry_vector_offsets)
{
	static const struct {
		enum vlevel from;
		uint64_t base;
	} from[] = { { AT_VEL1H, 0x200 },
		     { AT_VEL1T, 0x000 },
		     { AT_VEL0, 0x400 } };
	static const uint64_t types[] = { NV_VEC_SYNC, NV_VEC_IRQ, NV_VEC_FIQ,
					  NV_VEC_SERROR };
	uint64_t page[VNCR_PAGE_SIZE / 8];

	for (unsigned nested = 0; nested < 2; nested++)
		for (unsigned i = 0; i < ARRAY_SIZE(from); i++)
			for (unsigned t = 0; t < 4; t++) {
				setup_el1(nested, BIT(23));
				put(from[i].from, BIT(31) | BIT(7));
				memcpy(page, v.vncr, sizeof(page));
				take_el1(types[t], false, false);
				CHECKF(v.regs.pc ==
					   VBAR1 + from[i].base + types[t],
				       "%u %u %u: pc 0x%lx", nested, i, t,
				       v.regs.pc);
				CHECKF(fake_el1[NV_EL1_SPSR] ==
					   (BIT(31) | BIT(7) |
					    (from[i].from == AT_VEL1H	? 0x5
					     : from[i].from == AT_VEL1T ? 0x4
									: 0x0)),
				       "%u %u %u", nested, i, t);
				CHECKF(fake_el1[NV_EL1_ELR] == 0x40201000,
				       "%u %u %u", nested, i, t);
				CHECKF(v.regs.pstate == (BIT(31) | 0x3c5),
				       "%u %u %u: 0x%lx", nested, i, t,
				       v.regs.pstate);
				CHECKF(!v.nv.in_vel2 &&
					   !memcmp(page, v.vncr, sizeof(page)),
				       "%u %u %u", nested, i, t);
				CHECKF(
				    !nested ||
					(v.nv.regs[NV_SLOT_ELR_EL2] == ELR2 &&
					 v.nv.regs[NV_SLOT_SPSR_EL2] == SPSR2),
				    "%u %u %u", nested, i, t);
			}
	/* VBAR_EL1 bits [10:0] are RES0 */
	setup_el1(false, 0);
	fake_el1[NV_EL1_VBAR] = VBAR1 | 0x7ff;
	put(AT_VEL0, 0);
	take_el1(NV_VEC_FIQ, false, false);
	CHECK_EQ(v.regs.pc, VBAR1 + 0x500);
}

/* ESR_EL1 for sync and SError only, FAR_EL1 when given; no HPFAR */
TEST(el1_entry_syndrome)
{
	setup_el1(true, 0);
	put(AT_VEL1H, 0);
	take_el1(NV_VEC_IRQ, false, false);
	CHECK_EQ(fake_el1[NV_EL1_ESR], ESR1);
	CHECK_EQ(fake_el1[NV_EL1_FAR], FAR1);
	take_el1(NV_VEC_SYNC, true, false);
	CHECK_EQ(fake_el1[NV_EL1_ESR], ESR_DABT);
	CHECK_EQ(fake_el1[NV_EL1_FAR], FAR1);
	take_el1(NV_VEC_SYNC, true, true);
	CHECK_EQ(fake_el1[NV_EL1_FAR], 0x12345000);
	CHECK_EQ(v.nv.regs[NV_SLOT_HPFAR_EL2], 0);
	CHECK_EQ(v.nv.regs[NV_SLOT_ESR_EL2], 0);
}

/* D1.4.2 R_WTXBY with target EL1, field by field. Set before: N Z C V,
 * TCO, DIT, UAO, PAN, SS, IL, ALLINT, SSBS, BTYPE, D A I F */
TEST(el1_entry_pstate_fields)
{
	uint64_t all = 0xf0000000UL | BIT(25) | BIT(24) | BIT(23) | BIT(22) |
		       BIT(21) | BIT(20) | BIT(13) | BIT(12) | (3UL << 10) |
		       0x3c0;

	for (unsigned nested = 0; nested < 2; nested++) {
		/* SPAN = 1: PAN kept; DSSBS = 0: SSBS = 0; NZCV and DIT
		 * kept; UAO, SS, IL, BTYPE, TCO, ALLINT cleared */
		setup_el1(nested, BIT(23));
		put(AT_VEL1H, all);
		take_el1(NV_VEC_SYNC, true, false);
		CHECK_EQ(v.regs.pstate,
			 0xf0000000UL | BIT(24) | BIT(22) | 0x3c5);
		CHECK_EQ(fake_el1[NV_EL1_SPSR], all | 0x5);
		/* SPAN = 0: PAN set; DSSBS = 1: SSBS set */
		setup_el1(nested, BIT(44));
		put(AT_VEL0, BIT(28) | BIT(24));
		take_el1(NV_VEC_SYNC, true, false);
		CHECK_EQ(v.regs.pstate,
			 BIT(28) | BIT(24) | BIT(22) | BIT(12) | 0x3c5);
		/* SPAN = 1, PAN clear stays clear; DSSBS = 1 with SSBS set */
		setup_el1(nested, BIT(23) | BIT(44));
		put(AT_VEL1T, BIT(12));
		take_el1(NV_VEC_IRQ, false, false);
		CHECK_EQ(v.regs.pstate, BIT(12) | 0x3c5);
		/* SPAN = 0 with PAN already set, DSSBS = 0 with SSBS set */
		setup_el1(nested, 0);
		put(AT_VEL1H, BIT(22) | BIT(12));
		take_el1(NV_VEC_SERROR, true, false);
		CHECK_EQ(v.regs.pstate, BIT(22) | 0x3c5);
	}
}

/* vcpu/inject.c: where an UNDEF or abort of the guest's instruction goes
 * (AArch64.Undefined, AArch64.Abort: EL2 from EL2, and from EL0 with
 * HCR_EL2.TGE = 1; else EL1), with which ESR, through the same entry */
TEST(inject_routing)
{
	static const struct {
		bool nested;
		uint64_t hcr;
		enum vlevel from;
		unsigned target;
		uint64_t off;
	} cases[] = {
		{ false, 0, AT_VEL1H, 1, 0x200 },
		{ false, 0, AT_VEL1T, 1, 0x000 },
		{ false, 0, AT_VEL0, 1, 0x400 },
		{ true, 0, AT_VEL1H, 1, 0x200 },
		{ true, E2H, AT_VEL0, 1, 0x400 },
		{ true, 0, AT_VEL2H, 2, 0x200 },
		{ true, E2H, AT_VEL2T, 2, 0x000 },
		{ true, TGE, AT_VEL0, 2, 0x400 },
		{ true, E2H | TGE, AT_VEL0_HOST, 2, 0x400 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		for (unsigned kind = 0; kind < 3; kind++) {
			bool same;
			uint64_t esr, far = 0, vbar;

			setup(cases[i].hcr);
			if (!cases[i].nested)
				nv_reset(&v, false);
			fake_el1[NV_EL1_SCTLR] = BIT(23);
			put(cases[i].from, BIT(30));
			CHECKF(nv_sync_target_el(&v) == cases[i].target,
			       "case %u", i);
			same = nv_vcpu_el(&v) == cases[i].target;
			if (kind == 0) {
				inject_undef(&v);
				esr = ESR_UNDEF;
			} else if (kind == 1) {
				/* a store (WnR) with CM, S1PTW and ISV set
				 * in the exit: WnR and CM kept, no more */
				inject_abort(&v, false, 0xfa000,
					     0x93000000UL | BIT(8) | BIT(7) |
						 BIT(6) | 0x7);
				esr = (same ? 0x96000010UL : 0x92000010UL) |
				      BIT(8) | BIT(6);
				far = 0xfa000;
			} else {
				inject_abort(&v, true, 0xfb000,
					     0x82000000UL | BIT(7) | 0x7);
				esr = same ? 0x86000010UL : 0x82000010UL;
				far = 0xfb000;
			}
			CHECKF(v.stats.unhandled == 1, "case %u", i);
			vbar = cases[i].target == 2 ? VBAR2 : VBAR1;
			CHECKF(v.regs.pc == vbar + cases[i].off,
			       "case %u kind %u: pc 0x%lx", i, kind, v.regs.pc);
			CHECKF((v.regs.pstate & 0xf0000000UL) == BIT(30),
			       "case %u kind %u: NZCV kept", i, kind);
			CHECKF(v.nv.in_vel2 == (cases[i].target == 2),
			       "case %u", i);
			if (cases[i].target == 2) {
				CHECKF(guest_rd(SYSREG_ESR_EL2) == esr,
				       "case %u kind %u", i, kind);
				CHECKF(!far || guest_rd(SYSREG_FAR_EL2) == far,
				       "case %u kind %u", i, kind);
			} else {
				CHECKF(fake_el1[NV_EL1_ESR] == esr,
				       "case %u kind %u: ESR 0x%lx", i, kind,
				       fake_el1[NV_EL1_ESR]);
				CHECKF(!far || fake_el1[NV_EL1_FAR] == far,
				       "case %u kind %u", i, kind);
				CHECKF(fake_el1[NV_EL1_ELR] == 0x40201000,
				       "case %u", i);
			}
		}
	}
}
