/*
 * The virtual GICv3 of a guest (vcpu/vgic.c, vcpu/vgic_lr.c; docs/vgic.md):
 * a distributor and one redistributor per vCPU, emulated by trapping their
 * MMIO, and the per-interrupt state behind them. Interrupts reach the guest
 * through the ICH_LR<n>_EL2 list registers; reading and writing those is the
 * arch code's job, this model only says what goes into them and takes back
 * what the guest did with them. Arch-independent: unit-tested on the host.
 *
 * Spec: Arm IHI 0069 (GICv3/v4), chapter 12 for the registers.
 *
 * Locking: every function below except vgic_init and the pure LR codec
 * takes g->lock itself; do not call them with it held.
 *
 * The list-register protocol (per vCPU; "LR" is one ICH_LR<n>_EL2):
 *
 *   entry:  used = vgic_lr_fill(g, vcpu, lrs, nr_lrs);
 *           write lrs[0..used) to ICH_LR0.., zero the rest;
 *   exit:   for each of those `used` LRs:
 *               vgic_lr_decode(read LR, &d);
 *               vgic_lr_synced(g, vcpu, d.vintid, d.state);
 *           the LRs are now empty as far as the model is concerned.
 *
 * So the model is the one authority between runs: each entry rebuilds the
 * LRs from it (active interrupts first, so the guest can deactivate them,
 * then pending ones by priority). vgic_pending_for + vgic_lr_loaded are the
 * building blocks of vgic_lr_fill, for arch code that fills LRs itself.
 *
 * Per-interrupt bookkeeping (struct vgic_irq):
 *   pending_latch  the latched pending state: rising edge (edge-triggered),
 *                  ISPENDR, an SGI. Level-triggered interrupts are pending
 *                  while line_level is high OR the latch is set (the latch
 *                  is then only the ISPENDR part and is cleared when the
 *                  guest acknowledges). For edge-triggered ones the latch is
 *                  consumed when the pending state is put in an LR.
 *   in_lr          in an LR of vCPU lr_vcpu since the last vgic_lr_fill /
 *                  vgic_lr_loaded, until vgic_lr_synced. An interrupt in an
 *                  LR is never handed out again (no duplicate LRs).
 *   lr_state       the state (VGIC_LR_*) it was loaded with.
 *   lr_mmio        an MMIO write changed its pending (VGIC_LR_PENDING) or
 *                  active (VGIC_LR_ACTIVE) state while it was in an LR of a
 *                  running vCPU: at the sync, that write wins over the LR
 *                  for that part of the state.
 *   lr_vcpu        the vCPU that owns the active state: where an active
 *                  interrupt is reloaded. For SGIs/PPIs the owning vCPU.
 *   target_vcpu    where a pending interrupt goes: the owner for SGIs/PPIs,
 *                  the vCPU irouter names for SPIs (VGIC_NO_VCPU: none).
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H
#include "hyp/config.h"
#include "hyp/spinlock.h"
#include "hyp/types.h"

#define VGIC_NR_SGIS 16
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS 256 /* SPIs 32..287 (GICD_TYPER.ITLinesNumber = 8) */
#define VGIC_NR_IRQS (VGIC_NR_PRIVATE + VGIC_NR_SPIS)
#define VGIC_MAX_LRS 16 /* ICH_LR0..15_EL2 */

#define VGIC_GICD_SIZE 0x10000UL   /* one 64 KiB frame */
#define VGIC_GICR_FRAME 0x10000UL  /* RD_base, then SGI_base */
#define VGIC_GICR_STRIDE 0x20000UL /* per vCPU: 2 frames, no VLPI frames */

/* Priorities keep their upper 5 bits (32 levels), as a GIC and a virtual
 * CPU interface with 5 priority bits do (ICH_VTR_EL2.PRIbits = 4). */
#define VGIC_PRIO_MASK 0xf8

/* GICD_IIDR and GICR_IIDR: ProductID 0x68 ('h'), Variant 0, Revision 0,
 * Implementer 0x43b (JEP106 of Arm, whose architecture this implements) */
#define VGIC_IIDR 0x6800043bU

#define VGIC_NO_VCPU (~0u)

/* vgic_mmio results */
#define VGIC_MMIO_HANDLED 0
#define VGIC_MMIO_NOT_MINE 1 /* not in the GICD or any GICR frame */
#define VGIC_MMIO_BAD 2	     /* bad size or alignment: inject an abort */

/* ICH_LR<n>_EL2.State, and the lr_state / lr_mmio bits */
#define VGIC_LR_INVALID 0
#define VGIC_LR_PENDING 1
#define VGIC_LR_ACTIVE 2
#define VGIC_LR_PENDING_ACTIVE 3

