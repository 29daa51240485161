/* Guest RAM, zeroed and mapped at stage 2 at its first use (vm/guest_ram.c
 * says why and how). */
#ifndef HYP_GUEST_RAM_H
#define HYP_GUEST_RAM_H
#include "hyp/vm.h"

/* guest RAM is made of blocks of this size, each contiguous */
#define GUEST_RAM_BLOCK (2UL << 20)

#define GUEST_RAM_ENOMEM -1 /* not enough free RAM */
#define GUEST_RAM_ES2 -2    /* the stage 2 could not map it */

/* vm->ram_ipa, ram_size and mem_mb MiB of blocks reserved in vm->s2 */
int guest_ram_setup(struct vm *vm, uint64_t mem_mb);
bool guest_ram_is_ram(struct vm *vm, uint64_t ipa);
/* hypnest's address of guest RAM at ipa, its block zeroed and mapped now
 * if it was not yet; NULL if ipa is not RAM. Every hypnest access to guest
 * RAM goes through this. */
void *guest_ram_ptr(struct vm *vm, uint64_t ipa);
/* copy a staged image into guest RAM and clean it to the point of
 * coherency; its whole 2 MiB blocks at 2 MiB-aligned staging addresses
 * are mapped where they are instead of copied */
void guest_ram_copy(struct vm *vm, uint64_t ipa, const void *src, uint64_t len);
/* where to put len bytes staged at src, as high below top as they fit and
 * not below floor: page-aligned, and at the same offset within a 2 MiB
 * block as src where that fits too (so guest_ram_copy maps its whole
 * blocks in place); false if they do not fit */
bool guest_ram_place_below(uint64_t top, uint64_t floor, paddr_t src,
			   uint64_t len, uint64_t *ipa);
/* clean and invalidate what hypnest wrote there to the point of
 * coherency (within one 2 MiB block) */
void guest_ram_clean(struct vm *vm, uint64_t ipa, uint64_t len);

#endif
