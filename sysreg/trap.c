/*
 * Trapped system-register accesses (EC 0x18), one table: encoding, name,
 * how to read, how to write. The guest runs with HCR_EL2.TID3 (ID group 3
 * reads trap, so the guest sees only features hypnest virtualises) and
 * HCR_EL2.TIDCP (IMPLEMENTATION DEFINED registers trap, and get UNDEF).
 * Anything not in the table is UNDEFINED for the guest.
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/log.h"
#include "hyp/sysreg_trap.h"

/*
 * ID register sanitising: the fields a guest at EL1 may see, as a mask of
 * the host value (D24.2 register descriptions). Hidden: EL2/EL3 (no
 * virtual EL2 for a plain guest), SVE, SME, MTE, AMU, MPAM, RAS, SPE,
 * TRBE, BRBE, the PMU (MDCR_EL2 traps it), FEAT_NV, FEAT_VHE, FEAT_ECV.
 */
#define KEEP_ALL (~0UL)
#define PFR0_KEEP                                                              \
	(GENMASK(3, 0) | GENMASK(7, 4) | GENMASK(19, 16) | GENMASK(23, 20) |   \
	 GENMASK(27, 24) | GENMASK(51, 48) | GENMASK(63, 56))
#define PFR1_KEEP (GENMASK(3, 0) | GENMASK(7, 4)) /* BT, SSBS */
#define DFR0_KEEP                                                              \
	(GENMASK(3, 0) | GENMASK(15, 12) | GENMASK(23, 20) | GENMASK(31, 28))
#define MMFR0_KEEP GENMASK(47, 0)			/* not ECV, FGT, ExS */
#define MMFR1_KEEP (~GENMASK(11, 8) & ~GENMASK(31, 28)) /* not VH, XNX */
#define MMFR2_KEEP (~GENMASK(27, 24))			/* not NV */

#define ID_REGS(X)                                                             \
	X(id_aa64pfr0_el1, SYSREG_ID_AA64PFR0_EL1, PFR0_KEEP)                  \
	X(id_aa64pfr1_el1, SYSREG_ID_AA64PFR1_EL1, PFR1_KEEP)                  \
	X(id_aa64dfr0_el1, SYSREG_ID_AA64DFR0_EL1, DFR0_KEEP)                  \
	X(id_aa64dfr1_el1, SYSREG_ID_AA64DFR1_EL1, 0)                          \
	X(id_aa64afr0_el1, SYSREG_ID_AA64AFR0_EL1, 0)                          \
	X(id_aa64afr1_el1, SYSREG_ID_AA64AFR1_EL1, 0)                          \
	X(id_aa64isar0_el1, SYSREG_ID_AA64ISAR0_EL1, KEEP_ALL)                 \
	X(id_aa64isar1_el1, SYSREG_ID_AA64ISAR1_EL1, KEEP_ALL)                 \
	X(id_aa64mmfr0_el1, SYSREG_ID_AA64MMFR0_EL1, MMFR0_KEEP)               \
	X(id_aa64mmfr1_el1, SYSREG_ID_AA64MMFR1_EL1, MMFR1_KEEP)               \
	X(id_aa64mmfr2_el1, SYSREG_ID_AA64MMFR2_EL1, MMFR2_KEEP)               \
	X(s3_0_c0_c4_4, SYSREG_ID_AA64ZFR0_EL1, 0) /* ID_AA64ZFR0_EL1 */

#define ID_READER(reg, enc, keep)                                              \
	static uint64_t read_##reg(void)                                       \
	{                                                                      \
		return read_sysreg(reg) & (keep);                              \
	}
ID_REGS(ID_READER)
#undef ID_READER

struct sysreg_desc {
	uint32_t enc;
	const char *name;
	uint64_t (*read)(void); /* NULL: write-only or RAZ */
	bool writable;
};

static const struct sysreg_desc sysregs[] = {
#define ID_ROW(reg, enc, keep) { enc, #reg, read_##reg, false },
	ID_REGS(ID_ROW)
#undef ID_ROW
};

static const struct sysreg_desc *find(uint32_t enc)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sysregs); i++)
		if (sysregs[i].enc == enc)
			return &sysregs[i];
	return NULL;
}

/* op0 = 3, op1 = 0, CRn = 0, CRm = 1..7: the ID register space, where an
 * unallocated encoding reads as zero (D24.1.2, "reserved ID registers") */
static bool is_id_space(uint32_t enc)
{
	unsigned crm = (enc >> 1) & 0xf;

	return (enc & SYSREG_ENC(3, 7, 15, 0, 0)) ==
		   SYSREG_ENC(3, 0, 0, 0, 0) &&
	       crm >= 1 && crm <= 7;
}

bool sysreg_trap(struct vcpu *v, uint64_t esr)
{
	uint32_t enc = SYSREG_ISS_REG(esr);
	unsigned rt = SYSREG_ISS_RT(esr);
	bool read = SYSREG_ISS_IS_READ(esr);
	const struct sysreg_desc *d = find(enc);
	uint64_t val = 0;

	if (!d && !(read && is_id_space(enc)))
		return false;
	if (!read && !(d && d->writable))
		return false;
	if (read) {
		if (d && d->read)
			val = d->read();
		if (rt != 31) /* XZR */
			v->regs.x[rt] = val;
	}
	return true;
}
