/* mm/walk.c: stage-1 and stage-2 walks of hand-built tables in a fake
 * guest memory, and the PAR_EL1 they give. Expected values come from the
 * Arm ARM's rules (D8.2-D8.6, J1.1.4), written out by hand per test. */
#include <stdlib.h>
#include <string.h>

#include "hyp/walk.h"
#include "unit.h"

#define MEM_BASE 0x40000000ULL
#define MEM_SIZE (64ULL << 20)

static uint8_t *mem;

static bool mem_read(void *arg, uint64_t pa, uint64_t *d)
{
	(void)arg;
	if (pa < MEM_BASE || pa + 8 > MEM_BASE + MEM_SIZE)
		return false;
	memcpy(d, mem + (pa - MEM_BASE), 8);
	return true;
}

static void wr(uint64_t pa, uint64_t v)
{
	CHECK(pa >= MEM_BASE && pa + 8 <= MEM_BASE + MEM_SIZE);
	memcpy(mem + (pa - MEM_BASE), &v, 8);
}

/* a table at pa, entry idx */
static void set(uint64_t table, uint64_t idx, uint64_t desc)
{
	wr(table + idx * 8, desc);
}

static struct walk_features feat;

static void reset(struct walk_ctx *c)
{
	if (!mem)
		mem = calloc(1, MEM_SIZE);
	CHECK(mem);
	memset(mem, 0, MEM_SIZE);
	feat = (struct walk_features){
		.pa_bits = 48,
		.tgran4 = true,
		.tgran16 = true,
		.tgran64 = true,
		.s2tgran4 = true,
		.s2tgran16 = true,
		.s2tgran64 = true,
		.ttst = true,
		.hpds = true,
		.hafdbs = true,
		.pan = true,
		.epan = true,
		.e0pd = true,
		.s2fwb = true,
	};
	*c = (struct walk_ctx){ .feat = &feat, .read = mem_read };
}

/* descriptor bits */
#define TABLE 3ULL
#define PAGE 3ULL
#define BLOCK 1ULL
#define AF (1ULL << 10)
#define SH_IS (3ULL << 8)
#define SH_OS (2ULL << 8)
#define AP_RO (1ULL << 7)
#define AP_EL0 (1ULL << 6)
#define ATTR(i) ((uint64_t)(i) << 2)
#define PXN (1ULL << 53)
#define UXN (1ULL << 54)
#define DBM (1ULL << 51)
#define APT_NOEL0 (1ULL << 61)
#define APT_RO (1ULL << 62)
#define S2AP_R (1ULL << 6)
#define S2AP_W (1ULL << 7)
#define S2_WB (0xfULL << 2)
#define S2_NC (0x5ULL << 2)
#define S2_WT (0xaULL << 2)
#define S2_DEV_NGNRNE 0ULL

/* MAIR: Attr0 WB RWA, Attr1 Device-nGnRE, Attr2 NC, Attr3 WT RA
 * non-transient, Attr4 Device-nGnRE with XS = 0 */
#define MAIR 0x05aa4404ffULL

/* TCR_EL1: T0SZ, TG0 4K, IRGN/ORGN WB, SH inner, IPS, EPD1 */
#define TCR_4K(t0sz, ips)                                                      \
	((uint64_t)(t0sz) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |        \
	 ((uint64_t)(ips) << 32) | (1ULL << 23))
#define SCTLR_MC 0x5ULL /* M, C */

static const struct walk_access rd = { false, false, false };
static const struct walk_access wrt = { false, true, false };
static const struct walk_access el0rd = { true, false, false };
static const struct walk_access el0wr = { true, true, false };
static const struct walk_access panrd = { false, false, true };

static uint64_t idx(uint64_t va, unsigned shift, unsigned bits)
{
	return (va >> shift) & ((1ULL << bits) - 1);
}

/* 4K, 48-bit VAs, four levels at L0..L3 mapping va to pa with leaf */
#define L0T 0x40000000ULL
#define L1T 0x40001000ULL
#define L2T 0x40002000ULL
#define L3T 0x40003000ULL
static void four_levels(struct walk_ctx *c, uint64_t va, uint64_t leaf)
{
	c->s1 = (struct walk_s1_regs){ WALK_EL10, SCTLR_MC, TCR_4K(16, 5),
				       L0T,	  0,	    MAIR };
	set(L0T, idx(va, 39, 9), L1T | TABLE);
	set(L1T, idx(va, 30, 9), L2T | TABLE);
	set(L2T, idx(va, 21, 9), L3T | TABLE);
	set(L3T, idx(va, 12, 9), leaf);
}

#define VA1 0x0000123456789abcULL

TEST(s1_4k_page)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | AF | SH_IS | ATTR(0) | PAGE);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.out, 0x40100abcULL);
	CHECK_EQ(r.size, 4096);
	CHECK(r.r && r.w && r.px && r.ux);
	/* PA, RES1 bit 11, NS, SH inner (0b11), ATTR 0xff */
	CHECK_EQ(walk_par(&r), 0xff00000040100000ULL | (1ULL << 11) |
				   (1ULL << 9) | (3ULL << 7));
	/* EL0 has no access (AP = 00) */
	walk_s1(&c, VA1, &el0rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(walk_par(&r), 1 | (0x0fULL << 1) | (1ULL << 11));
}

