/*
 * Guest RAM: 2 MiB blocks from the page allocator, mapped at stage 2 at
 * their first use and zeroed then, not all of it before the guest starts.
 *
 * Why: zeroing is what keeps anything of hypnest's or of an earlier
 * guest's out of the new one (isolation), and it cost most of a guest's
 * set-up (a 1 GiB L1 took 0.2-2 s under QEMU, where each first write of a
 * page is also a page fault in the host). A guest that uses a fraction of
 * its RAM now pays only for that fraction, as it would on QEMU's own
 * RAM.
 *
 * How: setup_ram reserves every block in the stage 2 (include/hyp/
 * pgtable.h, reserved leaves): the descriptor holds the block's address
 * but stays invalid, so the guest's first access there is a stage-2
 * Translation fault. That fault (vcpu/exit.c), and every path by which
 * hypnest itself reaches guest RAM through the stage 2 (the images copied
 * in here, the device tree, nv/'s walks of a guest's tables and the
 * shadow stage 2 of its L2, which maps its blocks to L2), first asks
 * guest_ram_ptr, which zeroes the block, cleans it to the point of
 * coherency (the guest may read it with its MMU or caches off:
 * non-cacheable, from memory), and only then makes the descriptor valid.
 * Two CPUs asking for one block: one zeroes, the other waits for it.
 *
 * What hypnest writes into guest RAM (zeroes, images, the DT) is cleaned
 * and invalidated to the point of coherency, never only cleaned: the
 * guest may start with its MMU off, read memory non-cacheable, write it
 * so, and later read it cacheable, and it must not meet lines hypnest
 * left in the caches then (as KVM does for a page it gives a guest).
 * Speculative refills through hypnest's own cacheable mapping can still
 * bring lines back; a guest writing with its MMU off invalidates what it
 * wrote before reading it cacheable (Linux's booting.rst asks as much).
 *
 * The images QEMU's loader staged (kernel, initrd, multiboot modules) are
 * not copied block by block where they need not be: a whole 2 MiB block
 * of one, staged at a 2 MiB boundary, becomes the guest's block as it
 * lies (adopt below), and the initrd and modules are placed at the same
 * offset within a block as they were staged so that all but their ends
 * are such blocks (guest_ram_place_below).
 *
 * Not done: zeroing ahead of first use on idle CPUs. Under QEMU that work
 * competes with the running vCPUs for the host's CPUs (an L1 boot took
 * 7.2-8.0 s with it against 5.3-5.9 s without, 2026-12-07); on hardware
 * it would be free.
 */
#include "hyp/guest_ram.h"
#include "arch/sysreg.h"
#include "hyp/cache.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/palloc.h"
#include "hyp/trap.h"

/* stage-2 leaf attributes (D8.3.1.2): MemAttr[5:2] Normal Write-Back,
 * S2AP[7:6] = RW, SH[9:8] Inner Shareable, AF[10], executable */
#define S2_RAM ((0xfUL << 2) | (3UL << 6) | (3UL << 8) | BIT(10))

bool guest_ram_is_ram(struct vm *vm, uint64_t ipa)
{
	return ipa >= vm->ram_ipa && ipa - vm->ram_ipa < vm->ram_size;
}

int guest_ram_setup(struct vm *vm, uint64_t mem_mb)
{
	vm->ram_ipa = GUEST_RAM_IPA;
	vm->ram_size = mem_mb << 20;
	/* the tables of the blocks published as pages, one page each, taken
	 * now: a first use never allocates (nor fails to), and the shadow
	 * stage 2's budget, a share of what is left (nv/l2.c), counts them */
	if (vm->ram_pages &&
	    palloc_alloc(vm->pages, vm->ram_size / GUEST_RAM_BLOCK, PAGE_SIZE,
			 &vm->ram_tables)) {
		vm->ram_pages = false;
		log_warn("guest RAM: no room for its stage-2 page tables: "
			 "mapped in 2 MiB blocks");
	}
	for (uint64_t off = 0; off < vm->ram_size; off += GUEST_RAM_BLOCK) {
		paddr_t pa;

		if (palloc_alloc(vm->pages, GUEST_RAM_BLOCK / PAGE_SIZE,
				 GUEST_RAM_BLOCK, &pa))
			return GUEST_RAM_ENOMEM;
		if (pt_map_reserved(&vm->s2, vm->ram_ipa + off, pa,
				    GUEST_RAM_BLOCK, S2_RAM))
			return GUEST_RAM_ES2;
	}
	return 0;
}

/* a claimed block, valid now: as 512 pages (guest.s2), through its own
 * table of vm->ram_tables, or as the block */
static void publish(struct vm *vm, uint64_t ipa, paddr_t pa)
{
	uint64_t i = (ipa - vm->ram_ipa) / GUEST_RAM_BLOCK;

	if (!vm->ram_pages) {
		pt_publish_at(&vm->s2, ipa, pa);
		return;
	}
	/* fails only if the block is not a level-2 leaf: hypnest's bug, and
	 * writing a block over what is there would break it further */
	if (pt_publish_pages(&vm->s2, ipa, pa,
			     vm->ram_tables + i * PAGE_SIZE)) {
		log_err("guest RAM: block at IPA 0x%lx is not a 2 MiB leaf",
			(unsigned long)ipa);
		hyp_panic_stop();
	}
}

