/* GICv3, generic timer and MMIO helpers for the guest tests, laid out as
 * on QEMU virt (the guest sees the same addresses). Header-only: the
 * Makefile links a fixed library (GT_LIB), so everything here is static
 * inline and a test includes it when it needs it.
 *
 * MMIO goes through single LDR/STR instructions without writeback (inline
 * assembly, not plain volatile pointers that the compiler may turn into
 * post-indexed or paired accesses), so a trapped access always has a valid
 * syndrome (ESR_EL2.ISV = 1) for a hypervisor to emulate. */
#ifndef GT_GIC_H
#define GT_GIC_H
#include "gt.h"

/* QEMU virt */
#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL /* RD_base + SGI_base, no VLPI frames */
#define GICR_SGI 0x10000UL    /* SGI_base, from RD_base */
#define GICR_MAX 8	      /* start.S has stacks for 8 vCPUs */
#define UART_BASE 0x09000000UL

/* distributor */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
/* GICD_CTLR with one Security state (DS = 1); Linux's names for the
 * Non-secure view are ENABLE_G1 (bit 0) and ENABLE_G1A (bit 1) */
#define GICD_CTLR_ENABLE_G0 (1U << 0)
#define GICD_CTLR_ENABLE_G1 (1U << 1)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_RWP (1U << 31)

/* redistributor, RD_base */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_CTLR_RWP (1U << 3)
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
/* redistributor, SGI_base */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

#define INTID_SPURIOUS 1023
#define PPI_PTIMER 30 /* EL1 physical timer */
#define PPI_VTIMER 27 /* EL1 virtual timer */
#define GT_PRIO 0xa0  /* what Linux gives every interrupt */

/* ICC_SGI1R_EL1 */
#define SGI1R_INTID(n) ((uint64_t)(n) << 24)
#define SGI1R_IRM (1UL << 40)

/* CNT{V,P}_CTL_EL0 */
#define CNT_CTL_ENABLE (1UL << 0)
#define CNT_CTL_IMASK (1UL << 1)
#define CNT_CTL_ISTATUS (1UL << 2)

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline uint8_t mmio_read8(uintptr_t a)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uintptr_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" ::"r"((uint32_t)v), "r"(a)
			 : "memory");
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
}

static inline unsigned cpu_index(void)
{
	return read_mpidr() & 0xff;
}

/* Aff3.Aff2.Aff1.Aff0 as GICR_TYPER[63:32] and GICD_IROUTER carry it */
static inline uint32_t mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

static inline void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
}

