/* nv/shadow_s2.c: shadow stage-2 tables for a nested guest (L2), built
 * from L1's stage 2 (hand-built tables in a fake L1 RAM) and a fake
 * hypnest stage 2 of L1. Expected values come from the Arm ARM's rules
 * (D8.3 descriptors, D8.4 permissions, D8.15 faults, D24.2.45 ESR_EL2,
 * D24.2.76 HPFAR_EL2), written out by hand per test. */
#include <stdlib.h>
#include <string.h>

#include "hyp/shadow_s2.h"
#include "unit.h"

/* ---- L1's RAM (L1 IPAs) and hypnest's stage 2 of L1 ---- */

#define RAM 0x40000000ULL
#define RAM_SIZE (64ULL << 20)
#define HPA(ipa) ((ipa) + 0x100000000ULL) /* the real PA of an L1 IPA */
#define RO_BASE 0x43000000ULL		  /* hypnest maps it read-only */
#define SMALL_BASE 0x42000000ULL	  /* hypnest maps it in 4K pages */
#define MB2 (2ULL << 20)
#define GB1 (1ULL << 30)

static uint8_t *mem;

static bool in_ram(uint64_t pa)
{
	return pa >= RAM && pa + 8 <= RAM + RAM_SIZE;
}

static bool l1_read(void *arg, uint64_t pa, uint64_t *v)
{
	(void)arg;
	if (!in_ram(pa))
		return false;
	memcpy(v, mem + (pa - RAM), 8);
	return true;
}

static uint64_t rd(uint64_t pa)
{
	uint64_t v;

	CHECK(l1_read(NULL, pa, &v));
	return v;
}

static void wr(uint64_t pa, uint64_t v)
{
	CHECK(in_ram(pa));
	memcpy(mem + (pa - RAM), &v, 8);
}

static bool l1_cas(void *arg, uint64_t pa, uint64_t old, uint64_t v)
{
	(void)arg;
	if (!in_ram(pa) || rd(pa) != old)
		return false;
	wr(pa, v);
	return true;
}

#define S2_RAM_ATTRS ((0xfULL << 2) | (3ULL << 8))

static bool l1_s2(void *arg, uint64_t ipa, struct shadow_s2_l1map *m)
{
	(void)arg;
	if (ipa < RAM || ipa >= RAM + RAM_SIZE)
		return false;
	*m = (struct shadow_s2_l1map){ .pa = HPA(ipa),
				       .size = MB2,
				       .r = true,
				       .w = true,
				       .x = true,
				       .attrs = S2_RAM_ATTRS };
	if (ipa >= SMALL_BASE && ipa < SMALL_BASE + MB2)
		m->size = 4096;
	if (ipa >= RO_BASE && ipa < RO_BASE + MB2)
		m->w = false;
	return true;
}

/* ---- table pages and the real TLB ---- */

static long pages_out; /* allocated, not freed */

static int page_alloc(void *arg, paddr_t *pa)
{
	void *page = aligned_alloc(4096, 4096);

	(void)arg;
	CHECK(page);
	memset(page, 0, 4096);
	pages_out++;
	*pa = (paddr_t)(uintptr_t)page;
	return 0;
}

static void page_free(void *arg, paddr_t pa)
{
	(void)arg;
	free((void *)(uintptr_t)pa);
	pages_out--;
}

struct tlbi_call {
	unsigned slot;
	uint64_t ipa, size;
};
static struct tlbi_call tlbis[64];
static unsigned ntlbi;

static void tlbi(void *arg, unsigned slot, uint64_t ipa, uint64_t size)
{
	(void)arg;
	if (ntlbi < 64)
		tlbis[ntlbi] = (struct tlbi_call){ slot, ipa, size };
	ntlbi++;
}

static const struct shadow_s2_ops ops = {
	.read = l1_read,
	.cas = l1_cas,
	.l1_s2 = l1_s2,
	.alloc_page = page_alloc,
	.free_page = page_free,
	.tlbi = tlbi,
};

static struct walk_features feat;
static struct shadow_s2_pool pool;
static const struct shadow_s2_l1regs regs = { false, false, false };

static void check_counts(void);

static void release(void)
{
	check_counts();
	shadow_s2_unmap_every(&pool);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		page_free(NULL, shadow_s2_root(&pool.s[i]));
		pool.pages--;
	}
	CHECK_EQ(pool.pages, 0);
	CHECK_EQ(pages_out, 0);
}

/* the pool's max_leaf for the next reset (0: any) */
static uint64_t max_leaf;

static void reset(uint64_t max_pages)
{
	static bool used;

	if (used)
		release();
	used = true;
	if (!mem)
		mem = calloc(1, RAM_SIZE);
	CHECK(mem);
	memset(mem, 0, RAM_SIZE);
	/* what hypnest offers L1: 4K stage-2 granule only, 48-bit PAs */
	feat = (struct walk_features){
		.pa_bits = 48, .tgran4 = true, .s2tgran4 = true, .hafdbs = true
	};
	ntlbi = 0;
	CHECK_EQ(shadow_s2_init(&pool, &ops, &feat, max_pages, max_leaf), 0);
	CHECK_EQ(pages_out, SHADOW_S2_SLOTS);
}