TEST(s1_4k_blocks)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t va = 0x0000008040312345ULL; /* L0 1, L1 1, L2 1 */

	reset(&c);
	c.s1 = (struct walk_s1_regs){ WALK_EL10, SCTLR_MC, TCR_4K(16, 5),
				      L0T,	 0,	   MAIR };
	set(L0T, 1, L1T | TABLE);
	/* 1 GiB block at level 1 */
	set(L1T, 1, 0x40000000ULL | AF | ATTR(1) | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.size, 1ULL << 30);
	CHECK_EQ(r.out, 0x40000000ULL | (va & ((1ULL << 30) - 1)));
	/* Device-nGnRE: ATTR 0x04, SH reported as Outer (0b10) */
	CHECK_EQ(walk_par(&r) >> 56, 0x04);
	CHECK_EQ((walk_par(&r) >> 7) & 3, 2);
	/* 2 MiB block at level 2 */
	set(L1T, 1, L2T | TABLE);
	set(L2T, 1, 0x40600000ULL | AF | ATTR(2) | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.size, 2ULL << 20);
	CHECK_EQ(r.out, 0x40600000ULL | (va & 0x1fffff));
	CHECK_EQ(walk_par(&r) >> 56, 0x44); /* NC, XS = 1 */
	CHECK_EQ((walk_par(&r) >> 7) & 3, 2);
	/* a block at level 0 (4K, no FEAT_LPA2) is invalid */
	set(L0T, 1, 0x0ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* bits[1:0] = 01 at level 3 is invalid too */
	four_levels(&c, va, 0x40100000ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 3);
}

TEST(s1_translation_fault_levels)
{
	struct walk_ctx c;
	struct walk_result r;
	static const uint64_t tables[] = { L0T, L1T, L2T, L3T };

	for (int level = 0; level <= 3; level++) {
		reset(&c);
		four_levels(&c, VA1, 0x40100000ULL | AF | PAGE);
		/* make the descriptor at this level invalid (bit 0 clear,
		 * the rest of it set: still invalid) */
		set(tables[level], idx(VA1, 12 + 9 * (unsigned)(3 - level), 9),
		    ~1ULL);
		walk_s1(&c, VA1, &rd, &r);
		CHECKF(r.fault == WALK_FAULT_TRANSLATION && r.level == level,
		       "level %d: fault %d at %d", level, r.fault, r.level);
		CHECK_EQ(walk_par(&r),
			 1 | ((0x04ULL | (uint64_t)level) << 1) | (1ULL << 11));
	}
}

TEST(s1_16k)
{
	struct walk_ctx c;
	struct walk_result r;
	/* 48 bits: L0 [47], L1 [46:36], L2 [35:25], L3 [24:14] */
	uint64_t va = (5ULL << 36) | (7ULL << 25) | (9ULL << 14) | 0x1234;
	uint64_t l0 = 0x40004000ULL, l1 = 0x40008000ULL, l2 = 0x4000c000ULL,
		 l3 = 0x40010000ULL;

	reset(&c);
	c.s1 = (struct walk_s1_regs){
		WALK_EL10,
		SCTLR_MC,
		16 | (2ULL << 14) | (5ULL << 32) | (1ULL << 23),
		l0,
		0,
		MAIR
	};
	set(l0, 0, l1 | TABLE);
	set(l1, 5, l2 | TABLE);
	set(l2, 7, l3 | TABLE);
	set(l3, 9, 0x40a00000ULL | AF | PAGE);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.size, 16384);
	CHECK_EQ(r.out, 0x40a01234ULL);
	/* 32 MiB block at level 2 */
	set(l2, 7, 0x42000000ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.size, 32ULL << 20);
	CHECK_EQ(r.out, 0x42000000ULL | (va & ((32ULL << 20) - 1)));
	/* no level-1 blocks with 16K (without FEAT_LPA2) */
	set(l1, 5, 0x0ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 1);
	/* the level-0 table has two entries: VA bit 47 selects */
	set(l1, 5, l2 | TABLE);
	walk_s1(&c, va | (1ULL << 47), &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
}

