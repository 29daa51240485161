/*
 * Physical GICv3 driver (include/hyp/gic.h). Register offsets and fields:
 * Arm IHI 0069, chapter 12 (GICD_*, GICR_*) and the ICC_/ICH_ system
 * registers.
 */
#include "hyp/gic.h"
#include "arch/sysreg.h"
#include "hyp/cpu.h"
#include "hyp/log.h"
#include "hyp/trap.h"

/* distributor */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ISENABLER 0x0100
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8     /* ArchRev [7:4]: 3 = GICv3, 4 = GICv4 */
#define CTLR_ENABLE_G1 BIT(1) /* EnableGrp1 (DS = 1) / EnableGrp1NS */
#define CTLR_ARE BIT(4)	      /* ARE (DS = 1) / ARE_NS */
#define CTLR_RWP BIT(31)

/* redistributor: RD_base frame, then SGI_base 64 KiB above it */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ICPENDR0 (GICR_SGI + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define TYPER_VLPIS BIT(1)
#define TYPER_LAST BIT(4)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_CTLR_RWP BIT(3)
#define GICR_FRAMES 0x20000UL /* RD_base + SGI_base */

/* one priority for everything: hypnest never preempts itself */
#define PRIO_DEFAULT 0xa0

/* ICC_SRE_EL2: SRE, DFB, DIB, Enable (lower ELs may use ICC_SRE_EL1) */
#define ICC_SRE_EL2_VALUE 0xfUL
#define ICC_CTLR_EOIMODE BIT(1)

#define SPIN_LIMIT 10000000UL

static uintptr_t gicd;
static uintptr_t rdist[MAX_CPUS];
static const struct dt_info *dti;

static inline uint32_t rd32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void wr32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint64_t rd64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void wr64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

/* wait for a register bit to reach `set`; false (and a log) on timeout */
static bool wait_bit(uintptr_t reg, uint32_t bit, bool set, const char *what)
{
	for (unsigned long i = 0; i < SPIN_LIMIT; i++)
		if (!!(rd32(reg) & bit) == set)
			return true;
	log_err("gic: timeout waiting for %s", what);
	return false;
}

int gic_init(const struct dt_info *dt)
{
	unsigned lines;

	uint32_t pidr2;

	dti = dt;
	gicd = (uintptr_t)dt->gic.gicd.base;
	/* the DT may be wrong: look before touching anything */
	if (hyp_probe_read32(gicd + GICD_PIDR2, &pidr2)) {
		log_err("gic: nothing answers at GICD 0x%lx (from the DT)",
			(unsigned long)gicd);
		return -1;
	}
	if (FIELD(pidr2, 7, 4) != 3 && FIELD(pidr2, 7, 4) != 4) {
		log_err("gic: GICD 0x%lx is not a GICv3/v4 (GICD_PIDR2 0x%x)",
			(unsigned long)gicd, pidr2);
		return -1;
	}
	wr32(gicd + GICD_CTLR, 0);
	if (!wait_bit(gicd + GICD_CTLR, CTLR_RWP, false, "GICD_CTLR.RWP"))
		return -1;
	/* ITLinesNumber: 32 * (N + 1) interrupt IDs */
	lines = 32 * ((rd32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (lines > 1020)
		lines = 1020;
	for (unsigned i = 32; i < lines; i += 32) {
		wr32(gicd + GICD_ICENABLER + i / 8, ~0U);
		wr32(gicd + GICD_ICPENDR + i / 8, ~0U);
		wr32(gicd + GICD_ICACTIVER + i / 8, ~0U);
		wr32(gicd + GICD_IGROUPR + i / 8, ~0U);
	}
	for (unsigned i = 32; i < lines; i += 4)
		wr32(gicd + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101U);
	/* affinity routing first, then the group enable (IHI 0069 12.9.4:
	 * ARE may only change while the groups are disabled) */
	wr32(gicd + GICD_CTLR, CTLR_ARE);
	if (!wait_bit(gicd + GICD_CTLR, CTLR_RWP, false, "GICD_CTLR.RWP"))
		return -1;
	wr32(gicd + GICD_CTLR, CTLR_ARE | CTLR_ENABLE_G1);
	if (!wait_bit(gicd + GICD_CTLR, CTLR_RWP, false, "GICD_CTLR.RWP"))
		return -1;
	return 0;
}

/* GICR_TYPER.Affinity is Aff3.Aff2.Aff1.Aff0 in bits [63:32] */
static uint32_t mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)((mpidr & 0xffffff) | (((mpidr >> 32) & 0xff) << 24));
}

static uintptr_t find_rdist(uint64_t mpidr)
{
	uint32_t aff = mpidr_to_aff(mpidr);

	for (unsigned r = 0; r < dti->gic.ngicr; r++) {
		uintptr_t f = (uintptr_t)dti->gic.gicr[r].base;
		uintptr_t end = f + dti->gic.gicr[r].size;
		uint32_t probe;

		if (hyp_probe_read32(f + GICR_TYPER, &probe)) {
			log_err("gic: nothing answers at GICR 0x%lx (from the "
				"DT)",
				(unsigned long)f);
			continue;
		}
		while (f + GICR_FRAMES <= end) {
			uint64_t typer = rd64(f + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff)
				return f;
			if (typer & TYPER_LAST)
				break;
			f += GICR_FRAMES * ((typer & TYPER_VLPIS) ? 2 : 1);
		}
	}
	return 0;
}

int gic_init_cpu(void)
{
	struct percpu *c = this_cpu();
	uintptr_t rd = find_rdist(c->mpidr);

	if (!rd) {
		log_err("gic: no redistributor for mpidr 0x%lx",
			(unsigned long)c->mpidr);
		return -1;
	}
	rdist[c->id] = rd;
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
	if (!wait_bit(rd + GICR_WAKER, WAKER_CHILDREN_ASLEEP, false,
		      "GICR_WAKER.ChildrenAsleep"))
		return -1;
	wr32(rd + GICR_ICENABLER0, ~0U);
	wr32(rd + GICR_ICPENDR0, ~0U);
	wr32(rd + GICR_ICACTIVER0, ~0U);
	wr32(rd + GICR_IGROUPR0, ~0U);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(rd + GICR_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101U);
	if (!wait_bit(rd + GICR_CTLR, GICR_CTLR_RWP, false, "GICR_CTLR.RWP"))
		return -1;
	write_sysreg(icc_sre_el2, ICC_SRE_EL2_VALUE);
	isb();
	if (!(read_sysreg(icc_sre_el2) & 1)) {
		log_err("gic: the GIC system-register interface cannot be "
			"enabled at EL2 (ICC_SRE_EL2.SRE)");
		return -1;
	}
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	gic_enable_ppi(GIC_SGI_KICK);
	return 0;
}

void gic_enable_ppi(unsigned intid)
{
	wr32(rdist[this_cpu()->id] + GICR_ISENABLER0, 1U << (intid & 31));
}

void gic_set_ppi_active(unsigned intid)
{
	wr32(rdist[this_cpu()->id] + GICR_ISACTIVER0, 1U << (intid & 31));
}

void gic_clear_ppi_active(unsigned intid)
{
	wr32(rdist[this_cpu()->id] + GICR_ICACTIVER0, 1U << (intid & 31));
}

void gic_enable_spi(unsigned intid, uint64_t mpidr)
{
	wr64(gicd + GICD_IROUTER + 8 * intid, mpidr & 0xff00ffffffUL);
	wr32(gicd + GICD_ISENABLER + 4 * (intid / 32), 1U << (intid % 32));
}

unsigned gic_ack(void)
{
	unsigned intid = (unsigned)read_sysreg(icc_iar1_el1) & 0xffffff;

	dsb(sy); /* the device's state is read after the acknowledge */
	return intid;
}

void gic_eoi(unsigned intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_deactivate(unsigned intid)
{
	write_sysreg(icc_dir_el1, intid);
	isb();
}

/* A CPU waiting for work sleeps in WFI, not in a WFE loop: WFE may return
 * at once with no event (D1.6.1: it is a hint), and QEMU's does, so a WFE
 * loop keeps a host CPU busy and slows every other CPU's work that needs
 * all CPUs to stop (QEMU's broadcast TLB maintenance). A pending interrupt
 * ends WFI whatever PSTATE.I says (D1.6.2). */
void gic_sleep(void)
{
	unsigned intid;

	dsb(sy);
	__asm__ volatile("wfi" ::: "memory");
	while ((intid = gic_ack()) < GIC_SPURIOUS) {
		gic_eoi(intid);
		gic_deactivate(intid);
	}
}

void gic_kick_others(void)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (i != this_cpu()->id &&
		    __atomic_load_n(&percpu[i].online, __ATOMIC_ACQUIRE))
			gic_send_sgi(GIC_SGI_KICK, percpu[i].mpidr);
}

/* ICC_SGI1R_EL1: TargetList[15:0] (Aff0 within a group of 16),
 * Aff1[23:16], INTID[27:24], Aff2[39:32], RS[47:44], Aff3[55:48] */
void gic_send_sgi(unsigned sgi, uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = (1UL << (aff0 & 15)) | (((mpidr >> 8) & 0xff) << 16) |
		     ((uint64_t)(sgi & 15) << 24) |
		     (((mpidr >> 16) & 0xff) << 32) | ((aff0 >> 4) << 44) |
		     (((mpidr >> 32) & 0xff) << 48);

	dsb(ishst); /* what the target will look at is visible first */
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

unsigned gic_nr_lrs(void)
{
	return (unsigned)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
}

/* ICH_LR<n>_EL2 needs its number in the instruction: one accessor each */
#define LR_LIST(X)                                                             \
	X(0)                                                                   \
	X(1)                                                                   \
	X(2)                                                                   \
	X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define LR_FNS(n)                                                              \
	static uint64_t lr_read_##n(void)                                      \
	{                                                                      \
		return read_sysreg(ich_lr##n##_el2);                           \
	}                                                                      \
	static void lr_write_##n(uint64_t v)                                   \
	{                                                                      \
		write_sysreg(ich_lr##n##_el2, v);                              \
	}
LR_LIST(LR_FNS)
#undef LR_FNS

static uint64_t (*const lr_readers[16])(void) = {
#define LR_R(n) lr_read_##n,
	LR_LIST(LR_R)
#undef LR_R
};
static void (*const lr_writers[16])(uint64_t) = {
#define LR_W(n) lr_write_##n,
	LR_LIST(LR_W)
#undef LR_W
};

uint64_t gic_read_lr(unsigned n)
{
	return lr_readers[n & 15]();
}

void gic_write_lr(unsigned n, uint64_t v)
{
	lr_writers[n & 15](v);
}

/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2 need their number in the instruction
 * too. As many per group as ICH_VTR_EL2.PREbits implies (IHI 0069: 5 bits
 * 1, 6 bits 2, 7 bits 4); accessing one beyond is UNDEFINED. */
#define APR_LIST(X)                                                            \
	X(0, 0) X(0, 1) X(0, 2) X(0, 3) X(1, 0) X(1, 1) X(1, 2) X(1, 3)
#define APR_FNS(g, n)                                                          \
	static uint64_t apr_read_##g##n(void)                                  \
	{                                                                      \
		return read_sysreg(ich_ap##g##r##n##_el2);                     \
	}                                                                      \
	static void apr_write_##g##n(uint64_t v)                               \
	{                                                                      \
		write_sysreg(ich_ap##g##r##n##_el2, v);                        \
	}
APR_LIST(APR_FNS)
#undef APR_FNS

static const struct {
	uint64_t (*read)(void);
	void (*write)(uint64_t v);
} aprs[2][4] = {
#define APR_ROW(g, n) [g][n] = { apr_read_##g##n, apr_write_##g##n },
	APR_LIST(APR_ROW)
#undef APR_ROW
};

unsigned gic_nr_aprs(void)
{
	unsigned pre = (unsigned)FIELD(read_sysreg(ich_vtr_el2), 28, 26) + 1;

	return pre <= 5 ? 1 : 1U << (MIN(pre, 7U) - 5);
}

uint64_t gic_read_apr(unsigned group, unsigned n)
{
	return aprs[group & 1][n & 3].read();
}

void gic_write_apr(unsigned group, unsigned n, uint64_t v)
{
	aprs[group & 1][n & 3].write(v);
}
