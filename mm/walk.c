/*
 * The software translation-table walker: see include/hyp/walk.h. Each
 * function follows the Arm ARM pseudocode function named in its comment
 * (DDI 0487 M.a.a, J1.1.4 unless said otherwise), without the features the
 * header lists as not modelled. Where the architecture leaves a choice to
 * the implementation, the choice is named in a comment.
 */
#include "hyp/walk.h"

#define FINAL_LEVEL 3

/* descriptor bits (D8.3) */
#define D_VALID BIT(0)
#define D_TABLE BIT(1) /* levels 0-2: table, level 3: page */
#define D_AF BIT(10)
#define D_DBM BIT(51)
#define D_PXN BIT(53) /* stage 1 EL1&0; stage 2 XN[0] with FEAT_XNX */
#define D_XN BIT(54)  /* stage 1 UXN / XN; stage 2 XN[1] */
#define D_PXNTABLE BIT(59)
#define D_UXNTABLE BIT(60) /* XNTable in the EL2 regime */
#define D_APTABLE0 BIT(61) /* no EL0 access below */
#define D_APTABLE1 BIT(62) /* no write access below */

/* ---- one stage's walk parameters ---- */

struct params {
	unsigned gbits;	 /* granule: 12, 14, 16 */
	unsigned iabits; /* input address size */
	unsigned oabits; /* output address size */
	int start;	 /* start level */
	uint64_t base;	 /* start table */
	bool ee;	 /* big-endian descriptors */
	bool ha, hd;	 /* hardware access flag / dirty state */
	bool hpd;	 /* stage 1: hierarchical permissions disabled */
};

static unsigned stride(const struct params *p)
{
	return p->gbits - 3;
}

/* bytes a leaf at this level maps: TranslationSize */
static unsigned leaf_bits(const struct params *p, int level)
{
	return p->gbits + stride(p) * (unsigned)(FINAL_LEVEL - level);
}

/* AArch64.PhysicalAddressSize: {I}PS, capped by PAMax (and 48 bits:
 * FEAT_LPA is not modelled) */
static unsigned ps_bits(const struct walk_features *f, unsigned ps)
{
	static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	return MIN(MIN((unsigned)bits[ps & 7], f->pa_bits), 48U);
}

/* AArch64.MaxTxSZ */
static unsigned max_txsz(const struct walk_features *f, unsigned gbits)
{
	if (!f->ttst)
		return 39;
	return gbits == 16 ? 47 : 48;
}

/* A granule the guest's CPU does not have, or a reserved TGx encoding:
 * IMPLEMENTATION DEFINED which one is used (AArch64.S1DecodeTG0 etc.);
 * here the smallest it has. */
static unsigned pick_granule(unsigned want, bool g4, bool g16, bool g64)
{
	if ((want == 12 && g4) || (want == 14 && g16) || (want == 16 && g64))
		return want;
	return g4 ? 12 : g16 ? 14 : 16;
}

/* Align(ttbr<47:1>, 2^tsize): the start table, sized by the number of
 * input bits the start level resolves (AArch64.S1TTBaseAddress) */
static uint64_t table_base(const struct params *p, uint64_t ttbr)
{
	unsigned levels = (unsigned)(FINAL_LEVEL - p->start);
	unsigned tsize = p->iabits - (levels * stride(p) + p->gbits) + 3;

	return ttbr & GENMASK(47, 1) & ~GENMASK(tsize - 1, 0);
}

/* the descriptor address for ia in the table at base (the start table
 * may be larger than a granule: concatenated tables at stage 2) */
static uint64_t entry_addr(const struct params *p, uint64_t base, int level,
			   uint64_t ia)
{
	unsigned lsb = leaf_bits(p, level);
	unsigned msb = level == p->start ? p->iabits - 1 : lsb + stride(p) - 1;

	return base | (((ia >> lsb) & GENMASK(msb - lsb, 0)) << 3);
}

static bool oa_out_of_range(const struct params *p, uint64_t addr)
{
	return (addr & ~GENMASK(p->oabits - 1, 0)) != 0;
}

/* AArch64.BlockDescSupported (no FEAT_LPA2, PAMax below 52 bits) */
static bool block_ok(const struct params *p, int level)
{
	if (p->gbits == 12)
		return level == 1 || level == 2;
	return level == 2;
}

