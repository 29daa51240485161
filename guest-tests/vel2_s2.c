/* A guest hypervisor at (virtual) EL2, HCR_EL2.E2H = 0, gives its vEL1 a
 * stage 2 (HCR_EL2.VM = 1, VTTBR_EL2, VTCR_EL2) that maps IPA X to PA Y
 * and identity elsewhere, and enters it; the vEL1 payload writes a
 * marker at X. Its stage 2 must be honoured, as the architecture has it
 * (bare QEMU; hypnest runs it on a shadow stage 2, nv/l2.c): the marker
 * is at PA Y, X is untouched -- never its stage 2 ignored and its own
 * memory at PA X overwritten, nor the ERET refused (an Illegal Execution
 * state exception at its EL2, EC 0x0E, which it reports). The test prints
 * "note: stage 2 honoured", which harness/test_guest_vel2.py expects both
 * on bare QEMU and under hypnest. Then the same payload with VM = 0
 * writes at X itself. */
#include "payload.h"
#include "stage2.h"

#define HCR_VM BIT(0)
#define EC_ILLEGAL 0x0e
#define REFUSED 0x5efUL

/* inside the guest's RAM under hypnest (256 MiB at 0x40000000) and on
 * bare QEMU; 2 MiB blocks */
#define IPA_X 0x4c000000UL
#define PA_Y 0x4c200000UL
#define OLD_X 0x0101010101010101UL
#define OLD_Y 0x0202020202020202UL
#define MARKER 0x5eed5eed00c0ffeeUL
#define MARKER2 0x5eed5eed0000beefUL

/* its stage 2: lib/stage2.h's identity, IPA X moved to PA Y */
#define VMID 1UL

/* what EL2 saw besides the exits (seen.exits) */
static volatile struct {
	unsigned illegal, other;
	uint64_t esr, elr, spsr;
} saw;

static __attribute__((noinline, noreturn)) void p_write(uint64_t val)
{
	*(volatile uint64_t *)IPA_X = val;
	dsb_sy();
	payload_exit();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	if (!seen_record(vector, esr, far, elr, f))
		saw.other++;
	return gt_lower_exit(f);
}

/* EL2's own synchronous exceptions: the Illegal Execution state one a
 * refused ERET leads to (at the entry point, still at EL2) */
static uint64_t at_el2(uint64_t vector, uint64_t esr, uint64_t far,
		       uint64_t elr, struct gt_frame *f)
{
	(void)vector, (void)far;
	saw.esr = esr;
	saw.elr = elr;
	saw.spsr = f->spsr;
	if (EC(esr) == EC_ILLEGAL)
		saw.illegal++;
	else
		saw.other++;
	f->x[0] = REFUSED;
	return gt_lower_exit(f); /* back in gt_run_lower, PSTATE.IL clear */
}

static void stage2_setup(void)
{
	s2_identity();
	s2_l2[(IPA_X - 0x40000000UL) >> 21] = PA_Y | S2_BLOCK;
	dsb_sy();
	write_sysreg(vtcr_el2, VTCR);
	write_sysreg(vttbr_el2, (VMID << 48) | (uintptr_t)s2_l1);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
}

static uint64_t run(uint64_t hcr, uint64_t val)
{
	uint64_t ret;

	seen_reset();
	saw.illegal = saw.other = 0;
	saw.esr = saw.elr = saw.spsr = 0;
	write_sysreg(vbar_el1, (uintptr_t)gt_vectors);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	ret = run_payload("stage 2 payload", p_write, val, SPSR_EL1H,
			  HCR_RW | hcr);
	hcr_set(HCR_RW);
	__asm__ volatile("tlbi vmalls12e1\n dsb sy\n isb" ::: "memory");
	return ret;
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	volatile uint64_t *x = (volatile uint64_t *)IPA_X;
	volatile uint64_t *y = (volatile uint64_t *)PA_Y;
	uint64_t ret, vx, vy;
	bool honoured, refused;

	(void)dtb;
	el2_start(HCR_RW, lower);
	gt_set_el2_handler(at_el2);
	*x = OLD_X;
	*y = OLD_Y;
	dsb_sy();
	stage2_setup();
	ret = run(HCR_VM, MARKER);
	vx = *x;
	vy = *y;
	honoured = ret == PAYLOAD_DONE && seen.exits == 1 && !saw.other &&
		   !saw.illegal && vy == MARKER && vx == OLD_X;
	refused = ret == REFUSED && saw.illegal == 1 && !seen.exits &&
		  !saw.other && saw.elr == (uintptr_t)p_write &&
		  (saw.spsr & BIT(20)) && (saw.spsr & 0xf) == 0x9 &&
		  vx == OLD_X && vy == OLD_Y;
	gt_check(honoured,
		 "VM = 1: its stage 2 honoured (PA Y written, not PA X), the "
		 "ERET not refused",
		 "returned 0x%lx, exits %u, illegal %u, other %u, ESR 0x%lx "
		 "ELR 0x%lx SPSR 0x%lx; PA X 0x%lx, PA Y 0x%lx",
		 (unsigned long)ret, seen.exits, saw.illegal, saw.other,
		 (unsigned long)saw.esr, (unsigned long)saw.elr,
		 (unsigned long)saw.spsr, (unsigned long)vx, (unsigned long)vy);
	if (honoured)
		gt_printf("note: stage 2 honoured\n");
	if (refused)
		gt_printf("note: stage 2 refused\n");
	CHECK_EQ(vx, OLD_X, "VM = 1: the guest hypervisor's PA X unchanged");

	ret = run(0, MARKER2);
	gt_check(ret == PAYLOAD_DONE && seen.exits == 1 && !saw.other &&
		     !saw.illegal && *x == MARKER2,
		 "VM = 0 afterwards: the payload runs and writes PA X",
		 "returned 0x%lx, exits %u, other %u, illegal %u, PA X 0x%lx",
		 (unsigned long)ret, seen.exits, saw.other, saw.illegal,
		 (unsigned long)*x);
	gt_set_el2_handler(NULL);
	gt_set_lower_handler(NULL);
	gt_done();
}
