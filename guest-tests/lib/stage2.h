/* The stage 2 a guest hypervisor test gives its L2 (D8.3, VMSAv8-64, 4 KB
 * granule): identity over IPA 1-2 GiB (the RAM of QEMU virt, and under
 * hypnest the guest's) in 2 MiB blocks, from a level-1 table whose entry 1
 * points to a level-2 table. Block: Normal Write-Back (MemAttr 0b1111),
 * S2AP read/write, Inner Shareable, AF. VTCR_EL2 (D24.2.224): T0SZ 25
 * (39-bit IPA), SL0 1 (start at level 1), IRGN0/ORGN0 WBWA, SH0 Inner, TG0
 * 4 KB, PS 40 bits, RES1 bit 31. Header-only. */
#ifndef GT_STAGE2_H
#define GT_STAGE2_H
#include "regs.h"

#define S2_BLOCK (BIT(0) | (0xfUL << 2) | (3UL << 6) | (3UL << 8) | BIT(10))
#define S2_TABLE 3UL
#define VTCR                                                                   \
	(25UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) |          \
	 (2UL << 16) | BIT(31))

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));

/* the identity tables; the caller may change entries before it loads
 * VTTBR_EL2 */
static inline void s2_identity(void)
{
	for (unsigned i = 0; i < 512; i++)
		s2_l2[i] = (0x40000000UL + ((uint64_t)i << 21)) | S2_BLOCK;
	s2_l1[1] = (uintptr_t)s2_l2 | S2_TABLE;
}

#endif