/* ---- L1's stage 2: 4K, 39-bit IPA, start level 1 ---- */

/* VTCR_EL2 (D24.2.224): T0SZ 25, SL0 = 1 (level 1), TG0 4K, PS 40 bits */
#define VTCR_L1 (25ULL | (1ULL << 6) | (2ULL << 16))
#define VTCR_HA (1ULL << 21)
#define VTCR_HD (1ULL << 22)
#define VMID 5ULL
#define VTTBR(vmid, base) ((uint64_t)(vmid) << 48 | (base))
#define T1 0x40000000ULL /* level 1 (the root) */
#define T2 0x40001000ULL
#define T3 0x40002000ULL

#define TABLE 3ULL
#define PAGE 3ULL
#define BLOCK 1ULL
#define AF (1ULL << 10)
#define S2R (1ULL << 6)
#define S2W (1ULL << 7)
#define XN (1ULL << 54)
#define DBM (1ULL << 51)
#define WB (0xfULL << 2)
#define SH_IS (3ULL << 8)
#define RW (S2R | S2W)
#define LEAF_RW (AF | RW | WB | SH_IS)

static uint64_t ix(uint64_t ipa, int level)
{
	return (ipa >> (12 + 9 * (3 - level))) & 511;
}

/* L1 maps L2 IPA ipa with leaf at level (tables T1, T2, T3) */
static void l1_map(uint64_t ipa, int level, uint64_t leaf)
{
	static const uint64_t t[] = { 0, T1, T2, T3 };

	for (int l = 1; l < level; l++)
		wr(t[l] + 8 * ix(ipa, l), t[l + 1] | TABLE);
	wr(t[level] + 8 * ix(ipa, level), leaf);
}

/* ---- real exits ---- */

#define EC_IABT 0x20ULL
#define EC_DABT 0x24ULL
#define IL (1ULL << 25)
#define ISV (1ULL << 24)
#define CM (1ULL << 8)
#define S1PTW (1ULL << 7)
#define WNR (1ULL << 6)
/* a 32-bit load/store syndrome: SAS word, SRT x5, SF 0, AR 0 */
#define SYND (ISV | (2ULL << 22) | (5ULL << 16))
#define FSC_TRANS(l) (0x04ULL | (l))
#define FSC_AF(l) (0x08ULL | (l))
#define FSC_PERM(l) (0x0cULL | (l))
#define FSC_WALK_EA(l) (0x14ULL | (l))
#define FSC_ASIZE(l) (0x00ULL | (l))

static struct shadow_s2_exit dabt(uint64_t ipa, uint64_t iss)
{
	return (struct shadow_s2_exit){ .esr = EC_DABT << 26 | IL | iss,
					.far = 0xffff000012345000ULL |
					       (ipa & 0xfff),
					.ipa = ipa };
}

static struct shadow_s2_exit iabt(uint64_t ipa, uint64_t iss)
{
	return (struct shadow_s2_exit){ .esr = EC_IABT << 26 | IL | iss,
					.far = 0xffff000000400000ULL |
					       (ipa & 0xfff),
					.ipa = ipa };
}

static struct shadow_s2 *get(uint64_t vmid)
{
	struct shadow_s2 *s = shadow_s2_get(&pool, VTTBR(vmid, T1), VTCR_L1);

	CHECK(s);
	return s;
}

static enum shadow_s2_outcome fault(struct shadow_s2 *s,
				    const struct shadow_s2_exit *x,
				    struct shadow_s2_result *r)
{
	shadow_s2_fault(&pool, s, &regs, x, r);
	return r->outcome;
}

/* the shadow's leaf for ipa: its descriptor (0: none) and level */
static uint64_t leaf(struct shadow_s2 *s, uint64_t ipa, unsigned *level)
{
	uint64_t d;
	unsigned l;

	if (pt_lookup(&s->pt, ipa, &d, &l))
		return 0;
	if (level)
		*level = l;
	return d;
}

/* table pages reachable from table at level (itself included) */
static uint64_t reachable(const uint64_t *table, unsigned level)
{
	uint64_t n = 1;

	for (unsigned i = 0; level < 3 && i < 512; i++)
		if ((table[i] & 3) == 3)
			n += reachable(
			    (const uint64_t *)(uintptr_t)(table[i] &
							  0xfffffffff000ULL),
			    level + 1);
	return n;
}

/* every page the pool counts is in a shadow's tree, and no more */
static void check_counts(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		uint64_t t = reachable(pool.s[i].pt.root, 0);

		CHECKF(t == pool.s[i].pages + 1,
		       "slot %u: %llu reachable, %llu counted", i,
		       (unsigned long long)t,
		       (unsigned long long)pool.s[i].pages);
		n += t;
	}
	CHECK_EQ(n, pool.pages);
	CHECK_EQ(pool.pages, pages_out);
}
#define L2IPA 0x1234000ULL

