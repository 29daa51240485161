/* sysreg/table.c: the register table generated from include/hyp/sysregs.def,
 * its sorted index and lookup by encoding, and the trap groups. The
 * expected group members are written out here from the Arm ARM (D24.2.62
 * HCR_EL2, D24.2.38 CPTR_EL2, D24.10.2 CNTHCTL_EL2; encodings from each
 * register's own section), not taken from the table. */
#include "arch/sysreg_enc.h"
#include "fake_sysregs.h"
#include "hyp/sysreg_table.h"
#include "unit.h"

/* ESR_EL2 ISS layout of EC 0x18 (D24.2.46): Op0 21:20, Op2 19:17,
 * Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, Direction 0 */
#define ENC(op0, op1, crn, crm, op2)                                           \
	(((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) |                   \
	 ((uint32_t)(op1) << 14) | ((uint32_t)(crn) << 10) |                   \
	 ((uint32_t)(crm) << 1))
#define RT_DIR ((17u << 5) | 1u) /* Rt = x17, a read */

/* the i-th of the 2^16 register encodings (op0, op1, CRn, CRm, op2 over
 * their full ranges) */
#define NR_ENCS (1u << 16)
static uint32_t enc_nr(unsigned i)
{
	return ENC(i >> 14, (i >> 11) & 7, (i >> 7) & 15, (i >> 3) & 15, i & 7);
}

/* the index entry of enc by a linear scan of the table: the reference */
static int linear_find(uint32_t enc, bool *alias)
{
	const struct sysreg_key *k = sysreg_keys();

	for (unsigned i = 0; i < SR_NKEYS; i++)
		if (k[i].enc == enc) {
			*alias = k[i].is_alias;
			return k[i].id;
		}
	return -1;
}

TEST(index_sorted_unique)
{
	const struct sysreg_key *k = sysreg_keys();
	unsigned rows = 0, aliases = 0;

	CHECK(SR_NR > 100 && SRA_NR > 20);
	for (unsigned i = 0; i < SR_NKEYS; i++) {
		CHECKF(k[i].id < SR_NR, "key %u", i);
		CHECKF((k[i].enc & ~SYSREG_ISS_MASK) == 0, "key %u", i);
		if (i)
			CHECKF(k[i - 1].enc < k[i].enc,
			       "keys %u, %u: 0x%x 0x%x", i - 1, i, k[i - 1].enc,
			       k[i].enc);
		if (k[i].is_alias)
			aliases++;
		else
			CHECKF(k[i].enc == sysreg_table[k[i].id].enc, "%s",
			       sysreg_table[k[i].id].name);
		rows += !k[i].is_alias;
	}
	CHECK_EQ(rows, SR_NR);
	CHECK_EQ(aliases, SRA_NR);
}

TEST(every_row_found)
{
	for (unsigned id = 0; id < SR_NR; id++) {
		const struct sysreg_info *r = &sysreg_table[id];
		const struct sysreg_key *k = sysreg_lookup(r->enc);

		CHECKF(r->name && r->enc, "row %u", id);
		CHECKF(k && k->id == id && !k->is_alias, "%s", r->name);
		/* Rt and direction bits are not part of the encoding */
		CHECKF(sysreg_lookup(r->enc | RT_DIR) == k, "%s", r->name);
	}
}

/* the _EL12/_EL02 aliases find the EL1/EL0 row they name (D8.13) */
TEST(aliases_found)
{
	static const struct {
		uint32_t alias, reg;
	} cases[] = {
		{ ENC(3, 5, 1, 0, 0), ENC(3, 0, 1, 0, 0) },   /* SCTLR */
		{ ENC(3, 5, 1, 0, 2), ENC(3, 0, 1, 0, 2) },   /* CPACR */
		{ ENC(3, 5, 4, 0, 1), ENC(3, 0, 4, 0, 1) },   /* ELR */
		{ ENC(3, 5, 13, 0, 1), ENC(3, 0, 13, 0, 1) }, /* CONTEXTIDR */
		{ ENC(3, 5, 14, 1, 0), ENC(3, 0, 14, 1, 0) }, /* CNTKCTL */
		{ ENC(3, 5, 14, 2, 0), ENC(3, 3, 14, 2, 0) }, /* CNTP_TVAL */
		{ ENC(3, 5, 14, 3, 2), ENC(3, 3, 14, 3, 2) }, /* CNTV_CVAL */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct sysreg_key *a = sysreg_lookup(cases[i].alias);
		const struct sysreg_key *r = sysreg_lookup(cases[i].reg);

		CHECKF(a && r && a->id == r->id, "case %u", i);
		CHECKF(a->is_alias && !r->is_alias, "case %u", i);
	}
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];
		const struct sysreg_key *k;

		if (!r->alias)
			continue;
		k = sysreg_lookup(r->alias);
		CHECKF(k && k->is_alias && sysreg_table[k->id].enc == r->enc,
		       "%s", r->alias_name);
	}
}

