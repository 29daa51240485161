/*
 * Shadow stage-2 tables: see include/hyp/shadow_s2.h and docs/nested.md.
 * L1's stage 2 is walked by mm/walk.c (AArch64.S2Translate, J1.1.4), then
 * hypnest's stage 2 of L1 through ops->l1_s2; the shadow leaf is built by
 * mm/pgtable.c. Everything runs under the pool's lock.
 */
#include "hyp/shadow_s2.h"
#include "arch/esr.h"

#define PAGE 4096ULL
#define ROOT_ENTRIES 512
#define IPA_SPAN (1ULL << 48) /* the shadow's input range */

/* stage-2 descriptor bits (D8.3.2) */
#define S2_AF BIT(10)
#define S2_R BIT(6)
#define S2_W BIT(7)
#define S2_XN BIT(54)
#define S2_FNXS BIT(11) /* FEAT_XS */

/* ESR_EL2 (D24.2.45) */
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_DABT_LOW 0x24
#define ESR_ISV BIT(24)
#define ESR_ISV_SYNDROME GENMASK(24, 14) /* ISV, SAS, SSE, SRT, SF, AR */
#define ESR_CM BIT(8)
#define ESR_S1PTW BIT(7)
#define ESR_WNR BIT(6)
#define FSC_PERM_MASK 0x3c
#define FSC_PERM 0x0c

/* ---- table pages: counted, bounded ---- */

static int table_alloc(void *ctx, paddr_t *pa)
{
	struct shadow_s2 *s = ctx;
	struct shadow_s2_pool *p = s->pool;

	if (p->pages >= p->max_pages || p->ops->alloc_page(p->ops->arg, pa))
		return -1;
	p->pages++;
	s->pages++;
	return 0;
}

/* give back a detached table and every table below it */
static void free_tree(struct shadow_s2 *s, uint64_t *table, unsigned level)
{
	struct shadow_s2_pool *p = s->pool;

	for (unsigned i = 0; level < 3 && i < ROOT_ENTRIES; i++)
		if (pt_is_table(table[i], level))
			free_tree(s, pt_table_of(table[i]), level + 1);
	p->ops->free_page(p->ops->arg, (paddr_t)(uintptr_t)table);
	p->pages--;
	s->pages--;
}

static void unmap_range(struct shadow_s2 *s, uint64_t ipa, uint64_t size);

/* empty a shadow: every table below the root (one real TLBI for all of
 * it, per batch of detached tables) */
static void empty(struct shadow_s2 *s)
{
	unmap_range(s, 0, IPA_SPAN);
	s->max_split = 0;
}

int shadow_s2_init(struct shadow_s2_pool *p, const struct shadow_s2_ops *ops,
		   const struct walk_features *feat, uint64_t max_pages,
		   uint64_t max_leaf)
{
	*p = (struct shadow_s2_pool){ .ops = ops,
				      .feat = feat,
				      .max_pages = max_pages };
	if (max_pages < SHADOW_S2_SLOTS + 3)
		return -1; /* a root each, and one walk's worth of tables */
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		struct shadow_s2 *s = &p->s[i];
		paddr_t root;

		*s = (struct shadow_s2){ .pool = p, .slot = i };
		if (ops->alloc_page(ops->arg, &root))
			return -1;
		p->pages++;
		s->pt = (struct pgtable){ .root = (uint64_t *)(uintptr_t)root,
					  .start_level = 0,
					  .alloc_page = table_alloc,
					  .ctx = s,
					  .max_leaf = max_leaf };
	}
	return 0;
}

/* ---- the pool ---- */

static struct shadow_s2 *lru(struct shadow_s2_pool *p, bool unheld,
			     const struct shadow_s2 *skip)
{
	struct shadow_s2 *best = NULL;

	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		struct shadow_s2 *s = &p->s[i];

		if (s == skip || (unheld && s->users) || (!unheld && !s->pages))
			continue;
		if (unheld && !s->valid)
			return s;
		if (!best || s->last_used < best->last_used)
			best = s;
	}
	return best;
}

