/*
 * Shadow stage-2 tables for nested guests (nv/shadow_s2.c, docs/nested.md).
 *
 * A guest hypervisor (L1) runs its own VM (L2) with a stage 2 of its own
 * (its VTTBR_EL2/VTCR_EL2), which translates L2's IPAs into L1's
 * "physical" addresses, themselves IPAs of hypnest's stage 2 of L1. The
 * hardware has one stage 2: the shadow table maps L2 IPA -> real PA, the
 * two stages composed, filled lazily on L2's stage-2 faults
 * (shadow_s2_fault) and emptied by L1's TLB maintenance
 * (shadow_s2_unmap_ipa, shadow_s2_unmap_all, shadow_s2_unmap_every).
 *
 * One shadow per (L1 VMID, VTTBR base, VTCR), from a bounded pool of
 * SHADOW_S2_SLOTS; a miss recycles the least recently used shadow that no
 * vCPU holds. Table pages are counted against a budget; when it is spent
 * the least recently used shadow's tables are dropped (it is a cache:
 * it refills on faults). One lock for the pool: vCPUs running the same
 * L2 VM share its shadow.
 *
 * Arch-independent: L1's memory, hypnest's stage 2 of L1, table pages and
 * the real TLB are reached through struct shadow_s2_ops. Host-tested
 * (harness/unit/test_shadow_s2.c).
 */
#ifndef HYP_SHADOW_S2_H
#define HYP_SHADOW_S2_H
#include "hyp/pgtable.h"
#include "hyp/spinlock.h"
#include "hyp/types.h"
#include "hyp/walk.h"

#define SHADOW_S2_SLOTS 8

/* hypnest's stage 2 of L1 at one L1 IPA */
struct shadow_s2_l1map {
	uint64_t pa;   /* the real PA of the L1 IPA asked for */
	uint64_t size; /* bytes of the leaf holding it (4K, 2M, 1G) */
	bool r, w, x;
	/* the leaf's MemAttr[3:0] (bits [5:2]) and SH (bits [9:8]), as in a
	 * stage-2 descriptor with HCR_EL2.FWB = 0 */
	uint64_t attrs;
};

struct shadow_s2_ops {
	/* a 64-bit word of L1's memory at L1 IPA pa (8-byte aligned): only
	 * in L1's RAM; false: nothing there (an External abort on the walk) */
	bool (*read)(void *arg, uint64_t pa, uint64_t *val);
	/* compare and swap a word of L1's RAM (hardware update of the
	 * access flag and dirty state, FEAT_HAFDBS): false when the word
	 * was not old or is not RAM */
	bool (*cas)(void *arg, uint64_t pa, uint64_t old, uint64_t val);
	/* hypnest's stage 2 of L1 at L1 IPA ipa; false: not mapped */
	bool (*l1_s2)(void *arg, uint64_t ipa, struct shadow_s2_l1map *m);
	/* a zeroed page-aligned page for a table (0), or non-zero */
	int (*alloc_page)(void *arg, paddr_t *pa);
	void (*free_page)(void *arg, paddr_t pa);
	/* invalidate the real TLBs (every CPU, walk caches included) of
	 * shadow slot for [ipa, ipa + size) of L2 IPA; size 0: all of it.
	 * Called after the descriptors are cleared, before their table
	 * pages are freed. */
	void (*tlbi)(void *arg, unsigned slot, uint64_t ipa, uint64_t size);
	void *arg;
};

struct shadow_s2_pool;

struct shadow_s2 {
	struct shadow_s2_pool *pool;
	bool valid;	    /* holds a (vmid, baddr, vtcr) */
	unsigned slot;	    /* index in the pool: the caller's real VMID */
	unsigned users;	    /* vCPUs holding it (shadow_s2_get/put) */
	uint64_t vmid;	    /* L1's VTTBR_EL2.VMID */
	uint64_t baddr;	    /* L1's VTTBR_EL2.BADDR (CnP dropped) */
	uint64_t vtcr;	    /* L1's VTCR_EL2 */
	uint64_t last_used; /* pool tick: least recently used goes first */
	uint64_t pages;	    /* table pages below the root */
	/* the largest leaf of L1's split into smaller shadow leaves (0:
	 * none): a TLBI by IPA names no size (without a TTL hint), so the
	 * unmap is widened to it (shadow_s2_unmap_ipa) */
	uint64_t max_split;
	struct pgtable pt; /* root: 4K granule, start level 0, 48 bits */
};

struct shadow_s2_pool {
	spinlock_t lock;
	struct shadow_s2 s[SHADOW_S2_SLOTS];
	const struct shadow_s2_ops *ops;
	const struct walk_features *feat; /* what L1's ID registers offer */
	uint64_t tick;
	uint64_t pages, max_pages;    /* every table page, roots included */
	uint64_t recycled, reclaimed; /* shadows reassigned, tables dropped */
};

