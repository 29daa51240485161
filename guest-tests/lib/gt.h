/* Bare-metal guest tests: output, checks and hypervisor calls. */
#ifndef GT_H
#define GT_H
#include "hyp/lib.h"
#include "hyp/types.h"

static inline uint64_t read_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL
#define PSCI_AFFINITY_INFO 0xC4000004UL
#define PSCI_FEATURES 0x8400000AUL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define SMCCC_VERSION 0x80000000UL
#define HYPNEST_TRAP_COUNT 0x86000001UL
/* x1 = 0: shadow stage-2 table pages; 1: hypnest's free pages */
#define HYPNEST_MEM_USE 0x86000003UL
#define NOT_SUPPORTED ((uint64_t)-1)

static inline unsigned current_el(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
	return (v >> 2) & 3;
}

uint64_t gt_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t gt_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/* PSCI through the conduit for the EL we run at: HVC at EL1, SMC at EL2
 * (a guest hypervisor) */
uint64_t gt_psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void gt_printf(const char *fmt, ...) PRINTF(1, 2);
void gt_check(bool ok, const char *name, const char *fmt, ...) PRINTF(3, 4);
NORETURN void gt_done(void);

/* one expected synchronous exception: arm, run the access, read back;
 * vector is the offset / 0x80 in the table of the EL that took it (el) */
struct gt_exc {
	volatile bool armed, taken;
	volatile uint64_t esr, far, vector, el;
};
extern struct gt_exc gt_exc;
void gt_expect_exception(void);

/* named in the report of an unexpected exception, when set */
extern const char *volatile gt_where;

/* what start.S saves on an exception: a handler may change it */
struct gt_frame {
	uint64_t x[19]; /* x0-x18 */
	uint64_t lr;	/* x30 */
	uint64_t spsr;
};

/* At EL2: run entry(arg) at a lower EL (spsr, e.g. EL1h with DAIF masked)
 * on stack sp; it returns that EL's x0 when a lower-EL handler (below)
 * ends the run by returning gt_lower_exit(frame). */
uint64_t gt_run_lower(uintptr_t entry, uintptr_t sp, uint64_t arg,
		      uint64_t spsr);
/* Exceptions from a lower EL into the EL2 vectors go to fn when set (with
 * the vector offset / 0x80, 8-15), which returns the ELR to resume at */
typedef uint64_t (*gt_lower_fn)(uint64_t vector, uint64_t esr, uint64_t far,
				uint64_t elr, struct gt_frame *f);
void gt_set_lower_handler(gt_lower_fn fn);
uint64_t gt_lower_exit(struct gt_frame *f);
/* the same for EL2's own synchronous exceptions (vectors 0-7 of its table)
 * when set, instead of the expected-exception check */
void gt_set_el2_handler(gt_lower_fn fn);

/* IRQs, FIQs and SErrors at either EL go to fn when set (vector: offset /
 * 0x80 in that EL's table, 0-15; esr: that EL's ESR), then return to where
 * they came from */
typedef void (*gt_async_fn)(unsigned vector, unsigned el, uint64_t esr);
void gt_set_async_handler(gt_async_fn fn);

/* IRQs (any of the four IRQ vectors) call fn, which must acknowledge what
 * it takes; without one an IRQ is an unexpected exception. fn finds the
 * vector in gt_irq_vector (offset / 0x80, + 16 for the EL2 table: 25 is
 * EL2's "lower EL, AArch64" IRQ vector, 0x480). */
void gt_set_irq_handler(void (*fn)(void));
extern volatile uint64_t gt_irq_vector;

#define CHECK(cond, name) gt_check((cond), (name), "%s", #cond)
#define CHECK_EQ(a, b, name)                                                   \
	gt_check((uint64_t)(a) == (uint64_t)(b), (name),                       \
		 "%s = 0x%lx, expected 0x%lx", #a, (unsigned long)(a),         \
		 (unsigned long)(b))

void gt_main(uint64_t dtb);
void gt_secondary(uint64_t context);

#endif
