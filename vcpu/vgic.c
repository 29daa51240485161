/*
 * The virtual GICv3 model: see include/hyp/vgic.h and docs/vgic.md.
 * Register offsets and fields: Arm IHI 0069, chapter 12 (GICD_*, GICR_*).
 */
#include "hyp/vgic.h"
#include "hyp/lib.h"

/* ---- distributor (GICD) offsets ---- */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_IGROUPR 0x0080 /* the 7 bitmap arrays, 0x80 apart, up to */
#define GICD_BITMAP_END 0x0400
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR_END 0x0f30
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x8000
#define GIC_IDREGS 0xffd0 /* PIDR4..CIDR3, GICD and GICR RD_base */

/* ---- redistributor RD_base frame ---- */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_LPI_REGS 0x0040 /* SETLPIR .. INVALLR: 64-bit, RAZ/WI */
#define GICR_LPI_REGS_END 0x00c0

/* ---- redistributor SGI_base frame ---- */
#define GICR_IGROUPR0 0x0080 /* + ISENABLER0 .. ICACTIVER0, 0x80 apart */
#define GICR_IPRIORITYR0 0x0400
#define GICR_IPRIORITYR_END 0x0420
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

/* GICD_CTLR with DS = 1 (single Security state) */
#define CTLR_EN_GRP0 BIT(0)
#define CTLR_EN_GRP1 BIT(1)
#define CTLR_ARE BIT(4)
#define CTLR_DS BIT(6)

/* GICD_TYPER: ITLinesNumber [4:0] = 8 (INTIDs up to 32 * 9 - 1 = 287),
 * IDbits [23:19] = 9 (10 bits), A3V [24]; CPUNumber, SecurityExtn, MBIS,
 * LPIS, No1N, RSS, ESPI all 0. */
#define TYPER_ITLINES (VGIC_NR_IRQS / 32 - 1)
#define TYPER_VALUE (TYPER_ITLINES | (9U << 19) | BIT(24))

/* GICR_TYPER fields */
#define RTYPER_LAST BIT(4)
#define RTYPER_PROC_SHIFT 8
#define RTYPER_AFF_SHIFT 32

/* GICR_WAKER */
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)

/* GICD_IROUTER<n>: Aff3 [39:32], IRM [31], Aff2 [23:16], Aff1, Aff0 */
#define IROUTER_IRM BIT(31)
#define AFF_MASK 0xff00ffffffUL /* Aff3..Aff0 where MPIDR has them too */
#define IROUTER_MASK (AFF_MASK | IROUTER_IRM)

/* ICC_SGI1R_EL1 / ICC_SGI0R_EL1 */
#define SGIR_INTID_SHIFT 24
#define SGIR_AFF1_SHIFT 16
#define SGIR_AFF2_SHIFT 32
#define SGIR_IRM BIT(40)
#define SGIR_RS_SHIFT 44
#define SGIR_AFF3_SHIFT 48

/* the frame an access falls in; rd is the redistributor (vCPU) index */
#define DIST (~0u)

enum bitmap_reg {
	R_IGROUPR,
	R_ISENABLER,
	R_ICENABLER,
	R_ISPENDR,
	R_ICPENDR,
	R_ISACTIVER,
	R_ICACTIVER,
};

/* how a register may be accessed */
enum kind {
	K_WORD,	 /* 32-bit register or reserved: 4 bytes */
	K_BYTE,	 /* byte-accessible: 1 or 4 bytes */
	K_DWORD, /* 64-bit register: 8 bytes or a 4-byte half */
};

struct frame_ops {
	enum kind (*kind)(uint32_t off);
	uint32_t (*read32)(struct vgic *g, unsigned rd, uint32_t off);
	void (*write32)(struct vgic *g, unsigned rd, uint32_t off, uint32_t v);
	uint8_t (*read8)(struct vgic *g, unsigned rd, uint32_t off);
	void (*write8)(struct vgic *g, unsigned rd, uint32_t off, uint8_t v);
};

/* ---------------------------------------------------------------------- */
/* interrupts and their state                                              */