static void fault(struct walk_result *r, enum walk_fault f, int level)
{
	r->fault = f;
	r->level = level;
}

/* ---- memory attributes (J1.3.5) ---- */

/* DecodeLDFAttr: a MAIR nibble of Normal memory */
static struct walk_cacheability ldf(unsigned a)
{
	struct walk_cacheability c = { WALK_WB, 0, false };

	if (a == 0x4)
		return (struct walk_cacheability){ WALK_NC, 0, false };
	c.kind = (a & 4) ? WALK_WB : WALK_WT;
	c.hints = a & 3;
	c.transient = c.hints && !(a & 8);
	return c;
}

/* S1DecodeMemAttrs: MAIR attribute byte attr, descriptor SH sh. The
 * reserved encodings decode as their neighbours (CONSTRAINED
 * UNPREDICTABLE: any allocated encoding). */
static struct walk_attrs s1_attrs(unsigned attr, unsigned sh)
{
	struct walk_attrs a = { .sh = (uint8_t)sh };

	if ((attr & 0xf0) == 0) {
		a.device = true;
		a.dev = (attr >> 2) & 3;
		a.xs = !(attr & 1);
		return a;
	}
	if (attr == 0x40) { /* Normal NC, XS = 0 (FEAT_XS) */
		a.inner = a.outer = ldf(0x4);
		return a;
	}
	if (attr == 0xa0) { /* Normal WT read-allocate, XS = 0 */
		a.inner = a.outer = ldf(0xa);
		return a;
	}
	a.outer = ldf(attr >> 4);
	a.inner = ldf(attr & 0xf);
	a.xs = !(a.inner.kind == WALK_WB && a.outer.kind == WALK_WB);
	return a;
}

static bool is_nc(const struct walk_attrs *a)
{
	return !a->device && a->inner.kind == WALK_NC &&
	       a->outer.kind == WALK_NC;
}

/* NormalNCMemAttr (with the XS of what it replaces) */
static struct walk_attrs normal_nc(bool xs)
{
	struct walk_attrs a = { .sh = 2, .xs = xs };

	a.inner = a.outer = ldf(0x4);
	return a;
}

/* S2DecodeCacheability: 01 NC, 10 WT, 11 WB; no hints of its own */
static struct walk_cacheability s2_cache(unsigned v)
{
	static const enum walk_cache kind[4] = { WALK_NC, WALK_NC, WALK_WT,
						 WALK_WB };
	return (struct walk_cacheability){ kind[v & 3], 0, false };
}

/* S2DecodeMemAttrs: MemAttr[3:0] of a stage-2 descriptor (FWB = 0) */
static struct walk_attrs s2_attrs(uint64_t desc)
{
	unsigned attr = (unsigned)FIELD(desc, 5, 2);
	struct walk_attrs a = { .sh = (uint8_t)FIELD(desc, 9, 8) };

	a.xs = !(desc & BIT(11)); /* FnXS */
	if ((attr & 0xc) == 0) {
		a.device = true;
		a.dev = attr & 3;
		return a;
	}
	a.outer = s2_cache(attr >> 2);
	a.inner = s2_cache(attr);
	return a;
}

/* S2CombineS1AttrHints: the weaker cacheability, stage 1's hints */
static struct walk_cacheability combine_cache(struct walk_cacheability s1,
					      struct walk_cacheability s2)
{
	struct walk_cacheability c = s1;

	if (s1.kind == WALK_NC || s2.kind == WALK_NC)
		return (struct walk_cacheability){ WALK_NC, 0, false };
	if (s1.kind == WALK_WT || s2.kind == WALK_WT)
		c.kind = WALK_WT;
	return c;
}

/* S2CombineS1Shareability: the wider */
uint8_t walk_combine_sh(uint8_t s1, uint8_t s2)
{
	if (s1 == 2 || s2 == 2)
		return 2;
	if (s1 == 3 || s2 == 3)
		return 3;
	return 0;
}

/* EffectiveShareability: Device and Normal iNCoNC are Outer Shareable */
static void effective_sh(struct walk_attrs *a)
{
	if (a->device || is_nc(a))
		a->sh = 2;
}

