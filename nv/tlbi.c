/*
 * TLB maintenance a guest hypervisor executes at virtual EL2 (docs/nv.md
 * "Address translation and TLB maintenance"; hypervisor build). NV traps
 * its EL2 TLBIs; TTLB, set while it is at vEL2 unless its HCR_EL2.{E2H,
 * TGE} = {1, 1} (nv_hcr), its EL1 TLBIs, which would otherwise reach the
 * VMID of the context that runs (its vEL2's) instead of the one they name.
 * The nXS forms (CRn 9, FEAT_XS) are their plain forms here: hypnest
 * issues the plain one, which waits for more.
 *
 * Each class of instruction is a row: which of the VM's two VMIDs it
 * concerns (include/hyp/vm.h: the vEL2 context's and the vEL1 context's),
 * and the EL1&0 instruction hypnest issues for it at EL2, with VTTBR_EL2
 * switched to that VMID for the instruction (a TLBI by VMID uses the
 * current VTTBR_EL2.VMID, D8.16). So a TLBI costs what it names and no
 * more: never all VMIDs, never the other context.
 *
 *   ALLE2, VAE2, VALE2, RVAE2, RVALE2   the vEL2 context's VMID: VMALLE1,
 *                                       VA(A)E1, VA(A)LE1, RVA(A)(L)E1
 *   VMALLS12E1                          the vEL1 context's VMID:
 *                                       VMALLS12E1; the shadows of the
 *                                       VMID in its VTTBR_EL2 emptied
 *   ALLE1                               the same, every shadow emptied
 *   IPAS2E1, IPAS2LE1, RIPAS2(L)E1      the range it names unmapped from
 *                                       the shadows of its VMID (their real
 *                                       TLBs: nv_tlbi_shadow); its vEL1
 *                                       context has no stage 2 of its own
 *   the EL1 ones (VMALLE1, VAE1, ...)   {E2H, TGE} = {1, 1}: they name its
 *                                       EL2&0 regime, the vEL2 context's
 *                                       VMID; else its vEL1's and its L2's
 *                                       (every shadow of its VMID). The
 *                                       same op.
 *
 * The guest's EL2 regime (E2H = 0) has no ASIDs: its by-VA forms become
 * the all-ASID ones (VAAE1, VAALE1, RVAAE1, RVAALE1), as hypnest runs
 * that regime in the EL1&0 one, where the guest's nG bit would count.
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/vm.h"

/* the EL1&0 instructions hypnest issues: op1 0, CRn 8, CRm, op2 (CRm 1,
 * 3, 7: VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 in their OS, IS and
 * local forms; CRm 5, 2, 6: RVAE1, RVAAE1, RVALE1, RVAALE1 likewise) */
#define TLBI_PLAIN(X, c) X(c, 0) X(c, 1) X(c, 2) X(c, 3) X(c, 5) X(c, 7)
#define TLBI_RANGE(X, c) X(c, 1) X(c, 3) X(c, 5) X(c, 7)
#define TLBI_ALL_PLAIN(X) TLBI_PLAIN(X, 1) TLBI_PLAIN(X, 3) TLBI_PLAIN(X, 7)
#define TLBI_ALL_RANGE(X) TLBI_RANGE(X, 5) TLBI_RANGE(X, 2) TLBI_RANGE(X, 6)
#define TLBI_E1_OPS(X) TLBI_ALL_PLAIN(X) TLBI_ALL_RANGE(X)
#define TLBI_E1_FN(crm, op2)                                                   \
	static void tlbi_e1_##crm##_##op2(uint64_t x)                          \
	{                                                                      \
		__asm__ volatile("sys #0, c8, c" #crm ", #" #op2               \
				 ", %0" ::"r"(x)                               \
				 : "memory");                                  \
	}
