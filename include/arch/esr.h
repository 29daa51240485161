/* ESR_ELx decoding (Arm ARM D24.2.46). */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H
#include "hyp/types.h"

#define ESR_EC(esr) FIELD((esr), 31, 26)
#define ESR_IL(esr) FIELD((esr), 25, 25)
#define ESR_ISS(esr) FIELD((esr), 24, 0)
/* IL [25]: the trapped instruction was 32 bits (every AArch64 one); also
 * 1 for the syndromes with no instruction length (D24.2.45) */
#define ESR_IL_32BIT BIT(25)

/* Exception classes hypnest names itself (the full list is in hyp/esr.c) */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_ERET 0x1a
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_MAX 0x3f

/* an UNDEFINED instruction, as an exception taken reports it */
#define ESR_UNDEFINED (((uint64_t)EC_UNKNOWN << 26) | ESR_IL_32BIT)

/* the Arm ARM's name of an exception class; never NULL */
const char *esr_ec_name(unsigned ec);
/* the name of a data/instruction fault status code (ISS[5:0]) */
const char *esr_fsc_name(unsigned fsc);

#endif