struct vgic_irq {
	uint8_t priority; /* upper 5 bits kept (VGIC_PRIO_MASK) */
	bool group1;	  /* IGROUPR: 1 = Group 1, 0 = Group 0 */
	bool enabled;
	bool pending_latch;
	bool line_level;
	bool active;
	bool edge; /* ICFGR: edge-triggered (SGIs always) */
	bool hw;   /* backed by physical INTID hw_intid (ICH_LR.HW = 1) */
	uint16_t hw_intid;
	uint64_t irouter; /* SPIs: GICD_IROUTER<n> */
	unsigned target_vcpu;
	/* LR bookkeeping: see the top of this file */
	bool in_lr;
	uint8_t lr_state;
	uint8_t lr_mmio;
	uint8_t lr_vcpu;
};

struct vgic_vcpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE]; /* SGIs 0..15, PPIs 16..31 */
	uint64_t mpidr;			       /* the vCPU's MPIDR_EL1 */
	bool waker_processor_sleep;	       /* GICR_WAKER.ProcessorSleep */
	bool last_rdist;		       /* GICR_TYPER.Last */
	bool quiet; /* nothing for this vCPU since its last change (vgic.c) */
};

struct vgic {
	spinlock_t lock;
	uint32_t gicd_ctlr; /* ARE (bit 4) and DS (bit 6) always set; the
			       guest writes EnableGrp0 (0), EnableGrp1 (1) */
	struct vgic_irq spi[VGIC_NR_SPIS];
	struct vgic_vcpu cpu[MAX_CPUS];
	unsigned ncpus;
	/* guest-physical, 64 KiB aligned; GICR: 2 x 64 KiB frames per vCPU
	 * (RD_base + SGI_base), contiguous in vCPU order */
	paddr_t gicd_base, gicr_base;
};

/* Reset state: everything disabled, inactive, not pending, priority 0,
 * Group 1, level-triggered (SGIs edge), IROUTER 0, WAKER.ProcessorSleep
 * set; GICD_CTLR group enables clear. ncpus is capped at MAX_CPUS. */
void vgic_init(struct vgic *g, unsigned ncpus, const uint64_t *mpidr,
	       paddr_t gicd_base, paddr_t gicr_base);

/* An MMIO access by vCPU `vcpu`. Returns VGIC_MMIO_HANDLED, or
 * VGIC_MMIO_NOT_MINE when addr is outside both the GICD (64 KiB) and the
 * GICR range of ncpus frames, or VGIC_MMIO_BAD (unsupported access size or
 * misaligned) -- the caller injects an abort then. Reads fill *val (zero
 * extended); writes use the low `size` bytes of *val. size is 1, 2, 4 or 8:
 * 4 everywhere, 1 only for the byte-accessible registers (IPRIORITYR,
 * ITARGETSR, C/SPENDSGIR), 8 only for 64-bit registers (IROUTER, GICR_TYPER
 * and the LPI registers), 2 never. Reserved offsets: RAZ/WI. */
int vgic_mmio(struct vgic *g, unsigned vcpu, paddr_t addr, bool write,
	      unsigned size, uint64_t *val);

/* A device or timer line changed: level-triggered interrupts follow the
 * line, edge-triggered ones latch pending on a rising edge. intid < 32:
 * private to vcpu; >= 32: SPI (vcpu ignored). Out of range: ignored. */
void vgic_set_line(struct vgic *g, unsigned vcpu, unsigned intid, bool level);

/* Back a (level-triggered) interrupt with a physical one: its LRs get
 * HW = 1 and pINTID, so the guest's deactivation deactivates hw_intid.
 * The physical line is the caller's: it lowers the virtual line with
 * vgic_set_line once the source is no longer asserted. */
void vgic_set_hw(struct vgic *g, unsigned vcpu, unsigned intid, bool hw,
		 unsigned hw_intid);

/* ICC_SGI1R_EL1 / ICC_SGI0R_EL1 write by vCPU `from`: TargetList[15:0],
 * Aff1[23:16], INTID[27:24], Aff2[39:32], IRM[40], RS[47:44], Aff3[55:48].
 * Makes the SGI pending on each targeted vCPU (IRM = 1: all but `from`) on
 * which that SGI is in the register's group (SGI1R: Group 1, SGI0R: Group
 * 0). GICD_TYPER.RSS = 0, so a write with RS != 0 is ignored. */
void vgic_sgi1r(struct vgic *g, unsigned from, uint64_t sgi1r);
void vgic_sgi0r(struct vgic *g, unsigned from, uint64_t sgi0r);

/* Up to `max` interrupts for vcpu, highest priority (lowest value) first,
 * equal priorities by INTID: enabled, pending, not active, not in an LR,
 * group enabled in GICD_CTLR; SPIs only if routed to vcpu (IROUTER.IRM = 0:
 * Aff3.Aff2.Aff1.Aff0 equal to the vCPU's MPIDR; IRM = 1: vCPU 0). Their
 * INTIDs go to out[]; returns the count. */
