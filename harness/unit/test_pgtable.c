/* mm/pgtable.c: building and walking translation tables. */
#include <stdlib.h>
#include <string.h>

#include "hyp/pgtable.h"
#include "unit.h"

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* a leaf attribute pattern: AF, SH, AP, AttrIndx, and XN (bit 54) */
#define ATTRS                                                                  \
	((1ULL << 10) | (3ULL << 8) | (1ULL << 6) | (1ULL << 2) | (1ULL << 54))
#define ATTRS2 ((1ULL << 10) | (1ULL << 7) | (1ULL << 53))
#define DESC_ATTRS (~(0xfffffffff000ULL | 3ULL))

#define MAX_PAGES 64

/* hands out zeroed, aligned heap pages; fails after "limit" of them */
struct pool {
	void *page[MAX_PAGES];
	unsigned n, limit;
};

static int pool_alloc(void *ctx, paddr_t *pa)
{
	struct pool *p = ctx;
	void *page;

	if (p->n >= p->limit || p->n >= MAX_PAGES)
		return -1;
	page = aligned_alloc(4096, 4096);
	CHECK(page);
	memset(page, 0, 4096);
	p->page[p->n++] = page;
	*pa = (paddr_t)(uintptr_t)page;
	return 0;
}

static void pt_init(struct pgtable *pt, struct pool *p, unsigned level)
{
	paddr_t root;

	memset(p, 0, sizeof(*p));
	p->limit = MAX_PAGES;
	CHECK_EQ(pool_alloc(p, &root), 0);
	*pt = (struct pgtable){ .root = (uint64_t *)(uintptr_t)root,
				.start_level = level,
				.alloc_page = pool_alloc,
				.ctx = p };
}

static void pt_done(struct pool *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->page[i]);
	p->n = 0;
}

/* va is translated by a leaf at level, with attrs, to out */
static void check_leaf(struct pgtable *pt, uint64_t va, unsigned level,
		       paddr_t out, uint64_t attrs)
{
	uint64_t desc = 0, size = 1ULL << (12 + 9 * (3 - level));
	unsigned l = 99;

	CHECKF(pt_lookup(pt, va, &desc, &l) == PT_OK, "va 0x%llx unmapped",
	       (unsigned long long)va);
	CHECKF(l == level, "va 0x%llx: level %u, expected %u",
	       (unsigned long long)va, l, level);
	/* level 3: a page (0b11); levels 1-2: a block (0b01) */
	CHECK_EQ(desc & 3, level == 3 ? 3 : 1);
	CHECK_EQ(desc & 0xfffffffff000ULL, out & ~(size - 1));
	CHECK_EQ(out & (size - 1), va & (size - 1) & ~0xfffULL);
	CHECK_EQ(desc & DESC_ATTRS, attrs);
	/* pt_translate: the same leaf, the address within it */
	{
		paddr_t pa = 0;
		uint64_t d2 = 0, sz = 0;

		CHECK_EQ(pt_translate(pt, va, &pa, &d2, &sz), PT_OK);
		CHECK_EQ(pa, out | (va & 0xfffULL));
		CHECK_EQ(d2, desc);
		CHECK_EQ(sz, size);
		CHECK_EQ(pt_translate(pt, va, &pa, NULL, NULL), PT_OK);
		CHECK_EQ(pa, out | (va & 0xfffULL));
	}
}

static void check_unmapped(struct pgtable *pt, uint64_t va)
{
	uint64_t desc = 0x5a5a;
	unsigned l = 99;

	paddr_t pa;

	CHECKF(pt_lookup(pt, va, &desc, &l) == PT_ENOTMAPPED,
	       "va 0x%llx mapped", (unsigned long long)va);
	CHECK_EQ(pt_translate(pt, va, &pa, NULL, NULL), PT_ENOTMAPPED);
}

