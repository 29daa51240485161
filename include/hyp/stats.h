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

/*
 * Trapped accesses by encoding (EC 0x18), and what the episodes' traps
 * were: small open-addressed tables of (key, count) slots, probed from a
 * hash of the key for at most STATS_ENC_PROBES slots; a key that finds
 * neither its slot nor a free one in that window is counted in `other`.
 * Bounded, no lock, a few instructions per trap (stats_enc_add).
 *
 * A level's table: key = the ISS of the access with Rt cleared (Op0, Op2,
 * Op1, CRn, CRm and Direction: 1 MRS, 0 MSR), so reads and writes of one
 * register are two keys, with bit 31 set (never 0).
 *
 * The episodes' table: every trap of the closed episodes, the one that
 * opened each included, so the counts of one reason sum to its episodes'
 * traps (stats_episodes.traps) unless some found no slot. The open
 * episode's traps are kept apart (ep_open, key: trap level and what) and
 * added when it closes, dropped when it is abandoned (nv/level.c).
 * key = STATS_EPK(episode level, reason, trap level, what):
 *  bit 31       the episode is L2's (1) or vEL1's (0)
 *  bits [30:24] its reason (EC, STATS_REASON_*)
 *  bits [23:22] the level the trap was taken at (never EL1: never 0)
 *  bits [21:0]  what: EC 0x18's key as above, else STATS_EPK_EXIT(kind,
 *               ec): bit 5 (Rt's place, clear in a sysreg key) set, the
 *               EC in bits [15:10], the exit kind in bits [17:16]; an
 *               IRQ's first INTID in bits [15:6] (1020..1023: none);
 *               a data abort hypnest emulated as MMIO its device + 1 in
 *               bits [9:6] (STATS_EPK_MMIO)
 */
#define STATS_ENC_SLOTS 64
#define STATS_EP_SLOTS 256
#define STATS_EP_OPEN_SLOTS 64
#define STATS_ENC_PROBES 8
#define STATS_KEY_SYSREG(iss) (((uint32_t)(iss)) & 0x003ffc1fu)
#define STATS_EPK_EXIT(kind, ec)                                               \
	(BIT(5) | ((uint32_t)(ec) << 10) | ((uint32_t)(kind) << 16))
#define STATS_EPK_INTID(intid) (((uint32_t)(intid)&0x3ffu) << 6)
#define STATS_EPK_MMIO(dev) (((uint32_t)(dev) + 1) << 6)
#define STATS_EPK_IS_EXIT(what) (((what)&BIT(5)) != 0)
#define STATS_EPK(ep_l2, reason, lvl, what)                                    \
	(((uint32_t)(ep_l2) << 31) | ((uint32_t)(reason) << 24) |              \
	 ((uint32_t)(lvl) << 22) | (uint32_t)(what))
#define STATS_EPK_WHAT(key) ((key)&0x3fffffu)
#define STATS_EPK_LEVEL(key) (((key) >> 22) & 3u)
#define STATS_EPK_REASON(key) (((key) >> 24) & 0x7fu)

struct stats_enc_slot {
	uint32_t key;	/* 0: free */
	uint32_t count; /* saturates at 0xffffffff */
};

/* what one level took */
struct stats_level {
	uint64_t exits;
	uint64_t by_kind[4]; /* enum exit_kind */
	uint64_t by_ec[EC_MAX + 1];
	uint64_t mmio[VCPU_MMIO_DEVS];
	uint64_t sysreg[VCPU_SYSREG_ROWS];
	struct stats_enc_slot enc[STATS_ENC_SLOTS]; /* EC 0x18 by encoding */
	uint64_t enc_other; /* those that found no slot */
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
	/* what the exit being handled was (STATS_EPK's low 22 bits), for
	 * the episode it opens */
	uint32_t what;
	/* the traps of the episodes by what they were (see above) */
	struct stats_enc_slot ep_what[STATS_EP_SLOTS];
	uint64_t ep_what_other;
	struct stats_enc_slot ep_open[STATS_EP_OPEN_SLOTS];
	uint64_t ep_open_other;
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

/* vcpu/stats.c: what a sync exit was (vcpu_handle_sync, after
 * stats_sync): counts an EC 0x18 access by encoding for its level, and
 * the trap in the open episode */
void stats_sync_what(struct vcpu_stats *s, unsigned ec, uint64_t esr);
/* hyp/enc_table.c: count key by `by` in a table of n slots; false when
 * it found none */
bool stats_enc_add(struct stats_enc_slot *t, unsigned n, uint32_t key,
		   uint32_t by);
/* a key's count in a table of n slots (0: none), its slot (NULL: none) */
uint32_t stats_enc_get(const struct stats_enc_slot *t, unsigned n,
		       uint32_t key);
struct stats_enc_slot *stats_enc_find(struct stats_enc_slot *t, unsigned n,
				      uint32_t key);
/* nv/level.c: the exit being handled is what (STATS_EPK's low bits) of
 * the open episode, at the level it was taken at */
void stats_ep_add(struct vcpu_stats *s, uint32_t what);
/* vcpu/stats.c: the exit being handled is what (STATS_EPK's low bits),
 * counted in the open episode if any */
void stats_ep_what(struct vcpu_stats *s, uint32_t what);
/* vcpu/vcpu.c: an IRQ exit's first INTID acknowledged (1020..1023:
 * none), its what */
void stats_irq(struct vcpu_stats *s, unsigned intid);
/* nv/level.c: the episode that just opened starts with the exit being
 * handled (its what) */
void stats_ep_first(struct vcpu_stats *s);
/* nv/level.c: the open episode closed (its traps join the table) or was
 * abandoned (they are dropped) */
void stats_ep_close(struct vcpu_stats *s);
void stats_ep_drop(struct vcpu_stats *s);

/* vcpu/stats.c: the exit being handled was hypnest's MMIO on device
 * dev: its what names the device */
void stats_mmio_what(struct vcpu_stats *s, unsigned dev);

static inline void stats_mmio(struct vcpu_stats *s, unsigned dev)
{
	s->mmio[dev]++;
	s->lvl[s->level].mmio[dev]++;
	stats_mmio_what(s, dev);
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
/*  STATS_Q_SYSREG    EC 0x18 accesses at lvl of one encoding: reason =
 *                    STATS_KEY_SYSREG(ISS) (Op0..CRm, Direction); -1 when
 *                    none is counted but the table overflowed
 *  STATS_Q_EP_WHAT   traps in the episodes of lvl (NV_LEVEL_VEL1 or L2)
 *                    with key = STATS_EPK(lvl == L2, reason): reason is the
 *                    key's bits [30:0]; -1 as for STATS_Q_SYSREG */
#define STATS_Q_SYSREG 4
#define STATS_Q_EP_WHAT 5
#define STATS_Q_KIND 0x100
#define STATS_Q_ALL 0xffff
int64_t stats_query(const struct vcpu_stats *s, uint64_t what, uint64_t lvl,
		    uint64_t reason);

/* short names of the levels, as printed ("EL1", "vEL2", "vEL1", "L2") */
extern const char *const stats_level_names[NV_LEVEL_NR];

#endif