/* ---- tests ---- */

TEST(lazy_fill)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x = dabt(L2IPA + 0x10, SYND | FSC_TRANS(0));
	unsigned level;

	reset(64);
	s = get(VMID);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | LEAF_RW);
	l1_map(L2IPA + 4096, 3, 0x40101000ULL | PAGE | LEAF_RW);
	CHECK_EQ(leaf(s, L2IPA, NULL), 0);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_ipa, L2IPA);
	CHECK_EQ(r.map_pa, HPA(0x40100000ULL));
	CHECK_EQ(r.map_size, 4096);
	/* a page: the real PA, AF, S2AP RW, Normal WB, Inner Shareable */
	CHECK_EQ(leaf(s, L2IPA, &level),
		 HPA(0x40100000ULL) | PAGE | AF | RW | WB | SH_IS);
	CHECK_EQ(level, 3);
	/* only what faulted: the next page waits for its own fault */
	CHECK_EQ(leaf(s, L2IPA + 4096, NULL), 0);
	/* shadow tables below the root: levels 1, 2, 3 */
	CHECK_EQ(s->pages, 3);
	CHECK_EQ(pool.pages, SHADOW_S2_SLOTS + 3);
	/* the same fault again (another vCPU raced it): nothing new */
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(s->pages, 3);
	CHECK_EQ(ntlbi, 0);
	shadow_s2_put(&pool, s);
}

TEST(permission_intersection)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	/* L1 read-only, hypnest RW: read-only */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | S2R | WB | SH_IS);
	x = dabt(L2IPA, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, L2IPA, NULL) & (RW | XN), S2R);
	/* L1 RW and execute-never, hypnest read-only: R, XN */
	l1_map(0x5000, 3, RO_BASE | PAGE | AF | RW | XN | WB | SH_IS);
	x = dabt(0x5000, SYND | FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x5000, NULL) & (RW | XN), S2R | XN);
	/* a write there: L1 permits it, hypnest not: hypnest's business,
	 * never mapped writable */
	x = dabt(0x5000, SYND | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_L1_PA);
	CHECK_EQ(r.l1_pa, RO_BASE);
	CHECK_EQ(leaf(s, 0x5000, NULL) & S2W, 0);
	/* execute-only for L2 (S2AP = 00, XN = 0): a fetch maps, no read */
	l1_map(0x7000, 3, 0x40107000ULL | PAGE | AF | WB | SH_IS);
	x = iabt(0x7000, FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x7000, NULL) & (RW | XN), 0);
	/* a fetch from L1's execute-never page: L1's permission fault */
	x = iabt(0x5000, FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_IABT << 26 | IL | FSC_PERM(3));
	shadow_s2_put(&pool, s);
}

TEST(size_is_the_smaller)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;
	unsigned level;
	uint64_t ipa;

	reset(64);
	s = get(VMID);
	/* L1: a 1 GiB block at L2 IPA 1G -> L1 IPA 0x40000000; hypnest's
	 * 2M leaves: a 2M shadow block */
	l1_map(GB1, 1, 0x40000000ULL | BLOCK | LEAF_RW);
	ipa = GB1 + 0x345678;
	x = dabt(ipa, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, ipa, &level),
		 HPA(0x40200000ULL) | BLOCK | AF | RW | WB | SH_IS);
	CHECK_EQ(s->max_split, GB1); /* L1's 1G leaf split */
	CHECK_EQ(level, 2);
	CHECK_EQ(r.map_size, MB2);
	CHECK_EQ(r.map_ipa, GB1 + MB2);
	/* ... and in hypnest's 4K-mapped range, 4K pages */
	ipa = GB1 + (SMALL_BASE - RAM) + 0x3008;
	x = dabt(ipa, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, ipa, &level),
		 HPA(SMALL_BASE + 0x3000) | PAGE | AF | RW | WB | SH_IS);
	CHECK_EQ(level, 3);
	/* L1: a 2M block, hypnest 2M: a 2M block */
	l1_map(0x600000, 2, 0x40800000ULL | BLOCK | LEAF_RW);
	x = dabt(0x6abcde, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x6abcde, &level),
		 HPA(0x40800000ULL) | BLOCK | AF | RW | WB | SH_IS);
	CHECK_EQ(level, 2);
	/* L1: a 4K page, hypnest 2M: a page */
	l1_map(0x800000, 3, 0x40a05000ULL | PAGE | LEAF_RW);
	x = dabt(0x800000, SYND | FSC_TRANS(2));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x800000, &level),
		 HPA(0x40a05000ULL) | PAGE | AF | RW | WB | SH_IS);
	CHECK_EQ(level, 3);
	shadow_s2_put(&pool, s);
}

/* a pool whose leaves are at most 4K (hypnest's guest RAM in 4 KiB
 * pages, nv/l2.c): where L1 and hypnest both give 2M, the whole 2M is
 * mapped at the first fault, as 512 pages */