TEST(s1_64k)
{
	struct walk_ctx c;
	struct walk_result r;
	/* 48 bits: L1 [47:42], L2 [41:29], L3 [28:16] */
	uint64_t va =
	    (3ULL << 42) | (0x155ULL << 29) | (0x2aaULL << 16) | 0xbeef;
	uint64_t l1 = 0x40100000ULL, l2 = 0x40110000ULL, l3 = 0x40120000ULL;

	reset(&c);
	c.s1 = (struct walk_s1_regs){
		WALK_EL10,
		SCTLR_MC,
		16 | (1ULL << 14) | (5ULL << 32) | (1ULL << 23),
		l1,
		0,
		MAIR
	};
	set(l1, 3, l2 | TABLE);
	set(l2, 0x155, l3 | TABLE);
	set(l3, 0x2aa, 0x40a30000ULL | AF | PAGE);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.size, 65536);
	CHECK_EQ(r.out, 0x40a3beefULL);
	/* 512 MiB block at level 2 */
	set(l2, 0x155, 0x60000000ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.size, 512ULL << 20);
	CHECK_EQ(r.out, 0x60000000ULL | (va & ((512ULL << 20) - 1)));
	/* level-1 blocks need a 52-bit PAMax */
	set(l1, 3, 0x0ULL | AF | BLOCK);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 1);
}

TEST(s1_small_start_tables)
{
	struct walk_ctx c;
	struct walk_result r;
	/* T0SZ 30: 34-bit VAs, 4K: start level 1 resolves [33:30], a
	 * 16-entry (128-byte) table that TTBR0 may place at 128 bytes */
	uint64_t va = (0xdULL << 30) | (3ULL << 21) | (4ULL << 12) | 0x56;
	uint64_t l1 = 0x40000080ULL;

	reset(&c);
	c.s1 = (struct walk_s1_regs){ WALK_EL10, SCTLR_MC, TCR_4K(30, 5),
				      l1,	 0,	   MAIR };
	set(l1, 0xd, L2T | TABLE);
	set(L2T, 3, L3T | TABLE);
	set(L3T, 4, 0x40555000ULL | AF | PAGE);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40555056ULL);
	/* T0SZ 39 (25-bit, start level 2) */
	c.s1.tcr = TCR_4K(39, 5);
	c.s1.ttbr0 = L2T;
	walk_s1(&c, va & ((1ULL << 25) - 1), &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40555056ULL);
	/* beyond 25 bits: out of range, translation fault at level 0 */
	walk_s1(&c, 1ULL << 25, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* T0SZ 48 with FEAT_TTST: 16-bit VAs, start level 3 */
	c.s1.tcr = TCR_4K(48, 5);
	c.s1.ttbr0 = L3T;
	walk_s1(&c, (4ULL << 12) | 0x56, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.out, 0x40555056ULL);
	/* without FEAT_TTST 48 is used as 39 */
	feat.ttst = false;
	c.s1.ttbr0 = L2T;
	walk_s1(&c, (3ULL << 21) | (4ULL << 12) | 0x56, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40555056ULL);
}

TEST(s1_access_flag)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | PAGE);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ACCESS_FLAG);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(walk_par(&r), 1 | (0x0bULL << 1) | (1ULL << 11));
	/* a block without AF at level 2 */
	set(L2T, idx(VA1, 21, 9), 0x40200000ULL | BLOCK);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ACCESS_FLAG);
	CHECK_EQ(r.level, 2);
	/* TCR.HA: no fault (this AT does not write the flag) */
	c.s1.tcr |= 1ULL << 39;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40200000ULL | (VA1 & 0x1fffff));
	/* ... unless the CPU has no FEAT_HAFDBS */
	feat.hafdbs = false;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ACCESS_FLAG);
}