/* an interrupt as a vCPU sees it: SGI/PPI its own, SPI shared */
static struct vgic_irq *irq_of(struct vgic *g, unsigned vcpu, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu < g->ncpus ? &g->cpu[vcpu].priv[intid] : NULL;
	if (intid < VGIC_NR_IRQS)
		return &g->spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

/* an interrupt as a register frame sees it: the distributor has the SPIs
 * (with ARE = 1 its SGI/PPI registers are RAZ/WI), a redistributor its
 * vCPU's SGIs and PPIs */
static struct vgic_irq *reg_irq(struct vgic *g, unsigned rd, unsigned intid)
{
	if (rd == DIST)
		return intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS
			   ? &g->spi[intid - VGIC_NR_PRIVATE]
			   : NULL;
	return intid < VGIC_NR_PRIVATE ? &g->cpu[rd].priv[intid] : NULL;
}

/* pending in the model (not counting a pending state held by an LR) */
static bool irq_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/* pending as the guest reads it (ISPENDR) */
static bool irq_pending_view(const struct vgic_irq *irq)
{
	return irq_pending(irq) ||
	       (irq->in_lr && (irq->lr_state & VGIC_LR_PENDING));
}

static bool group_enabled(const struct vgic *g, const struct vgic_irq *irq)
{
	return g->gicd_ctlr & (irq->group1 ? CTLR_EN_GRP1 : CTLR_EN_GRP0);
}

static uint64_t mpidr_aff(uint64_t mpidr)
{
	return mpidr & AFF_MASK;
}

/* the vCPU an SPI's IROUTER routes to (1 of N: vCPU 0) */
static unsigned route(const struct vgic *g, uint64_t irouter)
{
	if (irouter & IROUTER_IRM)
		return g->ncpus ? 0 : VGIC_NO_VCPU;
	for (unsigned c = 0; c < g->ncpus; c++)
		if (mpidr_aff(g->cpu[c].mpidr) == (irouter & AFF_MASK))
			return c;
	return VGIC_NO_VCPU;
}

/* may go into an LR of vcpu as pending now */
static bool deliverable(const struct vgic *g, const struct vgic_irq *irq,
			unsigned vcpu)
{
	return irq->target_vcpu == vcpu && irq->enabled && irq_pending(irq) &&
	       !irq->active && !irq->in_lr && group_enabled(g, irq);
}

/* active on vcpu and not in an LR: must be reloaded there */
static bool active_owned(const struct vgic_irq *irq, unsigned vcpu)
{
	return irq->active && !irq->in_lr && irq->lr_vcpu == vcpu;
}

/*
 * The quiet cache. A vCPU found with nothing to deliver, nothing active to
 * reload and nothing in its list registers stays so until a change of the
 * model that can give it one of these: the scans before every entry
 * (vgic_lr_fill, pending_for_locked, vgic_has_pending, vgic_signalled)
 * then cost nothing instead of a walk over all VGIC_NR_IRQS interrupts
 * (most of an exit's cost when it was done each time: ~20 of ~25 us under
 * QEMU TCG, harness/bench.py "exit cost").
 *
 * What quiet() looks at for vCPU c is c's own SGIs and PPIs (cpu[c].priv,
 * which nothing else reads), every SPI (by its target_vcpu and lr_vcpu)
 * and the group enables. So, under g->lock, every change clears the cache
 * of each vCPU it can make non-quiet:
 *   changed_vcpu(c)  c's private interrupts (its redistributor, its lines,
 *                    an SGI pended on it, its own LRs' SGIs and PPIs), and
 *                    an SPI put into c's LRs (that takes it away from
 *                    every other vCPU: deliverable, active_owned and the LR
 *                    test all need it out of LRs, or in theirs);
 *   changed_all()    an SPI's state or routing, GICD_CTLR, and an SPI
 *                    taken out of an LR (it may have been re-routed to
 *                    another vCPU meanwhile: its pending state is that
 *                    vCPU's to deliver).
 * A change that cannot make anyone non-quiet may clear more than it must;
 * it must never clear less: a vCPU left quiet loses its interrupt.
 */
static void changed_vcpu(struct vgic *g, unsigned c)
{
	if (c < g->ncpus)
		g->cpu[c].quiet = false;
}

static void changed_all(struct vgic *g)
{
	for (unsigned c = 0; c < g->ncpus; c++)
		g->cpu[c].quiet = false;
}

/* a change of interrupt intid as vcpu sees it (irq_of) */
static void changed_irq(struct vgic *g, unsigned vcpu, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE)
		changed_vcpu(g, vcpu);
	else
		changed_all(g);
}