TEST(max_leaf_maps_the_region_as_pages)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;
	unsigned level;

	max_leaf = 4096;
	reset(64);
	max_leaf = 0;
	s = get(VMID);
	l1_map(0x600000, 2, 0x40800000ULL | BLOCK | LEAF_RW);
	x = dabt(0x6abcde, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_ipa, 0x600000);
	CHECK_EQ(r.map_size, MB2);
	for (uint64_t off = 0; off < MB2; off += 4096) {
		CHECK_EQ(leaf(s, 0x600000 + off, &level),
			 HPA(0x40800000ULL + off) | PAGE | AF | RW | WB |
			     SH_IS);
		CHECK_EQ(level, 3);
	}
	CHECK_EQ(leaf(s, 0x600000 + MB2, NULL), 0);
	/* L1's 2M leaf is held as smaller ones: its TLBI by IPA of any
	 * address in it takes all of them (C5.5.13) */
	CHECK_EQ(s->max_split, MB2);
	/* a permission fault on one of those pages, which L1 forbids: L1's,
	 * found present at that page */
	l1_map(0x600000, 2, 0x40800000ULL | BLOCK | AF | S2R | WB | SH_IS);
	shadow_s2_unmap_ipa(&pool, VMID, 0x600000, 4096);
	CHECK_EQ(leaf(s, 0x7ff000, NULL), 0);
	x = dabt(0x7ff008, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x7ff000, &level),
		 HPA(0x409ff000ULL) | PAGE | AF | S2R | WB | SH_IS);
	x = dabt(0x7ff008, SYND | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_PERM(2)); /* at the level of L1's leaf */
	/* where hypnest maps 4K itself, the region is the page */
	l1_map(GB1, 1, 0x40000000ULL | BLOCK | LEAF_RW);
	x = dabt(GB1 + (SMALL_BASE - RAM) + 0x3008, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_size, 4096);
	CHECK_EQ(leaf(s, GB1 + (SMALL_BASE - RAM) + 0x4000, NULL), 0);
	shadow_s2_put(&pool, s);
}

TEST(memory_attributes_combined)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	/* L1: Device-nGnRE (MemAttr 0b0001), Non-shareable: the shadow
	 * keeps L1's type, the shareability is the wider (Inner) */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | RW | (1ULL << 2));
	x = dabt(L2IPA, SYND | FSC_TRANS(1));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, L2IPA, NULL),
		 HPA(0x40100000ULL) | PAGE | AF | RW | (1ULL << 2) | SH_IS);
	/* FnXS (FEAT_XS: the XS attribute forced to 0) goes with it */
	l1_map(0x5000, 3, 0x40105000ULL | PAGE | LEAF_RW | (1ULL << 11));
	x = dabt(0x5000, SYND | FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x5000, NULL),
		 HPA(0x40105000ULL) | PAGE | LEAF_RW | (1ULL << 11));
	shadow_s2_put(&pool, s);
}

TEST(fault_l1_does_not_map)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	/* nothing at level 1: a level-1 translation fault, the load's
	 * syndrome (ISV, SAS, SRT) passed on for L1's MMIO emulation */
	x = dabt(L2IPA + 0x24, SYND | WNR | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | SYND | WNR | FSC_TRANS(1));
	CHECK_EQ(r.far, x.far);
	CHECK_EQ(r.hpfar, (L2IPA >> 12) << 4);
	/* a table at levels 1 and 2, nothing at 3 */
	l1_map(L2IPA + 4096, 3, 0x40100000ULL | PAGE | LEAF_RW);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_TRANS(3));
	/* the same on L2's stage-1 walk: S1PTW, no instruction syndrome */
	x = dabt(L2IPA, S1PTW | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | S1PTW | FSC_TRANS(3));
	/* an instruction fetch: EC 0x20, IFSC */
	x = iabt(L2IPA, FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_IABT << 26 | IL | FSC_TRANS(3));
	CHECK_EQ(r.far, x.far);
	CHECK_EQ(r.hpfar, (L2IPA >> 12) << 4);
	/* an IPA beyond VTCR_EL2.T0SZ (39 bits): level 0 */
	x = dabt(1ULL << 39, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_TRANS(0));
	CHECK_EQ(s->pages, 0);
	shadow_s2_put(&pool, s);
}

