/*
 * VMID allocator (mm/vmid.c). A VMID tags a guest's stage-2 translations
 * in the TLBs (VTTBR_EL2.VMID, D24.2.225). VMID 0 is never handed out, so
 * a stray TLB operation with a zero VMID cannot hit a guest. At most
 * VMID_MAX_TRACKED are tracked, whatever the CPU's width (8 or 16 bits):
 * hypnest runs a handful of VMs, each a couple of contexts.
 * Arch-independent: unit-tested on the host.
 */
#ifndef HYP_VMID_H
#define HYP_VMID_H
#include "hyp/spinlock.h"
#include "hyp/types.h"

#define VMID_MAX_TRACKED 256

struct vmid_pool {
	spinlock_t lock;
	unsigned limit; /* ids 1 .. limit-1 may be handed out */
	uint64_t used[VMID_MAX_TRACKED / 64];
};

/* bits: ID_AA64MMFR1_EL1.VMIDBits as a width, 8 or 16 */
void vmid_init(struct vmid_pool *p, unsigned bits);
/* the lowest free VMID in *id and 0, or -1 when none is left */
int vmid_alloc(struct vmid_pool *p, unsigned *id);
/* give id back; ids not handed out are ignored */
void vmid_free(struct vmid_pool *p, unsigned id);

#endif
