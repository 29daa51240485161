/*
 * A software walker of VMSAv8-64 translation tables (mm/walk.c), for what
 * a guest's registers describe: its stage-1 regimes (EL1&0, EL2&0, EL2)
 * and its stage 2, alone or one after the other, as the Arm ARM's
 * pseudocode does (J1.1.4: AArch64.S1Translate, AArch64.S1Walk,
 * AArch64.S2Translate, AArch64.S2Walk; the rules in D8.2-D8.6). It never
 * touches a register: the caller passes the register values and a
 * function that reads a 64-bit descriptor of the guest's memory. Used for
 * the guest hypervisor's address translation instructions (nv/at.c) and,
 * next, for shadow stage-2 tables.
 *
 * Not modelled (the features are not offered to guests): FEAT_LPA/LPA2
 * (52-bit output addresses, TCR.DS), FEAT_D128, the permission indirection
 * and overlay features (TCR2_ELx), FEAT_HAFT, FEAT_THE, MTE tags, RME and
 * Secure state; AArch32 regimes. The contiguous hint is ignored (allowed:
 * "Treat Contiguous bit as 0").
 */
#ifndef HYP_WALK_H
#define HYP_WALK_H
#include "hyp/types.h"

/* What the CPU the guest sees implements (its ID registers), where it
 * changes the outcome of a walk */
struct walk_features {
	unsigned pa_bits; /* AArch64.PAMax(): ID_AA64MMFR0_EL1.PARange */
	bool tgran4, tgran16, tgran64;	     /* stage-1 granules */
	bool s2tgran4, s2tgran16, s2tgran64; /* stage-2 granules */
	bool ttst;   /* FEAT_TTST: TxSZ up to 48 (47 with 64KB) */
	bool lva;    /* FEAT_LVA: 52-bit VAs with the 64KB granule */
	bool hpds;   /* FEAT_HPDS: TCR_ELx.HPDn */
	bool hafdbs; /* FEAT_HAFDBS: {V}TCR.HA/HD */
	bool pan;    /* FEAT_PAN: PSTATE.PAN (AT S1E1RP/WP) */
	bool epan;   /* FEAT_PAN3: SCTLR_ELx.EPAN */
	bool e0pd;   /* FEAT_E0PD: TCR_ELx.E0PDn */
	bool xnx;    /* FEAT_XNX: stage-2 XN[1:0] */
	bool s2fwb;  /* FEAT_S2FWB: HCR_EL2.FWB */
};

/* The stage-1 translation regime (D8.1.2). WALK_EL10 has two VA ranges
 * and an EL0, with TCR_EL1's layout; the EL2&0 regime (HCR_EL2.E2H = 1)
 * is the same with the EL2 registers. WALK_EL2 (E2H = 0) has one VA range,
 * no EL0, and TCR_EL2's E2H = 0 layout. */
enum walk_regime { WALK_EL10, WALK_EL2 };

struct walk_s1_regs {
	enum walk_regime regime;
	uint64_t sctlr, tcr, ttbr0, ttbr1, mair;
};

struct walk_s2_regs {
	uint64_t vtcr, vttbr;
	bool fwb; /* HCR_EL2.FWB */
	bool ptw; /* HCR_EL2.PTW (with TGE = 0) */
	bool ee;  /* SCTLR_EL2.EE: stage-2 descriptors are big-endian */
};

/* A translation: the registers, and the guest memory the tables are in */
struct walk_ctx {
	const struct walk_features *feat;
	struct walk_s1_regs s1;
	struct walk_s2_regs s2;
	/* stage 2 applies (HCR_EL2.VM or DC, EL1&0 regime only): to the
	 * stage-1 table walks, and to the output of walk_s12 */
	bool s2_on;
	/* stage 1 is off although SCTLR.M is set (EL1&0 with HCR_EL2.DC or
	 * TGE set); with dc its output is Normal Write-Back (D8.2.10) */
	bool s1_off, dc;
	/* the descriptor at output address pa (8-byte aligned); false:
	 * nothing is there (a synchronous External abort on the walk) */
	bool (*read)(void *arg, uint64_t pa, uint64_t *desc);
	void *arg;
};

