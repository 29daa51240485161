/* mm/palloc.c: the physical page allocator. */
#include <stdlib.h>
#include <string.h>

#include "hyp/config.h"
#include "hyp/palloc.h"
#include "unit.h"

#define PG 4096UL
#define MIB (1UL << 20)

/* an allocator with its bitmaps on the heap, freed by pa_done() */
struct fixture {
	struct palloc pa;
	uint64_t *bm[PALLOC_MAX_REGIONS + 1];
	unsigned nbm;
};

static void pa_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
}

/* the bitmap is exactly as large as palloc_bitmap_bytes() says (ASan
 * catches any access past it) and starts as garbage */
static int pa_add(struct fixture *f, paddr_t base, size_t npages)
{
	size_t bytes = (npages + 63) / 64 * 8;
	uint64_t *bm;

	CHECK_EQ(palloc_bitmap_bytes(npages), bytes);
	bm = malloc(bytes ? bytes : 1);
	CHECK(bm);
	memset(bm, 0xa5, bytes);
	f->bm[f->nbm++] = bm;
	return palloc_add_region(&f->pa, base, npages, bm);
}

static void pa_done(struct fixture *f)
{
	for (unsigned i = 0; i < f->nbm; i++)
		free(f->bm[i]);
	f->nbm = 0;
}

static paddr_t alloc_ok(struct fixture *f, size_t n, size_t align)
{
	paddr_t a = 0;

	CHECK_EQ(palloc_alloc(&f->pa, n, align, &a), PALLOC_OK);
	return a;
}

TEST(bitmap_bytes)
{
	CHECK_EQ(palloc_bitmap_bytes(1), 8);
	CHECK_EQ(palloc_bitmap_bytes(64), 8);
	CHECK_EQ(palloc_bitmap_bytes(65), 16);
	CHECK_EQ(palloc_bitmap_bytes(262144), 32768); /* 1 GiB of pages */
}

TEST(alloc_free_basic)
{
	struct fixture f;
	paddr_t a, b;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 16), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 16);
	a = alloc_ok(&f, 1, PG);
	CHECK(a >= 0x40000000 && a < 0x40010000);
	CHECK_EQ(a % PG, 0);
	CHECK_EQ(palloc_free_pages(&f.pa), 15);
	b = alloc_ok(&f, 4, PG);
	CHECK(b >= 0x40000000 && b + 4 * PG <= 0x40010000);
	CHECK(b + 4 * PG <= a || a + PG <= b);
	CHECK_EQ(palloc_free_pages(&f.pa), 11);
	CHECK_EQ(palloc_free(&f.pa, a, 1), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 12);
	CHECK_EQ(palloc_free(&f.pa, b, 4), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 16);
	/* everything is free again: the whole region in one piece */
	CHECK_EQ(alloc_ok(&f, 16, PG), 0x40000000);
	CHECK_EQ(palloc_free_pages(&f.pa), 0);
	pa_done(&f);
}

TEST(exhaustion)
{
	struct fixture f;
	paddr_t got[100], a;
	bool seen[100] = { 0 };

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x80000000, 100), PALLOC_OK);
	for (int i = 0; i < 100; i++) {
		got[i] = alloc_ok(&f, 1, PG);
		CHECK(got[i] >= 0x80000000 && got[i] < 0x80000000 + 100 * PG);
		CHECK(!seen[(got[i] - 0x80000000) / PG]);
		seen[(got[i] - 0x80000000) / PG] = true;
		CHECK_EQ(palloc_free_pages(&f.pa), 99 - i);
	}
	CHECK_EQ(palloc_alloc(&f.pa, 1, PG, &a), PALLOC_ENOMEM);
	CHECK_EQ(palloc_free(&f.pa, got[37], 1), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 1);
	CHECK_EQ(palloc_alloc(&f.pa, 2, PG, &a), PALLOC_ENOMEM);
	CHECK_EQ(alloc_ok(&f, 1, PG), got[37]);
	CHECK_EQ(palloc_alloc(&f.pa, 1, PG, &a), PALLOC_ENOMEM);
	CHECK_EQ(palloc_free_pages(&f.pa), 0);
	pa_done(&f);
}

TEST(no_contiguous_run)
{
	struct fixture f;
	paddr_t a;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 8), PALLOC_OK);
	/* every other page in use: 4 free pages, no 2 contiguous */
	for (int i = 0; i < 8; i += 2)
		palloc_reserve(&f.pa, 0x40000000 + i * PG, 1);
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	CHECK_EQ(palloc_alloc(&f.pa, 2, PG, &a), PALLOC_ENOMEM);
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	a = alloc_ok(&f, 1, PG);
	CHECK_EQ((a - 0x40000000) / PG % 2, 1);
	pa_done(&f);
}

