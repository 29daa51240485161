/* Running a payload at a lower EL (EL1 or EL0) from EL2 and recording what
 * of it reached EL2's lower-EL vectors, for the guest tests that act as a
 * guest hypervisor. A payload ends with payload_exit(): an HVC (an SVC
 * when PAYLOAD_EXIT_SVC is defined, for EL0 with HCR_EL2.TGE = 1) with
 * ISS HVC_EXIT and x0 = PAYLOAD_DONE, which its lower-EL handler turns
 * into the end of the run (seen_record() counts it in seen.exits).
 * Header-only. */
#ifndef GT_PAYLOAD_H
#define GT_PAYLOAD_H
#include "regs.h"

#define VEC_LOWER_SYNC 8 /* 0x400 / 0x80, in gt_lower_fn */
#define VEC_LOWER_IRQ 9	 /* 0x480 / 0x80 */

#define HVC_EXIT 0x12
#define PAYLOAD_DONE 0x600dUL
#define GAVE_UP 0xbadUL /* x0 when EL2 ended a run early */
#ifdef PAYLOAD_EXIT_SVC
#define PAYLOAD_EXIT_INSN "svc"
#define EC_PAYLOAD_EXIT 0x15
#else
#define PAYLOAD_EXIT_INSN "hvc"
#define EC_PAYLOAD_EXIT EC_HVC64
#endif

extern char gt_vectors[];
/* SP_EL1 of the payload */
static uint64_t payload_stack[1024] __attribute__((aligned(16)));

/* what EL2 saw of each exception from the payload but its exit; the
 * handler fills in what it adds (intid, when, ctl_before) */
struct rec {
	uint64_t vector, esr, far, elr, spsr, x[19];
	uint32_t intid;
	uint64_t when, ctl_before;
};
#define MAX_REC 4
static volatile struct {
	unsigned n, exits;
	struct rec rec[MAX_REC];
} seen __attribute__((unused));

static inline void seen_reset(void)
{
	for (unsigned i = 0; i < MAX_REC; i++)
		for (unsigned j = 0; j < sizeof(struct rec) / 8; j++)
			((volatile uint64_t *)&seen.rec[i])[j] = 0;
	seen.n = seen.exits = 0;
}

static inline __attribute__((noreturn)) void payload_exit(void)
{
	register uint64_t x0 __asm__("x0") = PAYLOAD_DONE;

	__asm__ volatile(PAYLOAD_EXIT_INSN " #" STR(HVC_EXIT)
			 : "+r"(x0)::"memory");
	for (;;)
		;
}

/* A payload fn(arg) of one instruction: x5 = arg, then the assembly insn,
 * which puts the label 1 on the instruction under test (x2, x3 free for
 * it), then note(that instruction's address, x5) and the exit */
#define PAYLOAD_INSN(fn, insn, note)                                           \
	static __attribute__((noinline, noreturn)) void fn(uint64_t arg)       \
	{                                                                      \
		register uint64_t x1 __asm__("x1");                            \
		register uint64_t x5 __asm__("x5") = arg;                      \
                                                                               \
		__asm__ volatile("adr x1, 1f\n" insn                           \
				 : "=&r"(x1), "+r"(x5)::"x2", "x3", "memory"); \
		note(x1, x5);                                                  \
		payload_exit();                                                \
	}

/* The start of a lower-EL handler: true if the exception ends the run,
 * the payload's exit (counted) or one more than MAX_REC (x0 = GAVE_UP);
 * else it is recorded as seen.rec[seen.n - 1]. A payload that gave up
 * (gt_done at EL1: PSCI SYSTEM_OFF over HVC) powers off. */
static inline bool seen_record(uint64_t vector, uint64_t esr, uint64_t far,
			       uint64_t elr, struct gt_frame *f)
{
	volatile struct rec *r;

	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_PAYLOAD_EXIT &&
	    ISS(esr) == HVC_EXIT) {
		seen.exits++;
		return true;
	}
	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_HVC64 &&
	    f->x[0] == PSCI_SYSTEM_OFF)
		gt_psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	if (seen.n >= MAX_REC) {
		f->x[0] = GAVE_UP;
		return true;
	}
	r = &seen.rec[seen.n++];
	r->vector = vector;
	r->esr = esr;
	r->far = far;
	r->elr = elr;
	r->spsr = f->spsr;
	for (unsigned i = 0; i < 19; i++)
		r->x[i] = f->x[i];
	return false;
}

/* ends the run early: gt_run_lower returns GAVE_UP */
static inline uint64_t give_up(struct gt_frame *f)
{
	f->x[0] = GAVE_UP;
	return gt_lower_exit(f);
}

/* gt_main's start: at EL2 (or the end), HCR_EL2 = hcr, exceptions from
 * the lower ELs to fn */
static inline void el2_start(uint64_t hcr, gt_lower_fn fn)
{
	need_el2();
	hcr_set(hcr);
	gt_set_lower_handler(fn);
}

/* fn(arg) at the EL and mode of spsr (SP_EL1 payload_stack) with
 * HCR_EL2 = hcr, named name in a report of an unexpected exception; what
 * the run returned (x0 at its end). HCR_EL2 is left as the run had it. */
static inline uint64_t run_payload(const char *name, void (*fn)(uint64_t),
				   uint64_t arg, uint64_t spsr, uint64_t hcr)
{
	uint64_t ret;

	hcr_set(hcr);
	gt_where = name;
	ret = gt_run_lower((uintptr_t)fn, (uintptr_t)&payload_stack[1024], arg,
			   spsr);
	gt_where = NULL;
	return ret;
}

/* the run got to its exit HVC, once, and past what it was to do (after) */
static inline bool payload_ran(const char *name, uint64_t ret, bool after)
{
	gt_check(ret == PAYLOAD_DONE && seen.exits == 1 && after, name,
		 "returned 0x%lx, exits %u, after %d, %u exceptions, first "
		 "vector %lu ESR 0x%lx ELR 0x%lx",
		 (unsigned long)ret, seen.exits, after, seen.n,
		 (unsigned long)seen.rec[0].vector,
		 (unsigned long)seen.rec[0].esr,
		 (unsigned long)seen.rec[0].elr);
	return ret == PAYLOAD_DONE;
}

#endif
