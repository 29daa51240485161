/*
 * VMSAv8-64 translation tables, 4 KiB granule, 48-bit input addresses
 * (Arm ARM D8.2-D8.3). The walker is the same for the hypervisor's own
 * stage-1 and for guests' stage-2; only the leaf attribute bits differ, and
 * the caller passes those. Tables are addressed by their physical address,
 * which the hypervisor maps 1:1 (the host tests use heap pointers).
 */
#ifndef HYP_PGTABLE_H
#define HYP_PGTABLE_H
#include "hyp/types.h"

#define PTE_VALID BIT(0)
#define PTE_TYPE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_ADDR_MASK GENMASK(47, 12)

#define PT_LEVEL_SHIFT(l) (12 + 9 * (3 - (l)))

/* the next-level table a table descriptor points to (identity mapped) */
static inline uint64_t *pt_table_of(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & PTE_ADDR_MASK);
}

/* a table descriptor (levels 0-2; at level 3 the same bits mean a page) */
static inline bool pt_is_table(uint64_t desc, unsigned level)
{
	return level < 3 && (desc & (PTE_VALID | PTE_TYPE_TABLE)) ==
				(PTE_VALID | PTE_TYPE_TABLE);
}

enum pt_err {
	PT_OK = 0,
	PT_EALIGN = -1,	   /* va, pa or size not page aligned */
	PT_ENOMEM = -2,	   /* no page for a table */
	PT_ECONFLICT = -3, /* a different mapping is already there */
	PT_ENOTMAPPED = -4,
};

struct pgtable {
	uint64_t *root;
	unsigned start_level;
	/* a zeroed, page-aligned page for a new table, or non-zero */
	int (*alloc_page)(void *ctx, paddr_t *pa);
	void *ctx;
	/* the largest leaf pt_map makes, in bytes; 0: any (1 GiB) */
	uint64_t max_leaf;
};

/* Map [va, va + size) to pa with leaf attributes attrs (descriptor bits
 * other than the type and address). Uses 1 GiB and 2 MiB blocks where
 * alignment and max_leaf allow. Re-mapping an identical leaf is a no-op. */
int pt_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size,
	   uint64_t attrs);
/* the leaf descriptor translating va and its level */
int pt_lookup(const struct pgtable *pt, uint64_t va, uint64_t *desc,
	      unsigned *level);
/* the output address va maps to, and the leaf's descriptor and size in
 * bytes (desc, size may be NULL); PT_ENOTMAPPED if none */
int pt_translate(const struct pgtable *pt, uint64_t va, paddr_t *pa,
		 uint64_t *desc, uint64_t *size);

/*
 * Reserved leaves: a mapping made usable at its first use (guest RAM,
 * vm/guest_ram.c). The descriptor holds its output address and attributes
 * with VALID clear, so every access to it takes a Translation fault; an
 * invalid descriptor's other bits are IGNORED, for software's use
 * (D8.3.1.3), and no TLB holds an entry that generates a Translation fault
 * (D8.15, R_MLNTS), so no TLB maintenance is needed when it becomes valid. One
 * CPU claims it, makes it ready (for RAM: zeroes it), then publishes it; the
 * others see it busy until then.
 */
#define PTE_RESERVED BIT(55) /* invalid: kept for its first use */
#define PTE_FILLING BIT(56)  /* invalid: claimed, not yet published */

enum pt_claim {
	PT_CLAIM_NONE,	/* no leaf, valid or reserved, at va */
	PT_CLAIM_VALID, /* in use already */
	PT_CLAIM_MINE,	/* reserved, now claimed: ready it, then publish */
	PT_CLAIM_BUSY,	/* another caller claimed it and has not published */
};
/* pt_map, but each leaf reserved */
int pt_map_reserved(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size,
		    uint64_t attrs);
/* claim the reserved leaf translating va: with PT_CLAIM_MINE (and
 * PT_CLAIM_VALID) its output address and size in bytes */
enum pt_claim pt_claim(const struct pgtable *pt, uint64_t va, paddr_t *pa,
		       uint64_t *size);
/* make the leaf claimed for va valid, with output address pa (aligned to
 * the leaf's size: the memory reserved for it, or other): release, so
 * what the claimer wrote before is seen by whoever sees the descriptor;
 * the caller adds what the hardware walk needs, a DSB */
void pt_publish_at(const struct pgtable *pt, uint64_t va, paddr_t pa);
/* the same for a 2 MiB leaf, published as the table of 512 pages at
 * table (a page the caller gives, its old contents overwritten) with the
 * leaf's attributes: the memory is the same, the TLB entries 4 KiB;
 * PT_EALIGN if it is not a 2 MiB leaf */
int pt_publish_pages(const struct pgtable *pt, uint64_t va, paddr_t pa,
		     paddr_t table);

#endif
