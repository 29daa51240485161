/* The hypervisor's own EL2 stage-1 translation (hyp/mmu.c): identity
 * mapped, text read-only+executable, everything else execute-never, the
 * stacks' guard pages and all that is not RAM or a known device unmapped. */
#ifndef HYP_MMU_H
#define HYP_MMU_H
#include "hyp/cache.h"
#include "hyp/palloc.h"
#include "hyp/types.h"

/* what secondary CPUs load to join the primary's regime (hyp/mmu_asm.S) */
struct boot_mmu {
	uint64_t mair, tcr, ttbr, sctlr;
};
extern struct boot_mmu boot_mmu;

/* MMU off: map the image and the DTB, then turn the MMU on */
void mmu_boot(paddr_t dtb, uint64_t dtb_size);
/* after mmu_boot, on the live tables */
int mmu_map_ram(paddr_t base, uint64_t size);
int mmu_map_device(paddr_t base, uint64_t size);
/* table pages beyond the boot pool come from here */
void mmu_use_allocator(struct palloc *pa);
/* [start, end) of the image, as loaded */
void mmu_image_range(paddr_t *start, paddr_t *end);

void mmu_enable(const struct boot_mmu *regs);

#endif