/* the binary search agrees with a linear scan over the whole register
 * encoding space: every encoding found is the table's, none is missed */
TEST(lookup_matches_linear_scan)
{
	unsigned found = 0;

	for (unsigned i = 0; i < NR_ENCS; i++) {
		uint32_t enc = enc_nr(i);
		bool alias = false;
		int id = linear_find(enc, &alias);
		const struct sysreg_key *k = sysreg_lookup(enc | RT_DIR);

		if (id < 0) {
			CHECKF(!k, "0x%x found", enc);
			continue;
		}
		found++;
		CHECKF(k && k->id == id && k->is_alias == alias, "0x%x", enc);
	}
	CHECK_EQ(found, SR_NKEYS);
}

TEST(unknown_not_found)
{
	CHECK(!sysreg_lookup(ENC(3, 0, 0, 0, 0))); /* MIDR_EL1 */
	CHECK(!sysreg_lookup(ENC(3, 0, 0, 4, 0))); /* ID_AA64PFR0_EL1 */
	CHECK(!sysreg_lookup(ENC(1, 0, 8, 7, 0))); /* TLBI VMALLE1 */
	CHECK(!sysreg_lookup(0));
	CHECK(!sysreg_lookup(SYSREG_ISS_MASK));
	CHECK(!nv_find(ENC(3, 0, 0, 0, 0)));
}

/* table rows nv/ does not keep are in the table, not in nv/'s map */
TEST(rows_not_nv_are_not_in_the_map)
{
	static const uint32_t others[] = {
		ENC(2, 0, 0, 2, 2), /* MDSCR_EL1 (EL1 context only) */
		ENC(3, 0, 1, 0, 1), /* ACTLR_EL1 */
		ENC(3, 3, 0, 0, 1), /* CTR_EL0 */
		/* emulated when trapped: the handlers' rows */
		ENC(3, 0, 12, 11, 5), /* ICC_SGI1R_EL1 */
		ENC(3, 0, 12, 11, 6), /* ICC_ASGI1R_EL1 */
		ENC(3, 0, 12, 11, 7), /* ICC_SGI0R_EL1 */
		ENC(3, 4, 12, 9, 5),  /* ICC_SRE_EL2 */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(others); i++) {
		CHECKF(sysreg_lookup(others[i]), "%u", i);
		CHECKF(!nv_find(others[i]), "%u", i);
	}
	/* MDSCR_EL1, the 7 EL1_TRAP rows, the 4 TRAPPED rows */
	CHECK_EQ(el2_sysreg_map_len + 12, (unsigned)SR_NR);
}

/* ---- trap groups ---- */

static const struct member {
	uint32_t enc;
	uint32_t groups;
} named[] = {
	/* HCR_EL2.TVM/TRVM: SCTLR_EL1, TTBR0_EL1, TTBR1_EL1, TCR_EL1,
	 * ESR_EL1, FAR_EL1, AFSR0_EL1, AFSR1_EL1, MAIR_EL1, AMAIR_EL1,
	 * CONTEXTIDR_EL1 (the others need features hidden from guests) */
	{ ENC(3, 0, 1, 0, 0), GRP_TVM },
	{ ENC(3, 0, 2, 0, 0), GRP_TVM },
	{ ENC(3, 0, 2, 0, 1), GRP_TVM },
	{ ENC(3, 0, 2, 0, 2), GRP_TVM },
	{ ENC(3, 0, 5, 2, 0), GRP_TVM },
	{ ENC(3, 0, 6, 0, 0), GRP_TVM },
	{ ENC(3, 0, 5, 1, 0), GRP_TVM },
	{ ENC(3, 0, 5, 1, 1), GRP_TVM },
	{ ENC(3, 0, 10, 2, 0), GRP_TVM },
	{ ENC(3, 0, 10, 3, 0), GRP_TVM },
	{ ENC(3, 0, 13, 0, 1), GRP_TVM },
	/* TID1: REVIDR_EL1, AIDR_EL1 (SMIDR_EL1 needs SME) */
	{ ENC(3, 0, 0, 0, 6), GRP_TID1 },
	{ ENC(3, 1, 0, 0, 7), GRP_TID1 },
	/* TID2: CTR_EL0, CCSIDR_EL1, CCSIDR2_EL1, CLIDR_EL1, CSSELR_EL1;
	 * TID4: the same but CTR_EL0 */
	{ ENC(3, 3, 0, 0, 1), GRP_TID2 },
	{ ENC(3, 1, 0, 0, 0), GRP_TID2 | GRP_TID4 },
	{ ENC(3, 1, 0, 0, 2), GRP_TID2 | GRP_TID4 },
	{ ENC(3, 1, 0, 0, 1), GRP_TID2 | GRP_TID4 },
	{ ENC(3, 2, 0, 0, 0), GRP_TID2 | GRP_TID4 },
	/* TACR: ACTLR_EL1 */
	{ ENC(3, 0, 1, 0, 1), GRP_TACR },
	/* CPTR_EL2.TCPAC: CPACR_EL1 */
	{ ENC(3, 0, 1, 0, 2), GRP_TCPAC },
	/* CNTHCTL_EL2.EL1PCEN/EL1PTEN: CNTP_TVAL/CTL/CVAL_EL0 */
	{ ENC(3, 3, 14, 2, 0), GRP_PTIMER },
	{ ENC(3, 3, 14, 2, 1), GRP_PTIMER },
	{ ENC(3, 3, 14, 2, 2), GRP_PTIMER },
};

