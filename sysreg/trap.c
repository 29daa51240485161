/*
 * Trapped system-register accesses (EC 0x18), one table: encoding, name,
 * how to read, how to write. The guest runs with HCR_EL2.TID3 (ID group 3
 * reads trap, so the guest sees only features hypnest honours: the ID
 * space is answered by sysreg/id_regs.c) and HCR_EL2.TIDCP
 * (IMPLEMENTATION DEFINED registers trap, and get UNDEF).
 * Anything not in the table is UNDEFINED for the guest.
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/id_regs.h"
#include "hyp/log.h"
#include "hyp/sysreg_trap.h"
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

/* AT S1E2R/W from virtual EL2 (HCR_EL2.NV traps them): the vEL2 context
 * is the one loaded in the EL1 registers, with its own VMID, so the EL1&0
 * stage-1 walk done from here is the guest's EL2 walk, and its result
 * lands in PAR_EL1, which is live for every level. Output: the guest's
 * physical address, an IPA here, as a stage-1-only AT gives. */
static void at_s1e2r(struct vcpu *v, uint64_t va)
{
	if (!v->nv.in_vel2)
		return;
	__asm__ volatile("at s1e1r, %0\n isb" ::"r"(va) : "memory");
}

static void at_s1e2w(struct vcpu *v, uint64_t va)
{
	if (!v->nv.in_vel2)
		return;
	__asm__ volatile("at s1e1w, %0\n isb" ::"r"(va) : "memory");
}

/* Any trapped TLBI (from virtual EL2: the EL2 ones, and the EL1 ones
 * aimed at its guest): invalidate every EL1&0 entry of every VMID. Always
 * correct (over-invalidation is); its cost is the next exits' TLB refill,
 * to be narrowed to the VMIDs concerned when nested guests run. */
static void tlbi_all(struct vcpu *v, uint64_t val)
{
	(void)v, (void)val;
	__asm__ volatile("dsb ishst\n tlbi alle1is\n dsb ish\n isb" ::
			     : "memory");
}

struct sysreg_desc {
	uint32_t enc;
	const char *name;
	uint64_t (*read)(struct vcpu *v); /* NULL: not readable (UNDEF) */
	void (*write)(struct vcpu *v, uint64_t val); /* NULL: UNDEF */
};

/* Row order is the counter order (struct vcpu_stats.sysreg). Reads of the
 * ID register space (sysreg/id_regs.c) are counted in the row after it. */
static const struct sysreg_desc sysregs[] = {
	{ SYSREG_ICC_SGI1R_EL1, "icc_sgi1r_el1", NULL, write_sgi1r },
	{ SYSREG_ICC_ASGI1R_EL1, "icc_asgi1r_el1", NULL, write_ignored },
	{ SYSREG_ICC_SGI0R_EL1, "icc_sgi0r_el1", NULL, write_sgi0r },
	{ SYSREG_ENC(1, 4, 7, 8, 0), "at s1e2r", NULL, at_s1e2r },
	{ SYSREG_ENC(1, 4, 7, 8, 1), "at s1e2w", NULL, at_s1e2w },
};

/* Rows for whole groups of encodings: (enc & mask) == match. Checked
 * after the table above. op0 = 1, CRn = 8: TLBI (C5.5). */
static const struct sysreg_desc_group {
	uint32_t mask, match;
	const char *name;
	void (*write)(struct vcpu *v, uint64_t val);
} sysreg_groups[] = {
	{ SYSREG_ENC(3, 0, 15, 0, 0), SYSREG_ENC(1, 0, 8, 0, 0), "tlbi",
	  tlbi_all },
};
#define ROW_ID ARRAY_SIZE(sysregs)
#define ROW_GROUP(i) (ROW_ID + 1 + (i))
_Static_assert(ARRAY_SIZE(sysregs) + 1 + ARRAY_SIZE(sysreg_groups) <=
		   VCPU_SYSREG_ROWS,
	       "struct vcpu_stats.sysreg has a counter per row");

const char *sysreg_trap_name(unsigned row)
{
	if (row < ARRAY_SIZE(sysregs))
		return sysregs[row].name;
	if (row == ROW_ID)
		return "ID registers (TID3)";
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

bool sysreg_trap(struct vcpu *v, uint64_t esr)
{
	uint32_t enc = SYSREG_ISS_REG(esr);
	unsigned rt = SYSREG_ISS_RT(esr);
	bool read = SYSREG_ISS_IS_READ(esr);
	int row = find(enc);
	const struct sysreg_desc *d = row >= 0 ? &sysregs[row] : NULL;
	uint64_t val = 0;

	if (!d && !read) {
		for (unsigned i = 0; i < ARRAY_SIZE(sysreg_groups); i++) {
			if ((enc & sysreg_groups[i].mask) !=
			    sysreg_groups[i].match)
				continue;
			v->stats.sysreg[ROW_GROUP(i)]++;
			sysreg_groups[i].write(v, rt == 31 ? 0 : v->regs.x[rt]);
			return true;
		}
	}
	if (!d) {
		if (!(read && id_reg_space(enc)))
			return false;
		v->stats.sysreg[ROW_ID]++;
		if (rt != 31)
			v->regs.x[rt] = id_reg_guest(v, enc);
		return true;
	}
	if (read ? !d->read : !d->write)
		return false;
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