unsigned vgic_pending_for(struct vgic *g, unsigned vcpu, unsigned *out,
			  unsigned max);

/* The arch code put `intid` in an LR of vcpu as pending: in_lr, and an
 * edge-triggered interrupt's latch moves into the LR. */
void vgic_lr_loaded(struct vgic *g, unsigned vcpu, unsigned intid);

/* After an exit, the state the guest left in the LR holding `intid`
 * (VGIC_LR_*). Folds it back into the model and takes the interrupt out of
 * the LR: active follows the LR; an edge-triggered interrupt still pending
 * in the LR is latched again; a level-triggered one the guest acknowledged
 * loses its latch and stays pending only while its line is high. */
void vgic_lr_synced(struct vgic *g, unsigned vcpu, unsigned intid,
		    unsigned lr_state);

/* Entry: build up to nr_lrs (<= VGIC_MAX_LRS) LR values for vcpu into
 * lrs[], mark each loaded and return how many. First the active interrupts
 * vcpu owns (active, or pending and active for an edge-triggered one
 * pending again), then vgic_pending_for's. Level-triggered interrupts
 * without HW get the EOI bit, so the guest's deactivation raises a
 * maintenance interrupt and the line is looked at again. Interrupts that
 * did not fit stay for the next entry (vgic_has_pending then says so; the
 * caller may ask for an underflow maintenance interrupt). */
unsigned vgic_lr_fill(struct vgic *g, unsigned vcpu, uint64_t *lrs,
		      unsigned nr_lrs);

/* true if vcpu has anything deliverable (for WFI wake-up): something
 * vgic_pending_for would return, or something pending in its LRs. The
 * guest's priority mask and running priority are not looked at (they live
 * in the CPU interface), so a wake-up may be spurious, as WFI allows. */
bool vgic_has_pending(struct vgic *g, unsigned vcpu);
/* true if vcpu's CPU interface would signal an interrupt now: one
 * vgic_pending_for would return whose priority is higher than the
 * priority mask (value below pmr) and whose group the interface enables
 * (IHI 0069: an interrupt is signalled to the PE only then). The running
 * priority is not looked at. What routes a guest hypervisor's interrupt to
 * its vEL2 (vcpu/vcpu.c): never one its own mask holds back. */
bool vgic_signalled(struct vgic *g, unsigned vcpu, uint8_t pmr, bool grp0_en,
		    bool grp1_en);
/* the interrupt is active for vcpu (acknowledged, not yet deactivated) */
bool vgic_is_active(struct vgic *g, unsigned vcpu, unsigned intid);

/* Deactivate a PPI of vcpu or an SPI, as a hardware-linked list register
 * does its physical interrupt when the guest deactivates the virtual one
 * (the nested vGIC: a guest hypervisor's HW = 1 entries, whose "physical"
 * interrupt is this model's). As ICACTIVER: held in a running vCPU's LR,
 * the change wins at its sync. SGIs (HW = 1 never names one) and INTIDs
 * out of range: ignored. */
void vgic_deactivate(struct vgic *g, unsigned vcpu, unsigned intid);

/* The vCPU an interrupt would go to now (to kick it after vgic_set_line or
 * an SGI): the owner of an SGI/PPI, the routed vCPU of an SPI, or
 * VGIC_NO_VCPU. */
unsigned vgic_target(struct vgic *g, unsigned vcpu, unsigned intid);

/* ---- ICH_LR<n>_EL2 codec (vcpu/vgic_lr.c): pure, no model state ---- */

#define VGIC_LR_VINTID_MASK 0xffffffffUL /* vINTID [31:0] */
#define VGIC_LR_PINTID_SHIFT 32		 /* pINTID [44:32] when HW = 1 */
#define VGIC_LR_PINTID_MASK 0x1fffUL	 /* 13 bits */
#define VGIC_LR_EOI BIT(41)		 /* HW = 0: maintenance on EOI */
#define VGIC_LR_PRIORITY_SHIFT 48	 /* Priority [55:48] */
#define VGIC_LR_GROUP BIT(60)		 /* 1: Group 1 (vIRQ) */
#define VGIC_LR_HW BIT(61)		 /* backed by pINTID */
#define VGIC_LR_STATE_SHIFT 62		 /* State [63:62] */

struct vgic_lr {
	uint32_t vintid;
	uint16_t pintid; /* HW = 1 only */
	uint8_t priority;
	bool group1;
	bool hw;
	bool eoi;	/* HW = 0 only */
	unsigned state; /* VGIC_LR_* */
};

uint64_t vgic_lr_encode(const struct vgic_lr *lr);
void vgic_lr_decode(uint64_t v, struct vgic_lr *lr);

#endif
