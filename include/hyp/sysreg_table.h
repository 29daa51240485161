/*
 * The register table (sysreg/table.c): every system register hypnest knows
 * by name, generated from include/hyp/sysregs.def, found by encoding with a
 * binary search, and the trap groups an encoding belongs to.
 *
 * One lookup per trapped access (EC 0x18) is enough: sysreg_lookup() gives
 * the row (and whether the encoding was its _EL12/_EL02 alias); its id
 * indexes sysreg_table[] here and, through nv_find(), nv/'s el2_sysreg_map.
 */
#ifndef HYP_SYSREG_TABLE_H
#define HYP_SYSREG_TABLE_H
#include "hyp/types.h"

/*
 * Trap groups: the sets of encodings a trap control covers when accessed
 * from EL1 (Arm ARM D24.2.62 HCR_EL2 unless said). Named registers come
 * from their rows in sysregs.def; encoding spaces (TID3, TIDCP, TTLB) are
 * matched by encoding, so they also cover encodings with no row. An
 * _EL12/_EL02 alias is in no group (it is not an EL1 accessor).
 */
#define GRP_TVM BIT(0)	 /* TVM (writes) / TRVM (reads): VM controls */
#define GRP_TID1 BIT(1)	 /* ID group 1 */
#define GRP_TID2 BIT(2)	 /* ID group 2 */
#define GRP_TID3 BIT(3)	 /* ID group 3: op0 3, op1 0, CRn 0, CRm 1..7 */
#define GRP_TID4 BIT(4)	 /* ID group 4 (FEAT_EVT) */
#define GRP_TACR BIT(5)	 /* the auxiliary control register */
#define GRP_TIDCP BIT(6) /* IMPLEMENTATION DEFINED: op0 1 or 3, CRn 11/15 */
#define GRP_TTLB BIT(7)	 /* EL1 TLBIs: op0 1, op1 0, CRn 8 (9: nXS) */
#define GRP_TCPAC BIT(8) /* CPTR_EL2.TCPAC (D24.2.38): CPACR_EL1 */
/* CNTHCTL_EL2.EL1PCEN (E2H = 0) / EL1PTEN (E2H = 1) (D24.10.2): the EL1
 * physical timer */
#define GRP_PTIMER BIT(9)

/* the rows of sysregs.def, in its order */
enum sysreg_id {
#define SR_ROW(n, grp) SR_##n,
#include "hyp/sysregs.def"
	SR_NR
};

/* the _EL12/_EL02 aliases of sysregs.def, in its order */
enum sysreg_alias_id {
#define SR_ALIAS(a, n) SRA_##a,
#include "hyp/sysregs.def"
	SRA_NR
};

/* every encoding the table names: each row's own and each alias */
#define SR_NKEYS (SR_NR + SRA_NR)

struct sysreg_info {
	const char *name;
	uint32_t enc;	 /* SYSREG_* (include/arch/sysreg_enc.h) */
	uint32_t groups; /* GRP_* the row names (not the encoding spaces) */
};
extern const struct sysreg_info sysreg_table[SR_NR];

/* an entry of the sorted index */
struct sysreg_key {
	uint32_t enc;
	uint16_t id;   /* enum sysreg_id of the row */
	bool is_alias; /* enc is the row's _EL12/_EL02 alias */
};

/* the entry of encoding enc (Rt and direction bits ignored), or NULL */
const struct sysreg_key *sysreg_lookup(uint32_t enc);
/* the index, sorted by encoding, SR_NKEYS entries (tests) */
const struct sysreg_key *sysreg_keys(void);
/* the GRP_* groups encoding enc (Rt and direction bits ignored) is in */
uint32_t sysreg_groups(uint32_t enc);
/* the same, given its entry k = sysreg_lookup(enc) (NULL: none): what a
 * trapped access, looked up once, passes on */
uint32_t sysreg_key_groups(const struct sysreg_key *k, uint32_t enc);
/* the name of encoding enc (Rt and direction bits ignored): its row's or
 * its alias's (SCTLR_EL12), NULL if the table has none; not for a hot
 * path (an alias is found by a scan) */
const char *sysreg_name(uint32_t enc);

#endif