/* S2CombineS1MemAttrs (FWB = 0) */
static struct walk_attrs combine(const struct walk_attrs *s1,
				 const struct walk_attrs *s2)
{
	struct walk_attrs a;

	if (s1->device && s2->device) {
		a = *s1;
		a.dev = MIN(s1->dev, s2->dev); /* the stricter type */
	} else if (s1->device) {
		a = *s1;
	} else if (s2->device) {
		a = *s2;
	} else {
		a = *s1;
		a.inner = combine_cache(s1->inner, s2->inner);
		a.outer = combine_cache(s1->outer, s2->outer);
	}
	a.sh = walk_combine_sh(s1->sh, s2->sh);
	if (!a.device && a.inner.kind == WALK_WB && a.outer.kind == WALK_WB)
		a.xs = false;
	else
		a.xs = s1->xs && s2->xs;
	effective_sh(&a);
	return a;
}

/* AArch64.S2ApplyFWBMemAttrs (HCR_EL2.FWB = 1) */
static struct walk_attrs combine_fwb(const struct walk_attrs *s1, uint64_t desc)
{
	unsigned attr = (unsigned)FIELD(desc, 5, 2);
	struct walk_attrs a = *s1;
	struct walk_cacheability rwa = { WALK_WB, 3, false };

	if (!(attr & 4)) { /* stage-2 Device */
		a.device = true;
		a.dev = s1->device ? MIN(s1->dev, attr & 3) : (attr & 3);
	} else if ((attr & 3) == 2) { /* forced Write-Back */
		a.device = false;
		a.inner = (!s1->device && s1->inner.kind != WALK_NC) ? s1->inner
								     : rwa;
		a.outer = (!s1->device && s1->outer.kind != WALK_NC) ? s1->outer
								     : rwa;
		a.inner.kind = a.outer.kind = WALK_WB;
		a.xs = false;
	} else if ((attr & 3) != 3 && !s1->device) { /* Non-cacheable */
		a = normal_nc(s1->xs);
	}
	a.sh = walk_combine_sh(s1->sh, (uint8_t)FIELD(desc, 9, 8));
	if (desc & BIT(11))
		a.xs = false;
	effective_sh(&a);
	return a;
}

/* ---- reading descriptors ---- */

/* a read by the stage-1 walker (AccessType_TTW) */
static const struct walk_access ttw_access = { .el0 = false,
					       .write = false,
					       .pan = false };
static void s2_translate(const struct walk_ctx *c, uint64_t ipa,
			 const struct walk_access *acc, bool ttw,
			 struct walk_result *r);

/* FetchDescriptor at addr (for stage 1 with stage 2 on, an IPA that
 * stage 2 translates first: a fault there is a stage-2 fault on the
 * stage-1 walk) */
static bool fetch(const struct walk_ctx *c, bool s1, const struct params *p,
		  uint64_t addr, int level, uint64_t *desc,
		  struct walk_result *r)
{
	uint64_t pa = addr;

	if (s1 && c->s2_on) {
		struct walk_result r2;

		s2_translate(c, addr, &ttw_access, true, &r2);
		if (r2.fault != WALK_OK) {
			*r = r2;
			r->s1ptw = true;
			return false;
		}
		pa = r2.out;
	}
	if (!c->read(c->arg, pa, desc)) {
		fault(r, WALK_FAULT_EXT_ABORT, level);
		r->stage2 = !s1;
		return false;
	}
	if (p->ee)
		*desc = __builtin_bswap64(*desc);
	r->desc_pa = pa;
	return true;
}

/* ---- the table walk (AArch64.S1Walk, AArch64.S2Walk) ---- */

/* what the walk gathered on the way: the hierarchical permissions */
struct tables {
	bool ap0, ap1, pxn, uxn; /* APTable[0], APTable[1], PXN/UXNTable */
};

/* Walk from the start level to the leaf; fills r->level, desc, out,
 * size, or a fault. */