static uint32_t expected_groups(uint32_t enc)
{
	unsigned op0 = (enc >> 20) & 3, op1 = (enc >> 14) & 7;
	unsigned crn = (enc >> 10) & 15, crm = (enc >> 1) & 15;
	uint32_t g = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(named); i++)
		if (named[i].enc == enc)
			g |= named[i].groups;
	/* TID3: op0 3, op1 0, CRn 0, CRm 1..7 (D24.2.62, D24.1.2) */
	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7)
		g |= GRP_TID3;
	/* TIDCP: IMPLEMENTATION DEFINED instructions and registers, CRn 11
	 * or 15 (C5.1.4.8, D24.2.62) */
	if ((op0 == 1 || op0 == 3) && (crn == 11 || crn == 15))
		g |= GRP_TIDCP;
	/* TTLB: the EL1 TLB maintenance instructions (op1 0), CRn 8, or 9
	 * for the nXS forms (C5.1.4, C5.1.4.4) */
	if (op0 == 1 && op1 == 0 && (crn == 8 || crn == 9))
		g |= GRP_TTLB;
	return g;
}

TEST(named_group_members_are_rows)
{
	for (unsigned i = 0; i < ARRAY_SIZE(named); i++) {
		const struct sysreg_key *k = sysreg_lookup(named[i].enc);

		CHECKF(k && !k->is_alias, "0x%x", named[i].enc);
		CHECKF(sysreg_table[k->id].groups == named[i].groups, "%s",
		       sysreg_table[k->id].name);
	}
}

/* every encoding of the register space: exactly the expected groups */
TEST(groups_over_the_encoding_space)
{
	for (unsigned i = 0; i < NR_ENCS; i++) {
		uint32_t enc = enc_nr(i);
		uint32_t g = sysreg_groups(enc | RT_DIR);

		CHECKF(g == expected_groups(enc), "0x%x: 0x%x, expected 0x%x",
		       enc, g, expected_groups(enc));
	}
}

TEST(groups_examples)
{
	CHECK_EQ(sysreg_groups(SYSREG_SCTLR_EL1), GRP_TVM);
	/* an _EL12 alias is not an EL1 accessor: no group */
	CHECK_EQ(sysreg_groups(SYSREG_SCTLR_EL12), 0);
	CHECK_EQ(sysreg_groups(SYSREG_VBAR_EL1), 0);
	CHECK_EQ(sysreg_groups(SYSREG_TPIDR_EL1), 0);
	CHECK_EQ(sysreg_groups(SYSREG_ID_AA64MMFR0_EL1), GRP_TID3);
	CHECK_EQ(sysreg_groups(ENC(3, 0, 0, 3, 7)), GRP_TID3); /* reserved */
	CHECK_EQ(sysreg_groups(SYSREG_MIDR_EL1), 0);	       /* ID group 0 */
	CHECK_EQ(sysreg_groups(ENC(3, 0, 15, 0, 0)), GRP_TIDCP);
	CHECK_EQ(sysreg_groups(ENC(1, 0, 8, 7, 0)), GRP_TTLB); /* VMALLE1 */
	CHECK_EQ(sysreg_groups(ENC(1, 0, 9, 7, 0)), GRP_TTLB); /* ...nXS */
	CHECK_EQ(sysreg_groups(ENC(1, 4, 8, 7, 0)), 0);	       /* TLBI ALLE2 */
	CHECK_EQ(sysreg_groups(ENC(1, 0, 7, 8, 0)), 0);	       /* AT S1E1R */
	CHECK_EQ(sysreg_groups(SYSREG_CNTV_CTL_EL0), 0);
	CHECK_EQ(sysreg_groups(SYSREG_CNTP_CTL_EL0), GRP_PTIMER);
}
