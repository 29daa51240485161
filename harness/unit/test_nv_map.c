/* nv/el2_map.c and nv_locate(): the shape of the map, and where each kind
 * of register lives at each virtual level and E2H. */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"
#include "unit.h"

static struct vcpu v;

static void setup(bool in_vel2, bool e2h)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	vcpu_vncr(&v, VNCR_HCR_EL2) = e2h ? NV_HCR_E2H : 0;
	v.nv.in_vel2 = in_vel2;
	v.nv.loaded_e2h = e2h;
}

TEST(rows_are_well_formed)
{
	unsigned n = el2_sysreg_map_len;

	CHECK(n > 80);
	for (unsigned i = 0; i < n; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];
		uint32_t f = r->flags;

		CHECKF(r->name && r->enc, "row %u", i);
		CHECKF((r->enc & ~SYSREG_ISS_MASK) == 0, "%s: Rt/dir bits",
		       r->name);
		CHECKF(!((f & NV_IN_VNCR) && (f & NV_IN_VCPU)), "%s", r->name);
		if (f & NV_IN_VNCR)
			CHECKF(r->vncr < VNCR_PAGE_SIZE && r->vncr % 8 == 0,
			       "%s: vncr 0x%x", r->name, r->vncr);
		else
			CHECKF(r->vncr == NV_NO_VNCR, "%s", r->name);
		if (f & NV_IN_VCPU)
			CHECKF(r->slot < NV_SLOT_NR, "%s", r->name);
		else
			CHECKF(r->slot == NV_SLOT_NONE, "%s", r->name);
		if (f & (NV_LIVE_EL1 | NV_LIVE_E2H1 | NV_ALWAYS_LIVE))
			CHECKF(r->live < NV_EL1_NR, "%s: no live reg", r->name);
		if (f & NV_TRANSLATED)
			CHECKF(r->to_el1 && r->from_el1 && (f & NV_LIVE_EL1),
			       "%s: hooks", r->name);
		else
			CHECKF(!r->to_el1 && !r->from_el1, "%s", r->name);
		if (f & NV_COMPUTED)
			CHECKF(!(f & (NV_IN_VNCR | NV_IN_VCPU)), "%s", r->name);
		else if (!(f & NV_ALWAYS_LIVE))
			CHECKF(f & (NV_IN_VNCR | NV_IN_VCPU),
			       "%s: kept nowhere", r->name);
		if (f & NV_ALWAYS_LIVE)
			CHECKF((f & NV_EL1) && !(f & (NV_IN_VNCR | NV_IN_VCPU)),
			       "%s", r->name);
		/* every SPECIAL EL2 row is SP/SPSR/ELR_EL2 or computed */
		if ((f & NV_SPECIAL) && !(f & NV_COMPUTED))
			CHECKF(r->enc == SYSREG_SP_EL2 ||
				   r->enc == SYSREG_SPSR_EL2 ||
				   r->enc == SYSREG_ELR_EL2,
			       "%s", r->name);
	}
}

TEST(encodings_offsets_slots_unique)
{
	unsigned n = el2_sysreg_map_len;

	for (unsigned i = 0; i < n; i++) {
		const struct el2_reg *a = &el2_sysreg_map[i];

		CHECKF(nv_find(a->enc) == a, "%s", a->name);
		CHECKF(nv_find_name(a->name) == a, "%s", a->name);
		if (a->alias) {
			CHECKF(nv_find(a->alias) == a, "%s", a->alias_name);
			CHECKF(nv_find_name(a->alias_name) == a, "%s",
			       a->alias_name);
		}
		for (unsigned j = i + 1; j < n; j++) {
			const struct el2_reg *b = &el2_sysreg_map[j];

			CHECKF(a->enc != b->enc, "%s %s", a->name, b->name);
			if ((a->flags & b->flags & NV_IN_VNCR))
				CHECKF(a->vncr != b->vncr, "%s %s", a->name,
				       b->name);
			if ((a->flags & b->flags & NV_IN_VCPU))
				CHECKF(a->slot != b->slot, "%s %s", a->name,
				       b->name);
			/* one EL2 register per live EL1 register */
			if (!(a->flags & NV_EL1) && !(b->flags & NV_EL1) &&
			    a->live != NV_EL1_NONE)
				CHECKF(a->live != b->live, "%s %s", a->name,
				       b->name);
		}
	}
}

/* an EL2 row live in EL1 register X pairs with the EL1 row of X, and
 * that EL1 row pairs back */
