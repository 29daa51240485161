/* Exception entry, field by field (Arm ARM D1.4.2, R_WTXBY / I_RFWPH):
 * a snippet entered by ERET with a chosen PSTATE (NZCV, DIT, UAO, PAN,
 * SSBS) takes a synchronous exception - an UNDEFINED IMPLEMENTATION
 * DEFINED register read (s3_0_c15_c0_0), or a load from an address with
 * nothing behind it (4 GiB: an external abort) - and the vector's first
 * instructions read PSTATE (guest-tests/lib/capture.h). Checked: the
 * vector (current EL with SP_ELx / SP_EL0, lower EL), ESR, ELR, the SPSR
 * (the PSTATE before), and the PSTATE after: NZCV and DIT unchanged, UAO
 * 0, SSBS = SCTLR_ELx.DSSBS, PAN set when the target is EL1 and
 * SCTLR_EL1.SPAN is 0 (else unchanged: EL2 with E2H = 0), D A I F set,
 * SPSel 1.
 *
 * Started at EL1 (an ordinary guest; bare QEMU without virtualization):
 * from EL1h, EL1t and EL0, all to EL1. Started at EL2 (a guest hypervisor
 * at virtual EL2, guest.el2=nvhe; bare QEMU's real EL2), E2H = 0: from
 * EL2h and EL2t to EL2; from EL1h and from EL0 to EL1 (under hypnest the
 * vEL1 of a guest hypervisor); from EL0 with HCR_EL2.TGE = 1 to EL2. Under
 * hypnest every one of these exceptions is injected by hypnest itself
 * (the IMPDEF read traps with its HCR_EL2.TIDCP, the load with a stage-2
 * fault). */
#include "capture.h"
#include "gic.h" /* read_sysreg, isb */

#define BIT(n) (1UL << (n))

#define PSR_NZCV (0xfUL << 28)
#define PSR_DIT BIT(24)
#define PSR_UAO BIT(23)
#define PSR_PAN BIT(22)
#define PSR_SS BIT(21)
#define PSR_SSBS BIT(12)
#define PSR_DAIF 0x3c0UL
#define PSR_M 0x1fUL

#define SCTLR_SPAN BIT(23)
#define SCTLR_DSSBS BIT(44)
#define SCTLR_EL1_RES1 0x30d00800UL /* Armv8.0 RES1 view; SPAN is bit 23 */
#define HCR_TGE BIT(27)
#define HCR_RW BIT(31)

#define EC(esr) (((esr) >> 26) & 0x3f)
#define NOWHERE 0x100000000UL /* 4 GiB: no RAM, no device */

extern char snip_undef[], snip_load[], snip_store[];
__asm__(".pushsection .text\n"
	".balign 4\n"
	"snip_undef:\n"
	"	mrs x0, s3_0_c15_c0_0\n"
	"	b .\n"
	"snip_load:\n"
	"	ldr x1, [x0]\n"
	"	b .\n"
	"snip_store:\n"
	"	str x1, [x0]\n"
	"	b .\n"
	".popsection\n");

static uint64_t snip_stack[512] __attribute__((aligned(16)));

/* one starting PSTATE and the target's SCTLR controls */
struct config {
	uint64_t psr;	  /* NZCV, DIT, UAO, PAN, SSBS before */
	bool span, dssbs; /* SCTLR_ELx of the target */
};
static const struct config configs[] = {
	{ (0xaUL << 28) | PSR_DIT | PSR_UAO, true, true },
	{ (0x5UL << 28) | PSR_UAO | PSR_SSBS, false, false },
	{ PSR_NZCV | PSR_DIT | PSR_PAN | PSR_SSBS, true, true },
};

/* where the exception comes from */
struct source {
	char name[24];	/* no pointers in data: the image runs where loaded */
	unsigned el;	/* the snippet's: 0, 1, 2 */
	uint64_t mode;	/* SPSR.M */
	bool load, tge; /* the abort snippet; HCR_EL2.TGE (E2H = 0) */
	unsigned target, vector;
	bool store; /* the abort snippet stores: ESR.WnR = 1 (D24.2.45) */
};
static const struct source el1_sources[] = {
	{ "EL1h -> EL1", 1, 0x5, false, false, 1, 4, false },
	{ "EL1t -> EL1", 1, 0x4, false, false, 1, 0, false },
	{ "EL0 -> EL1", 0, 0x0, true, false, 1, 8, false },
	{ "EL0 store -> EL1", 0, 0x0, true, false, 1, 8, true },
};
static const struct source el2_sources[] = {
	{ "EL2h -> EL2", 2, 0x9, false, false, 2, 4, false },
	{ "EL2t -> EL2", 2, 0x8, false, false, 2, 0, false },
	{ "EL1h -> EL1", 1, 0x5, false, false, 1, 4, false },
	{ "EL0 -> EL1", 0, 0x0, true, false, 1, 8, false },
	{ "EL0 (TGE) -> EL2", 0, 0x0, true, true, 2, 8, false },
	{ "EL0 store -> EL1", 0, 0x0, true, false, 1, 8, true },
};

/* the PSTATE fields this CPU has, of those a config sets */
static uint64_t fields(void)
{
	uint64_t f = PSR_NZCV;

	if (cap_feat & CAP_DIT)
		f |= PSR_DIT;
	if (cap_feat & CAP_UAO)
		f |= PSR_UAO;
	if (cap_feat & CAP_PAN)
		f |= PSR_PAN;
	if (cap_feat & CAP_SSBS)
		f |= PSR_SSBS;
	return f;
}