TEST(fault_l1_does_not_permit)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | S2R | WB | SH_IS);
	x = dabt(L2IPA, SYND | WNR | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | SYND | WNR | FSC_PERM(3));
	CHECK_EQ(leaf(s, L2IPA, NULL), 0);
	/* no access flag (VTCR_EL2.HA = 0): an Access flag fault */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | RW | WB | SH_IS);
	x = dabt(L2IPA, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_AF(3));
	CHECK_EQ(r.hpfar, (L2IPA >> 12) << 4);
	/* a cache maintenance instruction (CM, WnR = 1) to a read-only
	 * page maps it read-only; when the real stage 2 then faults on
	 * its write, that is L1's permission fault, not a loop */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | S2R | WB | SH_IS);
	x = dabt(L2IPA, CM | WNR | FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	x = dabt(L2IPA, CM | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | CM | WNR | FSC_PERM(3));
	/* a DC CVAC to a page L1 gives no access (S2AP = 00): cache
	 * maintenance by VA checks no stage-2 permission but DC IVAC's
	 * write (D8.15.3): mapped without access */
	l1_map(0x9000, 3, 0x40109000ULL | PAGE | AF | XN | WB | SH_IS);
	x = dabt(0x9000, CM | WNR | FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, 0x9000, NULL) & (RW | XN), XN);
	/* a DC IVAC to a page L1 gives RW and hypnest read-only: the
	 * refused write is hypnest's, not L1's fault */
	l1_map(0xa000, 3, RO_BASE | PAGE | LEAF_RW);
	x = dabt(0xa000, CM | WNR | FSC_TRANS(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	x = dabt(0xa000, CM | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_L1_PA);
	CHECK_EQ(r.l1_pa, RO_BASE);
	shadow_s2_put(&pool, s);
}

TEST(stale_leaf_replaced)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | S2R | WB | SH_IS);
	x = dabt(L2IPA, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	/* L1 makes it writable (relaxing needs no TLBI to be correct,
	 * only to be seen at once); L2's write takes the permission fault
	 * of the old leaf: the new one replaces it, old TLB entry first */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | LEAF_RW);
	x = dabt(L2IPA, SYND | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(leaf(s, L2IPA, NULL) & RW, RW);
	CHECK_EQ(ntlbi, 1);
	CHECK_EQ(tlbis[0].ipa, L2IPA);
	CHECK_EQ(tlbis[0].size, 4096);
	shadow_s2_put(&pool, s);
}

TEST(descriptor_outside_l1_ram)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	/* a leaf to an L1 IPA with nothing there (hypnest's own memory is
	 * at no L1 IPA at all): never mapped, the caller's to deal with */
	l1_map(L2IPA, 3, 0x08000000ULL | PAGE | LEAF_RW);
	x = dabt(L2IPA, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_L1_PA);
	CHECK_EQ(r.l1_pa, 0x08000000ULL);
	CHECK_EQ(leaf(s, L2IPA, NULL), 0);
	/* just past the end of L1's RAM, by a block that starts inside */
	l1_map(0x400000, 2, (RAM + RAM_SIZE - MB2) | BLOCK | LEAF_RW);
	l1_map(0x600000, 2, (RAM + RAM_SIZE) | BLOCK | LEAF_RW);
	x = dabt(0x600000, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_L1_PA);
	CHECK_EQ(r.l1_pa, RAM + RAM_SIZE);
	CHECK_EQ(leaf(s, 0x600000, NULL), 0);
	x = dabt(0x5ff000, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_pa + r.map_size, HPA(RAM + RAM_SIZE));
	/* a table outside L1's RAM: a synchronous External abort on the
	 * stage-2 walk, to L1, without an instruction syndrome (FEAT_RAS) */
	wr(T1 + 8 * ix(0x80000000ULL, 1), 0x10000000ULL | TABLE);
	x = dabt(0x80000000ULL, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | FSC_WALK_EA(2));
	/* ... and the table base itself */
	s = shadow_s2_get(&pool, VTTBR(VMID, 0x10000000ULL), VTCR_L1);
	CHECK(s);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_WALK_EA(1));
	CHECK_EQ(s->pages, 0);
}

TEST(hardware_access_flag_and_dirty_state)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x;
	uint64_t desc = 0x40100000ULL | PAGE | S2R | DBM | WB | SH_IS;
	uint64_t at = T3 + 8 * ix(L2IPA, 3);

	reset(64);
	s = shadow_s2_get(&pool, VTTBR(VMID, T1), VTCR_L1 | VTCR_HA | VTCR_HD);
	CHECK(s);
	l1_map(L2IPA, 3, desc);
	/* a read: the access flag is set in L1's descriptor, the shadow is
	 * read-only while the page is clean */
	x = dabt(L2IPA, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(rd(at), desc | AF);
	CHECK_EQ(leaf(s, L2IPA, NULL) & RW, S2R);
	/* a write: dirty (S2AP[1] set), then writable */
	x = dabt(L2IPA, SYND | WNR | FSC_PERM(3));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(rd(at), desc | AF | S2W);
	CHECK_EQ(leaf(s, L2IPA, NULL) & RW, RW);
	shadow_s2_put(&pool, s);
}

