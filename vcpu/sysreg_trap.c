/*
 * Trapped system-register accesses (EC 0x18), one table: encoding, name,
 * how to read, how to write. The guest runs with HCR_EL2.TID3 (ID group 3
 * reads trap, so the guest sees only features hypnest honours: the ID
 * space is answered by sysreg/id_regs.c) and HCR_EL2.TIDCP
 * (IMPLEMENTATION DEFINED registers trap, and get UNDEF).
 * Anything not in the table is UNDEFINED for the guest. A row is found by
 * the register table's entry of the encoding (include/hyp/sysregs.def),
 * looked up once per exit (vcpu_handle_sync).
 */
#include "hyp/sysreg_trap.h"
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/id_regs.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/sysreg_table.h"
#include "hyp/vm.h"

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
	uint16_t id; /* its row of the register table (enum sysreg_id) */
	const char *name;
	uint64_t (*read)(struct vcpu *v); /* NULL: not readable (UNDEF) */
	void (*write)(struct vcpu *v, uint64_t val); /* NULL: UNDEF */
};

/* Row order is the counter order (struct vcpu_stats.sysreg). Reads of the
 * ID register space (sysreg/id_regs.c) are counted in the row after it. */
static const struct sysreg_desc sysregs[] = {
	{ SR_ICC_SGI1R_EL1, "icc_sgi1r_el1", NULL, write_sgi1r },
	{ SR_ICC_ASGI1R_EL1, "icc_asgi1r_el1", NULL, write_ignored },
	{ SR_ICC_SGI0R_EL1, "icc_sgi0r_el1", NULL, write_sgi0r },
};

/* the row above of each row of the register table, plus one (0: none):
 * found by the entry the exit was looked up by (vcpu_handle_sync) */
static const uint8_t row_of[SR_NR] = {
	[SR_ICC_SGI1R_EL1] = 1,
	[SR_ICC_ASGI1R_EL1] = 2,
	[SR_ICC_SGI0R_EL1] = 3,
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
} group_rows[] = {
	{ SYSREG_ENC(3, 0, 15, 14, 0), SYSREG_ENC(1, 0, 7, 8, 0), "at", nv_at },
	{ SYSREG_ENC(3, 0, 14, 0, 0), SYSREG_ENC(1, 0, 8, 0, 0), "tlbi",
	  nv_tlbi },
};
#define ROW_ID ARRAY_SIZE(sysregs)
#define ROW_GROUP(i) (ROW_ID + 1 + (i))
_Static_assert(ARRAY_SIZE(sysregs) + 1 + ARRAY_SIZE(group_rows) <=
		   VCPU_SYSREG_ROWS,
	       "struct vcpu_stats.sysreg has a counter per row");

const char *sysreg_trap_name(unsigned row)
{
	if (row < ARRAY_SIZE(sysregs))
		return sysregs[row].name;
	if (row == ROW_ID)
		return "ID registers (TID3)";
	if (row - ROW_GROUP(0) < ARRAY_SIZE(group_rows))
		return group_rows[row - ROW_GROUP(0)].name;
	return "?";
}

/* k: the encoding's entry in the register table (NULL: none) */
static int find(const struct sysreg_key *k)
{
	return k && !k->is_alias ? (int)row_of[k->id] - 1 : -1;
}

/* what an encoding is, for the log: its row's name, else its kind by
 * op0 and CRn (C5.1, D24.1.2) */
static const char *enc_name(const struct sysreg_key *k, uint32_t enc)
{
	unsigned op0 = SYSREG_OP0(enc), crn = SYSREG_CRN(enc);
	int row = find(k);

	if (row >= 0)
		return sysregs[row].name;
	for (unsigned i = 0; i < ARRAY_SIZE(group_rows); i++)
		if ((enc & group_rows[i].mask) == group_rows[i].match)
			return group_rows[i].name;
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

static bool sysreg_undef(struct vcpu *v, uint64_t esr,
			 const struct sysreg_key *k)
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
		 op0, op1, crn, crm, op2, enc_name(k, enc),
		 (unsigned long)v->regs.pc);
	return false;
}

/* A group row's instruction: emulated, UNDEFINED, or an exception taken
 * to the guest's vEL2 (then the caller's step over the instruction must
 * land on the vector: the PC goes back by one). */
static int group_trap(struct vcpu *v, uint32_t enc, uint64_t val)
{
	for (unsigned i = 0; i < ARRAY_SIZE(group_rows); i++) {
		if ((enc & group_rows[i].mask) != group_rows[i].match)
			continue;
		switch (group_rows[i].write(v, enc, val)) {
		case NV_SYS_UNDEF:
			return -1;
		case NV_SYS_EXCEPTION:
			v->regs.pc -= 4;
			break;
		case NV_SYS_DONE:
			break;
		}
		stats_sysreg(&v->stats, ROW_GROUP(i));
		return 1;
	}
	return 0;
}

bool sysreg_trap(struct vcpu *v, uint64_t esr, const struct sysreg_key *k)
{
	uint32_t enc = SYSREG_ISS_REG(esr);
	unsigned rt = SYSREG_ISS_RT(esr);
	bool read = SYSREG_ISS_IS_READ(esr);
	int row = find(k);
	const struct sysreg_desc *d = row >= 0 ? &sysregs[row] : NULL;
	uint64_t val = 0;

	if (!d && !read) {
		int r = group_trap(v, enc, rt == 31 ? 0 : v->regs.x[rt]);

		if (r > 0)
			return true;
		if (r < 0)
			return sysreg_undef(v, esr, k);
	}
	if (!d) {
		if (!(read && id_reg_space(enc)))
			return sysreg_undef(v, esr, k);
		stats_sysreg(&v->stats, ROW_ID);
		if (rt != 31)
			v->regs.x[rt] = id_reg_guest(v, enc);
		return true;
	}
	if (read ? !d->read : !d->write)
		return sysreg_undef(v, esr, k);
	stats_sysreg(&v->stats, (unsigned)row);
	if (read) {
		val = d->read(v);
		if (rt != 31) /* XZR */
			v->regs.x[rt] = val;
	} else {
		d->write(v, rt == 31 ? 0 : v->regs.x[rt]);
	}
	return true;
}