TEST(level2_blocks)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x80000000, 4 * MIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40000000, 2, 0x80000000, ATTRS);
	check_leaf(&pt, 0x40200000, 2, 0x80200000, ATTRS);
	check_leaf(&pt, 0x401ff000, 2, 0x80000000 + 0x1ff000, ATTRS);
	check_leaf(&pt, 0x403ff000, 2, 0x803ff000, ATTRS);
	check_unmapped(&pt, 0x40400000);
	check_unmapped(&pt, 0x3ffff000);
	/* root, one level-1 and one level-2 table; no level 3 */
	CHECK_EQ(p.n, 3);
	/* the descriptors in the tables themselves */
	CHECK_EQ(pt.root[0] & 3, 3);
	pt_done(&p);
}

TEST(level1_block)
{
	struct pgtable pt;
	struct pool p;
	uint64_t *l1;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x80000000, 0xc0000000, GIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x80000000, 1, 0xc0000000, ATTRS);
	check_leaf(&pt, 0x92345000, 1, 0xd2345000, ATTRS);
	check_leaf(&pt, 0xbffff000, 1, 0xfffff000, ATTRS);
	check_unmapped(&pt, 0xc0000000);
	check_unmapped(&pt, 0x7ffff000);
	CHECK_EQ(p.n, 2);
	l1 = (uint64_t *)(uintptr_t)(pt.root[0] & 0xfffffffff000ULL);
	CHECK_EQ(l1[2], 0xc0000000 | ATTRS | 1);
	pt_done(&p);
}

TEST(level3_page)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40123000, 0x9abcd000, 4 * KIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40123000, 3, 0x9abcd000, ATTRS);
	check_unmapped(&pt, 0x40122000);
	check_unmapped(&pt, 0x40124000);
	CHECK_EQ(p.n, 4);
	pt_done(&p);
}

/* [0x3fe00000 + 0x1f0000, 0x40400000 + 0x3000): 16 pages up to the
 * 2 MiB boundary, a 2 MiB block... and the 1 GiB boundary at 0x40000000
 * in between: pages, blocks across it, pages */
TEST(straddle)
{
	const uint64_t va = 0x3fff0000, pa = 0x13fff0000;
	const uint64_t end = 0x40403000;
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, va, pa, end - va, ATTRS2), PT_OK);
	for (uint64_t a = va; a < 0x40000000; a += 4 * KIB)
		check_leaf(&pt, a, 3, pa + (a - va), ATTRS2);
	check_leaf(&pt, 0x40000000, 2, 0x140000000, ATTRS2);
	check_leaf(&pt, 0x401ff000, 2, 0x1401ff000, ATTRS2);
	check_leaf(&pt, 0x40200000, 2, 0x140200000, ATTRS2);
	for (uint64_t a = 0x40400000; a < end; a += 4 * KIB)
		check_leaf(&pt, a, 3, pa + (a - va), ATTRS2);
	check_unmapped(&pt, va - 4 * KIB);
	check_unmapped(&pt, end);
	check_unmapped(&pt, 0x3fe00000);
	pt_done(&p);
}

/* va 2 MiB aligned but pa not: no block can be used */
TEST(pa_misaligned_for_blocks)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x40001000, 4 * MIB, ATTRS), PT_OK);
	for (uint64_t a = 0x200000; a < 0x600000; a += 4 * KIB)
		check_leaf(&pt, a, 3, 0x40001000 + (a - 0x200000), ATTRS);
	pt_done(&p);
}

/* a 2 MiB-aligned range that is not a whole number of blocks */
TEST(block_then_pages)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x600000, 0x600000, 2 * MIB + 8 * KIB, ATTRS),
		 PT_OK);
	check_leaf(&pt, 0x600000, 2, 0x600000, ATTRS);
	check_leaf(&pt, 0x800000, 3, 0x800000, ATTRS);
	check_leaf(&pt, 0x801000, 3, 0x801000, ATTRS);
	check_unmapped(&pt, 0x802000);
	pt_done(&p);
}

