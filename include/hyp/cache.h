/* Data cache maintenance by VA to the point of coherency, [start, end)
 * (hyp/cache.S); each ends with a DSB SY. */
#ifndef HYP_CACHE_H
#define HYP_CACHE_H
#include "hyp/types.h"

void dcache_inval_poc(uint64_t start, uint64_t end);
void dcache_clean_poc(uint64_t start, uint64_t end);
void dcache_clean_inval_poc(uint64_t start, uint64_t end);

#endif
