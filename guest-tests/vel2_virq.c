/* A guest hypervisor at (virtual) EL2, HCR_EL2.E2H = 0, makes virtual
 * interrupts pending for its vEL1 with HCR_EL2.VI, VF and VSE (D1.4.6):
 *  1. VI with IMO = 1: the vEL1 payload sees ISR_EL1.I while it has IRQs
 *     masked, takes the IRQ at its own VBAR_EL1 + 0x280 (current EL, SP_EL1)
 *     once it unmasks them, and asks EL2 (HVC) to drop VI; nothing is taken
 *     to EL2 but that HVC. With IMO = 0 the virtual IRQ is disabled
 *     (R_BCXJB): ISR_EL1.I clear, nothing taken.
 *  2. VF with FMO = 1: the same with FIQs (ISR_EL1.F, + 0x300); FMO = 0:
 *     nothing.
 *  3. VSE with AMO = 1: ISR_EL1.A while masked, the SError taken at
 *     VBAR_EL1 + 0x380 with ESR_EL1.EC 0x2F once unmasked, and HCR_EL2.VSE
 *     reads 0 at EL2 afterwards (I_YPRNB: taking it clears VSE). AMO = 0:
 *     nothing, VSE stays 1.
 * Passes in full on bare QEMU (virtualization=on) and is meant to under
 * hypnest with guest.el2=nvhe. */
#include "payload.h"

#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_VF BIT(6)
#define HCR_VI BIT(7)
#define HCR_VSE BIT(8)

#define ISR_F BIT(6)
#define ISR_I BIT(7)
#define ISR_A BIT(8)

#define EC_SERROR 0x2f

#define HVC_ACK 0x13 /* the payload's handler: drop VI and VF */
#define SPIN_MS 200
#define QUIET_MS 20

enum kind { K_IRQ, K_FIQ, K_SERROR };

/* arrays, not pointers: no absolute addresses in data (README) */
static const char kind_name[][4] = { "VI", "VF", "VSE" };
/* per kind: the enable, the pending bit, ISR_EL1's bit, the vector taken
 * at EL1 (current EL with SP_ELx: 0x280, 0x300, 0x380, / 0x80) */
static const uint64_t enable_bit[] = { HCR_IMO, HCR_FMO, HCR_AMO };
static const uint64_t pend_bit[] = { HCR_VI, HCR_VF, HCR_VSE };
static const uint64_t isr_bit[] = { ISR_I, ISR_F, ISR_A };
static const unsigned el1_vector[] = { 5, 6, 7 };

/* what the payload (EL1) saw */
static volatile struct {
	uint64_t isr_masked;
	unsigned taken, vector, el, other;
	uint64_t esr;
	bool after;
} pay;
/* what EL2 saw */
static volatile unsigned acks, el2_other;
static volatile uint64_t el2_other_esr;

/* at EL1 (the payload's own vectors) and, unexpectedly, at EL2 */
static void async(unsigned vector, unsigned el, uint64_t esr)
{
	if (el != 1 || pay.taken) {
		pay.other++;
		return;
	}
	pay.taken++;
	pay.vector = vector;
	pay.el = el;
	pay.esr = esr;
	/* a level-sensitive VI/VF stays pending until its hypervisor drops
	 * it (I_QVCWH); taking a vSError cleared VSE */
	if (vector != el1_vector[K_SERROR])
		__asm__ volatile("hvc #" STR(HVC_ACK)::: "memory");
}

/* arg: enum kind. Reads ISR_EL1 with everything masked, unmasks the one
 * kind, waits for it (or SPIN_MS, QUIET_MS if none is expected) */
static __attribute__((noinline, noreturn)) void p_virt(uint64_t arg)
{
	uint64_t end;

	pay.isr_masked = read_sysreg(isr_el1);
	if (arg == K_IRQ)
		__asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
	else if (arg == K_FIQ)
		__asm__ volatile("msr daifclr, #1\n isb" ::: "memory");
	else
		__asm__ volatile("msr daifclr, #4\n isb" ::: "memory");
	end = now() +
	      ms_to_ticks(pay.isr_masked & isr_bit[arg] ? SPIN_MS : QUIET_MS);
	while (!pay.taken && now() < end)
		;
	__asm__ volatile("msr daifset, #0xf\n isb" ::: "memory");
	pay.after = true;
	payload_exit();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	(void)far;
	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_HVC64) {
		if (ISS(esr) == HVC_EXIT) {
			seen.exits++;
			return gt_lower_exit(f);
		}
		if (ISS(esr) == HVC_ACK) {
			acks++;
			write_sysreg(hcr_el2,
				     read_sysreg(hcr_el2) & ~(HCR_VI | HCR_VF));
			isb();
			return elr;
		}
	}
	el2_other++;
	el2_other_esr = esr;
	return gt_lower_exit(f);
}