static bool quiet(struct vgic *g, unsigned vcpu)
{
	struct vgic_vcpu *vc = &g->cpu[vcpu];

	if (vc->quiet)
		return true;
	for (unsigned id = 0; id < VGIC_NR_IRQS; id++) {
		const struct vgic_irq *irq = irq_of(g, vcpu, id);

		if (deliverable(g, irq, vcpu) || active_owned(irq, vcpu) ||
		    (irq->in_lr && irq->lr_vcpu == vcpu))
			return false;
	}
	vc->quiet = true;
	return true;
}

static void lr_load(struct vgic_irq *irq, unsigned vcpu, unsigned state)
{
	irq->in_lr = true;
	irq->lr_vcpu = vcpu;
	irq->lr_state = state;
	irq->lr_mmio = 0;
	if ((state & VGIC_LR_PENDING) && irq->edge)
		irq->pending_latch = false;
}

static uint64_t lr_value(const struct vgic_irq *irq, unsigned intid,
			 unsigned state)
{
	struct vgic_lr lr = {
		.vintid = intid,
		.pintid = irq->hw ? irq->hw_intid : 0,
		.priority = irq->priority,
		.group1 = irq->group1,
		.hw = irq->hw,
		.eoi = !irq->hw && !irq->edge,
		.state = state,
	};

	return vgic_lr_encode(&lr);
}

/* ---------------------------------------------------------------------- */
/* register helpers shared by the distributor and the redistributors       */

static uint32_t bitmap_read(struct vgic *g, unsigned rd, enum bitmap_reg r,
			    unsigned first)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct vgic_irq *irq = reg_irq(g, rd, first + i);
		bool b = false;

		if (!irq)
			continue;
		switch (r) {
		case R_IGROUPR:
			b = irq->group1;
			break;
		case R_ISENABLER:
		case R_ICENABLER:
			b = irq->enabled;
			break;
		case R_ISPENDR:
		case R_ICPENDR:
			b = irq_pending_view(irq);
			break;
		case R_ISACTIVER:
		case R_ICACTIVER:
			b = irq->active;
			break;
		}
		v |= (uint32_t)b << i;
	}
	return v;
}

static void set_active(struct vgic *g, struct vgic_irq *irq, bool on)
{
	if (irq->in_lr) {
		/* the LR may still say otherwise: this write wins at the sync
		 */
		irq->lr_mmio |= VGIC_LR_ACTIVE;
		if (!on)
			irq->lr_state &= ~VGIC_LR_ACTIVE;
	} else if (on && !irq->active) {
		/* SPIs become active on the vCPU they are routed to */
		if (irq->target_vcpu != VGIC_NO_VCPU)
			irq->lr_vcpu = irq->target_vcpu;
		else if (irq->lr_vcpu >= g->ncpus)
			irq->lr_vcpu = 0;
	}
	irq->active = on;
}

static void bitmap_write(struct vgic *g, unsigned rd, enum bitmap_reg r,
			 unsigned first, uint32_t v)
{
	for (unsigned i = 0; i < 32; i++) {
		struct vgic_irq *irq = reg_irq(g, rd, first + i);
		bool b = (v >> i) & 1;

		if (!irq)
			continue;
		if (r == R_IGROUPR) {
			irq->group1 = b;
			continue;
		}
		if (!b)
			continue;
		switch (r) {
		case R_IGROUPR:
			break;
		case R_ISENABLER:
			irq->enabled = true;
			break;
		case R_ICENABLER:
			irq->enabled = false;
			break;
		case R_ISPENDR:
			irq->pending_latch = true;
			break;
		case R_ICPENDR:
			irq->pending_latch = false;
			if (irq->in_lr) {
				irq->lr_mmio |= VGIC_LR_PENDING;
				irq->lr_state &= ~VGIC_LR_PENDING;
			}
			break;
		case R_ISACTIVER:
			set_active(g, irq, true);
			break;
		case R_ICACTIVER:
			set_active(g, irq, false);
			break;
		}
	}
}

/* ICFGR: 2 bits per interrupt, bit 1 of each = edge-triggered; the SGIs'
 * fields are read-only (edge) */
static uint32_t icfgr_read(struct vgic *g, unsigned rd, unsigned first)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 16; i++) {
		struct vgic_irq *irq = reg_irq(g, rd, first + i);

		if (irq && irq->edge)
			v |= 2U << (2 * i);
	}
	return v;
}

static void icfgr_write(struct vgic *g, unsigned rd, unsigned first, uint32_t v)
{
	for (unsigned i = 0; i < 16; i++) {
		struct vgic_irq *irq = reg_irq(g, rd, first + i);

		if (irq && first + i >= VGIC_NR_SGIS)
			irq->edge = (v >> (2 * i + 1)) & 1;
	}
}

