/*
 * The rules of virtual EL2 register access (docs/nv.md): one lookup,
 * nv_locate(), says where a register lives given the vCPU's virtual level
 * and the guest's E2H; the accessors and the context switch only follow it.
 *
 *  - vEL1: an EL1 register is live; an EL2 register is its stored copy.
 *  - vEL2: an EL2 register marked NV_LIVE_EL1 (or NV_LIVE_E2H1 with
 *    E2H = 1) is live in its EL1 counterpart, translated when E2H = 0;
 *    every write also updates its untranslated stored copy; reads take the
 *    live value for the bits the EL1 register holds (reverse-translated)
 *    and the stored copy for the rest. The EL1 register it displaces is
 *    its stored copy (VNCR slot) meanwhile. An EL2 register not live is
 *    its stored copy.
 *  - vEL2, E2H = 1: an _EL1 name reaches the paired EL2 register (FEAT_VHE,
 *    D8.13.2), an _EL12/_EL02 name the EL1 register; E2H = 0: _EL12/_EL02
 *    names are UNDEFINED.
 *  - PAR_EL1, TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1, CSSELR_EL1, SP_EL0 are
 *    live at every level, never a stored copy.
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/lib.h"
#include "hyp/nv.h"
#include "hyp/sysreg_table.h"
#include "hyp/vcpu.h"

bool nv_guest_e2h(const struct vcpu *v)
{
	return (vcpu_vncr(v, VNCR_HCR_EL2) & NV_HCR_E2H) != 0;
}

/* is EL2 row r live in its EL1 counterpart while in vEL2 with this E2H */
static bool live_in_vel2(const struct el2_reg *r, bool e2h)
{
	if (r->flags & (NV_EL1 | NV_COMPUTED))
		return false;
	return (r->flags & NV_LIVE_EL1) || ((r->flags & NV_LIVE_E2H1) && e2h);
}

/* row r's counterpart (pair_row, fixed at compile time), or NULL */
static const struct el2_reg *pair_of(const struct el2_reg *r)
{
	return r->pair_row < NV_ROW_NR ? &el2_sysreg_map[r->pair_row] : NULL;
}

/* EL1 row r: is its live register taken by its EL2 pair in vEL2 */
static bool displaced_in_vel2(const struct el2_reg *r, bool e2h)
{
	const struct el2_reg *p;

	if (!(r->flags & NV_EL1) || (r->flags & (NV_ALWAYS_LIVE | NV_COMPUTED)))
		return false;
	p = pair_of(r);
	return p && live_in_vel2(p, e2h);
}

static void store_of(const struct el2_reg *r, enum nv_loc_kind *kind,
		     unsigned *off)
{
	if (r->flags & NV_IN_VNCR) {
		*kind = NV_LOC_VNCR;
		*off = r->vncr;
	} else if (r->flags & NV_IN_VCPU) {
		*kind = NV_LOC_VCPU;
		*off = r->slot;
	} else {
		*kind = NV_LOC_NONE;
		*off = 0;
	}
}

/* where the register of row r lives, for the level and this E2H */
static void row_location(const struct vcpu *v, const struct el2_reg *r,
			 bool e2h, struct nv_loc *loc)
{
	bool in2 = v->nv.in_vel2;
	bool live;

	loc->reg = r;
	loc->live = NV_EL1_NONE;
	loc->translated = false;
	loc->live_mask = ~0UL;
	store_of(r, &loc->store, &loc->store_off);
	loc->kind = loc->store;
	loc->off = loc->store_off;
	if (r->flags & NV_COMPUTED) {
		loc->kind = NV_LOC_COMPUTED;
		return;
	}
	if (r->flags & NV_ALWAYS_LIVE)
		live = true;
	else if (r->flags & NV_EL1)
		live = !(in2 && displaced_in_vel2(r, e2h));
	else
		live = in2 && live_in_vel2(r, e2h);
	if (!live)
		return;
	loc->kind = NV_LOC_LIVE;
	loc->live = (enum nv_el1_reg)r->live;
	if (r->flags & NV_EL1)
		return; /* the EL1 register itself: its store is not current */
	loc->translated = !e2h && (r->flags & NV_TRANSLATED);
	if (e2h && r->e2h1_mask)
		loc->live_mask = r->e2h1_mask;
}

