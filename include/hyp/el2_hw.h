/*
 * The real EL2 registers a vCPU runs with that depend on who it is and on
 * the level it is at (docs/nv.md "Running at vEL2: the real EL2 state").
 * One place writes them: vcpu_load_el2 (vcpu/el2_hw.c), before every
 * entry, only those that changed. vm/vm.c gives each vCPU its base values
 * (what an EL1 guest runs with); for a guest at virtual EL2, nv_el2_hw
 * (nv/el2_hw.c) adds what its own EL2 registers ask for at its level, and
 * nv_hcr (nv/) composes HCR_EL2.
 */
#ifndef HYP_EL2_HW_H
#define HYP_EL2_HW_H
#include "hyp/types.h"

struct vcpu;

/* X(field, register): the registers, in the order they are written */
#define EL2_HW_REGS(X)                                                         \
	X(hcr, hcr_el2)                                                        \
	X(vtcr, vtcr_el2)                                                      \
	X(vttbr, vttbr_el2)                                                    \
	X(cntvoff, cntvoff_el2)                                                \
	X(cnthctl, cnthctl_el2)                                                \
	X(vpidr, vpidr_el2)                                                    \
	X(vmpidr, vmpidr_el2)                                                  \
	X(cptr, cptr_el2)                                                      \
	X(mdcr, mdcr_el2)

struct el2_hw {
#define EL2_HW_FIELD(f, reg) uint64_t f;
	EL2_HW_REGS(EL2_HW_FIELD)
#undef EL2_HW_FIELD
};

/* hypnest's own bits in them (hypnest runs with E2H = 0: the E2H = 0
 * layouts). CNTHCTL_EL2 (D24.10.2): EL1PCTEN, EL1PCEN, the event stream
 * EVNTEN/EVNTDIR/EVNTI, FEAT_ECV's EL1TVT. CPTR_EL2 (D24.2.38): TFP,
 * TCPAC (CPTR_EL2_DEFAULT, arch/sysreg.h, has its RES1 bits). MDCR_EL2
 * (D24.3.17): TDRA, TDOSA, TDA, TDE, TPM, TPMCR, HPMN. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)
#define CNTHCTL_EVNT (0x3fUL << 2) /* EVNTEN, EVNTDIR, EVNTI */
#define CNTHCTL_EL1TVT BIT(13)
#define CPTR_TFP BIT(10)
#define CPTR_TCPAC BIT(31)
#define MDCR_TDRA BIT(11)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDA BIT(9)
#define MDCR_TDE BIT(8)
#define MDCR_TPM BIT(6)
#define MDCR_TPMCR BIT(5)
#define MDCR_HPMN 0x1fUL

/* Before every entry: compose the vCPU's EL2 registers for where it is
 * now (for a nested guest: first its E2H layout, nv_sync_e2h) and write
 * those that differ from what this vCPU last wrote. */
void vcpu_load_el2(struct vcpu *v);
/* the next vcpu_load_el2 writes every register (vCPU reset) */
void vcpu_el2_invalidate(struct vcpu *v);

/*
 * A guest at virtual EL2 (nv/el2_hw.c): from hw, the base values, to the
 * values for its level: CNTVOFF_EL2, VPIDR/VMPIDR_EL2, VTTBR_EL2 and the
 * traps its CNTHCTL_EL2, CPTR_EL2 and MDCR_EL2 ask for at its vEL1
 * (HCR_EL2 is nv_hcr's). Reloads its live registers first if it changed
 * E2H in memory (nv_sync_e2h). ecv: the CPU has FEAT_ECV.
 */
void nv_el2_hw(struct vcpu *v, struct el2_hw *hw, bool ecv);

#endif