static bool walk(const struct walk_ctx *c, bool s1, const struct params *p,
		 uint64_t ia, struct tables *t, struct walk_result *r)
{
	int level = p->start;
	uint64_t base = p->base, desc, addr = entry_addr(p, base, level, ia);

	*t = (struct tables){ 0 };
	if (oa_out_of_range(p, addr)) {
		fault(r, WALK_FAULT_ADDR_SIZE, 0);
		return false;
	}
	for (;;) {
		if (!fetch(c, s1, p, addr, level, &desc, r))
			return false;
		if (!(desc & D_VALID)) {
			fault(r, WALK_FAULT_TRANSLATION, level);
			return false;
		}
		if ((desc & D_TABLE) && level < FINAL_LEVEL) {
			base = desc & GENMASK(47, p->gbits);
			if (s1 && !p->hpd) {
				t->ap0 |= !!(desc & D_APTABLE0);
				t->ap1 |= !!(desc & D_APTABLE1);
				t->pxn |= !!(desc & D_PXNTABLE);
				t->uxn |= !!(desc & D_UXNTABLE);
			}
			addr = entry_addr(p, base, level + 1, ia);
			if (oa_out_of_range(p, addr)) {
				fault(r, WALK_FAULT_ADDR_SIZE, level);
				return false;
			}
			level++;
			continue;
		}
		if (!(desc & D_TABLE) && !block_ok(p, level)) {
			fault(r, WALK_FAULT_TRANSLATION, level);
			return false;
		}
		break;
	}
	r->level = level;
	r->desc = desc;
	r->size = 1UL << leaf_bits(p, level);
	r->out =
	    (desc & GENMASK(47, leaf_bits(p, level))) | (ia & (r->size - 1));
	if (oa_out_of_range(p, r->out & ~(r->size - 1))) {
		fault(r, WALK_FAULT_ADDR_SIZE, level);
		return false;
	}
	/* the access flag: with HA the hardware would set it; for an AT
	 * whether it does is IMPLEMENTATION DEFINED (AArch64.SetAccessFlag):
	 * here it does not write the descriptor */
	if (!(desc & D_AF) && !p->ha) {
		fault(r, WALK_FAULT_ACCESS_FLAG, level);
		return false;
	}
	return true;
}

/* ---- stage 2 ---- */

/* AArch64.NSS2TTWParams and the TxSZ/SL checks of AArch64.S2Translate
 * (S2MinTxSZ, MaxTxSZ, S2InvalidSL, S2InconsistentSL). False: the
 * configuration itself gives a translation fault at level 0. A TxSZ out
 * of range is used as the nearest limit (IMPLEMENTATION DEFINED whether
 * it faults, without FEAT_LPA). */
static bool s2_params(const struct walk_ctx *c, struct params *p)
{
	static const int8_t sl4k[4] = { 2, 1, 0, 3 }, slx[4] = { 3, 2, 1, 0 };
	static const uint8_t tg0[4] = { 12, 16, 14, 0 };
	const struct walk_features *f = c->feat;
	uint64_t vtcr = c->s2.vtcr;
	unsigned tsz = (unsigned)FIELD(vtcr, 5, 0);
	unsigned sl0 = (unsigned)FIELD(vtcr, 7, 6);
	unsigned min_tsz = 64 - MIN(f->pa_bits, 48U), levels, lo, hi;

	p->gbits = pick_granule(tg0[FIELD(vtcr, 15, 14)], f->s2tgran4,
				f->s2tgran16, f->s2tgran64);
	tsz = MAX(MIN(tsz, max_txsz(f, p->gbits)), min_tsz);
	p->iabits = 64 - tsz;
	p->oabits = ps_bits(f, (unsigned)FIELD(vtcr, 18, 16));
	p->ha = f->hafdbs && (vtcr & BIT(21));
	p->hd = p->ha && (vtcr & BIT(22));
	p->hpd = false;
	p->ee = c->s2.ee;
	if (p->gbits == 12) {
		if ((sl0 == 2 && f->pa_bits < 44) || (sl0 == 3 && !f->ttst))
			return false;
		p->start = sl4k[sl0];
	} else {
		if (sl0 == 3 ||
		    (sl0 == 2 && f->pa_bits < (p->gbits == 14 ? 42U : 44U)))
			return false;
		p->start = slx[sl0];
	}
	/* the start level resolves at least one bit and at most 16
	 * concatenated tables' worth */
	levels = (unsigned)(FINAL_LEVEL - p->start);
	lo = levels * stride(p) + p->gbits + 1;
	hi = lo + stride(p) - 1 + 4;
	if (p->iabits < lo || p->iabits > hi)
		return false;
	p->base = table_base(p, c->s2.vttbr);
	return true;
}