static void set_sctlr(unsigned target, const struct config *c)
{
	uint64_t s, ctl = ((cap_feat & CAP_SSBS) ? SCTLR_DSSBS : 0) |
			  ((cap_feat & CAP_PAN) ? SCTLR_SPAN : 0);

	if (target == 2) {
		/* SCTLR_EL2 (E2H = 0): SPAN is RES1 there, left alone */
		s = read_sysreg(sctlr_el2) & ~SCTLR_DSSBS;
		if (c->dssbs && (cap_feat & CAP_SSBS))
			s |= SCTLR_DSSBS;
		write_sysreg(sctlr_el2, s);
	} else {
		s = (read_sysreg(sctlr_el1) | SCTLR_EL1_RES1) & ~ctl;
		if (c->dssbs && (cap_feat & CAP_SSBS))
			s |= SCTLR_DSSBS;
		if (c->span || !(cap_feat & CAP_PAN))
			s |= SCTLR_SPAN;
		write_sysreg(sctlr_el1, s);
	}
	isb();
}

static void run(const struct source *s, const struct config *c, unsigned k)
{
	uint64_t f = fields(), before = c->psr & f;
	uint64_t spsr = before | PSR_DAIF | s->mode;
	uint64_t entry = (uintptr_t)(s->store  ? snip_store
				     : s->load ? snip_load
					       : snip_undef);
	uint64_t pan, want_pan, want_ssbs, esr, ec;
	volatile struct cap *r;
	char name[96];

	set_sctlr(s->target, c);
	if (current_el() == 2) {
		write_sysreg(hcr_el2, HCR_RW | (s->tge ? HCR_TGE : 0));
		isb();
	}
	cap_run(entry, spsr, (uintptr_t)&snip_stack[512], NOWHERE);
	if (current_el() == 2) {
		write_sysreg(hcr_el2, HCR_RW);
		isb();
	}
	r = s->target == 2 ? &cap_el2 : &cap_el1;
	esr = r->esr;
	ec = s->load ? (s->el == s->target ? 0x25 : 0x24) : 0x00;

	hyp_snprintf(name, sizeof(name), "%s, config %u: vector, ESR, ELR",
		     s->name, k);
	gt_check(r->vector == s->vector && EC(esr) == ec && (esr & BIT(25)) &&
		     (!s->load || (esr & 0x3f) == 0x10) &&
		     (!s->load || !!(esr & BIT(6)) == s->store) &&
		     r->elr == entry &&
		     (!s->load || (esr & BIT(10)) || r->far == NOWHERE),
		 name, "vector %lu ESR 0x%lx ELR 0x%lx FAR 0x%lx",
		 (unsigned long)r->vector, (unsigned long)esr,
		 (unsigned long)r->elr, (unsigned long)r->far);

	hyp_snprintf(name, sizeof(name),
		     "%s, config %u: SPSR is the PSTATE "
		     "before",
		     s->name, k);
	gt_check((r->spsr & (f | PSR_SS | PSR_DAIF | PSR_M)) == spsr, name,
		 "SPSR 0x%lx, expected 0x%lx", (unsigned long)r->spsr,
		 (unsigned long)spsr);

	/* PAN: set for EL1 with SPAN = 0, else unchanged (EL2, E2H = 0) */
	want_pan = (before & PSR_PAN) ||
		   (s->target == 1 && !c->span && (cap_feat & CAP_PAN));
	want_ssbs = c->dssbs && (cap_feat & CAP_SSBS);
	pan = r->pan;
	hyp_snprintf(name, sizeof(name),
		     "%s, config %u: NZCV and DIT unchanged", s->name, k);
	gt_check(r->nzcv == (before & PSR_NZCV) && r->dit == (before & PSR_DIT),
		 name, "NZCV 0x%lx DIT 0x%lx; before 0x%lx",
		 (unsigned long)r->nzcv, (unsigned long)r->dit,
		 (unsigned long)before);
	hyp_snprintf(name, sizeof(name),
		     "%s, config %u: UAO, SSBS, PAN, DAIF, SP, EL on entry",
		     s->name, k);
	gt_check(r->uao == 0 && (r->ssbs != 0) == want_ssbs &&
		     (pan != 0) == want_pan && r->daif == PSR_DAIF &&
		     r->spsel == 1 && r->currentel == (s->target << 2UL),
		 name,
		 "UAO 0x%lx SSBS 0x%lx PAN 0x%lx DAIF 0x%lx SPSel %lu "
		 "CurrentEL 0x%lx; before 0x%lx, DSSBS %d SPAN %d",
		 (unsigned long)r->uao, (unsigned long)r->ssbs,
		 (unsigned long)pan, (unsigned long)r->daif,
		 (unsigned long)r->spsel, (unsigned long)r->currentel,
		 (unsigned long)before, c->dssbs, c->span);
}

void gt_main(uint64_t dtb)
{
	unsigned el = current_el();
	const struct source *src = el == 2 ? el2_sources : el1_sources;
	unsigned n = el == 2 ? sizeof(el2_sources) / sizeof(el2_sources[0])
			     : sizeof(el1_sources) / sizeof(el1_sources[0]);

	(void)dtb;
	cap_feat = cap_features();
	gt_printf("note: at EL%u; PAN %d UAO %d DIT %d SSBS %d\n", el,
		  !!(cap_feat & CAP_PAN), !!(cap_feat & CAP_UAO),
		  !!(cap_feat & CAP_DIT), !!(cap_feat & CAP_SSBS));
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < sizeof(configs) / sizeof(configs[0]);
		     k++)
			run(&src[i], &configs[k], k);
	gt_done();
}

void gt_secondary(uint64_t context)
{
	(void)context;
	for (;;)
		__asm__ volatile("wfi");
}
