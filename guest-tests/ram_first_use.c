/* Guest RAM is zeroed at its first use (vm/guest_ram.c), on every path by
 * which hypnest reaches a block of it before the guest has: a guest
 * hypervisor at (virtual) EL2, E2H = 0, under the test build's
 * test=dirty-ram (all free RAM filled with 0xa5 before the guest is
 * built; harness/test_guest.py::test_ram_first_use) and at bare QEMU's
 * EL2, where each check passes alike:
 *  1. its L2 (its EL1 under its stage 2, HCR_EL2.VM = 1) reads a block the
 *     guest hypervisor never touched, mapped there by its stage 2 from
 *     another IPA: zero (hypnest's shadow stage 2 of L2, nv/l2.c l1_s2);
 *  2. its stage-2 root table in a block it never touched: every entry
 *     invalid, so L2's first instruction fetch is a stage-2 Translation
 *     fault at level 1 taken to it, EC 0x20 (hypnest's walk of its
 *     tables, nv/at.c nv_l1_read);
 *  3. AT S12E1R with the root in another such block: PAR_EL1 reports a
 *     stage-2 (S = 1) Translation fault at level 1 (nv/at.c's walk);
 *  4. its own first read of a block: zero (hypnest's stage-2 fault).
 * Without the zeroing, the 0xa5 bytes would read back in 1 and 4 and be
 * walked as a level-1 block descriptor in 2 and 3. */
#include "payload.h"
#include "stage2.h"

#define HCR_VM BIT(0)
#define EC_IABT_LOW 0x20
#define FSC_TRANS_L1 0x05

/* blocks of the guest's RAM (256 MiB at 0x40000000 under hypnest, 1 GiB
 * on bare QEMU) that nothing touches before its check */
#define IPA_X 0x4c000000UL  /* 1: L2 reads here ... */
#define PA_Y 0x4c200000UL   /* ... which its stage 2 maps to here */
#define ROOT_2 0x4c400000UL /* 2: the stage-2 root */
#define ROOT_3 0x4c600000UL /* 3: the stage-2 root */
#define PA_4 0x4c800000UL   /* 4 */

/* case 1's stage 2: lib/stage2.h's identity, IPA X moved to PA Y */
#define VMID 1UL

/* PAR_EL1 after a fault (D24.2.122): F[0], FST[6:1], PTW[8], S[9] */
#define PAR_FAULT_BITS 0x37fUL
#define PAR_S2_TRANS_L1 (1UL | (FSC_TRANS_L1 << 1) | BIT(9))

static volatile uint64_t l2_read;

/* L2: what it reads at IPA X, to the guest hypervisor's RAM (identity) */
static __attribute__((noinline, noreturn)) void p_read(uint64_t arg)
{
	(void)arg;
	l2_read = *(volatile uint64_t *)IPA_X;
	dsb_sy();
	payload_exit();
}

/* a fault L2 cannot get past (case 2): recorded, the run ended */
static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	if (seen_record(vector, esr, far, elr, f))
		return gt_lower_exit(f);
	return give_up(f);
}

static void stage2_on(uint64_t root)
{
	dsb_sy();
	write_sysreg(vtcr_el2, VTCR);
	write_sysreg(vttbr_el2, (VMID << 48) | root);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
}

static uint64_t run_l2(void)
{
	uint64_t ret;

	seen_reset();
	write_sysreg(vbar_el1, (uintptr_t)gt_vectors);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1); /* its stage 1 off */
	ret = run_payload("L2", p_read, 0, SPSR_EL1H, HCR_RW | HCR_VM);
	hcr_set(HCR_RW);
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
	return ret;
}

/* 1: identity but for IPA X, which maps PA Y */
static void case_shadow(void)
{
	uint64_t ret;

	s2_identity();
	s2_l2[(IPA_X - 0x40000000UL) >> 21] = PA_Y | S2_BLOCK;
	stage2_on((uintptr_t)s2_l1);
	l2_read = 0x5a5a5a5a5a5a5a5aUL;
	ret = run_l2();
	gt_check(ret == PAYLOAD_DONE && seen.exits == 1 && l2_read == 0,
		 "1: L2 reads zero from a block never touched before",
		 "returned 0x%lx, exits %u, %u exceptions (ESR 0x%lx), read "
		 "0x%lx",
		 (unsigned long)ret, seen.exits, seen.n,
		 (unsigned long)seen.rec[0].esr, (unsigned long)l2_read);
}

/* 2: the root never written */
static void case_root(void)
{
	uint64_t ret, esr;

	stage2_on(ROOT_2);
	ret = run_l2();
	esr = seen.rec[0].esr;
	gt_check(ret == GAVE_UP && seen.n == 1 && EC(esr) == EC_IABT_LOW &&
		     (esr & 0x3f) == FSC_TRANS_L1 &&
		     seen.rec[0].elr == (uintptr_t)p_read,
		 "2: a stage-2 root never written is all invalid: L2's first "
		 "fetch faults at level 1",
		 "returned 0x%lx, %u exceptions, ESR 0x%lx ELR 0x%lx",
		 (unsigned long)ret, seen.n, (unsigned long)esr,
		 (unsigned long)seen.rec[0].elr);
}

/* 3: AT S12E1R through a root never written */
static void case_at(void)
{
	uint64_t par;

	stage2_on(ROOT_3);
	hcr_set(HCR_RW | HCR_VM);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	isb();
	__asm__ volatile("at s12e1r, %0\n isb" ::"r"(IPA_X) : "memory");
	par = read_sysreg(par_el1);
	hcr_set(HCR_RW);
	gt_check((par & PAR_FAULT_BITS) == PAR_S2_TRANS_L1,
		 "3: AT S12E1R through a root never written: a stage-2 "
		 "translation fault at level 1",
		 "PAR_EL1 0x%lx", (unsigned long)par);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	uint64_t nonzero = 0;

	(void)dtb;
	el2_start(HCR_RW, lower);
	case_shadow();
	case_root();
	case_at();
	for (uint64_t a = PA_4; a < PA_4 + (2UL << 20); a += 8)
		nonzero |= *(volatile uint64_t *)a;
	CHECK_EQ(nonzero, 0, "4: a block never touched reads zero");
	gt_set_lower_handler(NULL);
	gt_done();
}
