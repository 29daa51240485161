/* System register access and the EL2 register values hypnest programs. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H
#include "hyp/types.h"

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                   \
		__v;                                                           \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")

/* HCR_EL2 (Arm ARM D24.2.62) */
#define HCR_RW BIT(31) /* EL1 is AArch64 */

/* SCTLR_EL2 with HCR_EL2.E2H == 0 (D24.2.151) */
#define SCTLR_EL2_RES1 0x30C50830UL /* bits 29,28,23,22,18,16,11,5,4 */
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* TCR_EL2 with E2H == 0 (D24.2.189) */
#define TCR_EL2_RES1 (BIT(31) | BIT(23))
#define TCR_T0SZ(bits) (64 - (bits))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_TG0_4K (0UL << 14)
#define TCR_PS_SHIFT 16

/* CPTR_EL2 with E2H == 0 (D24.2.37): RES1 bits 13,12,9:0 (TZ, bit 8, set:
 * SVE traps); TFP (bit 10) clear so FP/SIMD works at EL2 for libfdt. */
#define CPTR_EL2_DEFAULT 0x33FFUL

/* MAIR_EL2 attribute indexes used in descriptors */
#define MT_NORMAL 0 /* 0xff: Normal, Inner/Outer Write-Back RW-Allocate */
#define MT_DEVICE 1 /* 0x04: Device-nGnRE */
#define MAIR_EL2_VALUE (0xffUL | (0x04UL << 8))

/* stage-1 leaf descriptor attributes (D8.3.2) */
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_AP_RES1 BIT(6) /* AP[1]: RES1 in the EL2 regime (E2H == 0) */
#define PTE_AP_RO BIT(7)   /* AP[2] */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF BIT(10)
#define PTE_XN BIT(54)

#endif