TEST(remap_identical)
{
	struct pgtable pt;
	struct pool p;
	unsigned n;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x3fff0000, 0x3fff0000, 4 * MIB, ATTRS), PT_OK);
	n = p.n;
	CHECK_EQ(pt_map(&pt, 0x3fff0000, 0x3fff0000, 4 * MIB, ATTRS), PT_OK);
	/* a part of it, too */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x3fff1000, 0x3fff1000, 4 * KIB, ATTRS), PT_OK);
	CHECK_EQ(p.n, n);
	check_leaf(&pt, 0x40000000, 2, 0x40000000, ATTRS);
	check_leaf(&pt, 0x3fff1000, 3, 0x3fff1000, ATTRS);
	pt_done(&p);
}

TEST(remap_conflict)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x50000000, 0x50000000, 4 * KIB, ATTRS), PT_OK);
	/* other output address, other attributes: block and page */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40200000, 2 * MIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS2),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x50000000, 0x50001000, 4 * KIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x50000000, 0x50000000, 4 * KIB, ATTRS2),
		 PT_ECONFLICT);
	/* the old mappings are untouched */
	check_leaf(&pt, 0x40000000, 2, 0x40000000, ATTRS);
	check_leaf(&pt, 0x50000000, 3, 0x50000000, ATTRS);
	pt_done(&p);
}

TEST(page_inside_block)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x80000000, 0x80000000, GIB, ATTRS), PT_OK);
	/* even with the addresses the block gives: no splitting */
	CHECK_EQ(pt_map(&pt, 0x40001000, 0x40001000, 4 * KIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x80200000, 0x80200000, 2 * MIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x80001000, 0x80001000, 4 * KIB, ATTRS),
		 PT_ECONFLICT);
	check_leaf(&pt, 0x40001000, 2, 0x40001000, ATTRS);
	check_leaf(&pt, 0x80001000, 1, 0x80001000, ATTRS);
	pt_done(&p);
}

/* a block over a range that already has pages: pages are used, so the
 * existing ones are kept and must agree */
TEST(block_over_pages)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40005000, 0x40005000, 4 * KIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40005000, 3, 0x40005000, ATTRS);
	check_leaf(&pt, 0x40000000, 3, 0x40000000, ATTRS);
	check_leaf(&pt, 0x401ff000, 3, 0x401ff000, ATTRS);
	CHECK_EQ(pt_map(&pt, 0x40200000, 0x40200000, 4 * KIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, 0x40200000, 0x50200000, 2 * MIB, ATTRS),
		 PT_ECONFLICT);
	pt_done(&p);
}

TEST(misaligned)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000800, 0x40000000, 4 * KIB, ATTRS),
		 PT_EALIGN);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000001, 4 * KIB, ATTRS),
		 PT_EALIGN);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 4 * KIB + 1, ATTRS),
		 PT_EALIGN);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2048, ATTRS), PT_EALIGN);
	CHECK_EQ(p.n, 1);
	check_unmapped(&pt, 0x40000000);
	pt_done(&p);
}

TEST(enomem)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	p.limit = 1; /* the root only */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 4 * KIB, ATTRS),
		 PT_ENOMEM);
	p.limit = 3; /* levels 1 and 2, not 3 */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 4 * KIB, ATTRS),
		 PT_ENOMEM);
	check_unmapped(&pt, 0x40000000);
	/* a block needs no level-3 table */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40000000, 2, 0x40000000, ATTRS);
	p.limit = 4;
	CHECK_EQ(pt_map(&pt, 0x40200000, 0x40200000, 4 * KIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40200000, 3, 0x40200000, ATTRS);
	pt_done(&p);
}

TEST(not_mapped)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	check_unmapped(&pt, 0);
	check_unmapped(&pt, 0x40000000);
	check_unmapped(&pt, 0xfffffffff000ULL);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 4 * KIB, ATTRS), PT_OK);
	/* same level-3 table, other entries */
	check_unmapped(&pt, 0x40001000);
	check_unmapped(&pt, 0x401ff000);
	/* other tables */
	check_unmapped(&pt, 0x40200000);
	check_unmapped(&pt, 0x80000000);
	check_unmapped(&pt, 0x8000000000ULL + 0x40000000);
	pt_done(&p);
}