/* Peripheral and component ID registers at 0xffd0..0xfffc: PIDR2.ArchRev
 * (bits [7:4]) = 3 says GICv3; the rest describe part 0x068 with Arm's
 * JEP106 identity (as GICD_IIDR), 64 KiB, and the standard CIDR preamble */
static uint32_t id_reg(uint32_t off)
{
	static const uint8_t ids[12] = {
		0x44, 0,    0,	  0,	/* PIDR4..7 */
		0x68, 0xb0, 0x3b, 0,	/* PIDR0..3 */
		0x0d, 0xf0, 0x05, 0xb1, /* CIDR0..3 */
	};

	return ids[(off - GIC_IDREGS) / 4];
}

static uint8_t prio_read(struct vgic *g, unsigned rd, unsigned intid)
{
	struct vgic_irq *irq = reg_irq(g, rd, intid);

	return irq ? irq->priority : 0;
}

static void prio_write(struct vgic *g, unsigned rd, unsigned intid, uint8_t v)
{
	struct vgic_irq *irq = reg_irq(g, rd, intid);

	if (irq)
		irq->priority = v & VGIC_PRIO_MASK;
}

/* ---------------------------------------------------------------------- */
/* distributor                                                             */

static enum kind gicd_kind(uint32_t off)
{
	if (off >= GICD_IPRIORITYR && off < GICD_ICFGR)
		return K_BYTE; /* IPRIORITYR, ITARGETSR */
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR_END)
		return K_BYTE;
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return K_DWORD;
	return K_WORD;
}

static struct vgic_irq *irouter_irq(struct vgic *g, uint32_t off)
{
	return reg_irq(g, DIST, (off - GICD_IROUTER) / 8);
}

static uint32_t gicd_read32(struct vgic *g, unsigned rd, uint32_t off)
{
	(void)rd;
	switch (off) {
	case GICD_CTLR:
		return g->gicd_ctlr; /* RWP = 0: writes take effect at once */
	case GICD_TYPER:
		return TYPER_VALUE;
	case GICD_IIDR:
		return VGIC_IIDR;
	case GICD_TYPER2:
		return 0;
	}
	if (off >= GICD_IGROUPR && off < GICD_BITMAP_END)
		return bitmap_read(g, DIST, (off - GICD_IGROUPR) / 0x80,
				   (off & 0x7f) / 4 * 32);
	if (off >= GICD_ICFGR && off < GICD_IGRPMODR)
		return icfgr_read(g, DIST, (off - GICD_ICFGR) / 4 * 16);
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		struct vgic_irq *irq = irouter_irq(g, off);

		return irq ? irq->irouter >> (off & 4 ? 32 : 0) : 0;
	}
	if (off >= GIC_IDREGS)
		return id_reg(off);
	return 0;
}

static void gicd_write32(struct vgic *g, unsigned rd, uint32_t off, uint32_t v)
{
	(void)rd;
	if (off == GICD_CTLR) {
		g->gicd_ctlr = (g->gicd_ctlr & ~(CTLR_EN_GRP0 | CTLR_EN_GRP1)) |
			       (v & (CTLR_EN_GRP0 | CTLR_EN_GRP1));
	} else if (off >= GICD_IGROUPR && off < GICD_BITMAP_END) {
		bitmap_write(g, DIST, (off - GICD_IGROUPR) / 0x80,
			     (off & 0x7f) / 4 * 32, v);
	} else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
		icfgr_write(g, DIST, (off - GICD_ICFGR) / 4 * 16, v);
	} else if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		struct vgic_irq *irq = irouter_irq(g, off);
		unsigned sh = off & 4 ? 32 : 0;

		if (!irq)
			return;
		irq->irouter &= ~(0xffffffffUL << sh);
		irq->irouter |= (uint64_t)v << sh;
		irq->irouter &= IROUTER_MASK;
		irq->target_vcpu = route(g, irq->irouter);
	}
}

static uint8_t gicd_read8(struct vgic *g, unsigned rd, uint32_t off)
{
	(void)rd;
	if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR)
		return prio_read(g, DIST, off - GICD_IPRIORITYR);
	return 0; /* ITARGETSR, CPENDSGIR, SPENDSGIR: RAZ/WI with ARE = 1 */
}

static void gicd_write8(struct vgic *g, unsigned rd, uint32_t off, uint8_t v)
{
	(void)rd;
	if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR)
		prio_write(g, DIST, off - GICD_IPRIORITYR, v);
}