/* AArch64.S2DirectBasePermissions */
static void s2_perms(const struct walk_ctx *c, const struct params *p,
		     uint64_t desc, struct walk_result *r)
{
	bool xn = desc & D_XN, xnx = c->feat->xnx && (desc & D_PXN);

	r->r = desc & BIT(6);
	r->w = (desc & BIT(7)) || (p->hd && (desc & D_DBM));
	r->px = xn == xnx;
	r->ux = !xn;
}

/* AArch64.S2Translate of ipa (stage 2 on); ttw: a read by the stage-1
 * walker (AccessType_TTW) */
static void s2_translate(const struct walk_ctx *c, uint64_t ipa,
			 const struct walk_access *acc, bool ttw,
			 struct walk_result *r)
{
	struct params p;
	struct tables t;

	*r = (struct walk_result){ .stage2 = true, .ipa = ipa };
	if (!s2_params(c, &p) || (ipa & ~GENMASK(p.iabits - 1, 0))) {
		fault(r, WALK_FAULT_TRANSLATION, 0);
		return;
	}
	if (!walk(c, false, &p, ipa, &t, r))
		return;
	s2_perms(c, &p, r->desc, r);
	r->attrs = s2_attrs(r->desc);
	if (ttw && c->s2.ptw && r->attrs.device)
		fault(r, WALK_FAULT_PERMISSION, r->level);
	else if (acc->write ? !r->w : !r->r)
		fault(r, WALK_FAULT_PERMISSION, r->level);
	if (r->fault == WALK_OK)
		r->stage2 = false;
}

/* ---- stage 1 ---- */

/* the fields of TCR_ELx for the VA range of va (AArch64.S1TTWParamsEL10,
 * ...EL20, ...EL2) */
struct s1_range {
	unsigned tsz, tg, ps;
	bool upper, tbi, epd, hpd, e0pd, ha, hd;
	uint64_t ttbr;
};

static struct s1_range s1_range(const struct walk_ctx *c, uint64_t va)
{
	static const uint8_t tg0[4] = { 12, 16, 14, 0 },
			     tg1[4] = { 0, 14, 12, 16 };
	const struct walk_s1_regs *s = &c->s1;
	uint64_t tcr = s->tcr;
	struct s1_range r = { 0 };

	if (s->regime == WALK_EL2) { /* TCR_EL2, E2H = 0 (D24.2.195) */
		r.tsz = (unsigned)FIELD(tcr, 5, 0);
		r.tg = tg0[FIELD(tcr, 15, 14)];
		r.ps = (unsigned)FIELD(tcr, 18, 16);
		r.tbi = tcr & BIT(20);
		r.ha = tcr & BIT(21);
		r.hd = tcr & BIT(22);
		r.hpd = tcr & BIT(24);
		r.ttbr = s->ttbr0;
		return r;
	}
	/* TCR_EL1 (D24.2.194), also TCR_EL2 with E2H = 1 */
	r.upper = va & BIT(55);
	r.ps = (unsigned)FIELD(tcr, 34, 32);
	r.ha = tcr & BIT(39);
	r.hd = tcr & BIT(40);
	if (!r.upper) {
		r.tsz = (unsigned)FIELD(tcr, 5, 0);
		r.epd = tcr & BIT(7);
		r.tg = tg0[FIELD(tcr, 15, 14)];
		r.tbi = tcr & BIT(37);
		r.hpd = tcr & BIT(41);
		r.e0pd = tcr & BIT(55);
		r.ttbr = s->ttbr0;
	} else {
		r.tsz = (unsigned)FIELD(tcr, 21, 16);
		r.epd = tcr & BIT(23);
		r.tg = tg1[FIELD(tcr, 31, 30)];
		r.tbi = tcr & BIT(38);
		r.hpd = tcr & BIT(42);
		r.e0pd = tcr & BIT(56);
		r.ttbr = s->ttbr1;
	}
	return r;
}

/* AArch64.VAIsOutOfRange: the bits above the input size (up to the top
 * byte with TBI; an AT is a data access) all equal the range's */
static bool va_out_of_range(const struct walk_s1_regs *s,
			    const struct s1_range *g, unsigned iabits,
			    uint64_t va)
{
	unsigned top = g->tbi ? 55 : 63;
	uint64_t m = GENMASK(top, iabits);

	if (s->regime == WALK_EL10 && g->upper)
		return (va & m) != m;
	return (va & m) != 0;
}

