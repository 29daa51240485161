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
#include "hyp/nv.h"
#include "hyp/sysreg_trap.h"
#include "hyp/vm.h"

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

/* A guest at virtual EL2 also sees EL2 (PFR0.EL2, AArch64 only) and, when
 * offered as a VHE guest hypervisor, FEAT_VHE (MMFR1.VH). FEAT_NV stays
 * hidden (no recursion yet); ID_AA64MMFR4_EL1 reads as zero, which says
 * FEAT_E2H0: the guest chooses its E2H. */
static uint64_t nested_keep(const struct vcpu *v, uint32_t enc)
{
	if (!v->vm->nested)
		return 0;
	if (enc == SYSREG_ID_AA64PFR0_EL1)
		return GENMASK(11, 8);
	if (enc == SYSREG_ID_AA64MMFR1_EL1 && v->vm->el2 == GUEST_EL2_VHE)
		return GENMASK(11, 8);
	return 0;
}

/* Fields whose value, not presence, is limited: PARange at most 48 bits
 * (0b0101), the IPA size hypnest's stage-2 gives (hyp/vm.c), so a guest
 * hypervisor sizes its own guests' stage-2 within it */
static uint64_t id_limit(uint32_t enc, uint64_t val)
{
	if (enc == SYSREG_ID_AA64MMFR0_EL1 && FIELD(val, 3, 0) > 5)
		val = (val & ~GENMASK(3, 0)) | 5;
	return val;
}

#define ID_READER(reg, enc, keep)                                              \
	static uint64_t read_##reg(struct vcpu *v)                             \
	{                                                                      \
		return id_limit(enc, read_sysreg(reg) &                        \
					 ((keep) | nested_keep(v, enc)));      \
	}
ID_REGS(ID_READER)
#undef ID_READER

/* ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1: with HCR_EL2.IMO/FMO set
 * the guest's writes trap (IHI 0069 12.2.2), and become SGIs of the vGIC.
 * hypnest has one Security state, so ASGI1R (Group 1 for the other
 * state) generates nothing, as on a GIC with GICD_CTLR.DS = 1. */
static void write_sgi1r(struct vcpu *v, uint64_t val)
{
	vgic_sgi1r(&v->vm->vgic, v->id, val);
	virq_kick_pending(v->vm, v);
}

static void write_sgi0r(struct vcpu *v, uint64_t val)
{
	vgic_sgi0r(&v->vm->vgic, v->id, val);
	virq_kick_pending(v->vm, v);
}

static void write_ignored(struct vcpu *v, uint64_t val)
{
	(void)v, (void)val;
}

struct sysreg_desc {
	uint32_t enc;
	const char *name;
	uint64_t (*read)(struct vcpu *v); /* NULL: not readable (UNDEF) */
	void (*write)(struct vcpu *v, uint64_t val); /* NULL: UNDEF */
};

/* Row order is the counter order (struct vcpu_stats.sysreg). Reserved ID
 * registers (is_id_space) are counted in the last row. */
static const struct sysreg_desc sysregs[] = {
#define ID_ROW(reg, enc, keep) { enc, #reg, read_##reg, NULL },
	ID_REGS(ID_ROW)
#undef ID_ROW
	    { SYSREG_ICC_SGI1R_EL1, "icc_sgi1r_el1", NULL, write_sgi1r },
	{ SYSREG_ICC_ASGI1R_EL1, "icc_asgi1r_el1", NULL, write_ignored },
	{ SYSREG_ICC_SGI0R_EL1, "icc_sgi0r_el1", NULL, write_sgi0r },
};

/* Rows for whole groups of encodings: (enc & mask) == match, checked
 * after the table above; each answers for the encodings of its group it
 * has (enum nv_sys). op0 = 1: the address translation instructions (CRn
 * 7, CRm 8 and 9, C5.4) and TLB maintenance (CRn 8 and the nXS forms' 9,
 * C5.5), which trap from a guest hypervisor at virtual EL2 only, and are
 * emulated by nv/at.c and nv/tlbi.c. */
static const struct sysreg_desc_group {
	uint32_t mask, match;
	const char *name;
	enum nv_sys (*write)(struct vcpu *v, uint32_t enc, uint64_t val);
} sysreg_groups[] = {
	{ SYSREG_ENC(3, 0, 15, 14, 0), SYSREG_ENC(1, 0, 7, 8, 0), "at", nv_at },
	{ SYSREG_ENC(3, 0, 14, 0, 0), SYSREG_ENC(1, 0, 8, 0, 0), "tlbi",
	  nv_tlbi },
};
#define ROW_RESERVED_ID ARRAY_SIZE(sysregs)
#define ROW_GROUP(i) (ROW_RESERVED_ID + 1 + (i))
_Static_assert(ARRAY_SIZE(sysregs) + 1 + ARRAY_SIZE(sysreg_groups) <=
		   VCPU_SYSREG_ROWS,
	       "struct vcpu_stats.sysreg has a counter per row");