/* The access the translation is for */
struct walk_access {
	bool el0;   /* unprivileged (EL0) permissions */
	bool write; /* a write (else a read) */
	bool pan;   /* AT S1E1RP/WP with PSTATE.PAN = 1 */
};

enum walk_fault {
	WALK_OK,
	WALK_FAULT_TRANSLATION,
	WALK_FAULT_ADDR_SIZE,
	WALK_FAULT_ACCESS_FLAG,
	WALK_FAULT_PERMISSION,
	WALK_FAULT_EXT_ABORT, /* synchronous External abort on a walk */
};

/* Memory attributes (D8.6): Device type, or Normal inner/outer
 * cacheability with allocation hints */
enum walk_cache { WALK_NC, WALK_WT, WALK_WB };
struct walk_cacheability {
	enum walk_cache kind;
	uint8_t hints;	/* [1] read-allocate, [0] write-allocate */
	bool transient; /* only with kind != NC and hints != 0 */
};
struct walk_attrs {
	bool device;
	uint8_t dev; /* 0 nGnRnE, 1 nGnRE, 2 nGRE, 3 GRE */
	struct walk_cacheability inner, outer;
	uint8_t sh; /* 0b00 non-, 0b10 outer, 0b11 inner shareable */
	bool xs;    /* FEAT_XS attribute */
};

struct walk_result {
	enum walk_fault fault; /* WALK_OK: the fields below the line hold */
	int level;	       /* where the fault is (or of the leaf) */
	bool stage2;	       /* a stage-2 fault */
	bool s1ptw;	       /* ... on a stage-1 table walk */
	uint64_t ipa;	       /* a stage-2 fault: the IPA that faulted */
	/* ---- */
	uint64_t out;	  /* the output address of the input address */
	uint64_t size;	  /* bytes the leaf maps (for walk_s12: the smaller) */
	uint64_t desc;	  /* the leaf descriptor (the last stage walked) */
	uint64_t desc_pa; /* ... and where it was read (the read's address) */
	/* what the translation permits: r, w for the access's level (stage
	 * 2: S2AP), px/ux execution at EL1/EL2 and EL0 (all stages walked) */
	bool r, w, px, ux;
	struct walk_attrs attrs; /* the stages combined */
};

/* stage 1 of va (the output: an IPA when ctx->s2_on, else a PA) */
void walk_s1(const struct walk_ctx *ctx, uint64_t va,
	     const struct walk_access *acc, struct walk_result *res);
/* stage 2 of ipa alone, whatever ctx->s2_on says */
void walk_s2(const struct walk_ctx *ctx, uint64_t ipa,
	     const struct walk_access *acc, struct walk_result *res);
/* stage 1, then stage 2 when ctx->s2_on (AT S12E*): output a PA */
void walk_s12(const struct walk_ctx *ctx, uint64_t va,
	      const struct walk_access *acc, struct walk_result *res);

/* PAR_EL1 for a result, as AArch64.EncodePAR gives it (J1.1.3.11) for a
 * Non-secure translation: NS (UNKNOWN there) reads 1, the IMPLEMENTATION
 * DEFINED bits 0 */
uint64_t walk_par(const struct walk_result *res);
/* the 8-bit PAR_EL1.ATTR encoding of attributes (EncodePARAttrs) */
uint8_t walk_attr_byte(const struct walk_attrs *a);
/* S2CombineS1Shareability: the wider of two SH fields (0 Non, 2 Outer,
 * 3 Inner Shareable) */
uint8_t walk_combine_sh(uint8_t s1, uint8_t s2);
/* the long-descriptor fault status code, FSC[5:0] (EncodeLDFSC) */
unsigned walk_fsc(const struct walk_result *res);

#endif