struct shadow_s2 *shadow_s2_get(struct shadow_s2_pool *p, uint64_t vttbr,
				uint64_t vtcr)
{
	uint64_t vmid = shadow_s2_vmid(vttbr, vtcr);
	uint64_t baddr = vttbr & GENMASK(47, 1); /* CnP dropped */
	struct shadow_s2 *s = NULL;

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS && !s; i++) {
		struct shadow_s2 *c = &p->s[i];

		if (c->valid && c->vmid == vmid && c->baddr == baddr &&
		    c->vtcr == vtcr)
			s = c;
	}
	if (!s) {
		s = lru(p, true, NULL);
		if (s) {
			p->recycled += s->valid;
			empty(s);
			s->valid = true;
			s->vmid = vmid;
			s->baddr = baddr;
			s->vtcr = vtcr;
		}
	}
	if (s) {
		s->users++;
		s->last_used = ++p->tick;
	}
	spin_unlock(&p->lock);
	return s;
}

void shadow_s2_put(struct shadow_s2_pool *p, struct shadow_s2 *s)
{
	spin_lock(&p->lock);
	if (s->users)
		s->users--;
	spin_unlock(&p->lock);
}

/* room for one more leaf in s (three tables below the root at most):
 * the least recently used shadow's tables go first, s's own last */
static bool make_room(struct shadow_s2_pool *p, struct shadow_s2 *s)
{
	while (p->pages + 3 > p->max_pages) {
		struct shadow_s2 *v = lru(p, false, s);

		if (!v) {
			if (!s->pages)
				return false;
			v = s;
		}
		empty(v);
		p->reclaimed++;
	}
	return true;
}

/* ---- the fault ---- */

/* the 4K-granule leaf sizes hypnest's tables have (D8.3.1) */
static uint64_t leaf_size(uint64_t max)
{
	static const uint64_t sizes[] = { 1ULL << 30, 1ULL << 21, PAGE };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] <= max)
			return sizes[i];
	return PAGE;
}

static bool s2_device(uint64_t memattr, bool fwb)
{
	return fwb ? !(memattr & 4) : !(memattr & 0xc);
}

/* The memory type of the composed stage 2: L1's stage-2 MemAttr (in the
 * format its HCR_EL2.FWB selects, which the real FWB copies while L2
 * runs) limited by hypnest's (FWB = 0 format): Device wins and the
 * stricter Device type, else the weaker cacheability (D8.6.5,
 * S2CombineS1MemAttrs applied to the two stage-2 results) */
static uint64_t memattr(uint64_t l1, bool fwb, uint64_t h)
{
	uint64_t o, i;

	if (h == 0xf)
		return l1; /* Normal Write-Back: L1's choice stands */
	if (s2_device(h, false)) {
		if (s2_device(l1, fwb))
			return MIN(l1 & 3, h & 3);
		return h & 3;
	}
	if (s2_device(l1, fwb))
		return l1;
	if (fwb)
		return 0x5; /* Normal NC (FWB: MemAttr[2:0] = 0b101) */
	o = MIN(FIELD(l1, 3, 2), FIELD(h, 3, 2));
	i = MIN(FIELD(l1, 1, 0), FIELD(h, 1, 0));
	return o << 2 | i;
}

/* the wider shareability: Outer over Inner over Non-shareable */
/* the abort L1 takes at its vEL2 for L1's stage-2 fault res (D8.15,
 * ESR_EL2 D24.2.45, HPFAR_EL2 D24.2.76): the real exit's EC and IL, the
 * fault status from L1's walk, the access syndrome of the real exit
 * (ISV ... AR, CM, S1PTW, WnR): hardware reports the same access */
static void to_l1(const struct shadow_s2_exit *x, const struct walk_result *res,
		  struct shadow_s2_result *r)
{
	unsigned ec = (unsigned)FIELD(x->esr, 31, 26);
	uint64_t iss = walk_fsc(res) | (x->esr & ESR_S1PTW);

	if (ec == ESR_EC_DABT_LOW) {
		iss |= x->esr & (ESR_CM | ESR_WNR);
		/* with FEAT_RAS, ISV is 0 for a synchronous External abort
		 * (the stage-2 walk's); no syndrome on a stage-1 walk */
		if (res->fault != WALK_FAULT_EXT_ABORT && (x->esr & ESR_ISV) &&
		    !(x->esr & ESR_S1PTW))
			iss |= x->esr & ESR_ISV_SYNDROME;
	}
	/* ISS2 (FEAT_LS64, GCS, S1POE...: not offered) is 0; EA, FnV 0;
	 * IL is 1 without an instruction syndrome */
	r->outcome = SHADOW_S2_TO_L1;
	r->esr = (uint64_t)ec << 26 | iss |
		 ((iss & ESR_ISV) ? (x->esr & ESR_IL_32BIT) : ESR_IL_32BIT);
	r->far = x->far;
	/* written for translation, access flag and address size faults and
	 * for any on a stage-1 walk; UNKNOWN otherwise, where the IPA is as
	 * good a value as any (and what L1's fault handler wants) */
	r->hpfar = shadow_s2_hpfar(x->ipa);
}

