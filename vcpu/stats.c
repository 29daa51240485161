/*
 * Per-level exit accounting (include/hyp/stats.h, docs/nested.md
 * "Accounting"): each exit counted for the level that took it, and the
 * counters read back by the vendor call. The per-exit cost is one
 * nv_level() and a few increments. The episodes open and close in nv/
 * (nv/level.c), where the vCPU moves into its vEL2 and out of it.
 */
#include "hyp/stats.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"

#define INVALID_PARAMETERS (-2)

const char *const stats_level_names[NV_LEVEL_NR] = {
	[NV_LEVEL_EL1] = "EL1",
	[NV_LEVEL_VEL2] = "vEL2",
	[NV_LEVEL_VEL1] = "vEL1",
	[NV_LEVEL_L2] = "L2",
};

void stats_exit(struct vcpu *v, unsigned kind)
{
	struct vcpu_stats *s = &v->stats;
	enum nv_level l = nv_level(v);

	s->level = l;
	s->exits++;
	s->by_kind[kind & 3]++;
	s->lvl[l].exits++;
	s->lvl[l].by_kind[kind & 3]++;
}

static int64_t level_exits(const struct stats_level *l, uint64_t reason)
{
	if (reason == STATS_Q_ALL)
		return (int64_t)l->exits;
	if (reason <= EC_MAX)
		return (int64_t)l->by_ec[reason];
	if (reason >= STATS_Q_KIND && reason - STATS_Q_KIND < 4)
		return (int64_t)l->by_kind[reason - STATS_Q_KIND];
	return INVALID_PARAMETERS;
}

static int64_t episode_sum(const uint64_t *by_reason, uint64_t reason)
{
	uint64_t sum = 0;

	if (reason == STATS_Q_ALL) {
		for (unsigned i = 0; i < STATS_REASONS; i++)
			sum += by_reason[i];
		return (int64_t)sum;
	}
	if (reason <= EC_MAX)
		return (int64_t)by_reason[reason];
	if (reason > STATS_Q_KIND && reason - STATS_Q_KIND < 4)
		return (int64_t)by_reason[EC_MAX + reason - STATS_Q_KIND];
	return INVALID_PARAMETERS;
}

int64_t stats_query(const struct vcpu_stats *s, uint64_t what, uint64_t lvl,
		    uint64_t reason)
{
	const struct stats_episodes *e;

	if (lvl >= NV_LEVEL_NR)
		return INVALID_PARAMETERS;
	if (what == STATS_Q_EXITS)
		return level_exits(&s->lvl[lvl], reason);
	if (lvl != NV_LEVEL_VEL1 && lvl != NV_LEVEL_L2)
		return INVALID_PARAMETERS;
	e = &s->ep[lvl];
	switch (what) {
	case STATS_Q_EPISODES:
		return episode_sum(e->count, reason);
	case STATS_Q_EP_TRAPS:
		return episode_sum(e->traps, reason);
	case STATS_Q_EP_MAX:
		return (int64_t)e->max;
	default:
		return INVALID_PARAMETERS;
	}
}