TEST(junk_vtcr)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x = dabt(L2IPA, SYND | FSC_TRANS(0));
	/* {VTCR, the DFSC L1 gets; 0: mapped} */
	static const struct {
		uint64_t vtcr, fsc;
	} rows[] = {
		/* TG0 = 0b11 (reserved), 0b01 (64K, not offered): a granule
		 * the CPU has (IMPLEMENTATION DEFINED which): 4K */
		{ VTCR_L1 | (3ULL << 14), 0 },
		{ VTCR_L1 | (1ULL << 14), 0 },
		/* SL0 = 3 without FEAT_TTST: reserved, level 0 */
		{ 25ULL | (3ULL << 6) | (2ULL << 16), FSC_TRANS(0) },
		/* SL0 = 0 (level 2) cannot resolve 39 bits */
		{ 25ULL | (2ULL << 16), FSC_TRANS(0) },
		/* T0SZ = 63: used as 39 (MaxTxSZ), too small for level 1 */
		{ 63ULL | (1ULL << 6) | (2ULL << 16), FSC_TRANS(0) },
		/* T0SZ = 0: used as 16 (48 bits), too big for level 1 */
		{ 0ULL | (1ULL << 6) | (2ULL << 16), FSC_TRANS(0) },
	};

	reset(64);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | LEAF_RW);
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		s = shadow_s2_get(&pool, VTTBR(VMID, T1), rows[i].vtcr);
		CHECK(s);
		fault(s, &x, &r);
		CHECKF(r.outcome ==
			   (rows[i].fsc ? SHADOW_S2_TO_L1 : SHADOW_S2_MAPPED),
		       "row %u: outcome %d", i, r.outcome);
		if (rows[i].fsc)
			CHECKF((r.esr & 0x3f) == rows[i].fsc,
			       "row %u: esr %#llx", i,
			       (unsigned long long)r.esr);
		shadow_s2_put(&pool, s);
	}
	/* PS = 48 bits with 40 offered: an output address above 40 bits is
	 * an Address size fault at the leaf's level */
	feat.pa_bits = 40;
	s = shadow_s2_get(&pool, VTTBR(VMID, T1), VTCR_L1 | (5ULL << 16));
	CHECK(s);
	l1_map(L2IPA, 3, (1ULL << 40) | PAGE | LEAF_RW);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_ASIZE(3));
	shadow_s2_put(&pool, s);
}

TEST(looping_stage2_terminates)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x = dabt(0, SYND | FSC_TRANS(0));

	reset(64);
	s = get(VMID);
	/* entry 0 of the root points to the root: levels 1, 2 and 3 all
	 * read it; at level 3 the same bits are a page descriptor without
	 * the access flag */
	wr(T1, T1 | TABLE);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr & 0x3f, FSC_AF(3));
	/* with AF set in it (ignored in a table descriptor) L2 reaches the
	 * table page itself, as on hardware: L1's own business */
	wr(T1, T1 | TABLE | AF | RW);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_pa, HPA(T1));
	shadow_s2_put(&pool, s);
}

TEST(pool_recycles_least_recently_used)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s[SHADOW_S2_SLOTS], *t;
	struct shadow_s2_exit x = dabt(L2IPA, SYND | FSC_TRANS(0));

	reset(64);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | LEAF_RW);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		s[i] = get(i + 1);
		CHECK_EQ(fault(s[i], &x, &r), SHADOW_S2_MAPPED);
	}
	/* the same key: the same shadow; the CnP bit does not count */
	t = shadow_s2_get(&pool, VTTBR(3, T1) | 1, VTCR_L1);
	CHECK(t == s[2]);
	shadow_s2_put(&pool, t);
	/* every slot held: none to give */
	CHECK(shadow_s2_get(&pool, VTTBR(100, T1), VTCR_L1) == NULL);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
		shadow_s2_put(&pool, s[i]);
	/* s[2] was used last but one... s[0] least recently: recycled,
	 * emptied (its real TLB entries dropped) */
	ntlbi = 0;
	t = get(100);
	CHECK(t == s[0]);
	CHECK_EQ(pool.recycled, 1);
	CHECK_EQ(t->pages, 0);
	CHECK_EQ(t->vmid, 100);
	CHECK_EQ(leaf(t, L2IPA, NULL), 0);
	CHECK_EQ(ntlbi, 1);
	CHECK_EQ(tlbis[0].slot, t->slot);
	CHECK_EQ(tlbis[0].size, 0);
	/* next: s[1] (s[2] was touched after it) */
	t = get(101);
	CHECK(t == s[1]);
	t = get(102);
	CHECK(t == s[3]);
	CHECK_EQ(pool.pages, pages_out);
}

