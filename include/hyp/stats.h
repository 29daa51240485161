/*
 * Trap counters, per vCPU, from the first exit on (vcpu/stats.c,
 * docs/architecture.md "Trap counters", docs/nested.md "Accounting").
 *
 * Every exit is counted once in the totals and once for the level that was
 * running when it was taken (enum nv_level, sampled by stats_exit before
 * the exit is handled): by exit kind, by exception class (sync exits), and
 * the MMIO and trapped-register rows it ended in. The rows of the level
 * table therefore sum to the totals exactly.
 *
 * Episodes: an exception hypnest delivers into the guest's vEL2 from a
 * lower level (L2, or L1's own vEL1/vEL0) opens one, for that level and
 * the reason (the EC it delivers, or IRQ/FIQ/SError); the guest
 * hypervisor's ERET that resumes that level closes it, and every hypnest
 * trap from the exit that opened it to that ERET, both included, is its
 * cost. Episodes do not nest: while one is open (an nVHE L1 handling an
 * L2 exit in its host kernel at vEL1), vEL1 exits into vEL2 are part of it.
 *
 * Each counting call is a few increments: no loop, no lock (a vCPU's
 * counters are written by its own physical CPU only).
 */
#ifndef HYP_STATS_H
#define HYP_STATS_H
#include "arch/esr.h"
#include "hyp/nv_state.h"
#include "hyp/types.h"

struct vcpu;

/* MMIO by device (struct vm_ops.mmio_names), sysreg traps by row of
 * vcpu/sysreg_trap.c's table (sysreg_trap_name) */
#define VCPU_MMIO_DEVS 2
#define VCPU_SYSREG_ROWS 32

/* why an episode opened: the EC of the synchronous exception delivered
 * into vEL2 (0..EC_MAX), or the asynchronous ones */
#define STATS_REASON_IRQ (EC_MAX + 1)
#define STATS_REASON_FIQ (EC_MAX + 2)
#define STATS_REASON_SERROR (EC_MAX + 3)
#define STATS_REASONS (EC_MAX + 4)

/* what one level took */
struct stats_level {
	uint64_t exits;
	uint64_t by_kind[4]; /* enum exit_kind */
	uint64_t by_ec[EC_MAX + 1];
	uint64_t mmio[VCPU_MMIO_DEVS];
	uint64_t sysreg[VCPU_SYSREG_ROWS];
};

/* the closed episodes of one level that exits into vEL2, by reason */
struct stats_episodes {
	uint64_t count[STATS_REASONS];
	uint64_t traps[STATS_REASONS];
	uint64_t max; /* the most traps one episode took */
};

struct vcpu_stats {
	uint64_t exits;
	uint64_t by_kind[4];
	uint64_t by_ec[EC_MAX + 1];
	uint64_t
	    unhandled; /* exits answered with an UNDEF or abort (printed
			as "UNDEF/abort injected": most are architectural) */
	/* exceptions delivered into the guest's vEL2 from its vEL1/vEL0 or
	 * L2 (forwarded traps, HVCs, stage-2 aborts, interrupts) */
	uint64_t forwarded;
	/* the guest's timer interrupts it took: loaded pending into a list
	 * register and back no longer pending (vcpu/virq.c) */
	uint64_t timer_irqs;
	uint64_t mmio[VCPU_MMIO_DEVS];	   /* emulated MMIO, by device */
	uint64_t sysreg[VCPU_SYSREG_ROWS]; /* trapped sysregs, by table row */

	enum nv_level level; /* where the exit being handled was taken */
	struct stats_level lvl[NV_LEVEL_NR];
	/* indexed by the level that exited: NV_LEVEL_VEL1 (L1's vEL1 exits
	 * its vEL2 handled) and NV_LEVEL_L2 (L2 exits L1 handled) */
	struct stats_episodes ep[NV_LEVEL_NR];
	/* the open episode: its level (NV_LEVEL_EL1, which never opens one:
	 * none), its reason, the exit count when it opened (that exit
	 * included) */
	enum nv_level ep_level;
	unsigned ep_reason;
	uint64_t ep_start;
};

/* vcpu/stats.c: at every exit, before it is handled (the level is that of
 * the code that took it); kind: enum exit_kind */
void stats_exit(struct vcpu *v, unsigned kind);
/* a synchronous exit's exception class (vcpu_handle_sync) */
static inline void stats_sync(struct vcpu_stats *s, unsigned ec)
{
	s->by_ec[ec]++;
	s->lvl[s->level].by_ec[ec]++;
}

static inline void stats_mmio(struct vcpu_stats *s, unsigned dev)
{
	s->mmio[dev]++;
	s->lvl[s->level].mmio[dev]++;
}

static inline void stats_sysreg(struct vcpu_stats *s, unsigned row)
{
	s->sysreg[row]++;
	s->lvl[s->level].sysreg[row]++;
}

/* nv/level.c, called by nv/exception.c: an exception is about to be
 * taken to vEL2 (type: the vector offset NV_VEC_SYNC/IRQ/FIQ/SERROR, esr:
 * its syndrome), before the vCPU switches to the vEL2 context; opens an
 * episode when it comes from a lower level and none is open */
void nv_episode_enter_vel2(struct vcpu *v, uint64_t type, uint64_t esr);
/* nv/level.c, called by nv/eret.c: after an emulated ERET from vEL2 took
 * effect; closes the open episode when the level it opened for runs again
 * (an episode of vEL1 also when L2 does) */
void nv_episode_eret(struct vcpu *v);

/*
 * The vendor hypercall HYPNEST_LEVEL_COUNT (vcpu/smccc.c, 0x86000002):
 * what = STATS_Q_*, lvl a level (enum nv_level), reason as below. A
 * count, or -2 (INVALID_PARAMETERS) for arguments out of range.
 *  STATS_Q_EXITS     exits taken at lvl: reason an EC (0..0x3f: sync exits
 *                    with that class), STATS_Q_KIND | exit kind (0x100 sync,
 *                    0x101 IRQ, 0x102 FIQ, 0x103 SError) or STATS_Q_ALL
 *  STATS_Q_EPISODES  closed episodes of lvl (NV_LEVEL_VEL1 or NV_LEVEL_L2):
 *                    reason an EC, STATS_Q_KIND | 1..3 (IRQ, FIQ, SError)
 *                    or STATS_Q_ALL
 *  STATS_Q_EP_TRAPS  the hypnest traps in them (same arguments)
 *  STATS_Q_EP_MAX    the most traps one episode of lvl took (reason unused)
 */
#define STATS_Q_EXITS 0
#define STATS_Q_EPISODES 1
#define STATS_Q_EP_TRAPS 2
#define STATS_Q_EP_MAX 3
#define STATS_Q_KIND 0x100
#define STATS_Q_ALL 0xffff
int64_t stats_query(const struct vcpu_stats *s, uint64_t what, uint64_t lvl,
		    uint64_t reason);

/* short names of the levels, as printed ("EL1", "vEL2", "vEL1", "L2") */
extern const char *const stats_level_names[NV_LEVEL_NR];

#endif