/* AArch64.S1DisabledOutput: the VA is the output (D8.2.10) */
static void s1_disabled(const struct walk_ctx *c, uint64_t va,
			struct walk_result *r)
{
	struct s1_range g = s1_range(c, va);
	unsigned top = g.tbi ? 55 : 63;

	if (va & GENMASK(top, MIN(c->feat->pa_bits, 48U))) {
		fault(r, WALK_FAULT_ADDR_SIZE, 0);
		return;
	}
	r->out = va & GENMASK(55, 0);
	r->size = 1UL << 12;
	r->r = r->w = r->px = r->ux = true;
	if (c->dc) { /* Normal Write-Back RWA, Non-shareable */
		r->attrs = (struct walk_attrs){ .sh = 0 };
		r->attrs.inner = r->attrs.outer = ldf(0xf);
	} else { /* Device-nGnRnE */
		r->attrs =
		    (struct walk_attrs){ .device = true, .sh = 2, .xs = true };
	}
}

/* AArch64.S1DirectBasePermissions with AArch64.S1ComputePermissions' WXN
 * (no overlays, no indirection) */
static void s1_perms(const struct walk_ctx *c, const struct params *p,
		     const struct tables *t, uint64_t desc,
		     const struct walk_access *acc, struct walk_result *r)
{
	const struct walk_features *f = c->feat;
	uint64_t sctlr = c->s1.sctlr;
	bool ap2 = (desc & BIT(7)) && !(p->hd && (desc & D_DBM));
	bool ap1 = desc & BIT(6), wxn = sctlr & BIT(19);
	bool pr = true, pw = !ap2 && !t->ap1, ur = false, uw = false, ux;
	bool px;

	if (c->s1.regime == WALK_EL2) {
		px = !(desc & D_XN) && !t->uxn;
		ux = false;
	} else {
		ur = ap1 && !t->ap0;
		uw = ur && !ap2 && !t->ap1;
		px = !(desc & D_PXN) && !t->pxn && !uw;
		ux = !(desc & D_XN) && !t->uxn;
		/* PAN: privileged access to what EL0 can reach (with EPAN,
		 * or execute) faults */
		if (acc->pan && f->pan &&
		    (ur || uw || (f->epan && (sctlr & BIT(57)) && ux)))
			pr = pw = false;
	}
	r->r = acc->el0 ? ur : pr;
	r->w = acc->el0 ? uw : pw;
	r->px = px && !(wxn && pw);
	r->ux = ux && !(wxn && uw);
}

static void s1_params(const struct walk_ctx *c, const struct s1_range *g,
		      struct params *p)
{
	const struct walk_features *f = c->feat;
	unsigned min_tsz;

	p->gbits = pick_granule(g->tg, f->tgran4, f->tgran16, f->tgran64);
	/* AArch64.S1MinTxSZ; a TxSZ out of range is used as the nearest
	 * limit (IMPLEMENTATION DEFINED whether it faults instead) */
	min_tsz = (f->lva && p->gbits == 16) ? 12 : 16;
	p->iabits = 64 - MAX(MIN(g->tsz, max_txsz(f, p->gbits)), min_tsz);
	p->oabits = ps_bits(f, g->ps);
	p->start = FINAL_LEVEL - (int)((p->iabits - 1 - p->gbits) / stride(p));
	p->ha = f->hafdbs && g->ha;
	p->hd = p->ha && g->hd;
	p->hpd = f->hpds && g->hpd;
	p->ee = c->s1.sctlr & BIT(25);
	p->base = table_base(p, g->ttbr);
}

void walk_s1(const struct walk_ctx *c, uint64_t va,
	     const struct walk_access *acc, struct walk_result *r)
{
	struct s1_range g = s1_range(c, va);
	struct params p;
	struct tables t;
	uint64_t sctlr = c->s1.sctlr;

	*r = (struct walk_result){ .fault = WALK_OK };
	if (c->s1_off || !(sctlr & BIT(0))) {
		s1_disabled(c, va, r);
		return;
	}
	s1_params(c, &g, &p);
	if (va_out_of_range(&c->s1, &g, p.iabits, va) ||
	    (acc->el0 && c->feat->e0pd && g.e0pd) || g.epd) {
		fault(r, WALK_FAULT_TRANSLATION, 0);
		return;
	}
	if (!walk(c, true, &p, va, &t, r))
		return;
	s1_perms(c, &p, &t, r->desc, acc, r);
	/* AArch64.S1TreatAsNormalNC: data accesses with SCTLR.C = 0 */
	r->attrs = s1_attrs(
	    (unsigned)((c->s1.mair >> (8 * FIELD(r->desc, 4, 2))) & 0xff),
	    (unsigned)FIELD(r->desc, 9, 8));
	if (!(sctlr & BIT(2)) && !r->attrs.device)
		r->attrs = normal_nc(r->attrs.xs);
	/* with stage 2 to come, the descriptor's shareability goes on
	 * (IMPLEMENTATION DEFINED: "Apply effective shareability at stage 1"
	 * not chosen); the combination makes it effective */
	if (!c->s2_on)
		effective_sh(&r->attrs);
	if (acc->write ? !r->w : !r->r)
		fault(r, WALK_FAULT_PERMISSION, r->level);
}

