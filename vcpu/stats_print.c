/*
 * The trap counters at poweroff (vm/vm.c): the totals by exit kind, by
 * exception class, by MMIO device and trapped-register row; then the
 * same per level (include/hyp/stats.h: the rows of "exits by level" sum
 * to the total), and, for a guest hypervisor, its episodes: the hypnest
 * traps per exit into its vEL2, by the reason of that exit.
 */
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/stats.h"
#include "hyp/sysreg_trap.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

/* the lines of one set of counters (the totals, or one level's), each
 * prefixed with tag */
static void print_rows(const struct vcpu *v, const char *tag,
		       const uint64_t *by_ec, const uint64_t *mmio,
		       const uint64_t *sysreg)
{
	for (unsigned ec = 0; ec <= EC_MAX; ec++)
		if (by_ec[ec])
			log_info("vcpu%u:   %sEC 0x%02x %-40s %lu", v->id, tag,
				 ec, esr_ec_name(ec), (unsigned long)by_ec[ec]);
	for (unsigned i = 0; i < VCPU_MMIO_DEVS; i++)
		if (mmio[i])
			log_info("vcpu%u:   %smmio %-40s %lu", v->id, tag,
				 v->vm->ops->mmio_names[i],
				 (unsigned long)mmio[i]);
	for (unsigned i = 0; i < VCPU_SYSREG_ROWS; i++)
		if (sysreg[i])
			log_info("vcpu%u:   %ssysreg %-38s %lu", v->id, tag,
				 sysreg_trap_name(i), (unsigned long)sysreg[i]);
}

/*
 * The other vCPUs keep running while one prints the counters at poweroff,
 * so each line is read as it is printed. The level table and its total
 * are read as one: again until the levels sum to the total (a vCPU's
 * exit increments both, stats_exit), which takes a few tries at most.
 */
#define SNAPSHOT_TRIES 1000

static uint64_t levels_snapshot(const struct vcpu_stats *s,
				uint64_t n[NV_LEVEL_NR])
{
	const volatile struct vcpu_stats *vs = s;
	uint64_t total = 0, sum;

	for (unsigned t = 0; t < SNAPSHOT_TRIES; t++) {
		total = vs->exits;
		sum = 0;
		for (unsigned l = 0; l < NV_LEVEL_NR; l++)
			sum += n[l] = vs->lvl[l].exits;
		if (sum == total && vs->exits == total)
			break;
	}
	return total;
}

static void print_levels(const struct vcpu *v)
{
	const struct vcpu_stats *s = &v->stats;
	uint64_t n[NV_LEVEL_NR];
	uint64_t total = levels_snapshot(s, n);
	char tag[16];

	_Static_assert(NV_LEVEL_NR == 4, "one %s %lu per level");
	log_info("vcpu%u: exits by level: %s %lu, %s %lu, %s %lu, %s %lu "
		 "(of %lu)",
		 v->id, stats_level_names[0], (unsigned long)n[0],
		 stats_level_names[1], (unsigned long)n[1],
		 stats_level_names[2], (unsigned long)n[2],
		 stats_level_names[3], (unsigned long)n[3],
		 (unsigned long)total);
	for (unsigned l = 0; l < NV_LEVEL_NR; l++) {
		const struct stats_level *p = &s->lvl[l];

		if (!p->exits)
			continue;
		log_info(
		    "vcpu%u:   level %s: %lu exits (sync %lu, irq %lu, "
		    "fiq %lu, serror %lu)",
		    v->id, stats_level_names[l], (unsigned long)p->exits,
		    (unsigned long)p->by_kind[0], (unsigned long)p->by_kind[1],
		    (unsigned long)p->by_kind[2], (unsigned long)p->by_kind[3]);
		hyp_snprintf(tag, sizeof(tag), "  %s ", stats_level_names[l]);
		print_rows(v, tag, p->by_ec, p->mmio, p->sysreg);
	}
}

static const char *const async_names[] = { "IRQ", "FIQ", "SError" };

/* t / n with two decimals, no FP: "12.34" */
static void ratio(char *buf, size_t size, uint64_t t, uint64_t n)
{
	uint64_t c = n ? t * 100 / n : 0;

	hyp_snprintf(buf, size, "%lu.%02lu", (unsigned long)(c / 100),
		     (unsigned long)(c % 100));
}

static void print_episodes(const struct vcpu *v, enum nv_level l,
			   const char *what)
{
	const struct stats_episodes *e = &v->stats.ep[l];
	uint64_t n = 0, t = 0;
	char r[24];

	for (unsigned i = 0; i < STATS_REASONS; i++) {
		n += e->count[i];
		t += e->traps[i];
	}
	ratio(r, sizeof(r), t, n);
	log_info("vcpu%u: %s exits handled by %s: %lu episodes, %lu hypnest "
		 "traps (%s each, max %lu)%s",
		 v->id, stats_level_names[l], what, (unsigned long)n,
		 (unsigned long)t, r, (unsigned long)e->max,
		 v->stats.ep_level == l ? ", one open" : "");
	for (unsigned i = 0; i < STATS_REASONS; i++) {
		if (!e->count[i])
			continue;
		ratio(r, sizeof(r), e->traps[i], e->count[i]);
		if (i <= EC_MAX)
			log_info("vcpu%u:   %s EC 0x%02x %-40s %lu episodes, "
				 "%lu traps, %s each",
				 v->id, stats_level_names[l], i, esr_ec_name(i),
				 (unsigned long)e->count[i],
				 (unsigned long)e->traps[i], r);
		else
			log_info("vcpu%u:   %s %-48s %lu episodes, %lu traps, "
				 "%s each",
				 v->id, stats_level_names[l],
				 async_names[i - EC_MAX - 1],
				 (unsigned long)e->count[i],
				 (unsigned long)e->traps[i], r);
	}
}

void vcpu_print_stats(const struct vcpu *v)
{
	const struct vcpu_stats *s = &v->stats;

	log_info("vcpu%u: %lu exits (sync %lu, irq %lu, fiq %lu, serror %lu), "
		 "%lu UNDEF/abort injected, %lu forwarded to vEL2",
		 v->id, (unsigned long)s->exits, (unsigned long)s->by_kind[0],
		 (unsigned long)s->by_kind[1], (unsigned long)s->by_kind[2],
		 (unsigned long)s->by_kind[3], (unsigned long)s->unhandled,
		 (unsigned long)s->forwarded);
	log_info("vcpu%u: %lu timer interrupts taken by the guest", v->id,
		 (unsigned long)s->timer_irqs);
	print_rows(v, "", s->by_ec, s->mmio, s->sysreg);
	print_levels(v);
	if (!v->nv.enabled)
		return;
	print_episodes(v, NV_LEVEL_L2, "L1");
	print_episodes(v, NV_LEVEL_VEL1, "its vEL2");
}