TLBI_E1_OPS(TLBI_E1_FN)
#define TLBI_E1_ROW(crm, op2) [crm][op2] = tlbi_e1_##crm##_##op2,
static void (*const tlbi_e1[8][8])(uint64_t) = { TLBI_E1_OPS(TLBI_E1_ROW) };

/* VMALLS12E1OS, VMALLS12E1IS, VMALLS12E1: op1 4, CRm 1, 3, 7, op2 6 */
#define TLBI_S12_FN(crm)                                                       \
	static void tlbi_s12_##crm(uint64_t x)                                 \
	{                                                                      \
		__asm__ volatile("sys #4, c8, c" #crm ", #6, %0" ::"r"(x)      \
				 : "memory");                                  \
	}
TLBI_S12_FN(1)
TLBI_S12_FN(3)
TLBI_S12_FN(7)
static void (*const tlbi_s12[8])(uint64_t) = {
	[1] = tlbi_s12_1, [3] = tlbi_s12_3, [7] = tlbi_s12_7
};

enum tlbi_vmid {
	VMID_NONE, /* nothing cached: no instruction */
	VMID_VEL2, /* the vEL2 context's */
	VMID_VEL1, /* the vEL1 context's */
	VMID_TGE,  /* its EL2&0 regime's when {E2H, TGE} = {1, 1}, else
		      its vEL1's */
};

enum tlbi_hw {
	HW_SAME,   /* the EL1 instruction with the same CRm and op2 */
	HW_NOASID, /* the same, all ASIDs (op2 | 2) when E2H = 0 */
	HW_S12,	   /* VMALLS12E1 with the same CRm */
};

/* what it does to the shadow stage 2s of its L2 (nv/l2.c) */
enum tlbi_l2 {
	L2_NONE,
	L2_IPA,	  /* IPAS2E1 forms: the leaf holding Xt's IPA */
	L2_RANGE, /* RIPAS2E1 forms: Xt's range */
	L2_VMID,  /* VMALLS12E1: every shadow of its VMID */
	L2_ALL,	  /* ALLE1: every shadow */
	L2_S1,	  /* an EL1 one for its vEL1: the same op on its L2's */
};

#define CRM(a, b, c) (BIT(a) | BIT(b) | BIT(c))
#define CRM_PLAIN CRM(1, 3, 7) /* OS, IS, and local forms */
#define CRM_RANGE CRM(5, 2, 6)

static const struct tlbi_class {
	uint8_t op1;
	uint16_t crm; /* the CRm values of the class (bit n: CRm n) */
	uint8_t op2;  /* the op2 values (bit n: op2 n) */
	enum tlbi_vmid vmid;
	enum tlbi_hw hw;
	enum tlbi_l2 l2;
} tlbi_classes[] = {
	/* ALLE2{OS,IS} */
	{ 4, CRM_PLAIN, BIT(0), VMID_VEL2, HW_SAME, L2_NONE },
	/* VAE2, VALE2{OS,IS} */
	{ 4, CRM_PLAIN, BIT(1) | BIT(5), VMID_VEL2, HW_NOASID, L2_NONE },
	/* RVAE2, RVALE2{OS,IS} */
	{ 4, CRM_RANGE, BIT(1) | BIT(5), VMID_VEL2, HW_NOASID, L2_NONE },
	/* ALLE1{OS,IS} */
	{ 4, CRM_PLAIN, BIT(4), VMID_VEL1, HW_S12, L2_ALL },
	/* VMALLS12E1{OS,IS} */
	{ 4, CRM_PLAIN, BIT(6), VMID_VEL1, HW_S12, L2_VMID },
	/* IPAS2E1, IPAS2LE1 (op2 1, 5) and their OS forms (0, 4) */
	{ 4, BIT(4), BIT(0) | BIT(1) | BIT(4) | BIT(5), VMID_NONE, HW_SAME,
	  L2_IPA },
	/* RIPAS2E1, RIPAS2LE1 (op2 2, 6) and their OS forms (3, 7) */
	{ 4, BIT(4), BIT(2) | BIT(3) | BIT(6) | BIT(7), VMID_NONE, HW_SAME,
	  L2_RANGE },
	/* the IS forms: IPAS2E1IS, IPAS2LE1IS; RIPAS2E1IS, RIPAS2LE1IS */
	{ 4, BIT(0), BIT(1) | BIT(5), VMID_NONE, HW_SAME, L2_IPA },
	{ 4, BIT(0), BIT(2) | BIT(6), VMID_NONE, HW_SAME, L2_RANGE },
	/* VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1{OS,IS} */
	{ 0, CRM_PLAIN, 0xaf, VMID_TGE, HW_SAME, L2_S1 },
	/* RVAE1, RVAAE1, RVALE1, RVAALE1{OS,IS} */
	{ 0, CRM_RANGE, 0xaa, VMID_TGE, HW_SAME, L2_S1 },
};