TEST(double_free)
{
	struct fixture f;
	paddr_t a;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 32), PALLOC_OK);
	a = alloc_ok(&f, 2, PG);
	CHECK_EQ(palloc_free(&f.pa, a, 2), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 32);
	CHECK_EQ(palloc_free(&f.pa, a, 2), PALLOC_EDOUBLE);
	CHECK_EQ(palloc_free(&f.pa, a, 1), PALLOC_EDOUBLE);
	CHECK_EQ(palloc_free_pages(&f.pa), 32);
	/* a page never allocated */
	CHECK_EQ(palloc_free(&f.pa, 0x40000000 + 31 * PG, 1), PALLOC_EDOUBLE);
	CHECK_EQ(palloc_free_pages(&f.pa), 32);
	pa_done(&f);
}

TEST(partial_double_free)
{
	struct fixture f;
	paddr_t a, b;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 16), PALLOC_OK);
	a = alloc_ok(&f, 4, PG);
	CHECK_EQ(palloc_free(&f.pa, a + PG, 1), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 13);
	/* [a, a + 4 pages) has one free page in the middle: nothing freed */
	CHECK_EQ(palloc_free(&f.pa, a, 4), PALLOC_EDOUBLE);
	CHECK_EQ(palloc_free_pages(&f.pa), 13);
	/* so the pages around the hole are still in use */
	CHECK_EQ(palloc_free(&f.pa, a, 1), PALLOC_OK);
	CHECK_EQ(palloc_free(&f.pa, a + 2 * PG, 2), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 16);
	/* a range whose last page is free */
	b = alloc_ok(&f, 3, PG);
	CHECK_EQ(palloc_free(&f.pa, b, 4), PALLOC_EDOUBLE);
	CHECK_EQ(palloc_free_pages(&f.pa), 13);
	CHECK_EQ(palloc_free(&f.pa, b, 3), PALLOC_OK);
	pa_done(&f);
}

/* 2 MiB alignment in a region starting 12 KiB past a 2 MiB boundary and
 * 8 MiB long: 2 MiB boundaries inside are at +2, +4, +6 and +8 MiB */
TEST(alignment)
{
	const paddr_t base = 0x40003000;
	struct fixture f;
	paddr_t a[4], x;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, base, 2048), PALLOC_OK);
	for (int i = 0; i < 3; i++) {
		a[i] = alloc_ok(&f, 512, 2 * MIB);
		CHECK_EQ(a[i] % (2 * MIB), 0);
		CHECK(a[i] >= base && a[i] + 2 * MIB <= base + 2048 * PG);
		for (int j = 0; j < i; j++)
			CHECK(a[i] + 2 * MIB <= a[j] || a[j] + 2 * MIB <= a[i]);
	}
	CHECK_EQ(palloc_free_pages(&f.pa), 2048 - 3 * 512);
	/* no fourth: 0x40803000 - 0x40800000 is 3 pages */
	CHECK_EQ(palloc_alloc(&f.pa, 512, 2 * MIB, &x), PALLOC_ENOMEM);
	/* but one page at 2 MiB alignment still fits there */
	CHECK_EQ(alloc_ok(&f, 1, 2 * MIB), 0x40800000);
	CHECK_EQ(palloc_alloc(&f.pa, 1, 2 * MIB, &x), PALLOC_ENOMEM);
	/* 64 KiB-aligned 2 pages: below the first 2 MiB boundary */
	x = alloc_ok(&f, 2, 64 * 1024);
	CHECK_EQ(x % (64 * 1024), 0);
	CHECK(x >= 0x40010000 && x + 2 * PG <= 0x40200000);
	CHECK_EQ(palloc_free_pages(&f.pa), 2048 - 3 * 512 - 3);
	pa_done(&f);
}

