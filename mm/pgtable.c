/* Translation-table construction: see include/hyp/pgtable.h. */
#include "hyp/pgtable.h"
#include "hyp/arch.h"

/* Blocks exist at levels 1 and 2 with a 4 KiB granule (D8.3.1); a level 0
 * block would need FEAT_LPA2. */
static bool can_block(const struct pgtable *pt, unsigned level, uint64_t va,
		      paddr_t pa, uint64_t size, uint64_t cur)
{
	uint64_t blk = 1UL << PT_LEVEL_SHIFT(level);

	return level >= 1 && (!pt->max_leaf || blk <= pt->max_leaf) &&
	       IS_ALIGNED(va | pa, blk) && size >= blk &&
	       !pt_is_table(cur, level);
}

/* an entry in use: valid, or reserved for its first use (pgtable.h) */
static bool occupied(uint64_t desc)
{
	return desc & (PTE_VALID | PTE_RESERVED);
}

/* mark: PTE_VALID, or PTE_RESERVED for a leaf kept invalid until its
 * first use */
static int set_leaf(uint64_t *pte, unsigned level, paddr_t pa, uint64_t attrs,
		    uint64_t mark)
{
	uint64_t desc = pa | attrs | mark | (level == 3 ? PTE_TYPE_TABLE : 0);

	if (occupied(*pte))
		return *pte == desc ? PT_OK : PT_ECONFLICT;
	*pte = desc;
	return PT_OK;
}

static int next_table(struct pgtable *pt, uint64_t *pte, unsigned level,
		      uint64_t **next)
{
	paddr_t page;

	if (!occupied(*pte)) {
		if (pt->alloc_page(pt->ctx, &page))
			return PT_ENOMEM;
		*pte = page | PTE_VALID | PTE_TYPE_TABLE;
	} else if (!pt_is_table(*pte, level)) {
		return PT_ECONFLICT; /* a block is there: no splitting */
	}
	*next = pt_table_of(*pte);
	return PT_OK;
}

static int map_level(struct pgtable *pt, uint64_t *table, unsigned level,
		     uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs,
		     uint64_t mark)
{
	while (size) {
		uint64_t blk = 1UL << PT_LEVEL_SHIFT(level);
		uint64_t *pte = &table[(va >> PT_LEVEL_SHIFT(level)) & 511];
		uint64_t step;
		uint64_t *next;
		int ret;

		if (level == 3 || can_block(pt, level, va, pa, size, *pte)) {
			step = blk;
			ret = set_leaf(pte, level, pa, attrs, mark);
		} else {
			step = MIN(size, blk - (va & (blk - 1)));
			ret = next_table(pt, pte, level, &next);
			if (!ret)
				ret = map_level(pt, next, level + 1, va, pa,
						step, attrs, mark);
		}
		if (ret)
			return ret;
		va += step;
		pa += step;
		size -= step;
	}
	return PT_OK;
}

static int map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size,
	       uint64_t attrs, uint64_t mark)
{
	if (!IS_ALIGNED(va | pa | size, 4096))
		return PT_EALIGN;
	return map_level(pt, pt->root, pt->start_level, va, pa, size, attrs,
			 mark);
}

int pt_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size,
	   uint64_t attrs)
{
	return map(pt, va, pa, size, attrs, PTE_VALID);
}

/* the descriptor that translates va, valid or where the walk stops (an
 * invalid one), its level, and in *desc the value the walk saw there: the
 * one to decide on, since another CPU may publish a table in that slot
 * (pt_publish_pages) after the walk read it */
static uint64_t *leaf_slot(const struct pgtable *pt, uint64_t va,
			   unsigned *level, uint64_t *desc)
{
	uint64_t *table = pt->root;

	/* no table descriptor at level 3: the walk ends there at the latest */
	for (unsigned l = pt->start_level;; l++) {
		uint64_t *slot = &table[(va >> PT_LEVEL_SHIFT(l)) & 511];
		uint64_t d = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

		if (!pt_is_table(d, l)) {
			*level = l;
			*desc = d;
			return slot;
		}
		table = pt_table_of(d);
	}
}

#ifdef PT_TEST_HOOKS
/* host tests only: runs between a claim's walk and its use of what the
 * walk saw, to put another CPU's publication in that window */