/* start level 1: the root is a level-1 table, 512 GiB of input space */
TEST(start_level1)
{
	const uint64_t top = 511 * GIB;
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 1);
	CHECK_EQ(pt_map(&pt, GIB, 0x80000000, GIB, ATTRS), PT_OK);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(pt.root[1], 0x80000000 | ATTRS | 1);
	check_leaf(&pt, GIB + 0x1000, 1, 0x80001000, ATTRS);
	CHECK_EQ(pt_map(&pt, top + 2 * MIB, 0x40000000, 2 * MIB, ATTRS), PT_OK);
	CHECK_EQ(pt_map(&pt, top + 0x1ff000, 0x50000000, 4 * KIB, ATTRS),
		 PT_OK);
	CHECK_EQ(pt.root[511] & 3, 3);
	check_leaf(&pt, top + 2 * MIB, 2, 0x40000000, ATTRS);
	check_leaf(&pt, top + 0x1ff000, 3, 0x50000000, ATTRS);
	check_unmapped(&pt, top);
	check_unmapped(&pt, 0);
	/* level-1 table, level-2 table, level-3 table */
	CHECK_EQ(p.n, 3);
	pt_done(&p);
}

TEST(start_level0)
{
	const uint64_t va = 0x8000000000ULL * 3 + 5 * GIB; /* root[3] */
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, va, 0x40000000, GIB, ATTRS), PT_OK);
	CHECK_EQ(pt.root[3] & 3, 3);
	CHECK_EQ(pt.root[0], 0);
	check_leaf(&pt, va + 0x1000, 1, 0x40001000, ATTRS);
	check_unmapped(&pt, 5 * GIB);
	/* the top of the 48-bit space */
	CHECK_EQ(pt_map(&pt, 0xfffffffff000ULL, 0x1000, 4 * KIB, ATTRS), PT_OK);
	CHECK_EQ(pt.root[511] & 3, 3);
	check_leaf(&pt, 0xfffffffff000ULL, 3, 0x1000, ATTRS);
	pt_done(&p);
}

/* high output addresses (up to bit 47) survive in the descriptor */
TEST(high_pa)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0xffffc0000000ULL, GIB, ATTRS), PT_OK);
	check_leaf(&pt, 0x40000000, 1, 0xffffc0000000ULL, ATTRS);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x876543210000ULL, 4 * KIB, 0), PT_OK);
	check_leaf(&pt, 0x1000, 3, 0x876543210000ULL, 0);
	pt_done(&p);
}

TEST(size_zero)
{
	struct pgtable pt;
	struct pool p;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 0, ATTRS), PT_OK);
	CHECK_EQ(p.n, 1);
	check_unmapped(&pt, 0x40000000);
	pt_done(&p);
}

/* reserved leaves (guest RAM mapped at its first use, vm/guest_ram.c):
 * unmapped to every walk until claimed and published; one claimer; the
 * address and attributes kept through it */
