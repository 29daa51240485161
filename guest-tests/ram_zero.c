/* Isolation: every byte of the guest's RAM it did not bring (from the end
 * of its image to the DTB hypnest put in its top 2 MiB) reads zero, also
 * after hypnest's test build filled all free RAM with 0xa5 before building
 * the guest (test=dirty-ram; harness/test_guest.py::test_ram_is_zeroed):
 * nothing of anyone else's leaks in, on every CPU that zeroed a part. */
#include "gt.h"

#define BLOCK (2UL << 20)

extern char __image_end[];

void gt_secondary(uint64_t context)
{
	(void)context;
}

void gt_main(uint64_t dtb)
{
	/* where the image runs, not where it was linked */
	uintptr_t start = ((uintptr_t)__image_end + BLOCK - 1) & ~(BLOCK - 1);
	uint64_t nonzero = 0, first = 0;

	for (uintptr_t a = start; a < dtb; a += 8) {
		uint64_t w = *(volatile uint64_t *)a;

		if (w && !nonzero++)
			first = a;
	}
	gt_printf("note: checked 0x%lx..0x%lx (%lu MiB)\n",
		  (unsigned long)start, (unsigned long)dtb,
		  (unsigned long)((dtb - start) >> 20));
	CHECK(dtb > start + BLOCK, "a range to check");
	CHECK_EQ(nonzero, 0, "guest RAM reads zero");
	if (nonzero)
		gt_printf("note: first non-zero word at 0x%lx\n",
			  (unsigned long)first);
	gt_done();
}
