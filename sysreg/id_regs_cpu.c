/*
 * This CPU's ID registers by encoding, and what a vCPU reads in them
 * (hypervisor build only; the table is sysreg/id_regs.c). Read when the
 * guest asks, on the CPU its vCPU runs on (pinned 1:1), so a guest on a
 * machine with different cores sees each core's own values.
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/id_regs.h"
#include "hyp/vm.h"

/* the named registers of the ID space (D24.2), as (CRm, op2): read by
 * the generic name, which every assembler knows */
#define ID_NAMED(X)                                                            \
	X(1, 0)                                                                \
	X(1, 1)                                                                \
	X(1, 2)                                                                \
	X(1, 3)                                                                \
	X(1, 4)                                                                \
	X(1, 5)                                                                \
	X(1, 6)                                                                \
	X(1, 7)                                                                \
	X(2, 0)                                                                \
	X(2, 1)                                                                \
	X(2, 2)                                                                \
	X(2, 3)                                                                \
	X(2, 4)                                                                \
	X(2, 5)                                                                \
	X(2, 6)                                                                \
	X(2, 7)                                                                \
	X(3, 0)                                                                \
	X(3, 1)                                                                \
	X(3, 2)                                                                \
	X(3, 4)                                                                \
	X(3, 5)                                                                \
	X(3, 6)                                                                \
	X(4, 0)                                                                \
	X(4, 1)                                                                \
	X(4, 2)                                                                \
	X(4, 4)                                                                \
	X(4, 5)                                                                \
	X(4, 7)                                                                \
	X(5, 0)                                                                \
	X(5, 1)                                                                \
	X(5, 2)                                                                \
	X(5, 4)                                                                \
	X(5, 5)                                                                \
	X(6, 0)                                                                \
	X(6, 1)                                                                \
	X(6, 2)                                                                \
	X(6, 3)                                                                \
	X(7, 0)                                                                \
	X(7, 1)                                                                \
	X(7, 2)                                                                \
	X(7, 3)                                                                \
	X(7, 4)

#define READER(crm, op2)                                                       \
	static uint64_t rd_##crm##_##op2(void)                                 \
	{                                                                      \
		return read_sysreg(s3_0_c0_c##crm##_##op2);                    \
	}
ID_NAMED(READER)
#undef READER

/* indexed by (CRm - 1) * 8 + op2; NULL: unallocated, RAZ (D24.1.2) */
#define ROW(crm, op2) [((crm)-1) * 8 + (op2)] = rd_##crm##_##op2,
static uint64_t (*const readers[7 * 8])(void) = { ID_NAMED(ROW) };
#undef ROW

uint64_t id_reg_cpu(uint32_t enc)
{
	uint64_t (*rd)(void);

	if (!id_reg_space(enc))
		return 0;
	rd = readers[(SYSREG_CRM(enc) - 1) * 8 + SYSREG_OP2(enc)];
	return rd ? rd() : 0;
}

static enum id_view view_of(const struct vcpu *v)
{
	if (!v->vm->nested)
		return ID_VIEW_EL1;
	return v->vm->el2 == GUEST_EL2_VHE ? ID_VIEW_VHE : ID_VIEW_NVHE;
}

uint64_t id_reg_guest(const struct vcpu *v, uint32_t enc)
{
	const struct id_reg *r = id_reg_find(enc);

	if (!r || !r->nfields) /* nothing offered: no need to look */
		return 0;
	return id_reg_sanitise(enc, id_reg_cpu(enc), view_of(v));
}
