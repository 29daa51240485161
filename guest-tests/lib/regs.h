/* What the guest tests at EL2 name: system registers by name (RD/WR expand
 * the name first, so that a macro standing for an encoding works where the
 * toolchain's default -march does not know the register), and the
 * HCR_EL2, SCTLR_EL1, SPSR and ESR fields they all use. Header-only. */
#ifndef GT_REGS_H
#define GT_REGS_H
#include "gic.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define BIT(n) (1UL << (n))
#define RD(r)                                                                  \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " STR(r) : "=r"(v_)::"memory");      \
		v_;                                                            \
	})
#define WR(r, v)                                                               \
	__asm__ volatile("msr " STR(r) ", %0" ::"r"((uint64_t)(v)) : "memory")

#define HCR_RW BIT(31)
#define HCR_E2H BIT(34)

/* SCTLR_EL1's RES1 bits in Armv8.0 (fields of later features that reset
 * to 1, as Linux's INIT_SCTLR_EL1_MMU_OFF writes them) */
#define SCTLR_EL1_RES1 0x30d00800UL
#define SPSR_EL0T 0x3c0UL /* DAIF masked */
#define SPSR_EL1H 0x3c5UL /* DAIF masked */
#define SPSR_I BIT(7)

/* ESR_ELx (D24.2.46) */
#define EC(esr) (((esr) >> 26) & 0x3f)
#define ISS(esr) ((esr)&0x1ffffff)
#define ESR_IL BIT(25)
#define EC_HVC64 0x16

static inline void hcr_set(uint64_t hcr)
{
	write_sysreg(hcr_el2, hcr);
	isb();
}

/* the test runs at EL2 (a check), or it ends here */
static inline void need_el2(void)
{
	CHECK_EQ(current_el(), 2, "CurrentEL is EL2");
	if (current_el() != 2)
		gt_done();
}

#endif
