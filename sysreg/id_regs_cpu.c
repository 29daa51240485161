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

/* one reader per encoding of the ID space, CRm 1..7 x op2 0..7, by the
 * generic name (every one is readable at EL2: the unallocated ones are
 * RAZ, D24.1.2); index (CRm - 1) * 8 + op2 */
#define RD(crm, op2)                                                           \
	static uint64_t rd_##crm##_##op2(void)                                 \
	{                                                                      \
		return read_sysreg(s3_0_c0_c##crm##_##op2);                    \
	}
#define RDS(crm)                                                               \
	RD(crm, 0) RD(crm, 1) RD(crm, 2) RD(crm, 3) RD(crm, 4) RD(crm, 5)      \
	RD(crm, 6) RD(crm, 7)
RDS(1) RDS(2) RDS(3) RDS(4) RDS(5) RDS(6) RDS(7)
#undef RDS
#undef RD

#define RD(crm, op2) rd_##crm##_##op2,
#define RDS(crm)                                                               \
	RD(crm, 0) RD(crm, 1) RD(crm, 2) RD(crm, 3) RD(crm, 4) RD(crm, 5)      \
	RD(crm, 6) RD(crm, 7)
static uint64_t (*const readers[7 * 8])(void) = {
	RDS(1) RDS(2) RDS(3) RDS(4) RDS(5) RDS(6) RDS(7)
};
#undef RDS
#undef RD

uint64_t id_reg_cpu(uint32_t enc)
{
	if (!id_reg_space(enc))
		return 0;
	return readers[(SYSREG_CRM(enc) - 1) * 8 + SYSREG_OP2(enc)]();
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