static const struct tlbi_class *find_class(uint32_t enc)
{
	unsigned op1 = SYSREG_OP1(enc), crm = SYSREG_CRM(enc);
	unsigned op2 = SYSREG_OP2(enc);

	for (unsigned i = 0; i < ARRAY_SIZE(tlbi_classes); i++) {
		const struct tlbi_class *t = &tlbi_classes[i];

		if (t->op1 == op1 && (t->crm & BIT(crm)) && (t->op2 & BIT(op2)))
			return t;
	}
	return NULL;
}

/* VTTBR_EL2 switched to vttbr for the TLBIs that follow (they name its
 * VMID), with the stores before them made visible; the old value back
 * after they complete (hypnest itself runs with no stage 2 of its own) */
static uint64_t vmid_enter(uint64_t vttbr)
{
	uint64_t cur = read_sysreg(vttbr_el2);

	if (cur != vttbr) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
	dsb(ishst);
	return cur;
}

static void vmid_leave(uint64_t vttbr, uint64_t cur)
{
	dsb(ish);
	if (cur != vttbr) {
		write_sysreg(vttbr_el2, cur);
		isb();
	}
}

/* op on the VMID of vttbr, VTTBR_EL2 switched for the instruction only */
void nv_tlbi_on(uint64_t vttbr, void (*op)(uint64_t), uint64_t xt)
{
	uint64_t cur = vmid_enter(vttbr);

	op(xt);
	vmid_leave(vttbr, cur);
}

/* IPAS2E1IS (op1 4, CRm 0, op2 1): Xt[35:0] = IPA[47:12] */
static void tlbi_ipas2e1is(uint64_t x)
{
	__asm__ volatile("sys #4, c8, c0, #1, %0" ::"r"(x) : "memory");
}

/* a shadow holds stage-2 entries and, once L2 ran on it, entries that
 * combine L2's stage 1 with it, which a TLBI by IPA does not reach
 * (D8.16.1): by IPA for a few pages, then VMALLE1IS for the combined ones;
 * VMALLS12E1IS for more */
#define SHADOW_TLBI_PAGES 16

void nv_tlbi_shadow(uint64_t vttbr, uint64_t ipa, uint64_t size)
{
	uint64_t cur = vmid_enter(vttbr);

	if (size && size <= SHADOW_TLBI_PAGES * PAGE_SIZE) {
		for (uint64_t a = ipa & ~(PAGE_SIZE - 1); a < ipa + size;
		     a += PAGE_SIZE)
			tlbi_ipas2e1is((a >> 12) & GENMASK(35, 0));
		dsb(ish);
		tlbi_e1[3][0](0); /* VMALLE1IS */
	} else {
		tlbi_s12[3](0); /* VMALLS12E1IS */
	}
	vmid_leave(vttbr, cur);
}

