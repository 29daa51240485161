/* mm/vmid.c: the VMID allocator. */
#include "hyp/vmid.h"
#include "unit.h"

TEST(zero_is_never_handed_out)
{
	struct vmid_pool p;
	unsigned id = 99;

	vmid_init(&p, 8);
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 1);
	vmid_free(&p, 0); /* ignored: 0 stays reserved */
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 2);
}

TEST(eight_bits_give_255_then_exhausted)
{
	struct vmid_pool p;
	unsigned id;

	vmid_init(&p, 8);
	for (unsigned i = 1; i < 256; i++) {
		CHECK_EQ(vmid_alloc(&p, &id), 0);
		CHECK_EQ(id, i);
	}
	CHECK_EQ(vmid_alloc(&p, &id), -1);
}

TEST(sixteen_bits_are_capped_at_the_tracked_count)
{
	struct vmid_pool p;
	unsigned id, n = 0;

	vmid_init(&p, 16);
	while (vmid_alloc(&p, &id) == 0)
		n++;
	CHECK_EQ(n, VMID_MAX_TRACKED - 1);
}

TEST(freed_ids_are_reused_lowest_first)
{
	struct vmid_pool p;
	unsigned id;

	vmid_init(&p, 8);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(vmid_alloc(&p, &id), 0);
	vmid_free(&p, 4);
	vmid_free(&p, 2);
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 2);
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 4);
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 6);
}

TEST(free_of_unallocated_or_out_of_range_is_harmless)
{
	struct vmid_pool p;
	unsigned id;

	vmid_init(&p, 8);
	vmid_free(&p, 7);
	vmid_free(&p, 300);
	vmid_free(&p, 100000);
	CHECK_EQ(vmid_alloc(&p, &id), 0);
	CHECK_EQ(id, 1);
}