/* the pool with at most max_pages table pages (at least two per slot),
 * its leaves at most max_leaf bytes (0: any; a larger leaf of L1's and
 * hypnest's is mapped at once as leaves of that size, which needs one
 * table per level as a single leaf does only while hypnest's leaves are
 * at most 512 times max_leaf: its 2 MiB RAM blocks over 4K); 0 or -1
 * when a root cannot be allocated */
int shadow_s2_init(struct shadow_s2_pool *p, const struct shadow_s2_ops *ops,
		   const struct walk_features *feat, uint64_t max_pages,
		   uint64_t max_leaf);

/* the shadow for L1's VTTBR_EL2/VTCR_EL2, found or taken from the least
 * recently used slot no vCPU holds (emptied first), held until
 * shadow_s2_put; NULL when every slot is held */
struct shadow_s2 *shadow_s2_get(struct shadow_s2_pool *p, uint64_t vttbr,
				uint64_t vtcr);
void shadow_s2_put(struct shadow_s2_pool *p, struct shadow_s2 *s);
/* the VMID of L1's VTTBR_EL2: 16 bits with its VTCR_EL2.VS, else 8
 * (D24.2.225) */
static inline uint64_t shadow_s2_vmid(uint64_t vttbr, uint64_t vtcr)
{
	return (vttbr >> 48) & ((vtcr & BIT(19)) ? 0xffff : 0xff);
}
/* HPFAR_EL2 for an L2 IPA (D24.2.76): FIPA [47:4] = IPA[51:12] */
static inline uint64_t shadow_s2_hpfar(uint64_t ipa)
{
	return (ipa >> 12) << 4 & GENMASK(47, 4);
}
/* the real VTTBR_EL2.BADDR of a shadow */
static inline paddr_t shadow_s2_root(const struct shadow_s2 *s)
{
	return (paddr_t)(uintptr_t)s->pt.root;
}

/* L1's controls that shape its stage 2 beyond VTTBR/VTCR */
struct shadow_s2_l1regs {
	bool fwb; /* HCR_EL2.FWB (when FEAT_S2FWB is offered) */
	bool ptw; /* HCR_EL2.PTW */
	bool ee;  /* SCTLR_EL2.EE: its descriptors are big-endian */
};

/* The real stage-2 fault L2 took on a shadow table (EC 0x20 or 0x24) */
struct shadow_s2_exit {
	uint64_t esr; /* ESR_EL2 */
	uint64_t far; /* FAR_EL2 */
	uint64_t ipa; /* the L2 IPA: HPFAR_EL2.FIPA << 12 | FAR[11:0] */
	bool el0;     /* L2 was at EL0 (its execute permission) */
};

enum shadow_s2_outcome {
	SHADOW_S2_MAPPED, /* the shadow maps it now: resume L2 */
	SHADOW_S2_RETRY,  /* L1's descriptor changed under the walk: resume */
	SHADOW_S2_TO_L1,  /* L1's stage 2 faults: inject abort into L1 */
	/* L1's stage 2 permits the access, hypnest's stage 2 of L1 does
	 * not (not L1's RAM, or not for this access): never mapped; the
	 * caller handles the access at L1 IPA l1_pa as L1's own (its MMIO
	 * emulation) or injects a synchronous External abort into L2 */
	SHADOW_S2_L1_PA,
	SHADOW_S2_NOMEM, /* no table page even after reclaiming */
};

struct shadow_s2_result {
	enum shadow_s2_outcome outcome;
	/* SHADOW_S2_TO_L1: what L1 takes at its vEL2 (D8.15, D24.2.45,
	 * D24.2.76) */
	uint64_t esr, far, hpfar;
	uint64_t l1_pa; /* SHADOW_S2_L1_PA: the L1 IPA of the access */
	/* SHADOW_S2_MAPPED: the leaf installed */
	uint64_t map_ipa, map_pa, map_size;
};

/* Resolve L2's stage-2 fault on shadow s with L1's stage 2 as regs say */
void shadow_s2_fault(struct shadow_s2_pool *p, struct shadow_s2 *s,
		     const struct shadow_s2_l1regs *regs,
		     const struct shadow_s2_exit *x,
		     struct shadow_s2_result *r);

/* TLBI IPAS2E1*, RIPAS2E1*: [ipa, ipa + size) of L2 IPA in every shadow
 * of L1's VMID; a leaf partly in the range goes whole */
void shadow_s2_unmap_ipa(struct shadow_s2_pool *p, uint64_t vmid, uint64_t ipa,
			 uint64_t size);
/* TLBI VMALLS12E1*: every shadow of L1's VMID */
void shadow_s2_unmap_all(struct shadow_s2_pool *p, uint64_t vmid);
/* TLBI ALLE1*: every shadow */
void shadow_s2_unmap_every(struct shadow_s2_pool *p);

#endif