TEST(reserved_claim_publish)
{
	struct pgtable pt;
	struct pool p;
	paddr_t pa = 0;
	uint64_t size = 0;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map_reserved(&pt, 0x40000000, 0x80000000, 4 * MIB, ATTRS),
		 PT_OK);
	check_unmapped(&pt, 0x40000000);
	check_unmapped(&pt, 0x40300000);
	/* nothing reserved or mapped there */
	CHECK_EQ(pt_claim(&pt, 0x40400000, &pa, &size), PT_CLAIM_NONE);
	CHECK_EQ(pt_claim(&pt, 0x1000, &pa, &size), PT_CLAIM_NONE);
	/* the second block, from an address inside it */
	CHECK_EQ(pt_claim(&pt, 0x40234000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pa, 0x80200000);
	CHECK_EQ(size, 2 * MIB);
	/* claimed, not published: still faults, and nobody else gets it */
	check_unmapped(&pt, 0x40200000);
	CHECK_EQ(pt_claim(&pt, 0x40200000, &pa, &size), PT_CLAIM_BUSY);
	pt_publish_at(&pt, 0x40200000, 0x80200000);
	check_leaf(&pt, 0x40200000, 2, 0x80200000, ATTRS);
	pa = size = 0;
	CHECK_EQ(pt_claim(&pt, 0x40300000, &pa, &size), PT_CLAIM_VALID);
	CHECK_EQ(pa, 0x80200000);
	CHECK_EQ(size, 2 * MIB);
	/* a reserved leaf is taken: no mapping over it, no table in it */
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x90000000, 2 * MIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map(&pt, 0x40001000, 0x90000000, 4 * KIB, ATTRS),
		 PT_ECONFLICT);
	CHECK_EQ(pt_map_reserved(&pt, 0x40000000, 0x90000000, 2 * MIB, ATTRS),
		 PT_ECONFLICT);
	/* the first block is untouched by all that */
	check_unmapped(&pt, 0x40000000);
	CHECK_EQ(pt_claim(&pt, 0x40000000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pa, 0x80000000);
	pt_publish_at(&pt, 0x40000000, 0x80000000);
	check_leaf(&pt, 0x40000000, 2, 0x80000000, ATTRS);
	pt_done(&p);
}

/* a claimed leaf published with other memory: the new address, the same
 * attributes, valid; the leaves around it keep theirs */
