/* The ID registers a guest reads: one table, field by field
 * (sysreg/id_regs.c, docs/id-regs.md). */
#ifndef HYP_ID_REGS_H
#define HYP_ID_REGS_H
#include "hyp/types.h"

struct vcpu;

/* who reads: a guest at EL1 (guest.el2=off), or a guest hypervisor
 * (either of its levels) offered with FEAT_VHE hidden or visible */
enum id_view { ID_VIEW_EL1, ID_VIEW_NVHE, ID_VIEW_VHE, ID_VIEWS };

/* what a policy does with the host's field (4 bits) */
enum id_kind {
	ID_HIDE, /* reads `val`: the field's "not implemented" value */
	ID_PASS, /* the host's value */
	ID_CAP,	 /* the host's value, at most `val` (unsigned field) */
	ID_SCAP, /* the same for a signed field (0xf, -1: not implemented) */
	ID_S2_4K /* TGran4_2: 0b0010 when the host has the 4 KiB granule at
		  * stage 2, else 0b0001 (no 52-bit stage 2) */
};

/* a policy in a byte: enum id_kind, and its value (ID_HIDE, ID_CAP) */
#define ID_POL(kind, val) ((uint8_t)((kind) << 4 | (val)))
#define ID_POL_KIND(p) ((p) >> 4)
#define ID_POL_VAL(p) ((p)&0xfu)

struct id_field {
	const char *name;
	uint8_t lsb;	      /* every field is 4 bits wide */
	uint8_t by[ID_VIEWS]; /* ID_POL(), indexed by enum id_view */
};

struct id_reg {
	uint32_t enc; /* SYSREG_ENC(3, 0, 0, CRm, op2) */
	const char *name;
	const struct id_field *fields;
	unsigned nfields;
};

/* op0 = 3, op1 = 0, CRn = 0, CRm = 1..7: the ID register space that
 * HCR_EL2.TID3 traps (D24.2.62); unallocated encodings read 0 (D24.1.2) */
bool id_reg_space(uint32_t enc);
/* the table row of `enc`; NULL for an unallocated encoding */
const struct id_reg *id_reg_find(uint32_t enc);
/* the table itself, for tests and docs */
const struct id_reg *id_reg_table(unsigned *n);
/* what `view` reads in ID register `enc` when the host's value is `host`;
 * bits of no listed field read 0 */
uint64_t id_reg_sanitise(uint32_t enc, uint64_t host, enum id_view view);

/* hypervisor build (sysreg/id_regs_cpu.c): this CPU's value of `enc`, and
 * what v reads there */
uint64_t id_reg_cpu(uint32_t enc);
uint64_t id_reg_guest(const struct vcpu *v, uint32_t enc);

#endif