TEST(invalid_args)
{
	struct fixture f;
	paddr_t a = 0x1234;
	uint64_t bm[1];

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 64), PALLOC_OK);
	CHECK_EQ(palloc_alloc(&f.pa, 0, PG, &a), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&f.pa, 1, 0, &a), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&f.pa, 1, 2048, &a), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&f.pa, 1, 3 * PG, &a), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&f.pa, 1, PG + 1, &a), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&f.pa, 1, 24 * PG, &a), PALLOC_EINVAL);
	CHECK_EQ(a, 0x1234);
	CHECK_EQ(palloc_free_pages(&f.pa), 64);
	a = alloc_ok(&f, 1, PG);
	CHECK_EQ(palloc_free(&f.pa, a + 8, 1), PALLOC_EINVAL);
	CHECK_EQ(palloc_free(&f.pa, a + 2048, 1), PALLOC_EINVAL);
	CHECK_EQ(palloc_free(&f.pa, a, 0), PALLOC_EINVAL);
	CHECK_EQ(palloc_free_pages(&f.pa), 63);
	CHECK_EQ(palloc_free(&f.pa, a, 1), PALLOC_OK);
	/* regions: unaligned base, no pages, no bitmap */
	CHECK_EQ(palloc_add_region(&f.pa, 0x50000800, 1, bm), PALLOC_EINVAL);
	CHECK_EQ(palloc_add_region(&f.pa, 0x50000000, 0, bm), PALLOC_EINVAL);
	CHECK_EQ(palloc_add_region(&f.pa, 0x50000000, 1, NULL), PALLOC_EINVAL);
	CHECK_EQ(f.pa.nregions, 1);
	CHECK_EQ(palloc_free_pages(&f.pa), 64);
	pa_done(&f);
}

TEST(free_out_of_range)
{
	struct fixture f;
	paddr_t a;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 16), PALLOC_OK);
	CHECK_EQ(pa_add(&f, 0x40010000, 16), PALLOC_OK); /* adjacent */
	a = alloc_ok(&f, 16, PG);
	CHECK_EQ(a, 0x40000000);
	CHECK_EQ(alloc_ok(&f, 16, PG), 0x40010000);
	CHECK_EQ(palloc_free(&f.pa, 0x3ffff000, 1), PALLOC_ERANGE);
	CHECK_EQ(palloc_free(&f.pa, 0x40020000, 1), PALLOC_ERANGE);
	CHECK_EQ(palloc_free(&f.pa, 0, 1), PALLOC_ERANGE);
	/* starts before a region / runs past its end / spans two regions */
	CHECK_EQ(palloc_free(&f.pa, 0x3ffff000, 2), PALLOC_ERANGE);
	CHECK_EQ(palloc_free(&f.pa, 0x4001f000, 2), PALLOC_ERANGE);
	CHECK_EQ(palloc_free(&f.pa, 0x4000f000, 2), PALLOC_ERANGE);
	CHECK_EQ(palloc_free(&f.pa, 0x40000000, 32), PALLOC_ERANGE);
	/* huge counts must not wrap around */
	CHECK_EQ(palloc_free(&f.pa, 0x40001000, (size_t)-1), PALLOC_ERANGE);
	CHECK_EQ(palloc_free_pages(&f.pa), 0);
	CHECK_EQ(palloc_free(&f.pa, 0x4000f000, 1), PALLOC_OK);
	CHECK_EQ(palloc_free(&f.pa, 0x40010000, 1), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 2);
	pa_done(&f);
}

TEST(reserve)
{
	struct fixture f;
	paddr_t a, x;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 8), PALLOC_OK);
	palloc_reserve(&f.pa, 0x40000000, 3);
	CHECK_EQ(palloc_free_pages(&f.pa), 5);
	palloc_reserve(&f.pa, 0x40000000, 3); /* idempotent */
	CHECK_EQ(palloc_free_pages(&f.pa), 5);
	palloc_reserve(&f.pa, 0x40002000, 2); /* overlaps by one */
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	/* partly outside the region: only the inside counts */
	palloc_reserve(&f.pa, 0x3fffe000, 3);
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	palloc_reserve(&f.pa, 0x40007000, 10);
	CHECK_EQ(palloc_free_pages(&f.pa), 3);
	palloc_reserve(&f.pa, 0x90000000, 5); /* entirely outside */
	CHECK_EQ(palloc_free_pages(&f.pa), 3);
	/* the free pages are 4, 5, 6: a 3-page run */
	a = alloc_ok(&f, 3, PG);
	CHECK_EQ(a, 0x40004000);
	CHECK_EQ(palloc_alloc(&f.pa, 1, PG, &x), PALLOC_ENOMEM);
	/* reserved pages are in use: they may be freed */
	CHECK_EQ(palloc_free(&f.pa, 0x40000000, 4), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	/* reserving allocated pages changes nothing */
	palloc_reserve(&f.pa, a, 3);
	CHECK_EQ(palloc_free_pages(&f.pa), 4);
	pa_done(&f);
}

