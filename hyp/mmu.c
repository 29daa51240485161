/* EL2 stage-1 for the hypervisor itself: see include/hyp/mmu.h. */
#include "hyp/mmu.h"
#include "arch/sysreg.h"
#include "hyp/config.h"
#include "hyp/lib.h"
#include "hyp/pgtable.h"

#define BOOT_POOL_PAGES 32
#define ATTR_NORMAL                                                            \
	(PTE_ATTRIDX(MT_NORMAL) | PTE_AP_RES1 | PTE_SH_INNER | PTE_AF)
#define ATTR_TEXT (ATTR_NORMAL | PTE_AP_RO)
#define ATTR_RODATA (ATTR_NORMAL | PTE_AP_RO | PTE_XN)
#define ATTR_DATA (ATTR_NORMAL | PTE_XN)
#define ATTR_DEVICE (PTE_ATTRIDX(MT_DEVICE) | PTE_AP_RES1 | PTE_AF | PTE_XN)

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern uint8_t hyp_stacks[MAX_CPUS][STACK_SLOT];

struct boot_mmu boot_mmu;
static uint8_t boot_pool[BOOT_POOL_PAGES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE)));
static unsigned boot_pool_used;
static struct palloc *page_source;
static struct pgtable hyp_pt;
static paddr_t dtb_start, dtb_end;

static int alloc_table(void *ctx, paddr_t *pa)
{
	(void)ctx;
	if (boot_pool_used < BOOT_POOL_PAGES) {
		*pa = (paddr_t)(uintptr_t)boot_pool[boot_pool_used++];
	} else if (!page_source ||
		   palloc_alloc(page_source, 1, PAGE_SIZE, pa)) {
		return -1;
	}
	memset((void *)(uintptr_t)*pa, 0, PAGE_SIZE);
	return 0;
}

void mmu_use_allocator(struct palloc *pa)
{
	page_source = pa;
}

void mmu_image_range(paddr_t *start, paddr_t *end)
{
	*start = (paddr_t)(uintptr_t)__image_start;
	*end = (paddr_t)(uintptr_t)__image_end;
}

static int map(paddr_t start, paddr_t end, uint64_t attrs)
{
	return pt_map(&hyp_pt, start, start, end - start, attrs);
}

/* image sections with their permissions; each stack's guard page left out */
static int map_image(void)
{
	paddr_t stacks = (paddr_t)(uintptr_t)hyp_stacks;
	int ret =
	    map((uintptr_t)__image_start, (uintptr_t)__text_end, ATTR_TEXT);

	ret = ret
		  ?: map((uintptr_t)__text_end, (uintptr_t)__rodata_end,
			 ATTR_RODATA);
	ret = ret ?: map((uintptr_t)__rodata_end, stacks, ATTR_DATA);
	for (unsigned i = 0; i < MAX_CPUS && !ret; i++)
		ret = map(stacks + i * STACK_SLOT + PAGE_SIZE,
			  stacks + (i + 1) * STACK_SLOT, ATTR_DATA);
	return ret
		   ?: map(stacks + MAX_CPUS * STACK_SLOT,
			  (uintptr_t)__image_end, ATTR_DATA);
}

void mmu_boot(paddr_t dtb, uint64_t dtb_size)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	paddr_t root;

	/* the boot pool cannot run out here: a few tables for two ranges */
	alloc_table(NULL, &root);
	hyp_pt = (struct pgtable){ .root = (uint64_t *)(uintptr_t)root,
				   .start_level = 0,
				   .alloc_page = alloc_table };
	dtb_start = ALIGN_DOWN(dtb, PAGE_SIZE);
	dtb_end = ALIGN_UP(dtb + dtb_size, PAGE_SIZE);
	map_image();
	map(dtb_start, dtb_end, ATTR_RODATA);

	boot_mmu = (struct boot_mmu){
		.mair = MAIR_EL2_VALUE,
		/* 48-bit VA, 4-level walk; PA size is at most 48 bits because
		 * the descriptors have no FEAT_LPA2 address bits */
		.tcr = TCR_EL2_RES1 | TCR_T0SZ(48) | TCR_IRGN0_WBWA |
		       TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
		       (MIN(parange, 5UL) << TCR_PS_SHIFT),
		.ttbr = root,
		.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA |
			 SCTLR_I | SCTLR_WXN,
	};
	/* Everything was written with the MMU off, straight to memory: drop any
	 * stale cache lines before the caches are turned on. */
	dcache_inval_poc((uintptr_t)__image_start, (uintptr_t)__image_end);
	mmu_enable(&boot_mmu);
	/* secondaries read boot_mmu with their MMU off */
	dcache_clean_poc((uintptr_t)&boot_mmu, (uintptr_t)(&boot_mmu + 1));
}

static int map_live(paddr_t base, uint64_t size, uint64_t attrs)
{
	int ret = pt_map(&hyp_pt, base, base, size, attrs);

	/* invalid -> valid needs no TLB maintenance, only visibility to the
	 * walker (Arm ARM D8.16, break-before-make is for valid -> valid) */
	dsb(ishst);
	isb();
	return ret;
}

/* RAM around the image and the DTB, which keep their own permissions */
int mmu_map_ram(paddr_t base, uint64_t size)
{
	paddr_t holes[2][2] = {
		{ (uintptr_t)__image_start, (uintptr_t)__image_end },
		{ dtb_start, dtb_end },
	};
	paddr_t cur = ALIGN_UP(base, PAGE_SIZE),
		end = ALIGN_DOWN(base + size, PAGE_SIZE);
	int ret = 0;

	if (holes[0][0] > holes[1][0]) {
		paddr_t t0 = holes[0][0], t1 = holes[0][1];
		holes[0][0] = holes[1][0];
		holes[0][1] = holes[1][1];
		holes[1][0] = t0;
		holes[1][1] = t1;
	}
	for (unsigned i = 0; i < 2 && !ret; i++) {
		paddr_t hs = MAX(holes[i][0], cur), he = MIN(holes[i][1], end);
		if (hs >= he)
			continue;
		if (hs > cur)
			ret = map_live(cur, hs - cur, ATTR_DATA);
		cur = he;
	}
	if (!ret && cur < end)
		ret = map_live(cur, end - cur, ATTR_DATA);
	return ret;
}

int mmu_map_device(paddr_t base, uint64_t size)
{
	return map_live(ALIGN_DOWN(base, PAGE_SIZE),
			ALIGN_UP(base + size, PAGE_SIZE) -
			    ALIGN_DOWN(base, PAGE_SIZE),
			ATTR_DEVICE);
}