static const struct frame_ops gicd_ops = {
	gicd_kind, gicd_read32, gicd_write32, gicd_read8, gicd_write8,
};

/* ---------------------------------------------------------------------- */
/* redistributor, RD_base frame                                            */

static enum kind rd_kind(uint32_t off)
{
	if (off >= GICR_TYPER && off < GICR_TYPER + 8)
		return K_DWORD;
	if (off >= GICR_LPI_REGS && off < GICR_LPI_REGS_END)
		return K_DWORD;
	return K_WORD;
}

static uint64_t gicr_typer(const struct vgic *g, unsigned rd)
{
	uint64_t m = g->cpu[rd].mpidr;
	uint64_t aff = ((m >> 32) & 0xff) << 24 | (m & 0xffffff);

	return aff << RTYPER_AFF_SHIFT | (uint64_t)rd << RTYPER_PROC_SHIFT |
	       (g->cpu[rd].last_rdist ? RTYPER_LAST : 0);
}

static uint32_t rd_read32(struct vgic *g, unsigned rd, uint32_t off)
{
	switch (off) {
	case GICR_CTLR:
		return 0; /* no LPIs: EnableLPIs, RWP, UWP all 0 */
	case GICR_IIDR:
		return VGIC_IIDR;
	case GICR_TYPER:
		return gicr_typer(g, rd);
	case GICR_TYPER + 4:
		return gicr_typer(g, rd) >> 32;
	case GICR_WAKER:
		return g->cpu[rd].waker_processor_sleep
			   ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP
			   : 0;
	}
	if (off >= GIC_IDREGS)
		return id_reg(off);
	return 0;
}

static void rd_write32(struct vgic *g, unsigned rd, uint32_t off, uint32_t v)
{
	if (off == GICR_WAKER)
		g->cpu[rd].waker_processor_sleep = v & WAKER_PROCESSOR_SLEEP;
}

static uint8_t no_read8(struct vgic *g, unsigned rd, uint32_t off)
{
	(void)g, (void)rd, (void)off;
	return 0;
}

static void no_write8(struct vgic *g, unsigned rd, uint32_t off, uint8_t v)
{
	(void)g, (void)rd, (void)off, (void)v;
}

static const struct frame_ops rd_ops = {
	rd_kind, rd_read32, rd_write32, no_read8, no_write8,
};

/* ---------------------------------------------------------------------- */
/* redistributor, SGI_base frame                                           */

static enum kind sgi_kind(uint32_t off)
{
	if (off >= GICR_IPRIORITYR0 && off < GICR_IPRIORITYR_END)
		return K_BYTE;
	return K_WORD;
}

/* IGROUPR0, ISENABLER0 .. ICACTIVER0; their E (extended PPI) successors
 * at +4.. are reserved here */
static bool sgi_bitmap(uint32_t off)
{
	return off >= GICR_IGROUPR0 && off < GICD_BITMAP_END && !(off & 0x7f);
}

static uint32_t sgi_read32(struct vgic *g, unsigned rd, uint32_t off)
{
	if (sgi_bitmap(off))
		return bitmap_read(g, rd, (off - GICR_IGROUPR0) / 0x80, 0);
	if (off == GICR_ICFGR0)
		return icfgr_read(g, rd, 0);
	if (off == GICR_ICFGR1)
		return icfgr_read(g, rd, 16);
	return 0; /* IGRPMODR0, NSACR: RAZ/WI with DS = 1 */
}

static void sgi_write32(struct vgic *g, unsigned rd, uint32_t off, uint32_t v)
{
	if (sgi_bitmap(off))
		bitmap_write(g, rd, (off - GICR_IGROUPR0) / 0x80, 0, v);
	else if (off == GICR_ICFGR0 || off == GICR_ICFGR1)
		icfgr_write(g, rd, (off - GICR_ICFGR0) * 4, v);
}

static uint8_t sgi_read8(struct vgic *g, unsigned rd, uint32_t off)
{
	return prio_read(g, rd, off - GICR_IPRIORITYR0);
}

static void sgi_write8(struct vgic *g, unsigned rd, uint32_t off, uint8_t v)
{
	prio_write(g, rd, off - GICR_IPRIORITYR0, v);
}

static const struct frame_ops sgi_ops = {
	sgi_kind, sgi_read32, sgi_write32, sgi_read8, sgi_write8,
};

/* ---------------------------------------------------------------------- */
/* MMIO entry                                                              */