TEST(multiple_regions)
{
	struct fixture f;
	paddr_t a, x;

	pa_init(&f);
	CHECK_EQ(pa_add(&f, 0x40000000, 4), PALLOC_OK);
	CHECK_EQ(pa_add(&f, 0x100000000, 70), PALLOC_OK);
	CHECK_EQ(pa_add(&f, 0x80000000, 2), PALLOC_OK);
	CHECK_EQ(palloc_free_pages(&f.pa), 76);
	/* 10 pages only fit in the second region */
	a = alloc_ok(&f, 10, PG);
	CHECK(a >= 0x100000000 && a + 10 * PG <= 0x100000000 + 70 * PG);
	CHECK_EQ(palloc_free_pages(&f.pa), 66);
	/* 61 pages: 60 left in region 1, 4 and 2 elsewhere */
	CHECK_EQ(palloc_alloc(&f.pa, 61, PG, &x), PALLOC_ENOMEM);
	/* a run never spans regions, even adjacent ones */
	for (int i = 0; i < 66; i++)
		alloc_ok(&f, 1, PG);
	CHECK_EQ(palloc_alloc(&f.pa, 1, PG, &x), PALLOC_ENOMEM);
	CHECK_EQ(palloc_free(&f.pa, 0x80001000, 1), PALLOC_OK);
	CHECK_EQ(alloc_ok(&f, 1, PG), 0x80001000);
	CHECK_EQ(palloc_free(&f.pa, 0x100000000 + 69 * PG, 1), PALLOC_OK);
	CHECK_EQ(alloc_ok(&f, 1, PG), 0x100000000 + 69 * PG);
	pa_done(&f);
}

TEST(too_many_regions)
{
	struct fixture f;

	pa_init(&f);
	for (unsigned i = 0; i < PALLOC_MAX_REGIONS; i++)
		CHECK_EQ(pa_add(&f, 0x40000000 + i * MIB, 1), PALLOC_OK);
	CHECK_EQ(pa_add(&f, 0x80000000, 1), PALLOC_ETOOMANY);
	CHECK_EQ(f.pa.nregions, PALLOC_MAX_REGIONS);
	CHECK_EQ(palloc_free_pages(&f.pa), PALLOC_MAX_REGIONS);
	pa_done(&f);
}

TEST(strerror)
{
	CHECK_STR(palloc_strerror(PALLOC_OK), "ok");
	CHECK_STR(palloc_strerror(PALLOC_ENOMEM), "out of memory");
	CHECK_STR(palloc_strerror(PALLOC_EDOUBLE), "double free");
	CHECK_STR(palloc_strerror(PALLOC_ETOOMANY), "too many regions");
	CHECK_STR(palloc_strerror(-6), "unknown error");
	CHECK_STR(palloc_strerror(1), "unknown error");
	CHECK_STR(palloc_strerror(-1000000), "unknown error");
}

/*
 * Random operations against a shadow model: one bool per page. The model
 * does not predict which address an allocation returns, only that it is
 * valid, and that ENOMEM means no fitting run exists.
 */
#define NREG 3
static const struct {
	paddr_t base;
	size_t npages;
} stress_reg[NREG] = {
	{ 0x40001000, 1000 },
	{ 0x40800000, 129 },
	{ 0x8000f000, 700 },
};

struct shadow {
	bool used[NREG][1000];
};

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

static int region_of(paddr_t a)
{
	for (int r = 0; r < NREG; r++)
		if (a >= stress_reg[r].base &&
		    a < stress_reg[r].base + stress_reg[r].npages * PG)
			return r;
	return -1;
}

static bool run_free(const struct shadow *s, int r, size_t i, size_t n)
{
	for (size_t k = i; k < i + n; k++)
		if (s->used[r][k])
			return false;
	return true;
}

static bool fit_exists(const struct shadow *s, size_t n, size_t align)
{
	for (int r = 0; r < NREG; r++) {
		for (size_t i = 0; i + n <= stress_reg[r].npages; i++) {
			paddr_t a = stress_reg[r].base + i * PG;
			if (a % align == 0 && run_free(s, r, i, n))
				return true;
		}
	}
	return false;
}

static size_t shadow_free(const struct shadow *s)
{
	size_t n = 0;

	for (int r = 0; r < NREG; r++)
		for (size_t i = 0; i < stress_reg[r].npages; i++)
			n += !s->used[r][i];
	return n;
}