TEST(s1_permissions)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t pa = 0x40100000ULL | AF | PAGE;

	reset(&c);
	/* read-only: AT S1E1W faults, at level 3 */
	four_levels(&c, VA1, pa | AP_RO);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK(r.r && !r.w);
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(walk_par(&r), 1 | (0x0fULL << 1) | (1ULL << 11));
	/* DBM with TCR.HD: writable */
	set(L3T, idx(VA1, 12, 9), pa | AP_RO | DBM);
	c.s1.tcr |= (1ULL << 39) | (1ULL << 40);
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	c.s1.tcr &= ~((1ULL << 39) | (1ULL << 40));
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	/* EL0 read/write: AP = 01 both, AP = 11 read only */
	set(L3T, idx(VA1, 12, 9), pa | AP_EL0);
	walk_s1(&c, VA1, &el0wr, &r);
	CHECK_EQ(r.fault, WALK_OK);
	/* EL0-writable is never privileged-executable */
	CHECK(!r.px && r.ux);
	set(L3T, idx(VA1, 12, 9), pa | AP_EL0 | AP_RO | UXN);
	walk_s1(&c, VA1, &el0rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK(r.px && !r.ux);
	walk_s1(&c, VA1, &el0wr, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	/* PAN (AT S1E1RP): privileged access to EL0-readable memory */
	walk_s1(&c, VA1, &panrd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK_EQ(r.level, 3);
	set(L3T, idx(VA1, 12, 9), pa);
	walk_s1(&c, VA1, &panrd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	/* EPAN: EL0-executable memory too */
	set(L3T, idx(VA1, 12, 9), pa | PXN);
	walk_s1(&c, VA1, &panrd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	c.s1.sctlr |= 1ULL << 57;
	walk_s1(&c, VA1, &panrd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	c.s1.sctlr &= ~(1ULL << 57);
	/* WXN: writable memory is not executable */
	c.s1.sctlr |= 1ULL << 19;
	set(L3T, idx(VA1, 12, 9), pa);
	walk_s1(&c, VA1, &rd, &r);
	CHECK(r.w && !r.px && r.ux);
	c.s1.sctlr &= ~(1ULL << 19);
	/* hierarchical: APTable[1] at level 1 makes it read-only, at the
	 * leaf's level; APTable[0] takes EL0's access away; XNTable */
	set(L1T, idx(VA1, 30, 9), L2T | TABLE | APT_RO);
	set(L3T, idx(VA1, 12, 9), pa | AP_EL0);
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK_EQ(r.level, 3);
	set(L1T, idx(VA1, 30, 9), L2T | TABLE | APT_NOEL0 | (1ULL << 59));
	walk_s1(&c, VA1, &el0rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK(!r.px);
	/* TCR.HPD0 (FEAT_HPDS): table permissions ignored */
	c.s1.tcr |= 1ULL << 41;
	walk_s1(&c, VA1, &el0rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
}

TEST(s1_address_size)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | AF | PAGE);
	/* IPS 40 bits: TTBR0 beyond it, level 0 */
	c.s1.tcr = TCR_4K(16, 2);
	c.s1.ttbr0 = 1ULL << 40;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	CHECK_EQ(r.level, 0);
	CHECK_EQ(walk_par(&r), 1 | (0x00ULL << 1) | (1ULL << 11));
	/* a table descriptor at level 1 pointing beyond: level 1 */
	c.s1.ttbr0 = L0T;
	set(L1T, idx(VA1, 30, 9), (1ULL << 41) | TABLE);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(walk_par(&r), 1 | (0x01ULL << 1) | (1ULL << 11));
	/* the output address beyond: at the leaf's level */
	set(L1T, idx(VA1, 30, 9), L2T | TABLE);
	set(L3T, idx(VA1, 12, 9), (1ULL << 40) | AF | PAGE);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	CHECK_EQ(r.level, 3);
	/* IPS above PAMax (40 bits here) is PAMax */
	feat.pa_bits = 40;
	c.s1.tcr = TCR_4K(16, 5);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	feat.pa_bits = 48;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
}

TEST(s1_va_ranges)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t hi = 0xffffff8040201000ULL; /* T1SZ 25: L1 1, L2 1, L3 1 */
	uint64_t t1 = 0x40005000ULL, t2 = 0x40006000ULL, t3 = 0x40007000ULL;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | AF | PAGE);
	c.s1.tcr = TCR_4K(16, 5) & ~(1ULL << 23); /* EPD1 = 0 */
	c.s1.tcr |= (25ULL << 16) | (2ULL << 30); /* T1SZ 25, TG1 4K */
	c.s1.ttbr1 = t1 | (0x42ULL << 48);	  /* with an ASID */
	set(t1, 1, t2 | TABLE);
	set(t2, 1, t3 | TABLE);
	set(t3, 1, 0x40300000ULL | AF | PAGE);
	walk_s1(&c, hi | 0x77, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40300077ULL);
	/* upper range bits not all ones: out of range */
	walk_s1(&c, hi & ~(1ULL << 50), &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* EPD1 */
	c.s1.tcr |= 1ULL << 23;
	walk_s1(&c, hi, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* a tag in the top byte: a fault, unless TBI0 */
	walk_s1(&c, VA1 | (0x5aULL << 56), &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	c.s1.tcr |= 1ULL << 37;
	walk_s1(&c, VA1 | (0x5aULL << 56), &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40100abcULL);
	/* E0PD0: EL0 accesses to the lower range fault at level 0 */
	c.s1.tcr |= 1ULL << 55;
	walk_s1(&c, VA1, &el0rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	/* EPD0 */
	c.s1.tcr |= 1ULL << 7;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
}

TEST(s1_el2_regime)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t va = 0x0000000040201000ULL; /* T0SZ 25: L1 1, L2 1, L3 1 */

	reset(&c);
	/* TCR_EL2 (E2H = 0): T0SZ 25, TG0 4K, PS 40 bits */
	c.s1 = (struct walk_s1_regs){
		WALK_EL2, SCTLR_MC, 25 | (3ULL << 12) | (2ULL << 16),
		L1T,	  0,	    MAIR
	};
	set(L1T, 1, L2T | TABLE);
	set(L2T, 1, L3T | TABLE);
	/* AP[1] is RES1 (ignored), AP[2] read-only, XN */
	set(L3T, 1, 0x40100000ULL | AF | AP_EL0 | PAGE);
	walk_s1(&c, va, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK(r.r && r.w && r.px && !r.ux);
	set(L3T, 1, 0x40100000ULL | AF | AP_RO | UXN | PAGE);
	walk_s1(&c, va, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	walk_s1(&c, va, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK(!r.px);
	/* APTable[1] (bit 62) and XNTable (bit 60) */
	set(L3T, 1, 0x40100000ULL | AF | PAGE);
	set(L1T, 1, L2T | TABLE | APT_RO | (1ULL << 60));
	walk_s1(&c, va, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	walk_s1(&c, va, &rd, &r);
	CHECK(!r.px);
	/* one VA range: bit 55 set is out of range */
	walk_s1(&c, va | (0xffffULL << 48), &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* TBI (bit 20) */
	set(L1T, 1, L2T | TABLE);
	c.s1.tcr |= 1ULL << 20;
	walk_s1(&c, va | (0xa5ULL << 56), &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40100000ULL);
}

TEST(s1_disabled)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	c.s1 =
	    (struct walk_s1_regs){ WALK_EL10, 0, TCR_4K(16, 5), L0T, 0, MAIR };
	walk_s1(&c, 0x123456789000ULL, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x123456789000ULL);
	/* Device-nGnRnE, Outer Shareable */
	CHECK_EQ(walk_par(&r),
		 0x123456789000ULL | (1ULL << 11) | (1ULL << 9) | (2ULL << 7));
	/* beyond PAMax: address size fault at level 0 */
	walk_s1(&c, 1ULL << 48, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	CHECK_EQ(r.level, 0);
	/* HCR_EL2.DC: Normal Write-Back, Non-shareable, even with M set */
	c.s1.sctlr = SCTLR_MC;
	c.s1_off = c.dc = true;
	walk_s1(&c, 0x40000000ULL, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(walk_par(&r),
		 0x40000000ULL | (1ULL << 11) | (1ULL << 9) | (0xffULL << 56));
}

TEST(s1_big_endian_and_nc)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | AF | SH_IS | PAGE);
	c.s1.sctlr |= 1ULL << 25; /* EE */
	set(L0T, idx(VA1, 39, 9), __builtin_bswap64(L1T | TABLE));
	set(L1T, idx(VA1, 30, 9), __builtin_bswap64(L2T | TABLE));
	set(L2T, idx(VA1, 21, 9), __builtin_bswap64(L3T | TABLE));
	set(L3T, idx(VA1, 12, 9),
	    __builtin_bswap64(0x40100000ULL | AF | SH_IS | PAGE));
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40100abcULL);
	/* SCTLR.C = 0: data accesses to Normal memory are Non-cacheable */
	c.s1.sctlr &= ~4ULL;
	walk_s1(&c, VA1, &rd, &r);
	/* Normal NC with the XS of the Write-Back it replaces (0) */
	CHECK_EQ(walk_par(&r) >> 56, 0x40);
	CHECK_EQ((walk_par(&r) >> 7) & 3, 2);
}

TEST(s1_external_abort)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	four_levels(&c, VA1, 0x40100000ULL | AF | PAGE);
	set(L1T, idx(VA1, 30, 9), 0x10000000ULL | TABLE); /* no memory */
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_EXT_ABORT);
	CHECK_EQ(r.level, 2);
	CHECK(!r.stage2 && !r.s1ptw);
	CHECK_EQ(walk_fsc(&r), 0x16);
}

/* ---- stage 2 ---- */

/* VTCR_EL2: T0SZ 24 (40-bit IPA), SL0 1 (level 1), 4K, PS 40 bits: two
 * concatenated level-1 tables (8 KiB, 8 KiB aligned) */
#define S2T 0x40020000ULL
#define VTCR_40 (24ULL | (1ULL << 6) | (3ULL << 12) | (2ULL << 16))

static void s2_setup(struct walk_ctx *c)
{
	c->s2 = (struct walk_s2_regs){ .vtcr = VTCR_40,
				       .vttbr = S2T | (5ULL << 48) };
	c->s2_on = true;
}

TEST(s2_concatenated)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t ipa = (1ULL << 39) | (1ULL << 30) | 0x12345;

	reset(&c);
	s2_setup(&c);
	/* index 513: in the second table */
	set(S2T, 513,
	    0x40000000ULL | AF | S2AP_R | S2AP_W | S2_WB | SH_IS | BLOCK);
	walk_s2(&c, ipa, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.size, 1ULL << 30);
	CHECK_EQ(r.out, 0x40012345ULL);
	CHECK(r.r && r.w && r.px && r.ux);
	/* a page through levels 2 and 3 */
	set(S2T, 513, 0x40022000ULL | TABLE);
	set(0x40022000ULL, 0, 0x40023000ULL | TABLE);
	set(0x40023000ULL, 0x12, 0x40777000ULL | AF | S2AP_R | S2_WB | PAGE);
	walk_s2(&c, ipa, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.out, 0x40777345ULL);
	/* read-only: a write is a stage-2 permission fault at level 3 */
	walk_s2(&c, ipa, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK(r.stage2 && !r.s1ptw);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.ipa, ipa);
	CHECK_EQ(walk_par(&r), 1 | (0x0fULL << 1) | (1ULL << 9) | (1ULL << 11));
	/* XN */
	set(0x40023000ULL, 0x12,
	    0x40777000ULL | AF | S2AP_R | S2_WB | UXN | PAGE);
	walk_s2(&c, ipa, &rd, &r);
	CHECK(!r.px && !r.ux);
	/* FEAT_XNX: XN[1:0] = 01 is EL0-executable only... */
	feat.xnx = true;
	set(0x40023000ULL, 0x12,
	    0x40777000ULL | AF | S2AP_R | S2_WB | PXN | PAGE);
	walk_s2(&c, ipa, &rd, &r);
	CHECK(!r.px && r.ux);
	/* ...and ignored without it */
	feat.xnx = false;
	walk_s2(&c, ipa, &rd, &r);
	CHECK(r.px && r.ux);
}

TEST(s2_config_faults)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	s2_setup(&c);
	set(S2T, 1, 0x40000000ULL | AF | S2AP_R | S2_WB | BLOCK);
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	/* an IPA beyond T0SZ: translation fault, level 0, stage 2 */
	walk_s2(&c, 1ULL << 40, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	CHECK(r.stage2);
	/* SL0 = 0 (level 2) cannot resolve 40 bits with 16 tables */
	c.s2.vtcr = VTCR_40 & ~(3ULL << 6);
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* SL0 = 2 (level 0) resolves at least one bit: valid */
	c.s2.vtcr = (VTCR_40 & ~(3ULL << 6)) | (2ULL << 6);
	set(S2T, 0, 0x40024000ULL | TABLE);
	set(0x40024000ULL, 1, 0x40000000ULL | AF | S2AP_R | S2_WB | BLOCK);
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40000000ULL);
	/* ...but not with a PAMax below 44 bits */
	feat.pa_bits = 40;
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	feat.pa_bits = 48;
	/* SL0 = 3 (level 3) needs FEAT_TTST, and T0SZ 48 */
	c.s2.vtcr = 48ULL | (3ULL << 6) | (2ULL << 16);
	c.s2.vttbr = 0x40025000ULL;
	set(0x40025000ULL, 3, 0x40888000ULL | AF | S2AP_R | S2_WB | PAGE);
	walk_s2(&c, 0x3123, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40888123ULL);
	feat.ttst = false;
	walk_s2(&c, 0x3123, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
	/* VTTBR beyond PS: address size fault at level 0 */
	feat.ttst = true;
	s2_setup(&c);
	c.s2.vttbr = 1ULL << 40;
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ADDR_SIZE);
	CHECK_EQ(r.level, 0);
	/* access flag at stage 2 */
	s2_setup(&c);
	set(S2T, 1, 0x40000000ULL | S2AP_R | S2_WB | BLOCK);
	walk_s2(&c, 1ULL << 30, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_ACCESS_FLAG);
	CHECK_EQ(r.level, 1);
}

TEST(s2_granules)
{
	struct walk_ctx c;
	struct walk_result r;
	uint64_t ipa = (2ULL << 25) | (3ULL << 14) | 0x2345;

	reset(&c);
	/* 16K, T0SZ 28 (36 bits), SL0 1 (level 2): level 2 resolves
	 * [35:25], 11 bits: one table */
	c.s2 = (struct walk_s2_regs){ .vtcr = 28 | (1ULL << 6) | (2ULL << 14) |
					      (2ULL << 16),
				      .vttbr = 0x40040000ULL };
	c.s2_on = true;
	set(0x40040000ULL, 2, 0x40044000ULL | TABLE);
	set(0x40044000ULL, 3, 0x40a48000ULL | AF | S2AP_R | S2_WB | PAGE);
	walk_s2(&c, ipa, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.size, 16384);
	CHECK_EQ(r.out, 0x40a4a345ULL);
	/* 64K, T0SZ 22 (42 bits), SL0 1 (level 2): [41:29], 13 bits */
	ipa = (5ULL << 29) | (7ULL << 16) | 0xabcd;
	c.s2.vtcr = 22 | (1ULL << 6) | (1ULL << 14) | (2ULL << 16);
	c.s2.vttbr = 0x40100000ULL;
	set(0x40100000ULL, 5, 0x40110000ULL | TABLE);
	set(0x40110000ULL, 7, 0x40a50000ULL | AF | S2AP_R | S2_WB | PAGE);
	walk_s2(&c, ipa, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.size, 65536);
	CHECK_EQ(r.out, 0x40a5abcdULL);
	/* 64K, T0SZ 16 (48 bits), SL0 1: level 2 would need 19 bits of
	 * concatenation: inconsistent */
	c.s2.vtcr = 16 | (1ULL << 6) | (1ULL << 14) | (5ULL << 16);
	walk_s2(&c, ipa, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK_EQ(r.level, 0);
}

/* ---- both stages ---- */

/* stage 2: IPA 0x80000000 + 1 GiB -> PA 0x40000000 (a 1 GiB block) */
static void s12_setup(struct walk_ctx *c, uint64_t s2attr)
{
	s2_setup(c);
	set(S2T, 2,
	    0x40000000ULL | AF | S2AP_R | S2AP_W | SH_IS | s2attr | BLOCK);
}

#define IPA(pa) ((pa)-MEM_BASE + 0x80000000ULL)

/* four_levels with the tables at their IPAs */
static void four_levels_ipa(struct walk_ctx *c, uint64_t va, uint64_t leaf)
{
	four_levels(c, va, leaf);
	c->s1.ttbr0 = IPA(L0T);
	set(L0T, idx(va, 39, 9), IPA(L1T) | TABLE);
	set(L1T, idx(va, 30, 9), IPA(L2T) | TABLE);
	set(L2T, idx(va, 21, 9), IPA(L3T) | TABLE);
}

TEST(s12_walks_through_stage2)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	s12_setup(&c, S2_WB);
	/* stage-1 tables at IPAs, pointing at IPAs */
	c.s1 = (struct walk_s1_regs){ WALK_EL10, SCTLR_MC, TCR_4K(16, 5),
				      IPA(L0T),	 0,	   MAIR };
	set(L0T, idx(VA1, 39, 9), IPA(L1T) | TABLE);
	set(L1T, idx(VA1, 30, 9), IPA(L2T) | TABLE);
	set(L2T, idx(VA1, 21, 9), IPA(L3T) | TABLE);
	set(L3T, idx(VA1, 12, 9), IPA(0x40100000ULL) | AF | SH_IS | PAGE);
	/* stage 1 only: the IPA */
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, IPA(0x40100abcULL));
	/* both: the PA, 4 KiB (the smaller mapping) */
	walk_s12(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40100abcULL);
	CHECK_EQ(r.size, 4096);
	CHECK_EQ(walk_par(&r), 0xff00000040100000ULL | (1ULL << 11) |
				   (1ULL << 9) | (3ULL << 7));
	/* stage 2 read-only: S12 write faults at stage 2, level 1 */
	set(S2T, 2, 0x40000000ULL | AF | S2AP_R | S2_WB | BLOCK);
	walk_s12(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK(r.stage2 && !r.s1ptw);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.ipa, IPA(0x40100abcULL));
	CHECK_EQ(walk_par(&r), 1 | (0x0dULL << 1) | (1ULL << 9) | (1ULL << 11));
	/* stage 1 alone does not look at stage 2's permissions... */
	walk_s1(&c, VA1, &wrt, &r);
	CHECK_EQ(r.fault, WALK_OK);
	/* ...but its walk needs stage 2 read permission */
	set(S2T, 2, 0x40000000ULL | AF | S2AP_W | S2_WB | BLOCK);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK(r.stage2 && r.s1ptw);
	CHECK_EQ(r.ipa, IPA(L0T) + idx(VA1, 39, 9) * 8);
	CHECK_EQ(walk_par(&r),
		 1 | (0x0dULL << 1) | (1ULL << 8) | (1ULL << 9) | (1ULL << 11));
	/* HCR_EL2.PTW: walks to stage-2 Device memory fault */
	set(S2T, 2, 0x40000000ULL | AF | S2AP_R | S2_DEV_NGNRNE | BLOCK);
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	c.s2.ptw = true;
	walk_s1(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_PERMISSION);
	CHECK(r.s1ptw);
}

TEST(s12_stage2_faults)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	s12_setup(&c, S2_WB);
	c.s1 = (struct walk_s1_regs){ WALK_EL10, SCTLR_MC, TCR_4K(16, 5),
				      IPA(L0T),	 0,	   MAIR };
	set(L0T, idx(VA1, 39, 9), IPA(L1T) | TABLE);
	/* the level-2 table at an IPA stage 2 does not map */
	set(L1T, idx(VA1, 30, 9), 0xc0000000ULL | TABLE);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK(r.stage2 && r.s1ptw);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.ipa, 0xc0000000ULL + idx(VA1, 21, 9) * 8);
	CHECK_EQ(walk_par(&r),
		 1 | (0x05ULL << 1) | (1ULL << 8) | (1ULL << 9) | (1ULL << 11));
	/* the output IPA not mapped: stage 2, not on the walk */
	set(L1T, idx(VA1, 30, 9), IPA(L2T) | TABLE);
	set(L2T, idx(VA1, 21, 9), 0xc0000000ULL | AF | BLOCK);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK(r.stage2 && !r.s1ptw);
	CHECK_EQ(r.ipa, 0xc0000000ULL | (VA1 & 0x1fffff));
	/* a stage-1 fault comes first, as stage 1 */
	set(L2T, idx(VA1, 21, 9), 0);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_TRANSLATION);
	CHECK(!r.stage2);
	CHECK_EQ(r.level, 2);
	/* stage 2 maps the table to where there is no memory: an External
	 * abort on the stage-1 walk... */
	set(S2T, 3, 0x10000000ULL | AF | S2AP_R | S2_WB | BLOCK);
	set(L1T, idx(VA1, 30, 9), 0xc0000000ULL | TABLE);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_EXT_ABORT);
	CHECK(!r.stage2 && !r.s1ptw);
	CHECK_EQ(r.level, 2);
	/* ...stage 2's own tables there: on the stage-2 walk */
	c.s2.vttbr = 0x10000000ULL;
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_FAULT_EXT_ABORT);
	CHECK(r.stage2 && r.s1ptw);
	CHECK_EQ(r.level, 1);
}

