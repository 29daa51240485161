/*
 * el2_sysreg_map: the one table of the registers nv/ keeps for a guest
 * hypervisor - every EL2 register it can touch, then the EL1/EL0 registers
 * whose meaning depends on the virtual level (docs/nv.md has the rules and
 * the table as prose).
 *
 * Sources (Arm ARM DDI 0487 M.a.a): encodings include/arch/sysreg_enc.h,
 * VNCR offsets include/arch/vncr.h (D8.14.6.2 Table D8-120), the
 * redirection of SPSR/ELR/ESR/FAR_EL2 to the EL1 registers under NV2
 * (D8.14.6.1), the FEAT_VHE redirection of the _EL1 names at EL2 with
 * E2H = 1 (D8.13.2, Tables D8-113/D8-114), CNTHCTL_EL2 and CNTKCTL_EL1
 * never transformed (D8.14.6.2, I_RSCBR).
 *
 * The rows are generated from include/hyp/sysregs.def (its classes below
 * give each row's flags, VNCR offset or stored slot, EL1 counterpart and
 * live EL1 register, translate hooks); its EL1_CTX and EL1_TRAP rows are
 * not nv/'s. Found by encoding through sysreg/table.c's sorted index; the
 * counterpart and CVAL rows are indices, fixed at compile time.
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/lib.h"
#include "hyp/nv.h"
#include "hyp/nv_state.h"
#include "hyp/sysreg_table.h"

/* one row; unused columns: NULL, 0, NV_*_NONE */
#define ROW(n, an, a, p, pr, cv, cr, off, sl, lv, fl, m, to, from)             \
	[NV_ROW_##n] = { .name = #n,                                           \
			 .alias_name = (an),                                   \
			 .enc = SYSREG_##n,                                    \
			 .alias = (a),                                         \
			 .pair = (p),                                          \
			 .cval = (cv),                                         \
			 .pair_row = (pr),                                     \
			 .cval_row = (cr),                                     \
			 .vncr = (off),                                        \
			 .slot = (sl),                                         \
			 .live = (lv),                                         \
			 .flags = (fl),                                        \
			 .e2h1_mask = (m),                                     \
			 .to_el1 = (to),                                       \
			 .from_el1 = (from) },
#define NO_ROW NV_ROW_NONE

/* the classes of include/hyp/sysregs.def (docs/nv.md "The map") */
#define EL2_VNCR(n, grp)                                                       \
	ROW(n, NULL, 0, 0, NO_ROW, 0, NO_ROW, VNCR_##n, NV_SLOT_NONE,          \
	    NV_EL1_NONE, NV_IN_VNCR, 0, NULL, NULL)
#define EL2_VCPU(n, grp, fl)                                                   \
	ROW(n, NULL, 0, 0, NO_ROW, 0, NO_ROW, NV_NO_VNCR, NV_SLOT_##n,         \
	    NV_EL1_NONE, NV_IN_VCPU | (fl), 0, NULL, NULL)