/* the access of the real exit as L1's stage 2 judges it */
struct access {
	bool fetch, write, cm;
};

static struct access access_of(const struct shadow_s2_exit *x)
{
	bool dabt = FIELD(x->esr, 31, 26) == ESR_EC_DABT_LOW;
	bool ptw = x->esr & ESR_S1PTW;

	/* a stage-1 walk reads (WnR: a hardware update of its descriptor);
	 * a cache maintenance instruction reports WnR = 1 (D24.2.45) */
	return (struct access){
		.fetch = !dabt && !ptw,
		.write = dabt && (x->esr & ESR_WNR) && !(x->esr & ESR_CM),
		.cm = dabt && !ptw && (x->esr & ESR_CM),
	};
}

static void walk_l1(struct shadow_s2_pool *p, const struct shadow_s2 *s,
		    const struct shadow_s2_l1regs *regs,
		    const struct shadow_s2_exit *x, const struct access *a,
		    struct walk_result *res)
{
	struct walk_ctx c = {
		.feat = p->feat,
		.s2 = { .vtcr = s->vtcr,
			.vttbr = s->baddr,
			.fwb = regs->fwb,
			.ptw = regs->ptw,
			.ee = regs->ee },
		.read = p->ops->read,
		.arg = p->ops->arg,
	};
	struct walk_access acc = { .el0 = x->el0, .write = a->write };

	walk_s2(&c, x->ipa, &acc, res);
	/* a cache maintenance instruction by VA has no stage-2 permission
	 * to check but DC IVAC's write (D8.15.3 R_JYWZL, D7.5): the leaf
	 * the two stages give is installed, and when the real stage 2
	 * faults on that write, it is L1's (shadow_s2_fault) */
	if (a->cm && res->fault == WALK_FAULT_PERMISSION)
		res->fault = WALK_OK;
	/* an instruction fetch needs execute permission, not read */
	if (a->fetch && res->fault == WALK_FAULT_PERMISSION) {
		if (x->el0 ? res->ux : res->px)
			res->fault = WALK_OK;
	} else if (a->fetch && res->fault == WALK_OK &&
		   !(x->el0 ? res->ux : res->px)) {
		res->fault = WALK_FAULT_PERMISSION;
	}
	/* HCR_EL2.PTW: a stage-1 walk into Device memory is a stage-2
	 * Permission fault (D24.2.62, D8.15.4.1) */
	if (res->fault == WALK_OK && (x->esr & ESR_S1PTW) && regs->ptw &&
	    res->attrs.device)
		res->fault = WALK_FAULT_PERMISSION;
}

/* FEAT_HAFDBS: the hardware sets the access flag (VTCR_EL2.HA) and, for
 * a write to a DBM page (HD), S2AP[1] in L1's descriptor (D8.4.12-13).
 * False: the descriptor changed, the access is replayed. */
static bool update_desc(struct shadow_s2_pool *p,
			const struct shadow_s2_l1regs *regs,
			const struct walk_result *res, bool write)
{
	uint64_t old = res->desc, val = old | S2_AF;

	if (write && !(old & S2_W))
		val |= S2_W; /* the walker granted it through DBM */
	if (val == old)
		return true;
	if (regs->ee)
		return p->ops->cas(p->ops->arg, res->desc_pa,
				   __builtin_bswap64(old),
				   __builtin_bswap64(val));
	return p->ops->cas(p->ops->arg, res->desc_pa, old, val);
}

/* the shadow leaf: L1's permissions and hypnest's intersected, size the
 * smaller (as a 4K-granule leaf), the memory types combined; mapped in one
 * go as leaves of at most the pool's max_leaf ("leaf" bytes each) */
struct leaf {
	uint64_t ipa, pa, size, leaf, attrs;
};