TEST(s12_attributes)
{
	struct walk_ctx c;
	struct walk_result r;
	static const struct {
		unsigned attrindx;
		uint64_t s2attr;
		bool fwb;
		uint8_t par;
	} t[] = {
		{ 0, S2_WB, false, 0xff },	   /* WB + WB */
		{ 0, S2_NC, false, 0x40 },	   /* NC wins, XS 0 AND 1 */
		{ 0, S2_WT, false, 0xbb },	   /* WT, stage 1's hints */
		{ 3, S2_WB, false, 0xaa },	   /* WT RA + WB */
		{ 1, S2_DEV_NGNRNE, false, 0x00 }, /* stricter Device */
		{ 0, 1ULL << 2, false, 0x05 },	   /* S2 nGnRE, XS 0 */
		{ 4, S2_WB, false, 0x05 },	   /* Device XS = 0 */
		{ 2, 0x6ULL << 2, true, 0xff },	   /* FWB: forced WB */
		{ 2, 0x7ULL << 2, true, 0x44 },	   /* FWB: stage 1's */
		{ 0, 0x5ULL << 2, true, 0x40 },	   /* FWB: NC, S1 XS */
		{ 1, 0x6ULL << 2, true, 0xff },	   /* FWB WB over Device */
		{ 0, 0x1ULL << 2, true, 0x05 },	   /* FWB: Device */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		reset(&c);
		s12_setup(&c, t[i].s2attr);
		c.s2.fwb = t[i].fwb;
		four_levels_ipa(&c, VA1,
				IPA(0x40100000ULL) | AF | SH_IS |
				    ATTR(t[i].attrindx) | PAGE);
		walk_s12(&c, VA1, &rd, &r);
		CHECKF(r.fault == WALK_OK && walk_par(&r) >> 56 == t[i].par,
		       "row %u: fault %d PAR 0x%llx", i, r.fault,
		       (unsigned long long)walk_par(&r));
	}
}

