/* The CPU features hypnest depends on, decoded once at boot; every later
 * question ("is there FEAT_NV2?") is answered from here (hyp/features.c). */
#ifndef HYP_FEATURES_H
#define HYP_FEATURES_H
#include "hyp/types.h"

struct id_regs {
	uint64_t pfr0, mmfr0, mmfr1, mmfr2, mmfr4, midr;
};

struct cpu_features {
	unsigned nv;	    /* 0 none, 1 FEAT_NV, 2 FEAT_NV2 (MMFR2.NV) */
	bool vhe;	    /* FEAT_VHE (MMFR1.VH) */
	bool e2h0;	    /* HCR_EL2.E2H may be 0 (MMFR4.E2H0 == 0) */
	bool el2_aarch64;   /* PFR0.EL2 != 0 */
	bool gic_sysregs;   /* PFR0.GIC: GICv3 system register interface */
	bool ecv;	    /* FEAT_ECV (MMFR0.ECV) */
	unsigned fgt;	    /* 0 none, 1 FEAT_FGT, 2 FEAT_FGT2 (MMFR0.FGT) */
	bool hcx;	    /* FEAT_HCX: HCRX_EL2 (MMFR1.HCX) */
	bool amu;	    /* FEAT_AMUv1 (PFR0.AMU) */
	bool ras;	    /* FEAT_RAS: VSESR_EL2 (PFR0.RAS) */
	unsigned pa_bits;   /* from MMFR0.PARange */
	unsigned parange;   /* the raw PARange field */
	unsigned vmid_bits; /* 8 or 16 (MMFR1.VMIDBits) */
	bool soft_model;    /* a software model of a CPU (MIDR.Implementer) */
	struct id_regs raw;
};

void features_decode(const struct id_regs *raw, struct cpu_features *f);
/* the calling CPU's ID registers (hyp/cpu.c) */
void cpu_read_id_regs(struct id_regs *raw);
/* "FEAT_NV2" / "FEAT_NV" / "none" */
const char *features_nv_name(const struct cpu_features *f);

/* the boot CPU's features, set once by features_init() */
const struct cpu_features *cpu_features(void);
void features_init(void);

#endif