static int frame_access(const struct frame_ops *ops, struct vgic *g,
			unsigned rd, uint32_t off, bool write, unsigned size,
			uint64_t *val)
{
	enum kind k = ops->kind(off);

	switch (size) {
	case 1:
		if (k != K_BYTE)
			return VGIC_MMIO_BAD;
		if (write)
			ops->write8(g, rd, off, *val & 0xff);
		else
			*val = ops->read8(g, rd, off);
		return VGIC_MMIO_HANDLED;
	case 4:
		if (k == K_BYTE) {
			for (unsigned i = 0; i < 4; i++) {
				if (write)
					ops->write8(g, rd, off + i,
						    *val >> (8 * i));
				else
					*val |=
					    (uint64_t)ops->read8(g, rd, off + i)
					    << (8 * i);
			}
		} else if (write) {
			ops->write32(g, rd, off, *val);
		} else {
			*val = ops->read32(g, rd, off);
		}
		return VGIC_MMIO_HANDLED;
	case 8:
		if (k != K_DWORD)
			return VGIC_MMIO_BAD;
		if (write) {
			ops->write32(g, rd, off, *val);
			ops->write32(g, rd, off + 4, *val >> 32);
		} else {
			*val = ops->read32(g, rd, off) |
			       (uint64_t)ops->read32(g, rd, off + 4) << 32;
		}
		return VGIC_MMIO_HANDLED;
	}
	return VGIC_MMIO_BAD;
}

int vgic_mmio(struct vgic *g, unsigned vcpu, paddr_t addr, bool write,
	      unsigned size, uint64_t *val)
{
	const struct frame_ops *ops;
	unsigned rd = DIST;
	uint64_t off;
	int ret;

	(void)vcpu; /* with affinity routing every register names its PE */
	if (addr >= g->gicd_base && addr - g->gicd_base < VGIC_GICD_SIZE) {
		off = addr - g->gicd_base;
		ops = &gicd_ops;
	} else if (addr >= g->gicr_base &&
		   addr - g->gicr_base < g->ncpus * VGIC_GICR_STRIDE) {
		off = addr - g->gicr_base;
		rd = off / VGIC_GICR_STRIDE;
		ops = off & VGIC_GICR_FRAME ? &sgi_ops : &rd_ops;
		off &= VGIC_GICR_FRAME - 1;
	} else {
		return VGIC_MMIO_NOT_MINE;
	}
	if (size != 1 && size != 4 && size != 8)
		return VGIC_MMIO_BAD;
	if (!IS_ALIGNED(addr, size) || !IS_ALIGNED(off, size))
		return VGIC_MMIO_BAD;
	if (!write)
		*val = 0;
	spin_lock(&g->lock);
	ret = frame_access(ops, g, rd, off, write, size, val);
	/* a redistributor holds its vCPU's SGIs and PPIs only */
	if (write && rd == DIST)
		changed_all(g);
	else if (write)
		changed_vcpu(g, rd);
	spin_unlock(&g->lock);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* set-up, lines, SGIs                                                     */

void vgic_init(struct vgic *g, unsigned ncpus, const uint64_t *mpidr,
	       paddr_t gicd_base, paddr_t gicr_base)
{
	memset(g, 0, sizeof(*g));
	g->ncpus = MIN(ncpus, (unsigned)MAX_CPUS);
	g->gicd_base = gicd_base;
	g->gicr_base = gicr_base;
	g->gicd_ctlr = CTLR_ARE | CTLR_DS;
	for (unsigned c = 0; c < g->ncpus; c++) {
		struct vgic_vcpu *vc = &g->cpu[c];

		vc->mpidr = mpidr[c];
		vc->waker_processor_sleep = true;
		vc->last_rdist = c == g->ncpus - 1;
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
			vc->priv[i].group1 = true;
			vc->priv[i].edge = i < VGIC_NR_SGIS;
			vc->priv[i].target_vcpu = c;
			vc->priv[i].lr_vcpu = c;
		}
	}
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++) {
		g->spi[i].group1 = true;
		g->spi[i].target_vcpu = route(g, 0);
	}
}

void vgic_set_line(struct vgic *g, unsigned vcpu, unsigned intid, bool level)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);

	if (!irq)
		return;
	spin_lock(&g->lock);
	/* sampled before every entry: a change only when it is one */
	if (irq->line_level != level) {
		if (irq->edge && level)
			irq->pending_latch = true;
		irq->line_level = level;
		changed_irq(g, vcpu, intid);
	}
	spin_unlock(&g->lock);
}