static inline void irqs_off(void)
{
	__asm__ volatile("msr daifset, #2\n isb" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("dsb sy\n wfi" ::: "memory");
}

/* the virtual counter and its frequency */
static inline uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline uint64_t ms_to_ticks(uint64_t ms)
{
	return read_sysreg(cntfrq_el0) * ms / 1000;
}

static inline void delay_ms(uint64_t ms)
{
	uint64_t end = now() + ms_to_ticks(ms);

	while (now() < end)
		;
}

/* Spins until cond holds or ms milliseconds pass; the value of cond. */
#define WAIT_FOR(cond, ms)                                                     \
	({                                                                     \
		uint64_t end_ = now() + ms_to_ticks(ms);                       \
		while (!(cond) && now() < end_)                                \
			;                                                      \
		(bool)(cond);                                                  \
	})

static inline bool gicd_wait_rwp(void)
{
	return WAIT_FOR(!(mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP),
			1000);
}

static inline bool gicr_wait_rwp(uintptr_t rd)
{
	return WAIT_FOR(!(mmio_read32(rd + GICR_CTLR) & GICR_CTLR_RWP), 1000);
}

static inline unsigned gicd_nr_irqs(void)
{
	unsigned n = ((mmio_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;

	return n > 1020 ? 1020 : n;
}

/* Linux's gic_dist_init(): distributor off, every SPI Group 1, disabled,
 * inactive, level, priority GT_PRIO; then on with ARE and both group
 * enables (what Linux writes), and every SPI routed to this CPU. */
static inline bool gic_dist_init(void)
{
	unsigned n = gicd_nr_irqs();
	uint64_t aff = mpidr_to_aff(read_mpidr());
	bool ok;

	mmio_write32(GICD_BASE + GICD_CTLR, 0);
	ok = gicd_wait_rwp();
	for (unsigned i = 32; i < n; i += 32) {
		mmio_write32(GICD_BASE + GICD_IGROUPR + i / 8, ~0U);
		mmio_write32(GICD_BASE + GICD_ICACTIVER + i / 8, ~0U);
		mmio_write32(GICD_BASE + GICD_ICENABLER + i / 8, ~0U);
	}
	for (unsigned i = 32; i < n; i += 16)
		mmio_write32(GICD_BASE + GICD_ICFGR + i / 4, 0);
	for (unsigned i = 32; i < n; i += 4)
		mmio_write32(GICD_BASE + GICD_IPRIORITYR + i,
			     GT_PRIO * 0x01010101U);
	ok = gicd_wait_rwp() && ok;
	mmio_write32(GICD_BASE + GICD_CTLR,
		     GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
	ok = gicd_wait_rwp() && ok;
	/* IROUTER: Aff3 in [39:32], Aff2..Aff0 in [23:0] */
	aff = ((aff & 0xff000000) << 8) | (aff & 0xffffff);
	for (unsigned i = 32; i < n; i++)
		mmio_write64(GICD_BASE + GICD_IROUTER + 8 * i, aff);
	return ok;
}

/* Linux's gic_populate_rdist(): walk the redistributor frames (each must
 * say GICv3 or v4 in PIDR2) until GICR_TYPER.Last, for the one whose
 * affinity is this CPU's; 0 if none. */
static inline uintptr_t gic_find_redist(void)
{
	uint32_t aff = mpidr_to_aff(read_mpidr());

	for (unsigned i = 0; i < GICR_MAX; i++) {
		uintptr_t rd = GICR_BASE + i * GICR_STRIDE;
		uint32_t arch = (mmio_read32(rd + GICR_PIDR2) >> 4) & 0xf;
		uint64_t typer;

		if (arch != 3 && arch != 4)
			return 0;
		typer = mmio_read64(rd + GICR_TYPER);
		if ((typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			return 0;
	}
	return 0;
}

/* Linux's gic_enable_redist() and gic_cpu_config(): wake the
 * redistributor up, SGIs/PPIs Group 1, inactive, PPIs disabled, SGIs
 * enabled, priority GT_PRIO. False if it did not wake up. */
static inline bool gic_redist_init(uintptr_t rd)
{
	uintptr_t sgi = rd + GICR_SGI;
	uint32_t waker = mmio_read32(rd + GICR_WAKER);
	bool ok;

	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
	ok = WAIT_FOR(
	    !(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP), 1000);
	mmio_write32(sgi + GICR_IGROUPR0, ~0U);
	mmio_write32(sgi + GICR_ICACTIVER0, ~0U);
	mmio_write32(sgi + GICR_ICENABLER0, 0xffff0000U);
	mmio_write32(sgi + GICR_ISENABLER0, 0x0000ffffU);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR + i, GT_PRIO * 0x01010101U);
	return gicr_wait_rwp(rd) && ok;
}

/* Linux's gic_cpu_sys_reg_init(): system-register interface on, every
 * priority unmasked, no preemption grouping, EOI drops priority and
 * deactivates, Group 1 on. Returns ICC_SRE_EL1 as read back. */
static inline uint64_t gic_cpuif_init(void)
{
	uint64_t sre = read_sysreg(icc_sre_el1);

	if (!(sre & 1)) {
		write_sysreg(icc_sre_el1, sre | 1);
		isb();
		sre = read_sysreg(icc_sre_el1);
	}
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~2UL);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return sre;
}

static inline uint32_t gic_ack(void)
{
	uint32_t intid = read_sysreg(icc_iar1_el1) & 0xffffff;

	__asm__ volatile("dsb sy" ::: "memory");
	return intid;
}

static inline void gic_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

/* ICC_SGI1R_EL1 naming one CPU by its MPIDR (Aff0 < 16, RS = 0) */
static inline uint64_t sgi1r_to(uint64_t mpidr, unsigned intid)
{
	return ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	       ((mpidr >> 8) & 0xff) << 16 | SGI1R_INTID(intid) |
	       1UL << (mpidr & 0xf);
}

static inline void gic_send_sgi1r(uint64_t v)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

/* The GICD set up and this CPU's GICR awake (both checked, the first named
 * gicd_name), the PPIs in ppis (a bit each) Group 1, not pending, at
 * GT_PRIO and enabled; that GICR, 0 if none was found */
static inline uintptr_t gic_setup_ppis(uint32_t ppis, const char *gicd_name)
{
	uintptr_t rd;

	CHECK(gic_dist_init(), gicd_name);
	rd = gic_find_redist();
	CHECK(rd && gic_redist_init(rd), "GIC: this CPU's GICR awake");
	if (!rd)
		return 0;
	mmio_write32(rd + GICR_SGI + GICR_ICPENDR0, ppis);
	for (unsigned i = 0; i < 32; i++)
		if (ppis & (1U << i))
			mmio_write8(rd + GICR_SGI + GICR_IPRIORITYR + i,
				    GT_PRIO);
	mmio_write32(rd + GICR_SGI + GICR_ISENABLER0, ppis);
	gicr_wait_rwp(rd);
	return rd;
}

#endif