void walk_s2(const struct walk_ctx *c, uint64_t ipa,
	     const struct walk_access *acc, struct walk_result *r)
{
	s2_translate(c, ipa, acc, false, r);
	if (r->fault == WALK_OK)
		effective_sh(&r->attrs);
}

void walk_s12(const struct walk_ctx *c, uint64_t va,
	      const struct walk_access *acc, struct walk_result *r)
{
	struct walk_result r2;

	walk_s1(c, va, acc, r);
	if (r->fault != WALK_OK || !c->s2_on)
		return;
	s2_translate(c, r->out, acc, false, &r2);
	if (r2.fault != WALK_OK) {
		*r = r2;
		return;
	}
	r->out = r2.out;
	r->size = MIN(r->size, r2.size);
	r->desc = r2.desc;
	r->desc_pa = r2.desc_pa;
	r->r = r->r && r2.r;
	r->w = r->w && r2.w;
	r->px = r->px && r2.px;
	r->ux = r->ux && r2.ux;
	r->attrs = (c->feat->s2fwb && c->s2.fwb)
		       ? combine_fwb(&r->attrs, r2.desc)
		       : combine(&r->attrs, &r2.attrs);
}

/* ---- results ---- */

/* EncodeLDFSC for the faults a walk gives */
unsigned walk_fsc(const struct walk_result *r)
{
	static const uint8_t base[] = {
		[WALK_FAULT_ADDR_SIZE] = 0x00,
		[WALK_FAULT_TRANSLATION] = 0x04,
		[WALK_FAULT_ACCESS_FLAG] = 0x08,
		[WALK_FAULT_PERMISSION] = 0x0c,
		[WALK_FAULT_EXT_ABORT] = 0x14,
	};

	return base[r->fault] | ((unsigned)r->level & 3);
}

static unsigned cache_nibble(const struct walk_cacheability *c)
{
	if (c->kind == WALK_NC)
		return 0x4;
	return ((c->kind == WALK_WB ? 1U : 0U) | (c->transient ? 0U : 2U))
		   << 2 |
	       c->hints;
}

/* EncodePARAttrs (no MTE) */
uint8_t walk_attr_byte(const struct walk_attrs *a)
{
	if (a->device)
		return (uint8_t)((a->dev << 2) | (a->xs ? 0 : 1));
	if (!a->xs) {
		if (a->outer.kind == WALK_WT && a->inner.kind == WALK_WT &&
		    !a->outer.transient && a->outer.hints == 2)
			return 0xa0;
		if (is_nc(a))
			return 0x40;
	}
	return (uint8_t)(cache_nibble(&a->outer) << 4 |
			 cache_nibble(&a->inner));
}

/* AArch64.EncodePAR, 64-bit format, Non-secure, no FEAT_RME */
uint64_t walk_par(const struct walk_result *r)
{
	uint64_t par = BIT(11); /* RES1 */
	unsigned sh;

	if (r->fault != WALK_OK)
		return par | 1 | (uint64_t)walk_fsc(r) << 1 |
		       (r->s1ptw ? BIT(8) : 0) | (r->stage2 ? BIT(9) : 0);
	/* PAREncodeShareability: Device and Normal iNCoNC report Outer */
	sh = (r->attrs.device || is_nc(&r->attrs)) ? 2 : r->attrs.sh;
	return par | (r->out & GENMASK(55, 12)) | BIT(9) | (uint64_t)sh << 7 |
	       (uint64_t)walk_attr_byte(&r->attrs) << 56;
}