TEST(memory_is_bounded)
{
	struct shadow_s2_result r;
	struct shadow_s2 *a, *b;
	struct shadow_s2_exit x;
	const uint64_t max = SHADOW_S2_SLOTS + 6;

	reset(max);
	a = get(1);
	b = get(2);
	/* L1 maps 2M blocks in hypnest's 4K range: every 2M of L2 IPA
	 * needs a level-3 shadow table */
	for (uint64_t i = 0; i < 8; i++)
		l1_map(i * MB2, 2, SMALL_BASE | BLOCK | LEAF_RW);
	for (uint64_t i = 0; i < 8; i++) {
		x = dabt(i * MB2, SYND | FSC_TRANS(0));
		CHECK_EQ(fault(a, &x, &r), SHADOW_S2_MAPPED);
		CHECK(leaf(a, i * MB2, NULL));
		/* L1's 2M held as a 4K page: kept through a's own emptying */
		CHECK_EQ(a->max_split, MB2);
		CHECK(pool.pages <= max);
		check_counts();
	}
	/* a filled up, and dropped its own tables to go on */
	CHECK(pool.reclaimed >= 1);
	/* and L1's TLBI of another page of its last block takes the page */
	shadow_s2_unmap_ipa(&pool, 1, 7 * MB2 + 0x1000, 4096);
	CHECK_EQ(leaf(a, 7 * MB2, NULL), 0);
	/* b's faults take a's tables (a's least recently used) */
	x = dabt(0, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(b, &x, &r), SHADOW_S2_MAPPED);
	CHECK(pool.pages <= max);
	x = dabt(MB2, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(b, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(pool.pages, pages_out);
	CHECK_EQ(pool.pages, SHADOW_S2_SLOTS + a->pages + b->pages);
	/* a 10,000-fault run in a loop: no growth */
	for (uint64_t n = 0; n < 10000; n++) {
		x = dabt((n % 8) * MB2, SYND | FSC_TRANS(0));
		CHECK_EQ(fault(a, &x, &r), SHADOW_S2_MAPPED);
	}
	CHECK(pool.pages <= max);
	check_counts();
	shadow_s2_put(&pool, a);
	shadow_s2_put(&pool, b);
}

TEST(unmap_by_ipa)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s, *o;
	struct shadow_s2_exit x;

	reset(64);
	s = get(VMID);
	o = get(VMID + 1);
	for (uint64_t i = 0; i < 3; i++) {
		l1_map(L2IPA + i * 4096, 3,
		       (0x40100000ULL + i * 4096) | PAGE | LEAF_RW);
		x = dabt(L2IPA + i * 4096, SYND | FSC_TRANS(0));
		CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
		CHECK_EQ(fault(o, &x, &r), SHADOW_S2_MAPPED);
	}
	l1_map(0x600000, 2, 0x40800000ULL | BLOCK | LEAF_RW);
	x = dabt(0x600000, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	/* TLBI IPAS2E1 of one page: that leaf, one real TLBI, its VMID */
	ntlbi = 0;
	shadow_s2_unmap_ipa(&pool, VMID, L2IPA + 4096, 4096);
	CHECK_EQ(leaf(s, L2IPA + 4096, NULL), 0);
	CHECK(leaf(s, L2IPA, NULL));
	CHECK(leaf(s, L2IPA + 8192, NULL));
	CHECK(leaf(o, L2IPA + 4096, NULL));
	CHECK_EQ(ntlbi, 1);
	CHECK_EQ(tlbis[0].slot, s->slot);
	CHECK_EQ(tlbis[0].ipa, L2IPA + 4096);
	CHECK_EQ(tlbis[0].size, 4096);
	/* an IPA inside a 2M block takes the whole block */
	shadow_s2_unmap_ipa(&pool, VMID, 0x7ff000, 4096);
	CHECK_EQ(leaf(s, 0x600000, NULL), 0);
	/* nothing mapped there: no TLBI at all */
	ntlbi = 0;
	shadow_s2_unmap_ipa(&pool, VMID, 0x40000000ULL, 4096);
	CHECK_EQ(ntlbi, 0);
	/* a range holding a whole level-3 table (RIPAS2E1 of 2M): the
	 * table goes too */
	CHECK_EQ(s->pages, 3);
	shadow_s2_unmap_ipa(&pool, VMID, L2IPA & ~(MB2 - 1), MB2);
	CHECK_EQ(leaf(s, L2IPA, NULL), 0);
	CHECK_EQ(s->pages, 2);
	CHECK_EQ(pool.pages, pages_out);
	/* the whole IPA space in one range, and beyond it: no wrap */
	shadow_s2_unmap_ipa(&pool, VMID + 1, 0, ~0ULL);
	CHECK_EQ(leaf(o, L2IPA, NULL), 0);
	CHECK_EQ(o->pages, 0);
	shadow_s2_put(&pool, s);
	shadow_s2_put(&pool, o);
}

/* L1's 1G block split into hypnest's 2M leaves: L1's TLBI by one IPA of
 * it (no TTL) takes every shadow leaf of that block, not only the one
 * holding the IPA, even one whose piece was never faulted in; once a
 * shadow holds a split leaf every TLBI by IPA is widened to that size */
TEST(unmap_by_ipa_takes_l1s_whole_block)
{
	struct shadow_s2_result r;
	struct shadow_s2_exit x;
	struct shadow_s2 *s;

	reset(64);
	s = get(VMID);
	l1_map(GB1, 1, 0x40000000ULL | BLOCK | LEAF_RW);
	for (uint64_t i = 0; i < 3; i++) {
		x = dabt(GB1 + i * MB2, SYND | FSC_TRANS(1));
		CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
		CHECK_EQ(r.map_size, MB2);
	}
	l1_map(0x600000, 2, 0x40800000ULL | BLOCK | LEAF_RW);
	x = dabt(0x600000, SYND | FSC_TRANS(0));
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	ntlbi = 0;
	/* named at a 2M piece never faulted in */
	shadow_s2_unmap_ipa(&pool, VMID, GB1 + 7 * MB2 + 4096, 4096);
	for (uint64_t i = 0; i < 3; i++)
		CHECK_EQ(leaf(s, GB1 + i * MB2, NULL), 0);
	CHECK(leaf(s, 0x600000, NULL));
	CHECK_EQ(ntlbi, 1);
	CHECK_EQ(tlbis[0].ipa, GB1);
	CHECK_EQ(tlbis[0].size, GB1);
	shadow_s2_unmap_ipa(&pool, VMID, 0x601000, 4096);
	CHECK_EQ(leaf(s, 0x600000, NULL), 0);
	CHECK_EQ(tlbis[1].ipa, 0);
	CHECK_EQ(tlbis[1].size, GB1);
	/* emptied: nothing split any more */
	shadow_s2_unmap_all(&pool, VMID);
	CHECK_EQ(s->max_split, 0);
	shadow_s2_put(&pool, s);
}

TEST(unmap_by_vmid)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s, *t, *o;
	struct shadow_s2_exit x = dabt(L2IPA, SYND | FSC_TRANS(0));

	reset(64);
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | LEAF_RW);
	s = get(VMID);
	/* the same VMID with other tables: a second shadow */
	t = shadow_s2_get(&pool, VTTBR(VMID, T1 + 0x10000), VTCR_L1);
	o = get(VMID + 1);
	CHECK(t && t != s);
	wr(T1 + 0x10000 + 8 * ix(L2IPA, 1), T2 | TABLE);
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(fault(t, &x, &r), SHADOW_S2_MAPPED);
	CHECK_EQ(fault(o, &x, &r), SHADOW_S2_MAPPED);
	/* TLBI VMALLS12E1: both shadows of the VMID, one TLBI each */
	ntlbi = 0;
	shadow_s2_unmap_all(&pool, VMID);
	CHECK_EQ(s->pages, 0);
	CHECK_EQ(t->pages, 0);
	CHECK_EQ(leaf(s, L2IPA, NULL), 0);
	CHECK(leaf(o, L2IPA, NULL));
	CHECK_EQ(ntlbi, 2);
	CHECK_EQ(pool.pages, pages_out);
	/* refills on the next fault */
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	/* TLBI ALLE1: everything */
	shadow_s2_unmap_every(&pool);
	CHECK_EQ(leaf(o, L2IPA, NULL), 0);
	CHECK_EQ(pool.pages, SHADOW_S2_SLOTS);
	CHECK_EQ(pages_out, SHADOW_S2_SLOTS);
	shadow_s2_put(&pool, s);
	shadow_s2_put(&pool, t);
	shadow_s2_put(&pool, o);
}