#define EL2_LIVE_ROW(n, el1, fl, mask, to, from)                               \
	ROW(n, NULL, 0, SYSREG_##el1, NV_ROW_##el1, 0, NO_ROW, NV_NO_VNCR,     \
	    NV_SLOT_##n, NV_EL1_OF_##el1, NV_IN_VCPU | (fl), mask, to, from)
#define EL2_XLATE(n, grp, el1, mask, to, from)                                 \
	EL2_LIVE_ROW(n, el1, NV_LIVE_EL1 | NV_TRANSLATED, mask, to, from)
#define EL2_LIVE(n, grp, el1, fl)                                              \
	EL2_LIVE_ROW(n, el1, NV_LIVE_EL1 | (fl), 0, NULL, NULL)
#define EL2_LIVE_E2H1(n, grp, el1, mask)                                       \
	EL2_LIVE_ROW(n, el1, NV_LIVE_E2H1, mask, NULL, NULL)
#define EL2_TVAL(n, grp, el1, cv)                                              \
	ROW(n, NULL, 0, SYSREG_##el1, NV_ROW_##el1, SYSREG_##cv, NV_ROW_##cv,  \
	    NV_NO_VNCR, NV_SLOT_NONE, NV_EL1_NONE, NV_SPECIAL | NV_COMPUTED,   \
	    0, NULL, NULL)
#define EL2_GIC(n, grp)                                                        \
	ROW(n, NULL, 0, 0, NO_ROW, 0, NO_ROW, NV_NO_VNCR, NV_SLOT_NONE,        \
	    NV_EL1_NONE, NV_SPECIAL | NV_COMPUTED | NV_READ_ONLY, 0, NULL,     \
	    NULL)
#define EL1_VNCR(n, grp, a, el2, lv)                                           \
	ROW(n, #a, SYSREG_##a, SYSREG_##el2, NV_ROW_##el2, 0, NO_ROW,          \
	    VNCR_##n, NV_SLOT_NONE, NV_EL1_##lv, NV_EL1 | NV_IN_VNCR, 0, NULL, \
	    NULL)
#define EL1_TIMER EL1_VNCR
#define EL1_NOVHE(n, grp, el2, lv)                                             \
	ROW(n, NULL, 0, SYSREG_##el2, NV_ROW_##el2, 0, NO_ROW, VNCR_##n,       \
	    NV_SLOT_NONE, NV_EL1_##lv, NV_EL1 | NV_IN_VNCR | NV_NO_VHE, 0,     \
	    NULL, NULL)
#define EL1_VCPU(n, grp, a, el2, lv)                                           \
	ROW(n, #a, SYSREG_##a, SYSREG_##el2, NV_ROW_##el2, 0, NO_ROW,          \
	    NV_NO_VNCR, NV_SLOT_##n, NV_EL1_##lv, NV_EL1 | NV_IN_VCPU, 0,      \
	    NULL, NULL)
#define EL1_TVAL(n, grp, a, el2, cv, fl)                                       \
	ROW(n, #a, SYSREG_##a, SYSREG_##el2, NV_ROW_##el2, SYSREG_##cv,        \
	    NV_ROW_##cv, NV_NO_VNCR, NV_SLOT_NONE, NV_EL1_NONE,                \
	    NV_EL1 | NV_SPECIAL | NV_COMPUTED | (fl), 0, NULL, NULL)
#define EL1_LIVE(n, grp, lv)                                                   \
	ROW(n, NULL, 0, 0, NO_ROW, 0, NO_ROW, NV_NO_VNCR, NV_SLOT_NONE,        \
	    NV_EL1_##lv, NV_EL1 | NV_ALWAYS_LIVE | NV_NO_VHE, 0, NULL, NULL)

/* CPTR_EL2 with E2H = 1 has the CPACR_EL1 layout (D24.2.38); the live
 * CPACR_EL1 holds ZEN, FPEN, SMEN, TTA, E0POE, but TAM 30 and TCPAC 31
 * only with FEAT_NV2p1 (D24.2.36): those come from the stored copy */
#define CPTR_E2H1_LIVE                                                         \
	(GENMASK(17, 16) | GENMASK(21, 20) | GENMASK(25, 24) | BIT(28) |       \
	 BIT(29))
/* CNTHCTL_EL2 with E2H = 1 (D24.10.2) in CNTKCTL_EL1 (D24.10.15): bits
 * 9:0 and EVNTIS 17; 10-16, 18, 19 are RES0 there without FEAT_NV2p1 */
#define CNTHCTL_E2H1_LIVE (GENMASK(9, 0) | BIT(17))

const struct el2_reg el2_sysreg_map[NV_ROW_NR] = {
#include "hyp/sysregs.def"
};

const unsigned el2_sysreg_map_len = ARRAY_SIZE(el2_sysreg_map);

/* the row of each table row nv/ keeps, plus one (0: not nv/'s) */
static const uint8_t nv_row_of[SR_NR] = {
#define SR_NV_ROW(n) [SR_##n] = NV_ROW_##n + 1,
#include "hyp/sysregs.def"
};
_Static_assert(NV_ROW_NR < NV_ROW_NONE, "rows fit the uint8_t indices");

const struct el2_reg *nv_find_key(const struct sysreg_key *k)
{
	unsigned row = k ? nv_row_of[k->id] : 0;

	return row ? &el2_sysreg_map[row - 1] : NULL;
}

const struct el2_reg *nv_find(uint32_t enc)
{
	return nv_find_key(sysreg_lookup(enc));
}

const struct el2_reg *nv_find_name(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(el2_sysreg_map); i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];

		if (!strcmp(r->name, name) ||
		    (r->alias_name && !strcmp(r->alias_name, name)))
			return r;
	}
	return NULL;
}