TEST(pairs_are_symmetric)
{
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i], *p;

		if (!r->pair)
			continue;
		p = nv_find(r->pair);
		CHECKF(p, "%s: pair not in the map", r->name);
		CHECKF(p->pair == r->enc, "%s <-> %s", r->name, p->name);
		CHECKF(!(p->flags & NV_EL1) != !(r->flags & NV_EL1), "%s",
		       r->name);
		if (!(r->flags & NV_EL1) && !(r->flags & NV_COMPUTED))
			CHECKF(p->live == r->live, "%s", r->name);
	}
}

/* the counterpart and CVAL row indices, fixed at compile time, name the
 * rows of the pair and cval encodings, and pairs point at each other */
TEST(pair_rows_precomputed_and_symmetric)
{
	unsigned pairs = 0;

	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i], *p;

		CHECKF((r->cval == 0) == (r->cval_row == NV_ROW_NONE), "%s",
		       r->name);
		if (r->cval)
			CHECKF(r->cval_row < NV_ROW_NR &&
				   el2_sysreg_map[r->cval_row].enc == r->cval,
			       "%s", r->name);
		CHECKF((r->pair == 0) == (r->pair_row == NV_ROW_NONE), "%s",
		       r->name);
		if (!r->pair)
			continue;
		CHECKF(r->pair_row < NV_ROW_NR, "%s", r->name);
		p = &el2_sysreg_map[r->pair_row];
		CHECKF(p->enc == r->pair && nv_find(r->pair) == p, "%s",
		       r->name);
		CHECKF(p->pair_row == i, "%s <-> %s", r->name, p->name);
		pairs++;
	}
	/* 21 EL2 registers live in an EL1 one, 2 EL2 TVALs, their EL1 rows */
	CHECK_EQ(pairs, 2 * 23);
}

TEST(find_ignores_rt_and_direction)
{
	uint32_t iss = SYSREG_SCTLR_EL2 | (7u << SYSREG_ISS_RT_SHIFT) | 1u;

	CHECK(nv_find(iss) == nv_find_name("SCTLR_EL2"));
	CHECK(nv_find(SYSREG_MIDR_EL1) == NULL);
	CHECK(nv_find_name("NOT_A_REG") == NULL);
}

static enum nv_loc_kind kind(uint32_t enc, const char **reached)
{
	struct nv_loc loc;
	const struct el2_reg *r = nv_locate(&v, enc, &loc);

	*reached = r ? r->name : "-";
	return loc.kind;
}

TEST(locate_el2_register)
{
	const char *name;

	setup(false, false);
	CHECK_EQ(kind(SYSREG_SCTLR_EL2, &name), NV_LOC_VCPU);
	CHECK_STR(name, "SCTLR_EL2");
	CHECK_EQ(kind(SYSREG_HCR_EL2, &name), NV_LOC_VNCR);
	setup(true, false);
	CHECK_EQ(kind(SYSREG_SCTLR_EL2, &name), NV_LOC_LIVE);
	CHECK_EQ(kind(SYSREG_HCR_EL2, &name), NV_LOC_VNCR);
	CHECK_EQ(kind(SYSREG_CNTHCTL_EL2, &name), NV_LOC_VCPU);
	CHECK_EQ(kind(SYSREG_ICH_VTR_EL2, &name), NV_LOC_COMPUTED);
	setup(true, true);
	CHECK_EQ(kind(SYSREG_CNTHCTL_EL2, &name), NV_LOC_LIVE);
}

TEST(locate_translation_flag)
{
	struct nv_loc loc;

	setup(true, false);
	nv_locate(&v, SYSREG_TCR_EL2, &loc);
	CHECK(loc.translated);
	CHECK_EQ(loc.live, NV_EL1_TCR);
	CHECK_EQ(loc.store, NV_LOC_VCPU);
	CHECK_EQ(loc.store_off, NV_SLOT_TCR_EL2);
	nv_locate(&v, SYSREG_MAIR_EL2, &loc);
	CHECK(!loc.translated);
	setup(true, true);
	nv_locate(&v, SYSREG_TCR_EL2, &loc);
	CHECK(!loc.translated);
	nv_locate(&v, SYSREG_CPTR_EL2, &loc);
	CHECK(loc.live_mask != ~0UL);
}

