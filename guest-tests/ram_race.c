/* Two vCPUs meet a block of guest RAM first at the same moment
 * (vm/guest_ram.c: one zeroes it, the other waits): for each of BLOCKS
 * 2 MiB blocks nothing touched before, vCPU 0 and vCPU 1 are released
 * together and each stores its own word into the block at once; then
 * both words are there (neither was zeroed away by a second filler) and
 * every other word of the block reads zero (no filler published it before
 * zeroing). Run under the test build's test=dirty-ram, where free RAM
 * holds 0xa5 before the guest is built (harness/test_guest.py::
 * test_ram_first_use_race), and at bare QEMU's EL1 alike. Shared
 * variables have one writer each: with the MMU off, exclusives are not
 * available. */
#include "gt.h"

#define BLOCK (2UL << 20)
#define FIRST                                                                  \
	0x49000000UL /* above bare QEMU's DTB (0x48000000), below hypnest's    \
			top 2 MiB */
#define BLOCKS 48
#define WORD0 0x1000UL /* vCPU 0's word in the block, vCPU 1's after it */

extern char _start[];

static volatile uint64_t go;	    /* vCPU 0: the block to race on */
static volatile uint64_t ready1;    /* vCPU 1: waiting for that block */
static volatile uint64_t stored[2]; /* vCPU 0/1: its word is stored */

static inline void sync_mem(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static uint64_t marker(unsigned me, uint64_t n)
{
	return 0x5eed000000000000UL | ((uint64_t)me << 32) | n;
}

static void store(unsigned me, uint64_t n)
{
	*(volatile uint64_t *)(FIRST + n * BLOCK + WORD0 + 8 * me) =
	    marker(me, n);
	sync_mem();
	stored[me] = n + 1;
	sync_mem();
}

void gt_secondary(uint64_t context)
{
	(void)context;
	for (uint64_t n = 0; n < BLOCKS; n++) {
		ready1 = n + 1;
		sync_mem();
		while (go != n + 1)
			;
		store(1, n);
	}
	gt_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

/* words of block n other than the two markers that are not zero */
static uint64_t others_nonzero(uint64_t n)
{
	uint64_t base = FIRST + n * BLOCK, bad = 0;

	for (uint64_t off = 0; off < BLOCK; off += 8)
		if (off != WORD0 && off != WORD0 + 8 &&
		    *(volatile uint64_t *)(base + off))
			bad++;
	return bad;
}

void gt_main(uint64_t dtb)
{
	unsigned lost = 0, dirty = 0;

	(void)dtb;
	CHECK_EQ(gt_hvc(PSCI_CPU_ON, 1, (uintptr_t)_start, 0), 0,
		 "cpu_on: vCPU 1");
	for (uint64_t n = 0; n < BLOCKS; n++) {
		while (ready1 != n + 1)
			;
		go = n + 1;
		sync_mem();
		store(0, n);
		while (stored[1] != n + 1)
			;
		for (unsigned me = 0; me < 2; me++)
			if (*(volatile uint64_t *)(FIRST + n * BLOCK + WORD0 +
						   8 * me) != marker(me, n)) {
				if (!lost++)
					gt_printf("note: block %lu lost vCPU "
						  "%u's word\n",
						  (unsigned long)n, me);
			}
		if (others_nonzero(n) && !dirty++)
			gt_printf("note: block %lu not all zero\n",
				  (unsigned long)n);
	}
	CHECK_EQ(lost, 0, "both first stores to each block survive");
	CHECK_EQ(dirty, 0, "the rest of each block reads zero");
	gt_done();
}