void nv_tlbi_vel1_all(struct vcpu *v)
{
	/* VMALLS12E1IS on the vEL1 VMID: every CPU, every level of it;
	 * stage 1 of its L2s (their stage 2 changes are always trapped) */
	nv_tlbi_on(v->vm->vttbr, tlbi_s12[3], 0);
	nv_l2_tlbi_s1(v, tlbi_e1[3][0], 0);
}

/* TLBI RIPAS2E1* (C5.5.21, J1 TLBIRange): BaseADDR [36:0] in units of the
 * granule (IPA[48:12], [50:14], [52:16]), NUM [43:39], SCALE [45:44], TG
 * [47:46]: (NUM + 1) * 2^(5 * SCALE + 1) granules. TG 0 is reserved: the
 * whole VMID then (more than named is always allowed) */
static void l2_range(struct vcpu *v, uint64_t xt)
{
	static const unsigned tg_shift[4] = { 0, 12, 14, 16 };
	unsigned tg = (unsigned)FIELD(xt, 47, 46);
	uint64_t num = FIELD(xt, 43, 39), scale = FIELD(xt, 45, 44);
	uint64_t base, size;

	if (tg == 0) {
		nv_l2_tlbi_vmid(v);
		return;
	}
	base = (xt & GENMASK(36, 0)) << tg_shift[tg];
	size = (num + 1) << (5 * scale + 1) << tg_shift[tg];
	nv_l2_tlbi_ipa(v, base, size);
}

/* FEAT_TTL (offered): Xt[47:44] says the leaf's granule and level
 * (C5.5.13); with the 4K granule, level 1-3 sizes; else one page (the
 * shadow takes the whole leaf holding the IPA, and any L1 leaf it split) */
static uint64_t ttl_size(uint64_t xt)
{
	unsigned ttl = (unsigned)FIELD(xt, 47, 44);

	if ((ttl >> 2) == 1 && (ttl & 3))
		return 1UL << (12 + 9 * (3 - (ttl & 3)));
	return PAGE_SIZE;
}

/* what the guest's TLBI does to its L2's shadows */
static void tlbi_l2(struct vcpu *v, const struct tlbi_class *t,
		    void (*op)(uint64_t), uint64_t xt, bool vel2)
{
	switch (t->l2) {
	case L2_IPA: /* Xt[35:0]: IPA[47:12]; the leaf holding it goes */
		nv_l2_tlbi_ipa(
		    v, ((xt & GENMASK(35, 0)) << 12) & ~(ttl_size(xt) - 1),
		    ttl_size(xt));
		break;
	case L2_RANGE:
		l2_range(v, xt);
		break;
	case L2_VMID:
		nv_l2_tlbi_vmid(v);
		break;
	case L2_ALL:
		nv_l2_tlbi_all(v);
		break;
	case L2_S1:
		if (!vel2)
			nv_l2_tlbi_s1(v, op, xt);
		break;
	case L2_NONE:
		break;
	}
}

enum nv_sys nv_tlbi(struct vcpu *v, uint32_t enc, uint64_t xt)
{
	const struct tlbi_class *t = find_class(enc);
	bool e2h = nv_guest_e2h(v), host = nv_vel2_host(v);
	unsigned crm = SYSREG_CRM(enc), op2 = SYSREG_OP2(enc);
	void (*op)(uint64_t);
	bool vel2;

	if (!t || !v->nv.enabled || !v->nv.in_vel2)
		return NV_SYS_UNDEF;
	vel2 = t->vmid == VMID_VEL2 || (t->vmid == VMID_TGE && host);
	if (t->hw == HW_S12) {
		op = tlbi_s12[crm];
	} else {
		if (t->hw == HW_NOASID && !e2h)
			op2 |= 2;
		op = tlbi_e1[crm][op2];
	}
	if (t->vmid != VMID_NONE)
		nv_tlbi_on(vel2 ? v->vm->vttbr_vel2 : v->vm->vttbr, op, xt);
	tlbi_l2(v, t, op, xt, vel2);
	return NV_SYS_DONE;
}