/* k: enc's entry in the register table (sysreg_lookup) */
static const struct el2_reg *locate(const struct vcpu *v,
				    const struct sysreg_key *k, uint32_t enc,
				    bool e2h, struct nv_loc *where)
{
	const struct el2_reg *r = nv_find_key(k);

	enc &= SYSREG_ISS_MASK;
	where->reg = NULL;
	where->kind = NV_LOC_NONE;
	if (!r)
		return NULL;
	if (r->alias && enc == r->alias) {
		/* _EL12/_EL02: only at EL2 with E2H = 1 (D8.13) */
		if (!e2h) {
			where->kind = NV_LOC_UNDEF;
			return NULL;
		}
	} else if ((r->flags & NV_EL1) && !(r->flags & NV_NO_VHE) &&
		   v->nv.in_vel2 && e2h && pair_of(r)) {
		/* FEAT_VHE: the _EL1 name reaches the EL2 register */
		r = pair_of(r);
	}
	row_location(v, r, e2h, where);
	return r;
}

const struct el2_reg *nv_locate(const struct vcpu *v, uint32_t enc,
				struct nv_loc *where)
{
	return locate(v, sysreg_lookup(enc), enc, nv_guest_e2h(v), where);
}

uint64_t *nv_stored(struct vcpu *v, const struct el2_reg *r)
{
	if (r->flags & NV_IN_VNCR)
		return &vcpu_vncr(v, r->vncr);
	if (r->flags & NV_IN_VCPU)
		return &v->nv.regs[r->slot];
	return NULL;
}

static uint64_t *store_ptr(struct vcpu *v, enum nv_loc_kind kind, unsigned off)
{
	if (kind == NV_LOC_VNCR)
		return &vcpu_vncr(v, off);
	if (kind == NV_LOC_VCPU)
		return &v->nv.regs[off];
	return NULL;
}

/* the EL2 view of a live register: the live value for the bits it holds,
 * the stored copy for the rest */
static uint64_t merge_live(const struct el2_reg *r, bool translated,
			   uint64_t mask, uint64_t el1, uint64_t stored)
{
	if (translated)
		return r->from_el1(el1, stored);
	return (el1 & mask) | (stored & ~mask);
}

static uint64_t el1_value(const struct el2_reg *r, bool translated,
			  uint64_t val)
{
	return translated ? r->to_el1(val) : val;
}

/* TVAL (D24.10.5 and siblings): a 32-bit down-counter view of CVAL:
 * reads (CVAL - count)<31:0>, writes CVAL = count + SignExtend(val<31:0>).
 * The EL2 timers and the EL1 physical timer count the physical count, the
 * EL1 virtual timer physical - CNTVOFF_EL2. */
static uint64_t tval_count(const struct vcpu *v, const struct el2_reg *r)
{
	uint64_t count = nv_arch_read_cntpct();

	if (r->flags & NV_VCOUNT)
		count -= vcpu_vncr(v, VNCR_CNTVOFF_EL2);
	return count;
}

static void cval_loc(const struct vcpu *v, const struct el2_reg *r,
		     struct nv_loc *loc)
{
	row_location(v, &el2_sysreg_map[r->cval_row], nv_guest_e2h(v), loc);
}

static uint64_t read_loc(struct vcpu *v, const struct nv_loc *loc)
{
	const struct el2_reg *r = loc->reg;
	uint64_t *st;
	struct nv_loc cl;

	switch (loc->kind) {
	case NV_LOC_VNCR:
	case NV_LOC_VCPU:
		return *store_ptr(v, loc->kind, loc->off);
	case NV_LOC_LIVE:
		st = store_ptr(v, loc->store, loc->store_off);
		if (!st || (r->flags & NV_EL1))
			return nv_arch_read_el1(loc->live);
		return merge_live(r, loc->translated, loc->live_mask,
				  nv_arch_read_el1(loc->live), *st);
	case NV_LOC_COMPUTED:
		if (!r->cval) /* the GIC status registers */
			return nv_ich_status(v, r->enc);
		cval_loc(v, r, &cl);
		return (uint32_t)(read_loc(v, &cl) - tval_count(v, r));
	default:
		return 0;
	}
}

