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
	/* an FIQ or SError: what it is is known now (an IRQ's INTID once it
	 * is acknowledged, stats_irq) */
	if ((kind & 3) > 1)
		stats_ep_what(s, STATS_EPK_EXIT(kind & 3, 0));
}

/* a level table's key: never 0 (a free slot), even for an encoding of 0 */
#define LEVEL_KEY(k) ((uint32_t)(k) | 0x80000000u)

void stats_ep_what(struct vcpu_stats *s, uint32_t what)
{
	s->what = what;
	if (s->ep_level != NV_LEVEL_EL1)
		stats_ep_add(s, what);
}

/* the data abort counted in the open episode (stats_sync_what) becomes
 * an access to device dev: moved to that key (a slot left at 0 stays
 * taken, so that the keys probed past it are still found) */
void stats_mmio_what(struct vcpu_stats *s, unsigned dev)
{
	uint32_t what = s->what | STATS_EPK_MMIO(dev);
	struct stats_enc_slot *e;

	if (!STATS_EPK_IS_EXIT(s->what) || ((s->what >> 6) & 0xf))
		return;
	if (s->ep_level != NV_LEVEL_EL1) {
		e = stats_enc_find(s->ep_open, STATS_EP_OPEN_SLOTS,
				   STATS_EPK(0, 0, s->level, s->what));
		if (e && e->count && e->count != 0xffffffffu)
			e->count--;
		else
			s->ep_open_other--; /* it found no slot */
		stats_ep_add(s, what);
	}
	s->what = what;
}

void stats_irq(struct vcpu_stats *s, unsigned intid)
{
	stats_ep_what(s, STATS_EPK_EXIT(1, 0) | STATS_EPK_INTID(intid));
}

void stats_sync_what(struct vcpu_stats *s, unsigned ec, uint64_t esr)
{
	if (ec != EC_SYS64) {
		stats_ep_what(s, STATS_EPK_EXIT(0, ec));
		return;
	}
	stats_ep_what(s, STATS_KEY_SYSREG(esr));
	if (!stats_enc_add(s->lvl[s->level].enc, STATS_ENC_SLOTS,
			   LEVEL_KEY(STATS_KEY_SYSREG(esr)), 1))
		s->lvl[s->level].enc_other++;
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

/* a key's count; -1 when none is counted but some key found no slot */
static int64_t enc_query(const struct stats_enc_slot *t, unsigned n,
			 uint64_t other, uint64_t key, bool valid)
{
	uint32_t c;

	if (!valid)
		return INVALID_PARAMETERS;
	c = stats_enc_get(t, n, (uint32_t)key);
	return c || !other ? (int64_t)c : -1;
}

int64_t stats_query(const struct vcpu_stats *s, uint64_t what, uint64_t lvl,
		    uint64_t reason)
{
	const struct stats_episodes *e;

	if (lvl >= NV_LEVEL_NR)
		return INVALID_PARAMETERS;
	if (what == STATS_Q_EXITS)
		return level_exits(&s->lvl[lvl], reason);
	if (what == STATS_Q_SYSREG)
		return enc_query(s->lvl[lvl].enc, STATS_ENC_SLOTS,
				 s->lvl[lvl].enc_other, LEVEL_KEY(reason),
				 reason == STATS_KEY_SYSREG(reason));
	if (lvl != NV_LEVEL_VEL1 && lvl != NV_LEVEL_L2)
		return INVALID_PARAMETERS;
	if (what == STATS_Q_EP_WHAT)
		return enc_query(s->ep_what, STATS_EP_SLOTS, s->ep_what_other,
				 reason | (lvl == NV_LEVEL_L2 ? BIT(31) : 0),
				 reason < BIT(31) && STATS_EPK_LEVEL(reason));
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
