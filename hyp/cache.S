#include "hyp/asm.h"

/* Data cache maintenance by VA to the point of coherency (include/hyp/
 * cache.h): for memory written with the MMU off (non-cacheable) and read
 * later through the caches, or read by a CPU whose MMU is still off, or
 * written here for a guest that may read it non-cacheable.
 * x0 = start, x1 = end. */
.macro dcache_range op
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	\op, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
.endm

FUNC(dcache_inval_poc)
	dcache_range ivac
ENDFUNC(dcache_inval_poc)

FUNC(dcache_clean_poc)
	dcache_range cvac
ENDFUNC(dcache_clean_poc)

FUNC(dcache_clean_inval_poc)
	dcache_range civac
ENDFUNC(dcache_clean_inval_poc)
