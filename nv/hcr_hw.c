/*
 * The real EL2 registers nv/hcr.c and nv/forward.c read after an exit
 * (hypervisor build only; harness/unit/fake_sysregs.c stands in for them
 * on the host).
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/config.h"
#include "hyp/cpu.h"
#include "hyp/id_regs.h"
#include "hyp/nv_hcr.h"

uint64_t nv_arch_read_hcr(void)
{
	return read_sysreg(hcr_el2);
}

uint64_t nv_arch_read_far(void)
{
	return read_sysreg(far_el2);
}

/* ID_AA64MMFR1_EL1.LO [19:16], TWED [35:32]; ID_AA64MMFR2_EL1.EVT [59:56]
 * (D24.2.89, D24.2.90) as a guest hypervisor reads them (sysreg/id_regs.c:
 * the same in its nVHE and VHE views): the feature-dependent HCR_EL2
 * controls it is offered, which this CPU also has. The others are RES0
 * for it (nv_guest_hcr_eff) and never reach the real HCR_EL2. */
static uint64_t implemented(void)
{
	uint64_t mmfr1 =
	    id_reg_sanitise(SYSREG_ID_AA64MMFR1_EL1,
			    read_sysreg(id_aa64mmfr1_el1), ID_VIEW_VHE);
	uint64_t mmfr2 =
	    id_reg_sanitise(SYSREG_ID_AA64MMFR2_EL1,
			    read_sysreg(id_aa64mmfr2_el1), ID_VIEW_VHE);
	unsigned evt = (unsigned)FIELD(mmfr2, 59, 56);
	uint64_t bits = ~NV_HCR_FEATURE_BITS;

	if (FIELD(mmfr1, 19, 16))
		bits |= NV_HCR_TLOR;
	if (FIELD(mmfr1, 35, 32))
		bits |= NV_HCR_TWEDEN | NV_HCR_TWEDEL;
	if (evt >= 1)
		bits |= NV_HCR_TID4 | NV_HCR_TICAB | NV_HCR_TOCU;
	if (evt >= 2)
		bits |= NV_HCR_TTLBIS | NV_HCR_TTLBOS;
	return bits;
}

/* read once per CPU (nv_hcr runs before every entry): from this CPU's own
 * ID registers, as its vCPU reads them (sysreg/id_regs_cpu.c), since the
 * cores of a heterogeneous system may differ in FEAT_EVT, LO or TWED; a
 * vCPU runs on its own CPU only */
uint64_t nv_arch_hcr_implemented(void)
{
	static uint64_t bits[MAX_CPUS];
	unsigned id = this_cpu()->id;

	if (!bits[id])
		bits[id] = implemented();
	return bits[id];
}
