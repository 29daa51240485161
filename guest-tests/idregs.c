/* The ID registers as a guest reads them. Every register of the ID space
 * (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7, the ones HCR_EL2.TID3 traps) is
 * printed as "idreg <CRm> <op2> 0x<value>" together with "idreg-el <n>";
 * harness/test_id_regs.py checks those values against the Arm ARM's rules
 * and, under hypnest, against its policy (docs/id-regs.md). Checked here:
 *  1. a second read of each register gives the same value;
 *  2. at EL2 only: a payload at EL1 (HCR_EL2.TID3 clear, so nothing of the
 *     guest hypervisor's traps it) reads the same values as EL2: the ID
 *     registers are the PE's, whatever EL reads them.
 * Runs at EL1 and at (virtual) EL2 under hypnest, and at the real EL2 of
 * bare QEMU, where the values are QEMU's model of the hardware. */
#include "gic.h"

#define HCR_RW (1UL << 31)
#define SCTLR_EL1_RES1 0x30d00800UL
#define SPSR_EL1H 0x3c5UL /* DAIF masked */
#define EC_HVC64 0x16
#define HVC_EXIT 0x1d
#define PAYLOAD_DONE 0x600dUL
#define NREGS (7 * 8)

/* (CRm - 1) * 8 + op2 */
#define RD(crm, op2)                                                           \
	v[(crm - 1) * 8 + op2] = read_sysreg(s3_0_c0_c##crm##_##op2)
#define RDS(crm)                                                               \
	do {                                                                   \
		RD(crm, 0);                                                    \
		RD(crm, 1);                                                    \
		RD(crm, 2);                                                    \
		RD(crm, 3);                                                    \
		RD(crm, 4);                                                    \
		RD(crm, 5);                                                    \
		RD(crm, 6);                                                    \
		RD(crm, 7);                                                    \
	} while (0)

static void read_all(volatile uint64_t *v)
{
	RDS(1);
	RDS(2);
	RDS(3);
	RDS(4);
	RDS(5);
	RDS(6);
	RDS(7);
}

static uint64_t first[NREGS], again[NREGS];
static volatile uint64_t at_el1[NREGS];
static uint64_t payload_stack[512] __attribute__((aligned(16)));
extern char gt_vectors[];

static __attribute__((noinline, noreturn)) void payload_exit(void)
{
	register uint64_t x0 __asm__("x0") = PAYLOAD_DONE;

	__asm__ volatile("hvc #0x1d" : "+r"(x0)::"memory");
	for (;;)
		;
}

static __attribute__((noreturn)) void payload(uint64_t arg)
{
	(void)arg;
	read_all(at_el1);
	payload_exit();
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	(void)vector, (void)far, (void)elr;
	if (((esr >> 26) & 0x3f) == EC_HVC64 && (esr & 0xffff) == HVC_EXIT)
		return gt_lower_exit(f);
	/* anything else: the payload failed; report it and stop */
	gt_check(false, "payload at EL1", "exception ESR 0x%lx at 0x%lx",
		 (unsigned long)esr, (unsigned long)elr);
	gt_done();
}

static unsigned differ(const volatile uint64_t *a, const uint64_t *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NREGS; i++) {
		if (a[i] == b[i])
			continue;
		gt_printf("note: ID space CRm %u op2 %u: 0x%lx, then 0x%lx\n",
			  i / 8 + 1, i % 8, (unsigned long)b[i],
			  (unsigned long)a[i]);
		n++;
	}
	return n;
}

static void at_el1_too(void)
{
	uint64_t ret;

	gt_set_lower_handler(lower);
	write_sysreg(vbar_el1, (uintptr_t)gt_vectors);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	ret = gt_run_lower((uintptr_t)payload,
			   (uintptr_t)&payload_stack[ARRAY_SIZE(payload_stack)],
			   0, SPSR_EL1H);
	gt_check(ret == PAYLOAD_DONE && differ(at_el1, first) == 0,
		 "EL1 reads the ID registers EL2 reads",
		 "payload returned 0x%lx", (unsigned long)ret);
}

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	(void)dtb;
	read_all(first);
	read_all(again);
	gt_printf("idreg-el %u\n", current_el());
	for (unsigned i = 0; i < NREGS; i++)
		gt_printf("idreg %u %u 0x%lx\n", i / 8 + 1, i % 8,
			  (unsigned long)first[i]);
	CHECK(differ(again, first) == 0, "ID registers read twice: the same");
	if (current_el() == 2)
		at_el1_too();
	gt_done();
}
