/* Decoding the ID registers (Arm ARM D24.2: ID_AA64PFR0_EL1 D24.2.93,
 * ID_AA64MMFR0/1/2/4_EL1 D24.2.88-92). Arch-independent; reading them is in
 * cpu.c. */
#include "hyp/features.h"

static unsigned parange_bits(unsigned v)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	return v < 8 ? bits[v] : 0;
}

void features_decode(const struct id_regs *raw, struct cpu_features *f)
{
	unsigned e2h0 = (unsigned)FIELD(raw->mmfr4, 27, 24);

	f->raw = *raw;
	f->nv = (unsigned)FIELD(raw->mmfr2, 27, 24);
	f->vhe = FIELD(raw->mmfr1, 11, 8) != 0;
	/* MMFR4.E2H0: 0 = FEAT_E2H0 (E2H may be 0); 0b1110 / 0b1111 (signed
	 * negative) = E2H is RES1 */
	f->e2h0 = e2h0 == 0;
	f->el2_aarch64 = FIELD(raw->pfr0, 11, 8) != 0;
	f->gic_sysregs = FIELD(raw->pfr0, 27, 24) != 0;
	f->ecv = FIELD(raw->mmfr0, 63, 60) != 0;
	/* MMFR0.FGT: 0b0001 FEAT_FGT, 0b0010 FEAT_FGT2 (its five *2_EL2
	 * registers too); higher values are reserved, read as FGT2 */
	f->fgt = (unsigned)MIN(FIELD(raw->mmfr0, 59, 56), 2UL);
	f->hcx = FIELD(raw->mmfr1, 43, 40) != 0;
	f->amu = FIELD(raw->pfr0, 47, 44) != 0;
	f->ras = FIELD(raw->pfr0, 31, 28) != 0;
	f->parange = (unsigned)FIELD(raw->mmfr0, 3, 0);
	f->pa_bits = parange_bits(f->parange);
	f->vmid_bits = FIELD(raw->mmfr1, 7, 4) == 2 ? 16 : 8;
	/* MIDR_EL1.Implementer 0x00: "reserved for software use" (D24.2.137),
	 * what QEMU's max CPU reports */
	f->soft_model = FIELD(raw->midr, 31, 24) == 0;
}

const char *features_nv_name(const struct cpu_features *f)
{
	return f->nv >= 2 ? "FEAT_NV2" : f->nv == 1 ? "FEAT_NV" : "none";
}
