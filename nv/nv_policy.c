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
 *
 * Found by the register table's entry of the trapped encoding, the one
 * lookup of the exit (vcpu_handle_sync): a column indexed by its row.
 */
#include "arch/sysreg_enc.h"
#include "hyp/nv.h"
#include "hyp/sysreg_table.h"
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

static const struct nv_policy {
	bool (*undefined)(const struct vcpu *v, uint32_t enc);
	/* a fixed value: reads give value(), writes are ignored; NULL: the
	 * register is nv/'s as usual */
	uint64_t (*value)(void);
} policies[] = {
	{ NULL, NULL }, /* 0: no policy */
#define P_VHE 1
	{ vhe_hidden, NULL },
#define P_LR 2
	{ lr_absent, NULL },
#define P_APR 3
	{ apr_absent, NULL },
#define P_SRE 4
	{ NULL, sre_on },
};

/* the policy of each row of the register table (include/hyp/sysregs.def),
 * found by the entry the trapped access was looked up by */
#define LR(n) [SR_ICH_LR##n##_EL2] = P_LR
#define APR(n) [SR_ICH_AP0R##n##_EL2] = P_APR, [SR_ICH_AP1R##n##_EL2] = P_APR
static const uint8_t policy_of[SR_NR] = {
	[SR_TTBR1_EL2] = P_VHE,
	[SR_CONTEXTIDR_EL2] = P_VHE,
	[SR_CNTHV_TVAL_EL2] = P_VHE,
	[SR_CNTHV_CTL_EL2] = P_VHE,
	[SR_CNTHV_CVAL_EL2] = P_VHE,
	LR(0),
	LR(1),
	LR(2),
	LR(3),
	LR(4),
	LR(5),
	LR(6),
	LR(7),
	LR(8),
	LR(9),
	LR(10),
	LR(11),
	LR(12),
	LR(13),
	LR(14),
	LR(15),
	APR(0),
	APR(1),
	APR(2),
	APR(3),
	[SR_ICC_SRE_EL2] = P_SRE,
};

enum nv_access nv_policy_access(struct vcpu *v, const struct sysreg_key *k,
				uint32_t enc, bool is_write, uint64_t *val)
{
	const struct nv_policy *p;

	if (!k || k->is_alias || !policy_of[k->id])
		return NV_ACCESS_NOT_NV;
	p = &policies[policy_of[k->id]];
	if (p->undefined && p->undefined(v, enc))
		return NV_ACCESS_UNDEF;
	if (!p->value)
		return NV_ACCESS_NOT_NV;
	if (!is_write)
		*val = p->value();
	return NV_ACCESS_DONE;
}