void (*pt_test_after_walk)(uint64_t *slot);
#define AFTER_WALK(slot)                                                       \
	(pt_test_after_walk ? pt_test_after_walk(slot) : (void)0)
#else
#define AFTER_WALK(slot) ((void)0)
#endif

int pt_lookup(const struct pgtable *pt, uint64_t va, uint64_t *desc,
	      unsigned *level)
{
	uint64_t d;

	leaf_slot(pt, va, level, &d);
	if (!(d & PTE_VALID))
		return PT_ENOTMAPPED;
	*desc = d;
	return PT_OK;
}

int pt_map_reserved(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size,
		    uint64_t attrs)
{
	return map(pt, va, pa, size, attrs, PTE_RESERVED);
}

enum pt_claim pt_claim(const struct pgtable *pt, uint64_t va, paddr_t *pa,
		       uint64_t *size)
{
	unsigned level;
	uint64_t d;
	uint64_t *slot = leaf_slot(pt, va, &level, &d);

	AFTER_WALK(slot);
	if (!(d & (PTE_VALID | PTE_RESERVED)))
		return PT_CLAIM_NONE;
	*size = 1UL << PT_LEVEL_SHIFT(level);
	*pa = d & PTE_ADDR_MASK & ~(*size - 1);
	if (d & PTE_VALID)
		return PT_CLAIM_VALID;
	/* the CAS fails if the slot changed since the walk: busy, and the
	 * caller's retry walks again */
	if ((d & PTE_FILLING) ||
	    !__atomic_compare_exchange_n(slot, &d, d | PTE_FILLING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return PT_CLAIM_BUSY;
	return PT_CLAIM_MINE;
}

/* the leaf's own bits a published leaf keeps: MemAttr, S2AP, SH, AF,
 * FnXS (bits 11:2) and XN, Contiguous, DBM (54:51) of a stage-2 leaf
 * (D8.3.1.2); not the software bits of a reserved one */
#define LEAF_ATTRS (GENMASK(11, 2) | GENMASK(54, 51))

void pt_publish_at(const struct pgtable *pt, uint64_t va, paddr_t pa)
{
	unsigned level;
	uint64_t d;
	uint64_t *slot = leaf_slot(pt, va, &level, &d);
	uint64_t size = 1UL << PT_LEVEL_SHIFT(level);

	d = (d & (LEAF_ATTRS | PTE_TYPE_TABLE)) |
	    (pa & PTE_ADDR_MASK & ~(size - 1));
	__atomic_store_n(slot, d | PTE_VALID, __ATOMIC_RELEASE);
}

/* The table is written in full, and a DSB makes it visible to walks,
 * before the descriptor that links it (D8.2.6.1: a walk may fetch through
 * the new table descriptor at once). The leaf it replaces was invalid, so
 * no break-before-make is needed (D8.17.1), nor TLB maintenance (D8.15). */
int pt_publish_pages(const struct pgtable *pt, uint64_t va, paddr_t pa,
		     paddr_t table)
{
	unsigned level;
	uint64_t d;
	uint64_t *slot = leaf_slot(pt, va, &level, &d);
	uint64_t *t = (uint64_t *)(uintptr_t)table;

	if (level != 2)
		return PT_EALIGN;
	pa &= PTE_ADDR_MASK & ~((1UL << PT_LEVEL_SHIFT(2)) - 1);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (pa + ((uint64_t)i << PT_LEVEL_SHIFT(3))) |
		       (d & LEAF_ATTRS) | PTE_VALID |
		       PTE_TYPE_TABLE; /* at level 3: a page */
	arch_table_barrier();
	__atomic_store_n(slot,
			 (table & PTE_ADDR_MASK) | PTE_VALID | PTE_TYPE_TABLE,
			 __ATOMIC_RELEASE);
	return PT_OK;
}

int pt_translate(const struct pgtable *pt, uint64_t va, paddr_t *pa,
		 uint64_t *desc, uint64_t *size)
{
	uint64_t d, sz;
	unsigned level;

	if (pt_lookup(pt, va, &d, &level))
		return PT_ENOTMAPPED;
	sz = 1UL << PT_LEVEL_SHIFT(level);
	*pa = (d & PTE_ADDR_MASK & ~(sz - 1)) | (va & (sz - 1));
	if (desc)
		*desc = d;
	if (size)
		*size = sz;
	return PT_OK;
}