static void write_loc(struct vcpu *v, const struct nv_loc *loc, uint64_t val)
{
	const struct el2_reg *r = loc->reg;
	uint64_t *st;
	struct nv_loc cl;

	switch (loc->kind) {
	case NV_LOC_VNCR:
	case NV_LOC_VCPU:
		*store_ptr(v, loc->kind, loc->off) = val;
		break;
	case NV_LOC_LIVE:
		st = store_ptr(v, loc->store, loc->store_off);
		if (st && !(r->flags & NV_EL1))
			*st = val;
		nv_arch_write_el1(loc->live,
				  (r->flags & NV_EL1)
				      ? val
				      : el1_value(r, loc->translated, val));
		break;
	case NV_LOC_COMPUTED:
		if (!r->cval)
			break;
		cval_loc(v, r, &cl);
		write_loc(v, &cl,
			  tval_count(v, r) + (uint64_t)(int64_t)(int32_t)val);
		break;
	default:
		break;
	}
}

/* ---- context switch ---- */

static void swap_in(struct vcpu *v, bool e2h)
{
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];

		if (displaced_in_vel2(r, e2h))
			*nv_stored(v, r) = nv_arch_read_el1(r->live);
	}
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];
		bool tr = !e2h && (r->flags & NV_TRANSLATED);

		if (live_in_vel2(r, e2h))
			nv_arch_write_el1(r->live,
					  el1_value(r, tr, *nv_stored(v, r)));
	}
	v->nv.in_vel2 = true;
	v->nv.loaded_e2h = e2h;
}

static void swap_out(struct vcpu *v, bool e2h)
{
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];
		bool tr = !e2h && (r->flags & NV_TRANSLATED);
		uint64_t mask = e2h && r->e2h1_mask ? r->e2h1_mask : ~0UL;
		uint64_t *st;

		if (!live_in_vel2(r, e2h))
			continue;
		st = nv_stored(v, r);
		*st = merge_live(r, tr, mask, nv_arch_read_el1(r->live), *st);
	}
	for (unsigned i = 0; i < el2_sysreg_map_len; i++) {
		const struct el2_reg *r = &el2_sysreg_map[i];

		if (displaced_in_vel2(r, e2h))
			nv_arch_write_el1(r->live, *nv_stored(v, r));
	}
	v->nv.in_vel2 = false;
}

void nv_enter_vel2(struct vcpu *v)
{
	if (!v->nv.in_vel2)
		swap_in(v, nv_guest_e2h(v));
}

void nv_leave_vel2(struct vcpu *v)
{
	if (v->nv.in_vel2)
		swap_out(v, v->nv.loaded_e2h);
}

void nv_sync_e2h(struct vcpu *v)
{
	bool e2h = nv_guest_e2h(v);

	if (v->nv.in_vel2 && v->nv.loaded_e2h != e2h) {
		swap_out(v, v->nv.loaded_e2h);
		swap_in(v, e2h);
	}
}

void nv_reset(struct vcpu *v, bool enabled)
{
	memset(&v->nv, 0, sizeof(v->nv));
	v->nv.enabled = enabled;
}

/* ---- accessors ---- */

uint64_t vcpu_read_sys_reg(struct vcpu *v, uint32_t enc)
{
	struct nv_loc loc;

	nv_sync_e2h(v);
	nv_locate(v, enc, &loc);
	return read_loc(v, &loc);
}

void vcpu_write_sys_reg(struct vcpu *v, uint32_t enc, uint64_t val)
{
	struct nv_loc loc;

	nv_sync_e2h(v);
	if (!nv_locate(v, enc, &loc) || (loc.reg->flags & NV_READ_ONLY))
		return;
	write_loc(v, &loc, val);
	/* a write of HCR_EL2 may change E2H: the layout of the live vEL2
	 * context changes with it */
	nv_sync_e2h(v);
}

enum nv_access nv_sysreg_access_key(struct vcpu *v, const struct sysreg_key *k,
				    uint32_t enc, bool is_write, uint64_t *val)
{
	struct nv_loc loc;

	nv_sync_e2h(v);
	locate(v, k, enc, nv_guest_e2h(v), &loc);
	if (loc.kind == NV_LOC_NONE)
		return NV_ACCESS_NOT_NV;
	if (loc.kind == NV_LOC_UNDEF)
		return NV_ACCESS_UNDEF;
	if (is_write) {
		if (loc.reg->flags & NV_READ_ONLY)
			return NV_ACCESS_UNDEF;
		write_loc(v, &loc, *val);
		nv_sync_e2h(v);
	} else {
		*val = read_loc(v, &loc);
	}
	return NV_ACCESS_DONE;
}

enum nv_access nv_sysreg_access(struct vcpu *v, uint32_t enc, bool is_write,
				uint64_t *val)
{
	return nv_sysreg_access_key(v, sysreg_lookup(enc), enc, is_write, val);
}
