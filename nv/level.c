/*
 * The level a vCPU runs at, as the exit accounting counts it (enum
 * nv_level, include/hyp/nv_state.h; vcpu/stats.c), and the episodes of
 * that accounting, which open where an exception is delivered into the
 * guest's vEL2 from below (nv/exception.c) and close at its ERET back
 * (nv/eret.c): include/hyp/stats.h, docs/nested.md "Accounting". vEL0 in the
 * EL2&0 host regime ({E2H, TGE} = {1, 1}) keeps the vEL2 context loaded
 * (in_vel2) and belongs to vEL2; any other vEL1/vEL0 is the guest hypervisor's
 * own (stage 2 off) or its VM's, L2 (stage 2 on: the Effective HCR_EL2.VM or
 * DC, D24.2.62, as nv_guest_stage2 reads them: the one test of "L2" that
 * the entry path uses too).
 */
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/stats.h"
#include "hyp/vcpu.h"

enum nv_level nv_level(const struct vcpu *v)
{
	if (!v->nv.enabled)
		return NV_LEVEL_EL1;
	if (v->nv.in_vel2)
		return NV_LEVEL_VEL2;
	return nv_guest_stage2(v) ? NV_LEVEL_L2 : NV_LEVEL_VEL1;
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
 * entered again, the one just handled) is the episode's first trap, and
 * s->exits counts it already, when it was taken at the level left. If it
 * was not (L1's ERET into L2, then an interrupt for L1 injected before L2
 * ran an instruction), that ERET ended the previous episode and this one
 * starts with the next trap. */
void nv_episode_enter_vel2(struct vcpu *v, uint64_t type, uint64_t esr)
{
	struct vcpu_stats *s = &v->stats;
	enum nv_level l = nv_level(v);

	if (l != NV_LEVEL_VEL1 && l != NV_LEVEL_L2)
		return;
	s->forwarded++; /* every exception into vEL2 from below */
	if (s->ep_level != NV_LEVEL_EL1)
		return;
	s->ep_level = l;
	s->ep_reason = reason_of(type, esr);
	s->ep_start = s->exits + (s->level != l);
}

/* Called while the ERET exit is handled: s->exits counts it, the last
 * trap of the episode. An episode of L2 ends when L2 runs again (not when
 * an nVHE L1 returns to its host kernel at vEL1 on the way); one of vEL1
 * when vEL1 or L2 runs again (an nVHE host's "run the VM" hypercall). */
void nv_episode_eret(struct vcpu *v)
{
	struct vcpu_stats *s = &v->stats;
	enum nv_level open = s->ep_level, now;
	struct stats_episodes *e;
	uint64_t n;

	if (open == NV_LEVEL_EL1)
		return;
	now = nv_level(v);
	/* a vEL1 call that never returns there: Linux's HVC from EL1 that
	 * leaves it at EL2 for good (VHE), seen once it runs its host's EL0
	 * (EL2&0): no episode, not counted */
	if (open == NV_LEVEL_VEL1 && now == NV_LEVEL_VEL2 &&
	    nv_vcpu_el(v) == 0) {
		s->ep_level = NV_LEVEL_EL1;
		return;
	}
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