const char *sysreg_trap_name(unsigned row)
{
	if (row < ARRAY_SIZE(sysregs))
		return sysregs[row].name;
	if (row == ROW_RESERVED_ID)
		return "reserved ID register";
	if (row - ROW_GROUP(0) < ARRAY_SIZE(sysreg_groups))
		return sysreg_groups[row - ROW_GROUP(0)].name;
	return "?";
}

static int find(uint32_t enc)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sysregs); i++)
		if (sysregs[i].enc == enc)
			return (int)i;
	return -1;
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

/* what an encoding is, for the log: its row's name, else its kind by
 * op0 and CRn (C5.1, D24.1.2) */
static const char *enc_name(uint32_t enc)
{
	unsigned op0 = SYSREG_OP0(enc), crn = SYSREG_CRN(enc);
	int row = find(enc);

	if (row >= 0)
		return sysregs[row].name;
	for (unsigned i = 0; i < ARRAY_SIZE(sysreg_groups); i++)
		if ((enc & sysreg_groups[i].mask) == sysreg_groups[i].match)
			return sysreg_groups[i].name;
	if (op0 == 1 && crn == 7)
		return "cache maintenance or address translation";
	if (op0 == 1 && (crn == 8 || crn == 9))
		return "TLB maintenance";
	if (op0 == 1)
		return "system instruction";
	if (op0 == 2)
		return "debug or trace register";
	if (crn == 11 || crn == 15)
		return "IMPLEMENTATION DEFINED register";
	return "system register";
}

/* An encoding hypnest does not emulate (for this access): UNDEFINED for
 * the guest. Said once per vCPU and encoding (op0:op1:CRn:CRm:op2, 16
 * bits), so that what a guest missed is in the log, without a flood. */
static uint64_t undef_logged[MAX_CPUS][(1U << 16) / 64];

static bool sysreg_undef(struct vcpu *v, uint64_t esr)
{
	uint32_t enc = SYSREG_ISS_REG(esr);
	unsigned op0 = SYSREG_OP0(enc), op1 = SYSREG_OP1(enc);
	unsigned crn = SYSREG_CRN(enc), crm = SYSREG_CRM(enc);
	unsigned op2 = SYSREG_OP2(enc);
	unsigned i = op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
	uint64_t *w = &undef_logged[v->id % MAX_CPUS][i / 64];

	if (*w & BIT(i % 64))
		return false;
	*w |= BIT(i % 64);
	log_warn("vcpu%u: %s S%u_%u_C%u_C%u_%u (%s) at PC 0x%lx: not emulated, "
		 "UNDEF injected (logged once)",
		 v->id,
		 op0 == 1 ? (SYSREG_ISS_IS_READ(esr) ? "SYSL" : "SYS")
			  : (SYSREG_ISS_IS_READ(esr) ? "MRS" : "MSR"),
		 op0, op1, crn, crm, op2, enc_name(enc),
		 (unsigned long)v->regs.pc);
	return false;
}

/* A group row's instruction: emulated, UNDEFINED, or an exception taken
 * to the guest's vEL2 (then the caller's step over the instruction must
 * land on the vector: the PC goes back by one). */
static int group_trap(struct vcpu *v, uint32_t enc, uint64_t val)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sysreg_groups); i++) {
		if ((enc & sysreg_groups[i].mask) != sysreg_groups[i].match)
			continue;
		switch (sysreg_groups[i].write(v, enc, val)) {
		case NV_SYS_UNDEF:
			return -1;
		case NV_SYS_EXCEPTION:
			v->regs.pc -= 4;
			break;
		case NV_SYS_DONE:
			break;
		}
		v->stats.sysreg[ROW_GROUP(i)]++;
		return 1;
	}
	return 0;
}

bool sysreg_trap(struct vcpu *v, uint64_t esr)
{
	uint32_t enc = SYSREG_ISS_REG(esr);
	unsigned rt = SYSREG_ISS_RT(esr);
	bool read = SYSREG_ISS_IS_READ(esr);
	int row = find(enc);
	const struct sysreg_desc *d = row >= 0 ? &sysregs[row] : NULL;
	uint64_t val = 0;

	if (!d && !read) {
		int r = group_trap(v, enc, rt == 31 ? 0 : v->regs.x[rt]);

		if (r > 0)
			return true;
		if (r < 0)
			return sysreg_undef(v, esr);
	}
	if (!d) {
		if (!(read && is_id_space(enc)))
			return sysreg_undef(v, esr);
		v->stats.sysreg[ROW_RESERVED_ID]++;
		if (rt != 31)
			v->regs.x[rt] = 0;
		return true;
	}
	if (read ? !d->read : !d->write)
		return sysreg_undef(v, esr);
	v->stats.sysreg[row]++;
	if (read) {
		val = d->read(v);
		if (rt != 31) /* XZR */
			v->regs.x[rt] = val;
	} else {
		d->write(v, rt == 31 ? 0 : v->regs.x[rt]);
	}
	return true;
}
