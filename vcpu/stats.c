/*
 * Per-level exit accounting (include/hyp/stats.h, docs/nested.md
 * "Accounting"): each exit counted for the level that took it, and the
 * episodes that tie an exit into the guest's vEL2 to the hypnest traps
 * taken until the guest hypervisor resumes that level. The per-exit cost is
 * one nv_level() and a few increments.
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

/* the reason of an exception delivered at vector offset type (NV_VEC_*):
 * its EC when synchronous, else STATS_REASON_IRQ/FIQ/SERROR */
static unsigned reason_of(uint64_t type, uint64_t esr)
{
	if (type == NV_VEC_SYNC)
		return (unsigned)ESR_EC(esr);
	return EC_MAX + (unsigned)(type / NV_VEC_IRQ);
}

_Static_assert(EC_MAX + NV_VEC_IRQ / NV_VEC_IRQ == STATS_REASON_IRQ &&
		   EC_MAX + NV_VEC_FIQ / NV_VEC_IRQ == STATS_REASON_FIQ &&
		   EC_MAX + NV_VEC_SERROR / NV_VEC_IRQ == STATS_REASON_SERROR,
	       "reason_of: the vector offsets in steps of 0x80");

/* The exit being handled (or, for an interrupt injected as the vCPU is
 * entered again, the one just handled) was taken at v->stats.level and is
 * the episode's first trap: s->exits counts it already. */
void stats_enter_vel2(struct vcpu *v, uint64_t type, uint64_t esr)
{
	struct vcpu_stats *s = &v->stats;
	enum nv_level l = nv_level(v);

	if ((l != NV_LEVEL_VEL1 && l != NV_LEVEL_L2) ||
	    s->ep_level != NV_LEVEL_EL1)
		return;
	s->ep_level = l;
	s->ep_reason = reason_of(type, esr);
	s->ep_start = s->exits;
}

/* Called while the ERET exit is handled: s->exits counts it, the last
 * trap of the episode. An episode of L2 ends when L2 runs again (not when
 * an nVHE L1 returns to its host kernel at vEL1 on the way); one of vEL1
 * when vEL1 or L2 runs again (an nVHE host's "run the VM" hypercall). */
void stats_eret(struct vcpu *v)
{
	struct vcpu_stats *s = &v->stats;
	enum nv_level open = s->ep_level, now;
	struct stats_episodes *e;
	uint64_t n;

	if (open == NV_LEVEL_EL1)
		return;
	now = nv_level(v);
	if (now != NV_LEVEL_L2 && now != open)
		return;
	n = s->exits - s->ep_start + 1;
	e = &s->ep[open];
	e->count[s->ep_reason]++;
	e->traps[s->ep_reason] += n;
	if (n > e->max)
		e->max = n;
	s->ep_level = NV_LEVEL_EL1;
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