TEST(s12_shareability)
{
	struct walk_ctx c;
	struct walk_result r;

	reset(&c);
	/* stage 2 Outer, stage 1 Inner: Outer */
	s2_setup(&c);
	set(S2T, 2, 0x40000000ULL | AF | S2AP_R | SH_OS | S2_WB | BLOCK);
	four_levels_ipa(&c, VA1, IPA(0x40100000ULL) | AF | SH_IS | PAGE);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ((walk_par(&r) >> 7) & 3, 2);
	/* stage 2 Non-shareable, stage 1 Inner: Inner */
	set(S2T, 2, 0x40000000ULL | AF | S2AP_R | S2_WB | BLOCK);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ((walk_par(&r) >> 7) & 3, 3);
	/* both Non-shareable */
	set(L3T, idx(VA1, 12, 9), IPA(0x40100000ULL) | AF | PAGE);
	walk_s12(&c, VA1, &rd, &r);
	CHECK_EQ((walk_par(&r) >> 7) & 3, 0);
	/* stage 1 off (HCR_EL2.DC): Normal WB, and stage 2 */
	c.s1_off = c.dc = true;
	walk_s12(&c, IPA(0x40100000ULL), &rd, &r);
	CHECK_EQ(r.fault, WALK_OK);
	CHECK_EQ(r.out, 0x40100000ULL);
	CHECK_EQ(walk_par(&r) >> 56, 0xff);
}