/* what palloc_free must answer for [a, a + n pages) */
static int expect_free(const struct shadow *s, paddr_t a, size_t n)
{
	int r = region_of(a);
	size_t i;

	if (r < 0 || region_of(a + (n - 1) * PG) != r)
		return PALLOC_ERANGE;
	i = (a - stress_reg[r].base) / PG;
	for (size_t k = i; k < i + n; k++)
		if (!s->used[r][k])
			return PALLOC_EDOUBLE;
	return PALLOC_OK;
}

static void mark(struct shadow *s, paddr_t a, size_t n, bool v)
{
	for (size_t k = 0; k < n; k++) {
		int r = region_of(a + k * PG);
		if (r >= 0)
			s->used[r][(a + k * PG - stress_reg[r].base) / PG] = v;
	}
}

static int stress_alloc(struct fixture *f, struct shadow *s)
{
	static const size_t aligns[] = { PG,	  PG,	   2 * PG,
					 16 * PG, 64 * PG, 2 * MIB };
	size_t n = 1 + rnd(rnd(4) ? 8 : 300);
	size_t align = aligns[rnd(ARRAY_SIZE(aligns))];
	bool fits = fit_exists(s, n, align);
	paddr_t a = 0;
	int ret = palloc_alloc(&f->pa, n, align, &a);
	int r = region_of(a);

	CHECKF(ret == (fits ? PALLOC_OK : PALLOC_ENOMEM),
	       "alloc %zu pages align 0x%zx: %d, a fit %s", n, align, ret,
	       fits ? "exists" : "does not exist");
	if (ret)
		return ret;
	CHECK_EQ(a % align, 0);
	CHECK(r >= 0);
	CHECK(a + n * PG <= stress_reg[r].base + stress_reg[r].npages * PG);
	CHECK(run_free(s, r, (a - stress_reg[r].base) / PG, n));
	mark(s, a, n, true);
	return ret;
}

static int stress_free(struct fixture *f, struct shadow *s)
{
	int r = (int)rnd(NREG + 1) - 1;
	paddr_t a;
	size_t n = 1 + rnd(rnd(2) ? 4 : 64);
	int ret;

	if (r < 0) /* anywhere, even outside every region */
		a = 0x40000000 + rnd(0x50000) * PG;
	else
		a = stress_reg[r].base + rnd(stress_reg[r].npages) * PG;
	ret = expect_free(s, a, n);
	CHECKF(palloc_free(&f->pa, a, n) == ret,
	       "free 0x%llx, %zu pages: expected %d", (unsigned long long)a, n,
	       ret);
	if (ret == PALLOC_OK)
		mark(s, a, n, false);
	return ret;
}

static void stress_reserve(struct fixture *f, struct shadow *s)
{
	int r = (int)rnd(NREG);
	long long pg = (long long)rnd(stress_reg[r].npages + 40) - 20;
	paddr_t a = (paddr_t)((long long)stress_reg[r].base + pg * (long)PG);
	size_t n = 1 + rnd(16);

	palloc_reserve(&f->pa, a, n);
	mark(s, a, n, true);
}

TEST(random_stress)
{
	struct fixture f;
	static struct shadow s;
	unsigned count[6] = { 0 }; /* by -palloc_err */

	memset(&s, 0, sizeof(s));
	pa_init(&f);
	for (int r = 0; r < NREG; r++)
		CHECK_EQ(pa_add(&f, stress_reg[r].base, stress_reg[r].npages),
			 PALLOC_OK);
	for (int step = 0; step < 20000; step++) {
		unsigned op = rnd(10);
		if (op < 5)
			count[-stress_alloc(&f, &s)]++;
		else if (op < 9)
			count[-stress_free(&f, &s)]++;
		else if (!rnd(8))
			stress_reserve(&f, &s);
		CHECKF(palloc_free_pages(&f.pa) == shadow_free(&s),
		       "step %d: %zu free pages, model says %zu", step,
		       palloc_free_pages(&f.pa), shadow_free(&s));
	}
	/* every outcome was exercised, many times */
	CHECKF(count[0] > 1000 && count[-PALLOC_ENOMEM] > 100 &&
		   count[-PALLOC_EDOUBLE] > 100 && count[-PALLOC_ERANGE] > 100,
	       "ok %u, enomem %u, edouble %u, erange %u", count[0],
	       count[-PALLOC_ENOMEM], count[-PALLOC_EDOUBLE],
	       count[-PALLOC_ERANGE]);
	pa_done(&f);
}