void vgic_set_hw(struct vgic *g, unsigned vcpu, unsigned intid, bool hw,
		 unsigned hw_intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);

	if (!irq)
		return;
	spin_lock(&g->lock);
	irq->hw = hw;
	irq->hw_intid = hw ? hw_intid : 0;
	changed_irq(g, vcpu, intid);
	spin_unlock(&g->lock);
}

static void sgi_pend(struct vgic *g, unsigned c, unsigned intid, bool group1)
{
	struct vgic_irq *irq = &g->cpu[c].priv[intid];

	if (irq->group1 == group1) {
		irq->pending_latch = true;
		changed_vcpu(g, c);
	}
}

static void sgi_generate(struct vgic *g, unsigned from, uint64_t v, bool group1)
{
	unsigned intid = (v >> SGIR_INTID_SHIFT) & 0xf;
	uint64_t aff = ((v >> SGIR_AFF3_SHIFT) & 0xff) << 32 |
		       ((v >> SGIR_AFF2_SHIFT) & 0xff) << 16 |
		       ((v >> SGIR_AFF1_SHIFT) & 0xff) << 8;

	spin_lock(&g->lock);
	if (v & SGIR_IRM) {
		for (unsigned c = 0; c < g->ncpus; c++)
			if (c != from)
				sgi_pend(g, c, intid, group1);
	} else if (!((v >> SGIR_RS_SHIFT) & 0xf)) {
		for (unsigned c = 0; c < g->ncpus; c++) {
			uint64_t m = mpidr_aff(g->cpu[c].mpidr);

			if ((m & ~0xffUL) == aff && (m & 0xff) < 16 &&
			    (v >> (m & 0xff)) & 1)
				sgi_pend(g, c, intid, group1);
		}
	}
	spin_unlock(&g->lock);
}

void vgic_sgi1r(struct vgic *g, unsigned from, uint64_t sgi1r)
{
	sgi_generate(g, from, sgi1r, true);
}

void vgic_sgi0r(struct vgic *g, unsigned from, uint64_t sgi0r)
{
	sgi_generate(g, from, sgi0r, false);
}

/* ---------------------------------------------------------------------- */
/* delivery                                                                */

static unsigned pending_for_locked(struct vgic *g, unsigned vcpu, unsigned *out,
				   unsigned max)
{
	unsigned n = 0;

	if (quiet(g, vcpu))
		return 0;
	for (unsigned id = 0; id < VGIC_NR_IRQS && max; id++) {
		struct vgic_irq *irq = irq_of(g, vcpu, id);
		unsigned pos = n;

		if (!irq || !deliverable(g, irq, vcpu))
			continue;
		/* insertion by priority; INTIDs come in increasing order, so
		 * equal priorities stay in INTID order */
		while (pos &&
		       irq_of(g, vcpu, out[pos - 1])->priority > irq->priority)
			pos--;
		if (pos == max)
			continue;
		if (n < max)
			n++;
		for (unsigned j = n - 1; j > pos; j--)
			out[j] = out[j - 1];
		out[pos] = id;
	}
	return n;
}

unsigned vgic_pending_for(struct vgic *g, unsigned vcpu, unsigned *out,
			  unsigned max)
{
	unsigned n;

	if (vcpu >= g->ncpus)
		return 0;
	spin_lock(&g->lock);
	n = pending_for_locked(g, vcpu, out, max);
	spin_unlock(&g->lock);
	return n;
}

void vgic_lr_loaded(struct vgic *g, unsigned vcpu, unsigned intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);

	if (!irq)
		return;
	spin_lock(&g->lock);
	lr_load(irq, vcpu, VGIC_LR_PENDING);
	changed_vcpu(g, vcpu);
	spin_unlock(&g->lock);
}

void vgic_lr_synced(struct vgic *g, unsigned vcpu, unsigned intid,
		    unsigned lr_state)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);
	bool lr_pending = lr_state & VGIC_LR_PENDING;

	if (!irq)
		return;
	spin_lock(&g->lock);
	if (!irq->in_lr || irq->lr_vcpu != vcpu)
		goto out;
	if (!(irq->lr_mmio & VGIC_LR_PENDING)) {
		if (irq->edge && lr_pending)
			irq->pending_latch = true; /* back into the model */
		else if (!irq->edge && !lr_pending &&
			 (irq->lr_state & VGIC_LR_PENDING))
			irq->pending_latch = false; /* acknowledged */
	}
	if (!(irq->lr_mmio & VGIC_LR_ACTIVE))
		irq->active = lr_state & VGIC_LR_ACTIVE;
	irq->in_lr = false;
	changed_irq(g, vcpu, intid);
	irq->lr_state = 0;
	irq->lr_mmio = 0;
