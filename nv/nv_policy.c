/*
 * What the virtual EL2 a guest is offered has, beyond where registers live
 * (hypervisor build only): checked before nv_sysreg_access, one table.
 *
 *  - FEAT_VHE's own EL2 registers (TTBR1_EL2, CONTEXTIDR_EL2, the EL2
 *    virtual timer CNTHV_*) are UNDEFINED when the guest is offered as an
 *    nVHE guest hypervisor (ID_AA64MMFR1_EL1.VH hidden), as on a CPU
 *    without FEAT_VHE (D24.2: "when FEAT_VHE is implemented").
 *  - ICC_SRE_EL2: the system-register interface is always on (SRE, DFB,
 *    DIB and Enable read as one), writes are ignored (IHI 0069 12.7.x:
 *    SRE may be RAO/WI).
 *  - ICH_VTR_EL2 describes the list registers and priority bits the guest
 *    hypervisor has: those of this CPU's GIC (nv_ich_vtr, nv/ich_status.c,
 *    which also answers the trapped read through the map's computed row:
 *    one value for both paths). ICH_LR<n>_EL2 beyond ListRegs, and
 *    ICH_AP0R<n>/ICH_AP1R<n>_EL2 beyond what PREbits needs, are
 *    UNDEFINED, as on that GIC.
 */
#include "arch/sysreg_enc.h"
#include "hyp/nv.h"
#include "hyp/vm.h"

#define ICC_SRE_EL2_ON 0xfUL

static bool vhe_hidden(const struct vcpu *v, uint32_t enc)
{
	(void)enc;
	return v->vm->el2 != GUEST_EL2_VHE;
}

static bool lr_absent(const struct vcpu *v, uint32_t enc)
{
	(void)v;
	return SYSREG_ICH_LR_INDEX(enc) > (nv_ich_vtr() & 0x1f);
}

/* PREbits = 5, 6, 7 -> 1, 2, 4 active-priority registers of each group */
static bool apr_absent(const struct vcpu *v, uint32_t enc)
{
	unsigned prebits = (unsigned)FIELD(nv_ich_vtr(), 28, 26) + 1;
	unsigned n = SYSREG_OP2(enc) & 3;

	(void)v;
	return n >= (1U << (prebits > 5 ? prebits - 5 : 0));
}

static uint64_t sre_on(void)
{
	return ICC_SRE_EL2_ON;
}

/* a fixed value's writes: UNDEFINED (a read-only register) or ignored */
enum fixed { NOT_FIXED, FIXED_RO, FIXED_WI };

static const struct nv_policy {
	uint32_t enc, mask; /* (enc & mask) == the row's enc */
	bool (*undefined)(const struct vcpu *v, uint32_t enc);
	enum fixed fixed; /* reads give value() */
	uint64_t (*value)(void);
} policies[] = {
	{ SYSREG_TTBR1_EL2, ~0U, vhe_hidden, NOT_FIXED, NULL },
	{ SYSREG_CONTEXTIDR_EL2, ~0U, vhe_hidden, NOT_FIXED, NULL },
	/* CNTHV_TVAL/CTL/CVAL_EL2: CRn 14, CRm 3, op2 0..2 */
	{ SYSREG_CNTHV_TVAL_EL2, ~SYSREG_ENC(0, 0, 0, 0, 3), vhe_hidden,
	  NOT_FIXED, NULL },
	{ SYSREG_ICH_LR_EL2(0), ~SYSREG_ENC(0, 0, 0, 1, 7), lr_absent,
	  NOT_FIXED, NULL },
	{ SYSREG_ICH_AP0R_EL2(0), ~SYSREG_ENC(0, 0, 0, 0, 3), apr_absent,
	  NOT_FIXED, NULL },
	{ SYSREG_ICH_AP1R_EL2(0), ~SYSREG_ENC(0, 0, 0, 0, 3), apr_absent,
	  NOT_FIXED, NULL },
	{ SYSREG_ICC_SRE_EL2, ~0U, NULL, FIXED_WI, sre_on },
};

enum nv_access nv_policy_access(struct vcpu *v, uint32_t enc, bool is_write,
				uint64_t *val)
{
	for (unsigned i = 0; i < ARRAY_SIZE(policies); i++) {
		const struct nv_policy *p = &policies[i];

		if ((enc & p->mask) != p->enc)
			continue;
		if (p->undefined && p->undefined(v, enc))
			return NV_ACCESS_UNDEF;
		if (p->fixed == NOT_FIXED)
			return NV_ACCESS_NOT_NV;
		if (!is_write)
			*val = p->value();
		else if (p->fixed == FIXED_RO)
			return NV_ACCESS_UNDEF;
		return NV_ACCESS_DONE;
	}
	return NV_ACCESS_NOT_NV;
}