static struct leaf leaf_for(const struct shadow_s2 *s,
			    const struct shadow_s2_l1regs *regs,
			    const struct shadow_s2_exit *x,
			    const struct walk_result *res,
			    const struct shadow_s2_l1map *m, bool write)
{
	bool l1w = (res->desc & S2_W) || write; /* write: DBM now dirty */
	bool xn = !(res->px && res->ux && m->x);
	uint64_t sz = leaf_size(MIN(res->size, m->size));
	struct leaf l = { .ipa = x->ipa & ~(sz - 1),
			  .pa = m->pa & ~(sz - 1),
			  .size = sz,
			  .leaf =
			      s->pt.max_leaf ? MIN(sz, s->pt.max_leaf) : sz };

	l.attrs = S2_AF | (res->desc & S2_FNXS) | (res->r && m->r ? S2_R : 0) |
		  (l1w && m->w ? S2_W : 0) | (xn ? S2_XN : 0);
	l.attrs |=
	    memattr(FIELD(res->desc, 5, 2), regs->fwb, FIELD(m->attrs, 5, 2))
	    << 2;
	l.attrs |= walk_combine_sh((uint8_t)FIELD(res->desc, 9, 8),
				   (uint8_t)FIELD(m->attrs, 9, 8))
		   << 8;
	return l;
}

/* s already holds exactly the leaf of l that translates ipa */
static bool present(const struct shadow_s2 *s, const struct leaf *l,
		    uint64_t ipa)
{
	uint64_t desc, off = (ipa - l->ipa) & ~(l->leaf - 1);
	unsigned level;

	return !pt_lookup(&s->pt, ipa, &desc, &level) &&
	       1ULL << PT_LEVEL_SHIFT(level) == l->leaf &&
	       (desc & ~3ULL) == ((l->pa + off) | l->attrs);
}

static int install(struct shadow_s2 *s, const struct leaf *l)
{
	int ret = pt_map(&s->pt, l->ipa, l->pa, l->size, l->attrs);

	if (ret == PT_ECONFLICT) {
		/* a stale leaf (L1 changed its tables, its TLBI is still to
		 * come), or smaller ones where the block goes: replaced */
		unmap_range(s, l->ipa, l->size);
		ret = pt_map(&s->pt, l->ipa, l->pa, l->size, l->attrs);
	}
	return ret;
}

void shadow_s2_fault(struct shadow_s2_pool *p, struct shadow_s2 *s,
		     const struct shadow_s2_l1regs *regs,
		     const struct shadow_s2_exit *x, struct shadow_s2_result *r)
{
	struct access a = access_of(x);
	struct walk_result res;
	struct shadow_s2_l1map m;
	struct leaf l;

	*r = (struct shadow_s2_result){ .outcome = SHADOW_S2_TO_L1 };
	spin_lock(&p->lock);
	s->last_used = ++p->tick;
	walk_l1(p, s, regs, x, &a, &res);
	if (res.fault != WALK_OK) {
		to_l1(x, &res, r);
		goto out;
	}
	r->l1_pa = res.out;
	if (!p->ops->l1_s2(p->ops->arg, res.out, &m) || (a.write && !m.w) ||
	    (a.fetch && !m.x) || (!a.fetch && !a.write && !a.cm && !m.r)) {
		r->outcome = SHADOW_S2_L1_PA;
		goto out;
	}
	l = leaf_for(s, regs, x, &res, &m, a.write);
	/* a permission fault on the leaf the two stages give: L1's stage 2
	 * forbids what the access needs (a cache maintenance instruction's
	 * write, say) though the walk's read/write check passed */
	if ((x->esr & FSC_PERM_MASK) == FSC_PERM && present(s, &l, x->ipa)) {
		/* the write that L1 grants and hypnest does not is hypnest's */
		if (res.w && !m.w) {
			r->outcome = SHADOW_S2_L1_PA;
			goto out;
		}
		res.fault = WALK_FAULT_PERMISSION;
		to_l1(x, &res, r);
		goto out;
	}
	if (!update_desc(p, regs, &res, a.write)) {
		r->outcome = SHADOW_S2_RETRY;
		goto out;
	}
	r->outcome = SHADOW_S2_NOMEM;
	if (!make_room(p, s))
		goto out;
	/* after make_room, which may have emptied s (and its max_split): an
	 * L1 leaf held as smaller ones goes whole on a TLBI by IPA of any
	 * address in it (D8.17: stage 2 information of one Block cached as
	 * smaller entries is invalidated whole; shadow_s2_unmap_ipa) */
	if (res.size > l.leaf)
		s->max_split = MAX(s->max_split, res.size);
	if (install(s, &l) != PT_OK)
		goto out;
	r->outcome = SHADOW_S2_MAPPED;
	r->map_ipa = l.ipa;
	r->map_pa = l.pa;
	r->map_size = l.size;
out:
	spin_unlock(&p->lock);
}

