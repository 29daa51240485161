/*
 * The trap counters at poweroff (vm/vm.c): the totals by exit kind, by
 * exception class, by MMIO device and trapped-register row; then the
 * same per level (include/hyp/stats.h: the rows of "exits by level" sum
 * to the total), and, for a guest hypervisor, its episodes: the hypnest
 * traps per exit into its vEL2, by the reason of that exit.
 */
#include "arch/sysreg_enc.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/stats.h"
#include "hyp/sysreg_table.h"
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

static void ratio(char *buf, size_t size, uint64_t t, uint64_t n);

static const char *const kind_what[] = { "sync", "IRQ", "FIQ", "SError" };

/* what a key's low 22 bits (STATS_EPK's what) name: "MRS ICH_MISR_EL2",
 * "SYS S1_4_C8_C7_4" (an instruction or a register with no name), or an
 * exit: "EC 0x1a Trapped ERET...", "IRQ" */
static void what_name(const struct vcpu *v, char *buf, size_t size,
		      uint32_t what)
{
	uint32_t enc = what & SYSREG_ISS_MASK;
	const char *name = sysreg_name(enc);
	bool read = what & SYSREG_ISS_DIR_MASK;
	unsigned ec = (what >> 10) & 0x3f, kind = (what >> 16) & 3;

	if (STATS_EPK_IS_EXIT(what) && kind == 1)
		hyp_snprintf(buf, size, "IRQ %u", (what >> 6) & 0x3ff);
	else if (STATS_EPK_IS_EXIT(what) && kind)
		hyp_snprintf(buf, size, "%s", kind_what[kind]);
	else if (STATS_EPK_IS_EXIT(what) && ((what >> 6) & 0xf))
		hyp_snprintf(buf, size, "EC 0x%02x mmio %s", ec,
			     v->vm->ops->mmio_names[((what >> 6) & 0xf) - 1]);
	else if (STATS_EPK_IS_EXIT(what))
		hyp_snprintf(buf, size, "EC 0x%02x %s", ec, esr_ec_name(ec));
	else if (name)
		hyp_snprintf(buf, size, "%s %s", read ? "MRS" : "MSR", name);
	else
		hyp_snprintf(buf, size, "%s S%u_%u_C%u_C%u_%u",
			     SYSREG_OP0(enc) == 1 ? (read ? "SYSL" : "SYS")
						  : (read ? "MRS" : "MSR"),
			     SYSREG_OP0(enc), SYSREG_OP1(enc), SYSREG_CRN(enc),
			     SYSREG_CRM(enc), SYSREG_OP2(enc));
}

/* the slot after (c, i) in the order count down, then slot up, among
 * those whose key has bits sel under mask; n if none */
static unsigned next_slot(const struct stats_enc_slot *t, unsigned n,
			  uint32_t mask, uint32_t sel, uint32_t c, int i)
{
	unsigned best = n;

	for (unsigned j = 0; j < n; j++) {
		uint32_t cj = t[j].count;

		if (!cj || (t[j].key & mask) != sel)
			continue;
		if (cj > c || (cj == c && (int)j <= i))
			continue; /* printed already */
		if (best == n || cj > t[best].count)
			best = j;
	}
	return best;
}

/* The most frequent EC 0x18 encodings at one level (the first
 * STATS_PRINT_TOP), and how many others */
#define STATS_PRINT_TOP 16

static void print_encodings(const struct vcpu *v, const char *lvl,
			    const struct stats_level *p)
{
	uint32_t c = 0xffffffffu;
	int i = -1;
	unsigned shown = 0;
	uint64_t rest = 0, rest_n = 0;
	char w[64];

	for (;;) {
		i = (int)next_slot(p->enc, STATS_ENC_SLOTS, 0, 0, c, i);
		if (i == STATS_ENC_SLOTS)
			break;
		c = p->enc[i].count;
		if (shown++ < STATS_PRINT_TOP) {
			what_name(v, w, sizeof(w), p->enc[i].key);
			log_info("vcpu%u:     %s trapped %-41s %lu", v->id, lvl,
				 w, (unsigned long)c);
		} else {
			rest += c;
			rest_n++;
		}
	}
	if (rest_n || p->enc_other)
		log_info("vcpu%u:     %s trapped: %lu other encodings, %lu "
			 "accesses; %lu found no slot",
			 v->id, lvl, (unsigned long)rest_n, (unsigned long)rest,
			 (unsigned long)p->enc_other);
}

/* what the traps of one reason's episodes were, each per episode */
static void print_episode_what(const struct vcpu *v, enum nv_level l,
			       unsigned reason, uint64_t episodes)
{
	const struct vcpu_stats *s = &v->stats;
	uint32_t mask = 0xff000000u;
	uint32_t sel = STATS_EPK(l == NV_LEVEL_L2, reason, 0, 0);
	uint32_t c = 0xffffffffu;
	int i = -1;
	unsigned shown = 0;
	char w[64], r[24];

	while (shown < 2 * STATS_PRINT_TOP) {
		i = (int)next_slot(s->ep_what, STATS_EP_SLOTS, mask, sel, c, i);
		if (i == STATS_EP_SLOTS)
			break;
		c = s->ep_what[i].count;
		shown++;
		what_name(v, w, sizeof(w), STATS_EPK_WHAT(s->ep_what[i].key));
		ratio(r, sizeof(r), c, episodes);
		log_info("vcpu%u:       at %-4s %-44s %lu, %s each", v->id,
			 stats_level_names[STATS_EPK_LEVEL(s->ep_what[i].key)],
			 w, (unsigned long)c, r);
	}
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
		print_encodings(v, stats_level_names[l], p);
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
		print_episode_what(v, l, i, e->count[i]);
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
	if (s->ep_what_other)
		log_info("vcpu%u: episode traps that found no slot: %lu", v->id,
			 (unsigned long)s->ep_what_other);
}