TEST(big_endian_descriptors)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x = dabt(L2IPA, SYND | FSC_TRANS(0));
	const struct shadow_s2_l1regs be = { .ee = true };

	reset(64);
	s = shadow_s2_get(&pool, VTTBR(VMID, T1), VTCR_L1 | VTCR_HA);
	CHECK(s);
	wr(T1 + 8 * ix(L2IPA, 1), __builtin_bswap64(T2 | TABLE));
	wr(T2 + 8 * ix(L2IPA, 2), __builtin_bswap64(T3 | TABLE));
	wr(T3 + 8 * ix(L2IPA, 3),
	   __builtin_bswap64(0x40100000ULL | PAGE | RW | WB | SH_IS));
	shadow_s2_fault(&pool, s, &be, &x, &r);
	CHECK_EQ(r.outcome, SHADOW_S2_MAPPED);
	CHECK_EQ(r.map_pa, HPA(0x40100000ULL));
	/* the access flag written back big-endian */
	CHECK_EQ(
	    rd(T3 + 8 * ix(L2IPA, 3)),
	    __builtin_bswap64(0x40100000ULL | PAGE | AF | RW | WB | SH_IS));
	shadow_s2_put(&pool, s);
}

TEST(stage1_walk_into_device_memory)
{
	struct shadow_s2_result r;
	struct shadow_s2 *s;
	struct shadow_s2_exit x = dabt(L2IPA, S1PTW | FSC_TRANS(0));
	const struct shadow_s2_l1regs ptw = { .ptw = true };

	reset(64);
	s = get(VMID);
	/* L1's stage 2 says Device-nGnRE where L2's stage-1 tables are:
	 * with L1's HCR_EL2.PTW a Permission fault on the walk (D24.2.62) */
	l1_map(L2IPA, 3, 0x40100000ULL | PAGE | AF | RW | (1ULL << 2));
	shadow_s2_fault(&pool, s, &ptw, &x, &r);
	CHECK_EQ(r.outcome, SHADOW_S2_TO_L1);
	CHECK_EQ(r.esr, EC_DABT << 26 | IL | S1PTW | FSC_PERM(3));
	CHECK_EQ(r.hpfar, (L2IPA >> 12) << 4);
	/* without PTW the walk reads it */
	CHECK_EQ(fault(s, &x, &r), SHADOW_S2_MAPPED);
	shadow_s2_put(&pool, s);
}