/* ---- invalidation ---- */

#define DETACH_MAX 16

struct unmap {
	struct shadow_s2 *s;
	uint64_t lo, hi; /* [lo, hi) of L2 IPA */
	bool cleared;
	unsigned n;
	struct {
		uint64_t *table;
		unsigned level;
	} detached[DETACH_MAX];
};

/* the real TLBs first, then the tables nothing reaches any more */
static void unmap_flush(struct unmap *u)
{
	struct shadow_s2_pool *p = u->s->pool;

	if (u->cleared && u->lo == 0 && u->hi == IPA_SPAN)
		p->ops->tlbi(p->ops->arg, u->s->slot, 0, 0); /* all of it */
	else if (u->cleared)
		p->ops->tlbi(p->ops->arg, u->s->slot, u->lo, u->hi - u->lo);
	for (unsigned i = 0; i < u->n; i++)
		free_tree(u->s, u->detached[i].table, u->detached[i].level);
	u->cleared = false;
	u->n = 0;
}

/* clear the leaves of table (at level, covering from base) that meet
 * [lo, hi), and detach the tables wholly inside it: visits only what is
 * there */
static void unmap_level(struct unmap *u, uint64_t *table, unsigned level,
			uint64_t base)
{
	unsigned shift = PT_LEVEL_SHIFT(level);
	uint64_t blk = 1ULL << shift, span = blk * ROOT_ENTRIES;
	uint64_t lo = MAX(u->lo, base), hi = MIN(u->hi, base + span);

	for (uint64_t i = (lo - base) >> shift; base + i * blk < hi; i++) {
		uint64_t *pte = &table[i], d = *pte, start = base + i * blk;

		if (!(d & PTE_VALID))
			continue;
		if (pt_is_table(d, level) &&
		    (start < u->lo || start + blk > u->hi)) {
			unmap_level(u, pt_table_of(d), level + 1, start);
			continue;
		}
		__atomic_store_n(pte, 0, __ATOMIC_RELAXED);
		u->cleared = true;
		if (pt_is_table(d, level)) {
			if (u->n == DETACH_MAX)
				unmap_flush(u);
			u->detached[u->n].table = pt_table_of(d);
			u->detached[u->n++].level = level + 1;
		}
	}
}

static void unmap_range(struct shadow_s2 *s, uint64_t ipa, uint64_t size)
{
	struct unmap u = { .s = s, .lo = ipa, .hi = ipa + size };

	if (!size || ipa >= IPA_SPAN)
		return;
	u.hi = MIN(u.hi - 1, IPA_SPAN - 1) + 1; /* no wrap */
	unmap_level(&u, s->pt.root, 0, 0);
	unmap_flush(&u);
}

void shadow_s2_unmap_ipa(struct shadow_s2_pool *p, uint64_t vmid, uint64_t ipa,
			 uint64_t size)
{
	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++) {
		uint64_t lo = ipa, hi = ipa + size;

		if (!p->s[i].valid || p->s[i].vmid != vmid || !p->s[i].pages ||
		    !size || ipa >= IPA_SPAN)
			continue;
		hi = (hi < lo || hi > IPA_SPAN) ? IPA_SPAN : hi;
		/* an L1 leaf split here goes whole, wherever it was named
		 * (C5.5.13: every entry needed to translate the IPA) */
		if (p->s[i].max_split) {
			lo &= ~(p->s[i].max_split - 1);
			hi = MIN(ALIGN_UP(hi, p->s[i].max_split), IPA_SPAN);
		}
		unmap_range(&p->s[i], lo, hi - lo);
	}
	spin_unlock(&p->lock);
}

void shadow_s2_unmap_all(struct shadow_s2_pool *p, uint64_t vmid)
{
	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
		if (p->s[i].valid && p->s[i].vmid == vmid)
			empty(&p->s[i]);
	spin_unlock(&p->lock);
}

void shadow_s2_unmap_every(struct shadow_s2_pool *p)
{
	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
		empty(&p->s[i]);
	spin_unlock(&p->lock);
}