TEST(reserved_publish_at)
{
	struct pgtable pt;
	struct pool p;
	paddr_t pa = 0;
	uint64_t size = 0;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map_reserved(&pt, 0x40000000, 0x80000000, 6 * MIB, ATTRS),
		 PT_OK);
	CHECK_EQ(pt_claim(&pt, 0x40200000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pa, 0x80200000);
	pt_publish_at(&pt, 0x40200000, 0x70400000);
	check_leaf(&pt, 0x40200000, 2, 0x70400000, ATTRS);
	pa = size = 0;
	CHECK_EQ(pt_claim(&pt, 0x40212345, &pa, &size), PT_CLAIM_VALID);
	CHECK_EQ(pa, 0x70400000);
	CHECK_EQ(size, 2 * MIB);
	check_unmapped(&pt, 0x40000000);
	check_unmapped(&pt, 0x40400000);
	CHECK_EQ(pt_claim(&pt, 0x40400000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pa, 0x80400000);
	pt_done(&p);
}

static uint64_t pages_table[512] __attribute__((aligned(4096)));

/* a claimed 2 MiB leaf published as 512 pages: each 4 KiB of it maps to
 * its own 4 KiB of the block with the block's attributes, a claim there
 * finds it valid and 4 KiB; a page-sized leaf cannot be split */
TEST(reserved_publish_pages)
{
	struct pgtable pt;
	struct pool p;
	paddr_t pa = 0, table = (paddr_t)(uintptr_t)pages_table;
	uint64_t size = 0;

	pt_init(&pt, &p, 0);
	CHECK_EQ(pt_map_reserved(&pt, 0x40000000, 0x80000000, 4 * MIB, ATTRS),
		 PT_OK);
	CHECK_EQ(pt_claim(&pt, 0x40200000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pt_publish_pages(&pt, 0x40200000, 0x70400000, table), PT_OK);
	for (uint64_t off = 0; off < 2 * MIB; off += 0x7000)
		check_leaf(&pt, 0x40200000 + (off & ~0xfffUL), 3,
			   0x70400000 + (off & ~0xfffUL), ATTRS);
	check_leaf(&pt, 0x403ff000, 3, 0x705ff000, ATTRS);
	CHECK_EQ(pt_claim(&pt, 0x40345678, &pa, &size), PT_CLAIM_VALID);
	CHECK_EQ(pa, 0x70545000);
	CHECK_EQ(size, 4 * KIB);
	check_unmapped(&pt, 0x40000000);
	CHECK_EQ(pt_map_reserved(&pt, 0x50000000, 0x90000000, 4 * KIB, ATTRS),
		 PT_OK);
	CHECK_EQ(pt_claim(&pt, 0x50000000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pt_publish_pages(&pt, 0x50000000, pa, table), PT_EALIGN);
	check_unmapped(&pt, 0x50000000);
	pt_done(&p);
}

/* Another CPU publishes the block as pages between a claim's walk and
 * its decision (the hook runs there): the claim must not read the new
 * table descriptor as a 2 MiB block (its address would be the table's,
 * hypnest's memory); it finds the leaf busy, and the retry the page. */
extern void (*pt_test_after_walk)(uint64_t *slot);
static struct pgtable *race_pt;

static void publish_in_window(uint64_t *slot)
{
	(void)slot;
	pt_test_after_walk = NULL;
	CHECK_EQ(pt_publish_pages(race_pt, 0x40200000, 0x80200000,
				  (paddr_t)(uintptr_t)pages_table),
		 PT_OK);
}

static void claim_in_window(uint64_t *slot)
{
	paddr_t pa;
	uint64_t size;

	(void)slot;
	pt_test_after_walk = NULL;
	CHECK_EQ(pt_claim(race_pt, 0x40000000, &pa, &size), PT_CLAIM_MINE);
}

TEST(reserved_claim_races_publish_pages)
{
	struct pgtable pt;
	struct pool p;
	paddr_t pa = 0;
	uint64_t size = 0;

	pt_init(&pt, &p, 0);
	race_pt = &pt;
	CHECK_EQ(pt_map_reserved(&pt, 0x40000000, 0x80000000, 4 * MIB, ATTRS),
		 PT_OK);
	/* the filling CPU's claim */
	CHECK_EQ(pt_claim(&pt, 0x40200000, &pa, &size), PT_CLAIM_MINE);
	pt_test_after_walk = publish_in_window;
	CHECK_EQ(pt_claim(&pt, 0x40212345, &pa, &size), PT_CLAIM_BUSY);
	CHECK(!pt_test_after_walk);
	CHECK_EQ(pt_claim(&pt, 0x40212345, &pa, &size), PT_CLAIM_VALID);
	CHECK_EQ(pa, 0x80212000);
	CHECK_EQ(size, 4 * KIB);
	/* another CPU's claim in the same window of an unclaimed leaf: the
	 * CAS finds the slot changed since the walk, one claim wins */
	pt_test_after_walk = claim_in_window;
	CHECK_EQ(pt_claim(&pt, 0x40000000, &pa, &size), PT_CLAIM_BUSY);
	CHECK(!pt_test_after_walk);
	pt_done(&p);
}

/* pages reserved where no block fits: each claimed on its own */
TEST(reserved_pages)
{
	struct pgtable pt;
	struct pool p;
	paddr_t pa = 0;
	uint64_t size = 0;

	pt_init(&pt, &p, 0);
	CHECK_EQ(
	    pt_map_reserved(&pt, 0x40001000, 0x80001000, 3 * 4 * KIB, ATTRS),
	    PT_OK);
	for (uint64_t va = 0x40001000; va < 0x40004000; va += 4 * KIB)
		check_unmapped(&pt, va);
	CHECK_EQ(pt_claim(&pt, 0x40002000, &pa, &size), PT_CLAIM_MINE);
	CHECK_EQ(pa, 0x80002000);
	CHECK_EQ(size, 4 * KIB);
	pt_publish_at(&pt, 0x40002000, pa);
	check_leaf(&pt, 0x40002000, 3, 0x80002000, ATTRS);
	check_unmapped(&pt, 0x40001000);
	check_unmapped(&pt, 0x40003000);
	CHECK_EQ(pt_claim(&pt, 0x40004000, &pa, &size), PT_CLAIM_NONE);
	pt_done(&p);
}
