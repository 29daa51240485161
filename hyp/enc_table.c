/*
 * The small counting tables of the trap accounting (include/hyp/stats.h
 * "Trapped accesses by encoding"): open addressing, a window of
 * STATS_ENC_PROBES slots from the key's hash, no deletion (a key once
 * given a slot keeps it, so a search may stop at the first free slot).
 * Pure functions of the table: a library, used by vcpu/stats.c and
 * nv/level.c.
 */
#include "hyp/stats.h"

/* Fibonacci hashing of the key to the first slot of its window */
static unsigned enc_hash(uint32_t key, unsigned n)
{
	return (unsigned)((key * 0x9e3779b1u) >> 24) & (n - 1);
}

bool stats_enc_add(struct stats_enc_slot *t, unsigned n, uint32_t key,
		   uint32_t by)
{
	unsigned h = enc_hash(key, n);

	for (unsigned i = 0; i < STATS_ENC_PROBES; i++) {
		struct stats_enc_slot *e = &t[(h + i) & (n - 1)];

		if (e->key == key || !e->key) {
			e->key = key;
			e->count = e->count > 0xffffffffu - by ? 0xffffffffu
							       : e->count + by;
			return true;
		}
	}
	return false;
}

struct stats_enc_slot *stats_enc_find(struct stats_enc_slot *t, unsigned n,
				      uint32_t key)
{
	unsigned h = enc_hash(key, n);

	for (unsigned i = 0; i < STATS_ENC_PROBES; i++) {
		struct stats_enc_slot *e = &t[(h + i) & (n - 1)];

		if (e->key == key)
			return e;
		if (!e->key)
			break;
	}
	return NULL;
}

uint32_t stats_enc_get(const struct stats_enc_slot *t, unsigned n, uint32_t key)
{
	unsigned h = enc_hash(key, n);

	for (unsigned i = 0; i < STATS_ENC_PROBES; i++) {
		const struct stats_enc_slot *e = &t[(h + i) & (n - 1)];

		if (e->key == key)
			return e->count;
		if (!e->key)
			break;
	}
	return 0;
}