out:
	spin_unlock(&g->lock);
}

unsigned vgic_lr_fill(struct vgic *g, unsigned vcpu, uint64_t *lrs,
		      unsigned nr_lrs)
{
	unsigned ids[VGIC_MAX_LRS], n = 0, np;

	if (vcpu >= g->ncpus)
		return 0;
	nr_lrs = MIN(nr_lrs, (unsigned)VGIC_MAX_LRS);
	spin_lock(&g->lock);
	if (quiet(g, vcpu)) {
		spin_unlock(&g->lock);
		return 0;
	}
	/* active ones first: the guest must find them to deactivate them */
	for (unsigned id = 0; id < VGIC_NR_IRQS && n < nr_lrs; id++) {
		struct vgic_irq *irq = irq_of(g, vcpu, id);
		unsigned st = VGIC_LR_ACTIVE;

		if (!active_owned(irq, vcpu))
			continue;
		/* an edge pending again rides along; HW ones keep their
		 * pending state in the physical GIC */
		if (irq->edge && !irq->hw && irq->pending_latch)
			st |= VGIC_LR_PENDING;
		lrs[n++] = lr_value(irq, id, st);
		lr_load(irq, vcpu, st);
	}
	np = pending_for_locked(g, vcpu, ids, nr_lrs - n);
	for (unsigned i = 0; i < np; i++) {
		struct vgic_irq *irq = irq_of(g, vcpu, ids[i]);

		lrs[n++] = lr_value(irq, ids[i], VGIC_LR_PENDING);
		lr_load(irq, vcpu, VGIC_LR_PENDING);
	}
	if (n)
		changed_vcpu(g, vcpu);
	spin_unlock(&g->lock);
	return n;
}

bool vgic_has_pending(struct vgic *g, unsigned vcpu)
{
	unsigned id;
	bool any = false;

	if (vcpu >= g->ncpus)
		return false;
	spin_lock(&g->lock);
	if (quiet(g, vcpu)) {
		spin_unlock(&g->lock);
		return false;
	}
	any = pending_for_locked(g, vcpu, &id, 1) > 0;
	for (id = 0; id < VGIC_NR_IRQS && !any; id++) {
		struct vgic_irq *irq = irq_of(g, vcpu, id);

		any = irq->in_lr && irq->lr_vcpu == vcpu &&
		      (irq->lr_state & VGIC_LR_PENDING);
	}
	spin_unlock(&g->lock);
	return any;
}

bool vgic_signalled(struct vgic *g, unsigned vcpu, uint8_t pmr, bool grp0_en,
		    bool grp1_en)
{
	bool any = false;

	if (vcpu >= g->ncpus)
		return false;
	spin_lock(&g->lock);
	if (!quiet(g, vcpu))
		for (unsigned id = 0; id < VGIC_NR_IRQS && !any; id++) {
			struct vgic_irq *irq = irq_of(g, vcpu, id);

			any = irq && deliverable(g, irq, vcpu) &&
			      irq->priority < (pmr & VGIC_PRIO_MASK) &&
			      (irq->group1 ? grp1_en : grp0_en);
		}
	spin_unlock(&g->lock);
	return any;
}

void vgic_deactivate(struct vgic *g, unsigned vcpu, unsigned intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);

	if (!irq || intid < VGIC_NR_SGIS)
		return;
	spin_lock(&g->lock);
	set_active(g, irq, false);
	changed_irq(g, vcpu, intid);
	spin_unlock(&g->lock);
}

bool vgic_is_active(struct vgic *g, unsigned vcpu, unsigned intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);
	bool active;

	if (!irq)
		return false;
	spin_lock(&g->lock);
	active =
	    irq->in_lr ? (irq->lr_state & VGIC_LR_ACTIVE) != 0 : irq->active;
	spin_unlock(&g->lock);
	return active;
}

unsigned vgic_target(struct vgic *g, unsigned vcpu, unsigned intid)
{
	struct vgic_irq *irq = irq_of(g, vcpu, intid);
	unsigned t;

	if (!irq)
		return VGIC_NO_VCPU;
	spin_lock(&g->lock);
	t = irq->target_vcpu;
	spin_unlock(&g->lock);
	return t;
}
