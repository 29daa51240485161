/* Bitmap page allocator: see include/hyp/palloc.h. First fit, which keeps
 * the code obviously correct; allocations are rare (boot, guest set-up). */
#include "hyp/palloc.h"
#include "hyp/config.h"
#include "hyp/lib.h"

static bool test_bit(const uint64_t *bm, size_t i)
{
	return (bm[i / 64] >> (i % 64)) & 1;
}

static void set_bits(uint64_t *bm, size_t i, size_t n, bool v)
{
	for (; n; n--, i++) {
		if (v)
			bm[i / 64] |= 1UL << (i % 64);
		else
			bm[i / 64] &= ~(1UL << (i % 64));
	}
}

static size_t count_set(const uint64_t *bm, size_t i, size_t n)
{
	size_t c = 0;

	for (; n; n--, i++)
		c += test_bit(bm, i);
	return c;
}

int palloc_add_region(struct palloc *pa, paddr_t base, size_t npages,
		      uint64_t *bitmap)
{
	struct palloc_region *r;

	if (!IS_ALIGNED(base, PAGE_SIZE) || !npages || !bitmap)
		return PALLOC_EINVAL;
	if (pa->nregions >= PALLOC_MAX_REGIONS)
		return PALLOC_ETOOMANY;
	r = &pa->region[pa->nregions++];
	*r = (struct palloc_region){ base, npages, npages, bitmap };
	memset(bitmap, 0, palloc_bitmap_bytes(npages));
	return PALLOC_OK;
}

/* the region holding [addr, addr + n pages), or NULL */
static struct palloc_region *find_region(struct palloc *pa, paddr_t addr,
					 size_t n)
{
	for (unsigned i = 0; i < pa->nregions; i++) {
		struct palloc_region *r = &pa->region[i];
		if (addr >= r->base &&
		    (addr - r->base) / PAGE_SIZE < r->npages &&
		    n <= r->npages - (addr - r->base) / PAGE_SIZE)
			return r;
	}
	return NULL;
}

void palloc_reserve(struct palloc *pa, paddr_t addr, size_t npages)
{
	spin_lock(&pa->lock);
	for (; npages; npages--, addr += PAGE_SIZE) {
		struct palloc_region *r = find_region(pa, addr, 1);
		size_t i;
		if (!r)
			continue;
		i = (addr - r->base) / PAGE_SIZE;
		if (!test_bit(r->bitmap, i)) {
			set_bits(r->bitmap, i, 1, true);
			r->nfree--;
		}
	}
	spin_unlock(&pa->lock);
}

static bool alloc_in(struct palloc_region *r, size_t n, size_t align,
		     paddr_t *out)
{
	paddr_t a = ALIGN_UP(r->base, align);

	while ((a - r->base) / PAGE_SIZE + n <= r->npages) {
		size_t i = (a - r->base) / PAGE_SIZE, j;
		for (j = 0; j < n && !test_bit(r->bitmap, i + j); j++)
			;
		if (j == n) {
			set_bits(r->bitmap, i, n, true);
			r->nfree -= n;
			*out = a;
			return true;
		}
		/* skip past the page in use */
		a = ALIGN_UP(r->base + (i + j + 1) * PAGE_SIZE, align);
	}
	return false;
}

int palloc_alloc(struct palloc *pa, size_t npages, size_t align, paddr_t *out)
{
	int ret = PALLOC_ENOMEM;

	if (!npages || align < PAGE_SIZE || (align & (align - 1)))
		return PALLOC_EINVAL;
	spin_lock(&pa->lock);
	for (unsigned i = 0; i < pa->nregions; i++) {
		if (pa->region[i].nfree >= npages &&
		    alloc_in(&pa->region[i], npages, align, out)) {
			ret = PALLOC_OK;
			break;
		}
	}
	spin_unlock(&pa->lock);
	return ret;
}

int palloc_free(struct palloc *pa, paddr_t addr, size_t npages)
{
	struct palloc_region *r;
	size_t i;
	int ret = PALLOC_OK;

	if (!npages || !IS_ALIGNED(addr, PAGE_SIZE))
		return PALLOC_EINVAL;
	spin_lock(&pa->lock);
	r = find_region(pa, addr, npages);
	if (!r) {
		ret = PALLOC_ERANGE;
	} else {
		i = (addr - r->base) / PAGE_SIZE;
		if (count_set(r->bitmap, i, npages) != npages) {
			ret = PALLOC_EDOUBLE;
		} else {
			set_bits(r->bitmap, i, npages, false);
			r->nfree += npages;
		}
	}
	spin_unlock(&pa->lock);
	return ret;
}

size_t palloc_free_pages(struct palloc *pa)
{
	size_t n = 0;

	for (unsigned i = 0; i < pa->nregions; i++)
		n += pa->region[i].nfree;
	return n;
}

const char *palloc_strerror(int err)
{
	static const char *const msg[] = {
		[0] = "ok",
		[-PALLOC_ENOMEM] = "out of memory",
		[-PALLOC_EINVAL] = "invalid argument",
		[-PALLOC_ERANGE] = "address outside managed memory",
		[-PALLOC_EDOUBLE] = "double free",
		[-PALLOC_ETOOMANY] = "too many regions",
	};

	if (err > 0 || (size_t)-err >= ARRAY_SIZE(msg))
		return "unknown error";
	return msg[-err];
}
