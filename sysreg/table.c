/*
 * The register table, generated from include/hyp/sysregs.def, and the one
 * lookup by encoding: a binary search over an index of every encoding the
 * table names (rows and _EL12/_EL02 aliases), sorted once, on first use.
 * Arch-independent: also built for the host tests.
 */
#include "arch/sysreg_enc.h"
#include "hyp/spinlock.h"
#include "hyp/sysreg_table.h"

const struct sysreg_info sysreg_table[SR_NR] = {
#define SR_ROW(n, grp) [SR_##n] = { #n, SYSREG_##n, (grp) },
#include "hyp/sysregs.def"
};

/* the aliases' names, in sysregs.def's order (sysreg_name) */
static const struct {
	uint32_t enc;
	const char *name;
} alias_names[SRA_NR] = {
#define SR_ALIAS(a, n) { SYSREG_##a, #a },
#include "hyp/sysregs.def"
};

/* table order until sorted_keys() sorts it */
static struct sysreg_key keys[SR_NKEYS] = {
#define SR_ROW(n, grp) { SYSREG_##n, SR_##n, false },
#define SR_ALIAS(a, n) { SYSREG_##a, SR_##n, true },
#include "hyp/sysregs.def"
};
static bool keys_sorted;
static spinlock_t keys_lock;

/* Never called: a second row or alias with an encoding already in the
 * table is a compile error here (duplicate case value). */
__attribute__((unused)) static bool encodings_unique(uint32_t enc)
{
	switch (enc) {
#define SR_ROW(n, grp) case SYSREG_##n:
#define SR_ALIAS(a, n) case SYSREG_##a:
#include "hyp/sysregs.def"
		return true;
	default:
		return false;
	}
}

static void sort_keys(void)
{
	for (unsigned i = 1; i < SR_NKEYS; i++) {
		struct sysreg_key k = keys[i];
		unsigned j = i;

		for (; j > 0 && keys[j - 1].enc > k.enc; j--)
			keys[j] = keys[j - 1];
		keys[j] = k;
	}
}

/* sorted by the first caller; later ones (on any CPU) see it sorted */
const struct sysreg_key *sysreg_keys(void)
{
	if (__atomic_load_n(&keys_sorted, __ATOMIC_ACQUIRE))
		return keys;
	spin_lock(&keys_lock);
	if (!__atomic_load_n(&keys_sorted, __ATOMIC_RELAXED)) {
		sort_keys();
		__atomic_store_n(&keys_sorted, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&keys_lock);
	return keys;
}

const struct sysreg_key *sysreg_lookup(uint32_t enc)
{
	const struct sysreg_key *k = sysreg_keys();
	unsigned lo = 0, hi = SR_NKEYS;

	enc &= SYSREG_ISS_MASK;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (k[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < SR_NKEYS && k[lo].enc == enc ? &k[lo] : NULL;
}

/* the groups defined by an encoding space rather than by named registers */
static uint32_t space_groups(uint32_t enc)
{
	unsigned op0 = SYSREG_OP0(enc), crn = SYSREG_CRN(enc);
	uint32_t g = 0;

	if (SYSREG_IS_ID_GROUP3(enc))
		g |= GRP_TID3;
	/* TIDCP: System instructions and registers with CRn 11 or 15, the
	 * IMPLEMENTATION DEFINED spaces (C5.1.4, C5.1.4.8) */
	if ((op0 == 1 || op0 == 3) && (crn == 11 || crn == 15))
		g |= GRP_TIDCP;
	/* TTLB: the TLB maintenance instructions of EL1 (op1 0; D24.2.62
	 * lists only those): op0 1, CRn 8, and CRn 9 for their nXS forms
	 * (FEAT_XS; C5.1.4) */
	if (op0 == 1 && SYSREG_OP1(enc) == 0 && (crn == 8 || crn == 9))
		g |= GRP_TTLB;
	return g;
}

uint32_t sysreg_key_groups(const struct sysreg_key *k, uint32_t enc)
{
	uint32_t g = space_groups(enc & SYSREG_ISS_MASK);

	if (k && !k->is_alias)
		g |= sysreg_table[k->id].groups;
	return g;
}

uint32_t sysreg_groups(uint32_t enc)
{
	return sysreg_key_groups(sysreg_lookup(enc), enc);
}

const char *sysreg_name(uint32_t enc)
{
	const struct sysreg_key *k = sysreg_lookup(enc);

	if (!k)
		return NULL;
	if (!k->is_alias)
		return sysreg_table[k->id].name;
	for (unsigned i = 0; i < SRA_NR; i++)
		if (alias_names[i].enc == k->enc)
			return alias_names[i].name;
	return NULL;
}
