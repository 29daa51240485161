/* Physical page allocator (mm/palloc.c): a bitmap per RAM region, one bit
 * per 4 KiB page, set = in use. Arch-independent; unit-tested on the host. */
#ifndef HYP_PALLOC_H
#define HYP_PALLOC_H
#include "hyp/spinlock.h"
#include "hyp/types.h"

#define PALLOC_MAX_REGIONS 8

enum palloc_err {
	PALLOC_OK = 0,
	PALLOC_ENOMEM = -1,   /* no free run of that size and alignment */
	PALLOC_EINVAL = -2,   /* zero pages, bad alignment, unaligned address */
	PALLOC_ERANGE = -3,   /* address not inside one managed region */
	PALLOC_EDOUBLE = -4,  /* freeing a page that is already free */
	PALLOC_ETOOMANY = -5, /* more regions than PALLOC_MAX_REGIONS */
};

struct palloc_region {
	paddr_t base;
	size_t npages;
	size_t nfree;
	uint64_t *bitmap; /* npages bits, owned by the caller */
};

struct palloc {
	struct palloc_region region[PALLOC_MAX_REGIONS];
	unsigned nregions;
	spinlock_t lock;
};

/* bytes of bitmap a region of npages needs */
static inline size_t palloc_bitmap_bytes(size_t npages)
{
	return ALIGN_UP(npages, 64) / 8;
}

/* all pages start free; base must be page aligned */
int palloc_add_region(struct palloc *pa, paddr_t base, size_t npages,
		      uint64_t *bitmap);
/* mark [addr, addr + npages) in use (image, DTB, reserved memory); pages
 * outside every region are ignored, pages already in use are fine */
void palloc_reserve(struct palloc *pa, paddr_t addr, size_t npages);
/* npages contiguous pages whose address is a multiple of align (bytes,
 * a power of two >= PAGE_SIZE); 0 or a palloc_err */
int palloc_alloc(struct palloc *pa, size_t npages, size_t align, paddr_t *out);
/* every page must be in use; otherwise nothing is freed */
int palloc_free(struct palloc *pa, paddr_t addr, size_t npages);
size_t palloc_free_pages(struct palloc *pa);
const char *palloc_strerror(int err);

#endif