TEST(locate_el1_register_and_aliases)
{
	const char *name;

	/* vEL1: the EL1 register is live, whatever E2H */
	setup(false, false);
	CHECK_EQ(kind(SYSREG_SCTLR_EL1, &name), NV_LOC_LIVE);
	CHECK_STR(name, "SCTLR_EL1");
	CHECK_EQ(kind(SYSREG_SCTLR_EL12, &name), NV_LOC_UNDEF);
	setup(false, true);
	CHECK_EQ(kind(SYSREG_SCTLR_EL1, &name), NV_LOC_LIVE);
	CHECK_EQ(kind(SYSREG_SCTLR_EL12, &name), NV_LOC_LIVE);
	CHECK_STR(name, "SCTLR_EL1");

	/* vEL2, E2H = 0: the EL1 name is the stored vEL1 copy; _EL12 UNDEF */
	setup(true, false);
	CHECK_EQ(kind(SYSREG_SCTLR_EL1, &name), NV_LOC_VNCR);
	CHECK_STR(name, "SCTLR_EL1");
	CHECK_EQ(kind(SYSREG_SCTLR_EL12, &name), NV_LOC_UNDEF);
	CHECK_EQ(kind(SYSREG_CNTP_CTL_EL02, &name), NV_LOC_UNDEF);
	/* CNTKCTL_EL1 stays live: CNTHCTL_EL2 is not loaded with E2H = 0 */
	CHECK_EQ(kind(SYSREG_CNTKCTL_EL1, &name), NV_LOC_LIVE);

	/* vEL2, E2H = 1: _EL1 reaches the EL2 register (VHE), _EL12 the
	 * stored vEL1 copy */
	setup(true, true);
	CHECK_EQ(kind(SYSREG_SCTLR_EL1, &name), NV_LOC_LIVE);
	CHECK_STR(name, "SCTLR_EL2");
	CHECK_EQ(kind(SYSREG_SCTLR_EL12, &name), NV_LOC_VNCR);
	CHECK_STR(name, "SCTLR_EL1");
	CHECK_EQ(kind(SYSREG_CPACR_EL1, &name), NV_LOC_LIVE);
	CHECK_STR(name, "CPTR_EL2");
	CHECK_EQ(kind(SYSREG_CNTKCTL_EL1, &name), NV_LOC_LIVE);
	CHECK_STR(name, "CNTHCTL_EL2");
	CHECK_EQ(kind(SYSREG_CNTKCTL_EL12, &name), NV_LOC_VCPU);
	CHECK_EQ(kind(SYSREG_CNTP_CTL_EL0, &name), NV_LOC_LIVE);
	CHECK_STR(name, "CNTHP_CTL_EL2");
	CHECK_EQ(kind(SYSREG_CNTV_CVAL_EL02, &name), NV_LOC_VNCR);
	CHECK_STR(name, "CNTV_CVAL_EL0");
	CHECK_EQ(kind(SYSREG_ELR_EL1, &name), NV_LOC_LIVE);
	CHECK_STR(name, "ELR_EL2");
	CHECK_EQ(kind(SYSREG_ELR_EL12, &name), NV_LOC_VNCR);
	/* SP_EL1 is not redirected by VHE: the stored vEL1 SP */
	CHECK_EQ(kind(SYSREG_SP_EL1, &name), NV_LOC_VNCR);
	CHECK_STR(name, "SP_EL1");
}

/* PAR_EL1, TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1, CSSELR_EL1, SP_EL0 are not
 * banked between EL1 and EL2: live at every level, for either E2H (the
 * 2022 Linux map sent PAR_EL1 to a stored copy, NV-NOTES section 3) */
TEST(always_live_never_redirected)
{
	static const uint32_t regs[] = {
		SYSREG_PAR_EL1,	  SYSREG_TPIDR_EL0,  SYSREG_TPIDRRO_EL0,
		SYSREG_TPIDR_EL1, SYSREG_CSSELR_EL1, SYSREG_SP_EL0,
	};
	static const enum nv_el1_reg live[] = {
		NV_EL1_PAR,	  NV_EL1_TPIDR_EL0, NV_EL1_TPIDRRO_EL0,
		NV_EL1_TPIDR_EL1, NV_EL1_CSSELR,    NV_EL1_SP_EL0,
	};

	for (unsigned lvl = 0; lvl < 2; lvl++)
		for (unsigned e2h = 0; e2h < 2; e2h++)
			for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
				struct nv_loc loc;
				const struct el2_reg *r;

				setup(lvl, e2h);
				r = nv_locate(&v, regs[i], &loc);
				CHECKF(r && r->enc == regs[i], "reg %u", i);
				CHECKF(loc.kind == NV_LOC_LIVE &&
					   loc.live == live[i] &&
					   loc.store == NV_LOC_NONE,
				       "%s lvl %u e2h %u: kind %d", r->name,
				       lvl, e2h, loc.kind);
			}
}