/* run the payload for kind k at EL1 with HCR_EL2 = RW | hcr; true if it
 * got to its exit */
static bool run(enum kind k, uint64_t hcr, const char *name)
{
	uint64_t ret;

	pay.isr_masked = pay.esr = 0;
	pay.taken = pay.vector = pay.el = pay.other = 0;
	pay.after = false;
	seen_reset();
	acks = el2_other = 0;
	el2_other_esr = 0;
	write_sysreg(vbar_el1, (uintptr_t)gt_vectors);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	ret = run_payload(name, p_virt, k, SPSR_EL1H, HCR_RW | hcr);
	gt_check(ret == PAYLOAD_DONE && seen.exits == 1 && pay.after &&
		     !el2_other,
		 name,
		 "returned 0x%lx, exits %u, after %d, other exceptions to "
		 "EL2 %u (ESR 0x%lx)",
		 (unsigned long)ret, seen.exits, pay.after, el2_other,
		 (unsigned long)el2_other_esr);
	return ret == PAYLOAD_DONE;
}

static void test_pending(enum kind k)
{
	char name[128];
	uint64_t hcr;

	hyp_snprintf(name, sizeof(name), "%s, enabled: payload ran to its exit",
		     kind_name[k]);
	if (!run(k, enable_bit[k] | pend_bit[k], name))
		goto out;
	hcr = read_sysreg(hcr_el2);
	hyp_snprintf(name, sizeof(name),
		     "%s: ISR_EL1 shows it pending while masked at EL1",
		     kind_name[k]);
	gt_check(pay.isr_masked & isr_bit[k], name, "ISR_EL1 0x%lx",
		 (unsigned long)pay.isr_masked);
	hyp_snprintf(name, sizeof(name),
		     "%s: taken once at EL1, VBAR_EL1 + 0x%x, when unmasked",
		     kind_name[k], el1_vector[k] * 0x80);
	gt_check(pay.taken == 1 && pay.el == 1 && pay.vector == el1_vector[k] &&
		     !pay.other,
		 name, "taken %u at EL%u vector %u, other %u", pay.taken,
		 pay.el, pay.vector, pay.other);
	if (k == K_SERROR) {
		CHECK_EQ(EC(pay.esr), EC_SERROR, "VSE: ESR_EL1.EC is SError");
		gt_printf("note: VSE: ESR_EL1 0x%lx\n", (unsigned long)pay.esr);
		CHECK_EQ(hcr & HCR_VSE, 0,
			 "VSE: taking the virtual SError cleared HCR_EL2.VSE");
	} else {
		hyp_snprintf(name, sizeof(name),
			     "%s: the handler's HVC reached EL2, once",
			     kind_name[k]);
		CHECK_EQ(acks, 1, name);
	}
out:
	hcr_set(HCR_RW);
}

/* the pending bit without its enable: the virtual exception is disabled */
static void test_disabled(enum kind k)
{
	char name[128];
	uint64_t hcr;

	hyp_snprintf(name, sizeof(name),
		     "%s, not enabled: payload ran to its exit", kind_name[k]);
	if (!run(k, pend_bit[k], name))
		goto out;
	hcr = read_sysreg(hcr_el2);
	hyp_snprintf(name, sizeof(name),
		     "%s without its enable: not pending, not taken",
		     kind_name[k]);
	gt_check(!(pay.isr_masked & isr_bit[k]) && !pay.taken && !pay.other,
		 name, "ISR_EL1 0x%lx, taken %u, other %u",
		 (unsigned long)pay.isr_masked, pay.taken, pay.other);
	hyp_snprintf(name, sizeof(name), "%s without its enable: still 1",
		     kind_name[k]);
	CHECK_EQ(hcr & pend_bit[k], pend_bit[k], name);
out:
	hcr_set(HCR_RW);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	el2_start(HCR_RW, lower);
	gt_set_async_handler(async);
	for (unsigned k = K_IRQ; k <= K_SERROR; k++) {
		test_pending((enum kind)k);
		test_disabled((enum kind)k);
	}
	gt_set_async_handler(NULL);
	gt_set_lower_handler(NULL);
	gt_done();
}