TEST(par_encodings)
{
	struct walk_result r = { .fault = WALK_FAULT_PERMISSION, .level = 2 };

	CHECK_EQ(walk_par(&r), 0x81dULL);
	r.stage2 = r.s1ptw = true;
	CHECK_EQ(walk_par(&r), 0xb1dULL);
	r = (struct walk_result){ .fault = WALK_FAULT_ADDR_SIZE, .level = 3 };
	CHECK_EQ(walk_par(&r), 0x807ULL);
	r = (struct walk_result){ .fault = WALK_FAULT_EXT_ABORT, .level = 1 };
	CHECK_EQ(walk_fsc(&r), 0x15);
	/* success: PA[55:12] only */
	r = (struct walk_result){ .out = 0x00ffffffffffffffULL };
	r.attrs.inner = r.attrs.outer =
	    (struct walk_cacheability){ WALK_WB, 3, false };
	r.attrs.sh = 3;
	CHECK_EQ(walk_par(&r), 0x00fffffffffff000ULL | 0xff00000000000000ULL |
				   (1ULL << 11) | (1ULL << 9) | (3ULL << 7));
	/* ATTR encodings of transient and non-allocating Normal memory */
	r.attrs.outer = (struct walk_cacheability){ WALK_WB, 1, true };
	r.attrs.inner = (struct walk_cacheability){ WALK_WT, 0, false };
	CHECK_EQ(walk_attr_byte(&r.attrs), 0x58);
}