/* a block this CPU claimed: zeroed and in memory before it is valid (the
 * guest's first access may be non-cacheable, with its MMU off or not) */
static void fill(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size)
{
	uint64_t t0 = read_sysreg(cntpct_el0);

	/* stores, not DC ZVA: under QEMU a DC ZVA of 64 bytes cost ~3x the
	 * stores it replaces (measured 2026-12-07) */
	memset((void *)(uintptr_t)pa, 0, size);
	dcache_clean_inval_poc(pa, pa + size); /* ends with a DSB */
	publish(vm, ipa, pa);
	/* the new entry visible to every CPU's walks before the access that
	 * asked for it is retried (D8.17.1, break-before-make step 6) */
	dsb(ish);
	sev(); /* those waiting for it (below) */
	__atomic_add_fetch(&vm->ram_blocks_used, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm->ram_fill_ticks, read_sysreg(cntpct_el0) - t0,
			   __ATOMIC_RELAXED);
}

/* the claim's walk gives the block's address: no second walk for it */
void *guest_ram_ptr(struct vm *vm, uint64_t ipa)
{
	paddr_t pa;
	uint64_t size;

	if (!guest_ram_is_ram(vm, ipa))
		return NULL;
	for (;;) {
		switch (pt_claim(&vm->s2, ipa, &pa, &size)) {
		case PT_CLAIM_VALID:
			return (void *)(uintptr_t)(pa | (ipa & (size - 1)));
		case PT_CLAIM_MINE:
			fill(vm, ipa, pa, size);
			return (void *)(uintptr_t)(pa | (ipa & (size - 1)));
		case PT_CLAIM_BUSY:
			wfe(); /* another CPU fills it: its sev() */
			break;
		case PT_CLAIM_NONE:
			return NULL; /* RAM hypnest never mapped: its bug */
		}
	}
}

/*
 * A whole block of a staged image, at a block-aligned address, becomes
 * the guest's block at ipa as it stands: the reserved leaf is published
 * with the staged block's address, and the block reserved for ipa goes
 * back to the allocator. No copy, and no zeroing: every byte of it is the
 * image's, and the staging area is the guest's alone (hyp/main.c refuses
 * staged ranges that overlap anything else and keeps them out of the
 * allocator). Cleaned and invalidated all the same: a loader may have left it
 * in the caches, and the guest starts with its MMU off. Under QEMU this saves
 * the copy and the host's first touch of a second copy's memory: ~0.6 s
 * of an L1's set-up with a 117 MB initramfs (docs/perf.md).
 */
static bool adopt(struct vm *vm, uint64_t ipa, paddr_t staged)
{
	paddr_t pa;
	uint64_t size;

	if (pt_claim(&vm->s2, ipa, &pa, &size) != PT_CLAIM_MINE)
		return false;
	/* hypnest read its headers through the caches (see the top) */
	dcache_clean_inval_poc(staged, staged + size);
	publish(vm, ipa, staged);
	dsb(ish); /* as in fill(); no SEV: set-up, no CPU waits on it */
	palloc_free(vm->pages, pa, size / PAGE_SIZE); /* it was reserved */
	__atomic_add_fetch(&vm->ram_blocks_used, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm->ram_blocks_staged, 1, __ATOMIC_RELAXED);
	return true;
}

static void copy_in(struct vm *vm, uint64_t ipa, const void *src, uint64_t n)
{
	uint8_t *d = guest_ram_ptr(vm, ipa);

	memcpy(d, src, n);
	/* the guest starts with its MMU off: it reads memory, not hypnest's
	 * caches (Linux's booting.rst asks the same; see the top) */
	dcache_clean_inval_poc((uintptr_t)d, (uintptr_t)d + n);
}

/* RAM is contiguous within each 2 MiB block, not across them */
void guest_ram_copy(struct vm *vm, uint64_t ipa, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint64_t n =
		    MIN(len, GUEST_RAM_BLOCK - (ipa & (GUEST_RAM_BLOCK - 1)));
		bool whole = n == GUEST_RAM_BLOCK &&
			     IS_ALIGNED((uintptr_t)s, GUEST_RAM_BLOCK);

		if (!whole || !adopt(vm, ipa, (uintptr_t)s))
			copy_in(vm, ipa, s, n);
		ipa += n;
		s += n;
		len -= n;
	}
}

bool guest_ram_place_below(uint64_t top, uint64_t floor, paddr_t src,
			   uint64_t len, uint64_t *out)
{
	uint64_t ipa, in_place;

	if (top < floor || len > top - floor)
		return false;
	ipa = ALIGN_DOWN(top - len, PAGE_SIZE);
	if (ipa < floor)
		return false;
	in_place = ipa - ((ipa - src) & (GUEST_RAM_BLOCK - 1));
	*out =
	    IS_ALIGNED(src, PAGE_SIZE) && in_place >= floor && in_place <= ipa
		? in_place
		: ipa;
	return true;
}

void guest_ram_clean(struct vm *vm, uint64_t ipa, uint64_t len)
{
	uint8_t *p = guest_ram_ptr(vm, ipa);

	dcache_clean_inval_poc((uintptr_t)p, (uintptr_t)p + len);
}
