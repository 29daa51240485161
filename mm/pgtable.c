/* Translation-table construction: see include/hyp/pgtable.h. */
#include "hyp/pgtable.h"
#include "hyp/arch.h"

/* Blocks exist at levels 1 and 2 with a 4 KiB granule (D8.3.1); a level 0
 * block would need FEAT_LPA2. */
static bool can_block(unsigned level, uint64_t va, paddr_t pa, uint64_t size,
		      uint64_t cur)
{
	uint64_t blk = 1UL << PT_LEVEL_SHIFT(level);

	return level >= 1 && IS_ALIGNED(va | pa, blk) && size >= blk &&
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

		if (level == 3 || can_block(level, va, pa, size, *pte)) {
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
 * invalid one), and its level */
static uint64_t *leaf_slot(const struct pgtable *pt, uint64_t va,
			   unsigned *level)
{
	uint64_t *table = pt->root;

	/* no table descriptor at level 3: the walk ends there at the latest */
	for (unsigned l = pt->start_level;; l++) {
		uint64_t *slot = &table[(va >> PT_LEVEL_SHIFT(l)) & 511];
		uint64_t d = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

		if (!pt_is_table(d, l)) {
			*level = l;
			return slot;
		}
		table = pt_table_of(d);
	}
}

int pt_lookup(const struct pgtable *pt, uint64_t va, uint64_t *desc,
	      unsigned *level)
{
	uint64_t d =
	    __atomic_load_n(leaf_slot(pt, va, level), __ATOMIC_ACQUIRE);

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
	uint64_t *slot = leaf_slot(pt, va, &level);
	uint64_t d = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!(d & (PTE_VALID | PTE_RESERVED)))
		return PT_CLAIM_NONE;
	*size = 1UL << PT_LEVEL_SHIFT(level);
	*pa = d & PTE_ADDR_MASK & ~(*size - 1);
	if (d & PTE_VALID)
		return PT_CLAIM_VALID;
	if ((d & PTE_FILLING) ||
	    !__atomic_compare_exchange_n(slot, &d, d | PTE_FILLING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return PT_CLAIM_BUSY;
	return PT_CLAIM_MINE;
}

void pt_publish_at(const struct pgtable *pt, uint64_t va, paddr_t pa)
{
	unsigned level;
	uint64_t *slot = leaf_slot(pt, va, &level);
	uint64_t d = *slot & ~(PTE_RESERVED | PTE_FILLING | PTE_ADDR_MASK);

	__atomic_store_n(slot, d | (pa & PTE_ADDR_MASK) | PTE_VALID,
			 __ATOMIC_RELEASE);
}

/* The table is written in full, and a DSB makes it visible to walks,
 * before the descriptor that links it (D8.17.1: a walk may fetch through
 * the new table descriptor at once). The leaf it replaces was invalid, so
 * no break-before-make is needed. */
int pt_publish_pages(const struct pgtable *pt, uint64_t va, paddr_t pa)
{
	unsigned level;
	uint64_t *slot = leaf_slot(pt, va, &level);
	uint64_t attrs = *slot & ~(PTE_RESERVED | PTE_FILLING | PTE_ADDR_MASK |
				   PTE_VALID | PTE_TYPE_TABLE);
	paddr_t table;
	uint64_t *t;

	if (level != 2 || pt->alloc_page(pt->ctx, &table))
		return PT_ENOMEM;
	t = (uint64_t *)(uintptr_t)table;
	pa &= PTE_ADDR_MASK & ~((1UL << PT_LEVEL_SHIFT(2)) - 1);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (pa + ((uint64_t)i << PT_LEVEL_SHIFT(3))) | attrs |
		       PTE_VALID | PTE_TYPE_TABLE; /* at level 3: a page */
	arch_table_barrier();
	__atomic_store_n(slot, table | PTE_VALID | PTE_TYPE_TABLE,
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
