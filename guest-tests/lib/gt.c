/* Output goes to the PL011 the guest is given (QEMU virt's, at its DT
 * address); results are lines "PASS: name" / "FAIL: name: why" and a final
 * "GUEST-TESTS-DONE pass=N fail=M" before PSCI SYSTEM_OFF. */
#include <stdarg.h>

#include "gt.h"

#define UART 0x09000000UL

struct gt_exc gt_exc;
const char *volatile gt_where;
volatile uint64_t gt_irq_vector;
static unsigned passed, failed;
static void (*volatile irq_handler)(void);
static volatile gt_lower_fn lower_handler;
static volatile gt_lower_fn el2_handler;
static volatile gt_async_fn async_handler;

static void putc_uart(char c)
{
	volatile uint32_t *u = (volatile uint32_t *)UART;

	while (u[0x18 / 4] & (1U << 5))
		;
	u[0] = (uint8_t)c;
}

static void vprint(const char *fmt, va_list ap)
{
	char buf[256];

	hyp_vsnprintf(buf, sizeof(buf), fmt, ap);
	for (char *p = buf; *p; p++) {
		if (*p == '\n')
			putc_uart('\r');
		putc_uart(*p);
	}
}

void gt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void gt_check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		gt_printf("PASS: %s\n", name);
		return;
	}
	failed++;
	gt_printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	gt_printf("\n");
}

void gt_done(void)
{
	gt_printf("GUEST-TESTS-DONE pass=%u fail=%u\n", passed, failed);
	gt_psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

uint64_t gt_psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	if (current_el() == 2)
		return gt_smc(fid, a1, a2, a3);
	return gt_hvc(fid, a1, a2, a3);
}

void gt_expect_exception(void)
{
	gt_exc.taken = false;
	gt_exc.armed = true;
}

uint64_t gt_exception(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f);

void gt_set_irq_handler(void (*fn)(void))
{
	irq_handler = fn;
}

void gt_set_lower_handler(gt_lower_fn fn)
{
	lower_handler = fn;
}

void gt_set_el2_handler(gt_lower_fn fn)
{
	el2_handler = fn;
}

void gt_set_async_handler(gt_async_fn fn)
{
	async_handler = fn;
}

extern char gt_lower_returned[];

uint64_t gt_lower_exit(struct gt_frame *f)
{
	f->spsr = 0x3c9; /* EL2h, DAIF masked: back in gt_run_lower */
	return (uintptr_t)gt_lower_returned;
}

uint64_t gt_exception(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	/* vectors: 4 groups (SP_EL0, SP_ELx, lower AArch64, lower AArch32)
	 * of sync, IRQ, FIQ, SError; an IRQ returns to where it came from.
	 * start.S adds 16 for the EL2 table. */
	unsigned el = vector >= 16 ? 2 : 1;

	if (vector % 4 == 1 && irq_handler) {
		gt_irq_vector = vector;
		irq_handler();
		return elr;
	}
	vector %= 16;
	if (vector % 4 != 0 && async_handler) {
		async_handler((unsigned)vector, el, esr);
		return elr;
	}
	if (el == 2 && vector >= 8 && lower_handler)
		return lower_handler(vector, esr, far, elr, f);
	if (el == 2 && vector < 8 && el2_handler)
		return el2_handler(vector, esr, far, elr, f);
	if (!gt_exc.armed) {
		gt_printf("FAIL: unexpected exception at EL%u%s%s: vector %lu "
			  "ESR 0x%lx FAR 0x%lx ELR 0x%lx SPSR 0x%lx\n",
			  el, gt_where ? " in " : "", gt_where ? gt_where : "",
			  (unsigned long)vector, (unsigned long)esr,
			  (unsigned long)far, (unsigned long)elr,
			  (unsigned long)f->spsr);
		failed++;
		gt_done();
	}
	gt_exc.armed = false;
	gt_exc.taken = true;
	gt_exc.esr = esr;
	gt_exc.far = far;
	gt_exc.vector = vector;
	gt_exc.el = el;
	/* SVC and HVC (EC 0x15, 0x16) return after themselves; anything else
	 * expected here (UNDEF, aborts, BRK) is skipped */
	if ((esr >> 26) == 0x15 || (esr >> 26) == 0x16)
		return elr;
	return elr + 4;
}
