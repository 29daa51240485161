/* A guest hypervisor's address translation and TLB maintenance at
 * (virtual) EL2, with E2H = VHE (0 or 1, set by the includer):
 *
 *  - a vEL1 stage-1 (4K, 39-bit VAs) and a stage-2 (4K, 40-bit IPAs, two
 *    concatenated level-1 tables) built here, while EL2's own MMU is off:
 *    AT S1E1R/W, S1E0R/W translate the vEL1 context (SCTLR/TCR/TTBR0/MAIR
 *    _EL1, or _EL12 with E2H = 1), not EL2's, and PAR_EL1 holds exactly
 *    the result: PA, ATTR from MAIR, SH; faults with FST and level
 *    (translation at levels 0, 2, 3, access flag, permission: write to
 *    read-only, EL0 to privileged);
 *  - AT S12E1R/W, S12E0R with HCR_EL2.VM clear (stage 1 only) and set
 *    (stage 2 applied: the PA; stage-2 permission and translation faults
 *    with S = 1; a stage-1 table stage 2 does not map: S = 1, PTW = 1),
 *    AT S1E1R with VM set (the IPA, its walk through stage 2);
 *  - HCR_EL2.TGE (E2H = 0: stage 1 off; E2H = 1: the EL2&0 regime, EL2's
 *    MMU is off: flat) and HCR_EL2.DC (stage 1 off, Normal Write-Back);
 *  - AT S1E1RP with PSTATE.PAN (FEAT_PAN2);
 *  - a stage-1 walk to where there is no memory: a synchronous External
 *    abort on the walk, taken at EL2 (EC 0x25, CM = WnR = 1, FAR = VA);
 *  - with EL2's MMU on, its own mapping changed, then TLBI VAE2 / ALLE2
 *    (and their nXS forms with FEAT_XS): the new mapping is seen; every
 *    EL1 TLBI (and nXS form) executes at EL2 without an exception;
 *  - an IMPLEMENTATION DEFINED register: UNDEFINED, twice (hypnest logs
 *    it once).
 * Every PAR_EL1 is printed as "par: <what> <value>" (PAs relative to the
 * image, as it loads at different addresses): harness/test_guest_vel2.py
 * compares them between bare QEMU's EL2 and hypnest's. Header-only. */
#ifndef GT_VEL2_AT_H
#define GT_VEL2_AT_H
#include "regs.h"

#ifndef VHE
#error "define VHE (0 or 1) before including vel2_at.h"
#endif

/* the vEL1 registers as EL2 names them */
#if VHE
#define FLAVOUR "vhe"
#define sctlr_v1 s3_5_c1_c0_0 /* SCTLR_EL12 */
#define tcr_v1 s3_5_c2_c0_2
#define ttbr0_v1 s3_5_c2_c0_0
#define mair_v1 s3_5_c10_c2_0
#else
#define FLAVOUR "nvhe"
#define sctlr_v1 sctlr_el1
#define tcr_v1 tcr_el1
#define ttbr0_v1 ttbr0_el1
#define mair_v1 mair_el1
#endif

#define HCR_VM BIT(0)
#define HCR_DC BIT(12)
#define HCR_TGE BIT(27)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))

/* ---- descriptors ---- */
#define D_TABLE 3UL
#define D_PAGE 3UL
#define D_BLOCK 1UL
#define D_AF BIT(10)
#define D_ISH (3UL << 8)
#define D_RO BIT(7)
#define D_EL0 BIT(6)
#define D_ATTR(i) ((uint64_t)(i) << 2)
#define S2_R BIT(6)
#define S2_W BIT(7)
#define S2_WB (0xfUL << 2)

/* vEL1 stage 1: MAIR Attr0 Normal WB RWA, Attr1 Device-nGnRE, Attr2
 * Normal NC; TCR_EL1 T0SZ 25, 4K, walks WB inner shareable, EPD1, IPS
 * 40 bits; SCTLR_EL1 M, C, I and its RES1 bits */
#define V1_MAIR 0x4404ffUL
#define V1_TCR                                                                 \
	(25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | BIT(23) | (2UL << 32))
#define V1_SCTLR (SCTLR_EL1_RES1 | BIT(0) | BIT(2) | BIT(12))
/* VTCR_EL2: T0SZ 24 (40-bit IPAs), SL0 1 (level 1: two concatenated
 * tables), WB inner shareable walks, 4K, PS 40 bits */
#define V_VTCR                                                                 \
	(24UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) |          \
	 (2UL << 16) | BIT(31))

/* VAs of the vEL1 stage 1 */
#define VA_MAP 0x10000000UL /* L2 0x80: pages[0..4] */
#define VA_L2HOLE 0x20000000UL
#define VA_IPA 0x30000000UL   /* 2M blocks to IPA 0x80000000 + n * 2M */
#define VA_PTW 0x38000000UL   /* level-3 table at IPA 0xc0000000 */
#define VA_NOMEM 0x3a000000UL /* level-3 table where nothing is */
#define IPA_BLK 0x80000000UL  /* stage 2: level-2 table */
#define IPA_HOLE 0xc0000000UL /* stage 2: nothing */
#define NOMEM 0x1000000000UL  /* 64 GiB: no RAM, no device */

static uint64_t s1_l1[512] __attribute__((aligned(4096)));
static uint64_t s1_l2[512] __attribute__((aligned(4096)));
static uint64_t s1_l3[512] __attribute__((aligned(4096)));
static uint64_t s2_l1[1024] __attribute__((aligned(8192)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static volatile uint64_t pages[5][512] __attribute__((aligned(4096)));

extern char __image_start[], __image_end[];

static uint64_t pa(const volatile void *p)
{
	return (uintptr_t)p;
}

static uint64_t blk2m(const volatile void *p)
{
	return pa(p) & ~0x1fffffUL;
}

/* ---- AT and PAR_EL1 ---- */

#define AT(op1, crm, op2, va)                                                  \
	({                                                                     \
		__asm__ volatile("sys #" #op1 ", c7, c" #crm ", #" #op2        \
				 ", %0\n isb" ::"r"((uint64_t)(va))            \
				 : "memory");                                  \
		RD(par_el1);                                                   \
	})
#define S1E1R(va) AT(0, 8, 0, va)
#define S1E1W(va) AT(0, 8, 1, va)
#define S1E0R(va) AT(0, 8, 2, va)
#define S1E0W(va) AT(0, 8, 3, va)
#define S1E1RP(va) AT(0, 9, 0, va)
#define S12E1R(va) AT(4, 8, 4, va)
#define S12E1W(va) AT(4, 8, 5, va)
#define S12E0R(va) AT(4, 8, 6, va)

#define PAR_F 1UL
#define PAR_PTW BIT(8)
#define PAR_S BIT(9)
#define PAR_RES1 BIT(11)
#define PAR_NS BIT(9) /* success */
#define PAR_PA 0x000ffffffffff000UL
/* PAR_EL1 on success: PA, ATTR, SH, NS (UNKNOWN for Non-secure: QEMU
 * and hypnest say 1), RES1 bit 11 */
#define PAR_OK(p, attr, sh)                                                    \
	(((p)&PAR_PA) | ((uint64_t)(attr) << 56) | ((uint64_t)(sh) << 7) |     \
	 PAR_NS | PAR_RES1)
/* PAR_EL1 on a fault: FST (the long-descriptor FSC), S, PTW; bits
 * [63:48] are IMPLEMENTATION DEFINED (QEMU and hypnest: 0) */
#define FST_TRANS(l) (0x04 | (l))
#define FST_AF(l) (0x08 | (l))
#define FST_PERM(l) (0x0c | (l))
#define PAR_FAULT(fst) (PAR_F | ((uint64_t)(fst) << 1) | PAR_RES1)

/* a PAR_EL1 with its PA made relative to the image (for the comparison
 * of bare QEMU's and hypnest's values) */
static uint64_t par_rel(uint64_t par)
{
	uint64_t p = par & PAR_PA, img = (uintptr_t)__image_start;

	if ((par & PAR_F) || p < (img & ~0x1fffffUL) || p >= img + (64UL << 20))
		return par;
	return (par & ~PAR_PA) | ((p - (img & ~0x1fffffUL)) | BIT(47));
}

/* Where QEMU's own EL2 (10.0) is not the architecture, the check runs
 * under hypnest only (where the vendor call, SMC 0x86000001, answers),
 * against the Arm ARM's value:
 *  - an AT S12E* ending in a stage-2 fault on its output address stops
 *    QEMU (do_ats_write asserts "!res.cacheattrs.is_s2_format");
 *  - with HCR_EL2.{E2H, TGE} = {0, 1} QEMU's AT still walks the EL1&0
 *    stage 1, where SCTLR_EL1.M is "treated as 0" (D24.2.62 TGE,
 *    AArch64.S1Enabled). */
static bool beyond_qemu(void)
{
	return gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0) != NOT_SUPPORTED;
}

static void check_par(const char *what, uint64_t par, uint64_t want)
{
	gt_printf("par: " FLAVOUR " %s 0x%lx\n", what,
		  (unsigned long)par_rel(par));
	gt_check(par == want, what, "PAR_EL1 0x%lx, expected 0x%lx",
		 (unsigned long)par, (unsigned long)want);
}

/* ---- the tables ---- */

static void dcache_clean(const volatile void *start, uint64_t len)
{
	uint64_t line = 4UL << ((RD(ctr_el0) >> 16) & 0xf);

	for (uintptr_t p = (uintptr_t)start & ~(line - 1);
	     p < (uintptr_t)start + len; p += line)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

static void build_tables(void)
{
	uint64_t wb = D_AF | D_ISH | D_ATTR(0);

	for (unsigned i = 0; i < 512; i++)
		s1_l1[i] = s1_l2[i] = s1_l3[i] = s2_l2[i] = 0;
	for (unsigned i = 0; i < 1024; i++)
		s2_l1[i] = 0;
	/* stage 1: VA_MAP's pages, the IPA blocks, two odd level-3 tables */
	s1_l1[0] = pa(s1_l2) | D_TABLE;
	s1_l2[VA_MAP >> 21] = pa(s1_l3) | D_TABLE;
	s1_l3[0] = pa(pages[0]) | wb | D_PAGE;
	s1_l3[1] = pa(pages[1]) | D_AF | D_ISH | D_RO | D_ATTR(1) | D_PAGE;
	s1_l3[2] = pa(pages[2]) | D_AF | D_EL0 | D_ATTR(2) | D_PAGE;
	s1_l3[3] = pa(pages[3]) | D_ISH | D_PAGE; /* no AF */
	s1_l3[4] = 0;
	for (unsigned i = 0; i < 3; i++)
		s1_l2[(VA_IPA >> 21) + i] =
		    (IPA_BLK + (i << 21)) | wb | D_BLOCK;
	s1_l2[VA_PTW >> 21] = IPA_HOLE | D_TABLE;
	s1_l2[VA_NOMEM >> 21] = NOMEM | D_TABLE;
	/* stage 2: RAM's GiB as it is, and IPA_BLK's 2M blocks to the block
	 * holding pages[]: read-write, read-only, nothing */
	s2_l1[1] = 0x40000000UL | D_AF | D_ISH | S2_R | S2_W | S2_WB | D_BLOCK;
	s2_l1[IPA_BLK >> 30] = pa(s2_l2) | D_TABLE;
	s2_l2[0] = blk2m(pages) | D_AF | D_ISH | S2_R | S2_W | S2_WB | D_BLOCK;
	s2_l2[1] = blk2m(pages) | D_AF | D_ISH | S2_R | S2_WB | D_BLOCK;
	dcache_clean(s1_l1, sizeof(s1_l1));
	dcache_clean(s1_l2, sizeof(s1_l2));
	dcache_clean(s1_l3, sizeof(s1_l3));
	dcache_clean(s2_l1, sizeof(s2_l1));
	dcache_clean(s2_l2, sizeof(s2_l2));
}

/* the vEL1 context, and EL2's own kept different (MMU off) */
static struct {
	uint64_t sctlr, tcr, ttbr0, mair, vtcr, vttbr;
} saved;

static void load_vel1(void)
{
	saved.sctlr = RD(sctlr_v1);
	saved.tcr = RD(tcr_v1);
	saved.ttbr0 = RD(ttbr0_v1);
	saved.mair = RD(mair_v1);
	saved.vtcr = RD(vtcr_el2);
	saved.vttbr = RD(vttbr_el2);
	WR(mair_v1, V1_MAIR);
	WR(tcr_v1, V1_TCR);
	WR(ttbr0_v1, pa(s1_l1));
	WR(sctlr_v1, V1_SCTLR);
	WR(vtcr_el2, V_VTCR);
	WR(vttbr_el2, pa(s2_l1) | (7UL << 48));
	WR(hcr_el2, HCR_BASE);
	isb();
}

static void restore_vel1(void)
{
	WR(hcr_el2, HCR_BASE);
	WR(sctlr_v1, saved.sctlr);
	WR(tcr_v1, saved.tcr);
	WR(ttbr0_v1, saved.ttbr0);
	WR(mair_v1, saved.mair);
	WR(vtcr_el2, saved.vtcr);
	WR(vttbr_el2, saved.vttbr);
	isb();
}

/* ---- stage 1 of the vEL1 context ---- */

static void at_stage1(void)
{
	uint64_t p0 = pa(pages[0]), p1 = pa(pages[1]), p2 = pa(pages[2]);

	CHECK((RD(sctlr_el2) & 1) == 0, "EL2's own MMU is off");
	check_par("S1E1R RW page", S1E1R(VA_MAP + 0x123), PAR_OK(p0, 0xff, 3));
	check_par("S1E1W RW page", S1E1W(VA_MAP + 0x123), PAR_OK(p0, 0xff, 3));
	check_par("S1E1R RO Device-nGnRE page", S1E1R(VA_MAP + 0x1000),
		  PAR_OK(p1, 0x04, 2));
	check_par("S1E1W RO page: permission fault L3", S1E1W(VA_MAP + 0x1000),
		  PAR_FAULT(FST_PERM(3)));
	check_par("S1E0R privileged page: permission fault L3", S1E0R(VA_MAP),
		  PAR_FAULT(FST_PERM(3)));
	check_par("S1E0R EL0 NC page", S1E0R(VA_MAP + 0x2008),
		  PAR_OK(p2, 0x44, 2));
	check_par("S1E0W EL0 NC page", S1E0W(VA_MAP + 0x2008),
		  PAR_OK(p2, 0x44, 2));
	check_par("S1E1R no AF: access flag fault L3", S1E1R(VA_MAP + 0x3000),
		  PAR_FAULT(FST_AF(3)));
	check_par("S1E1R invalid L3: translation fault L3",
		  S1E1R(VA_MAP + 0x4000), PAR_FAULT(FST_TRANS(3)));
	check_par("S1E1R invalid L2: translation fault L2", S1E1R(VA_L2HOLE),
		  PAR_FAULT(FST_TRANS(2)));
	check_par("S1E1R beyond T0SZ: translation fault L0", S1E1R(BIT(40)),
		  PAR_FAULT(FST_TRANS(0)));
	check_par("S12E1R with VM = 0: stage 1", S12E1R(VA_MAP + 0x123),
		  PAR_OK(p0, 0xff, 3));
	check_par("S12E0R with VM = 0, privileged page", S12E0R(VA_MAP),
		  PAR_FAULT(FST_PERM(3)));
}

/* ---- both stages ---- */

static void at_stage2(void)
{
	uint64_t off = pa(pages[0]) & 0x1fffff;
	uint64_t p0 = pa(pages[0]), p2 = pa(pages[2]);

	WR(hcr_el2, HCR_BASE | HCR_VM);
	isb();
	check_par("VM: S12E1R through stage 2 (identity GiB)",
		  S12E1R(VA_MAP + 0x123), PAR_OK(p0, 0xff, 3));
	check_par("VM: S12E0R EL0 page", S12E0R(VA_MAP + 0x2000),
		  PAR_OK(p2, 0x44, 2));
	check_par("VM: S12E1R IPA block to the PA", S12E1R(VA_IPA + off),
		  PAR_OK(p0, 0xff, 3));
	check_par("VM: S12E1W IPA block to the PA", S12E1W(VA_IPA + off),
		  PAR_OK(p0, 0xff, 3));
	check_par("VM: S1E1R gives the IPA", S1E1R(VA_IPA + off),
		  PAR_OK(IPA_BLK + off, 0xff, 3));
	check_par("VM: S12E1R stage-2 read-only block",
		  S12E1R(VA_IPA + BIT(21) + off), PAR_OK(p0, 0xff, 3));
	if (beyond_qemu()) {
		check_par(
		    "VM: S12E1W stage-2 read-only: S2 permission fault L2",
		    S12E1W(VA_IPA + BIT(21) + off),
		    PAR_FAULT(FST_PERM(2)) | PAR_S);
		check_par("VM: S12E1R stage-2 hole: S2 translation fault L2",
			  S12E1R(VA_IPA + 2 * BIT(21)),
			  PAR_FAULT(FST_TRANS(2)) | PAR_S);
	}
	check_par("VM: S1E1R, level-3 table stage 2 does not map: PTW",
		  S1E1R(VA_PTW), PAR_FAULT(FST_TRANS(1)) | PAR_S | PAR_PTW);
	check_par("VM: S12E1R, the same", S12E1R(VA_PTW),
		  PAR_FAULT(FST_TRANS(1)) | PAR_S | PAR_PTW);
	/* HCR_EL2.DC: stage 1 off (Normal WB, Non-shareable), stage 2 on */
	WR(hcr_el2, HCR_BASE | HCR_DC);
	isb();
	check_par("DC: S1E1R is flat, Normal WB", S1E1R(pa(pages[0])),
		  PAR_OK(p0, 0xff, 0));
	check_par("DC: S12E1R through stage 2", S12E1R(IPA_BLK + off),
		  PAR_OK(p0, 0xff, 3));
	if (beyond_qemu())
		check_par("DC: S12E1R stage-2 hole", S12E1R(IPA_HOLE),
			  PAR_FAULT(FST_TRANS(1)) | PAR_S);
	WR(hcr_el2, HCR_BASE);
	isb();
}

/* HCR_EL2.TGE: with E2H = 0 stage 1 of EL1&0 is off; with E2H = 1, the
 * *E1 and *E0 instructions name the EL2&0 regime, whose MMU is off */
static void at_tge(void)
{
	uint64_t off = pa(pages[0]) & 0x1fffff;

	if (!VHE && !beyond_qemu())
		return;
	WR(hcr_el2, HCR_BASE | HCR_TGE);
	isb();
	check_par("TGE: S1E1R is flat (Device-nGnRnE)", S1E1R(VA_MAP + 0x40),
		  PAR_OK(VA_MAP + 0x40, 0x00, 2));
	check_par("TGE: S1E0R is flat", S1E0R(VA_MAP + 0x40),
		  PAR_OK(VA_MAP + 0x40, 0x00, 2));
	check_par("TGE: S12E1R with VM = 0 is flat", S12E1R(VA_MAP + 0x40),
		  PAR_OK(VA_MAP + 0x40, 0x00, 2));
	WR(hcr_el2, HCR_BASE | HCR_TGE | HCR_VM);
	isb();
	/* E2H = 0: not in host, VM: stage 1 off then stage 2; E2H = 1:
	 * stage 1 of EL2&0 only */
	check_par("TGE, VM: S12E1R", S12E1R(IPA_BLK + off),
		  VHE ? PAR_OK(IPA_BLK + off, 0x00, 2)
		      : PAR_OK(pa(pages[0]), 0x00, 2));
	WR(hcr_el2, HCR_BASE);
	isb();
}

/* PSTATE.PAN: AT S1E1RP of an EL0-accessible page faults */
static void at_pan(void)
{
	uint64_t mmfr1 = RD(id_aa64mmfr1_el1), p0 = pa(pages[0]);

	if (((mmfr1 >> 20) & 0xf) < 2) {
		gt_printf("note: no FEAT_PAN2: AT S1E1RP not tested\n");
		return;
	}
	__asm__ volatile(".arch_extension pan\n msr pan, #1\n isb" ::
			     : "memory");
	check_par("PAN: S1E1RP EL0 page: permission fault L3",
		  S1E1RP(VA_MAP + 0x2000), PAR_FAULT(FST_PERM(3)));
	check_par("PAN: S1E1RP privileged page", S1E1RP(VA_MAP),
		  PAR_OK(p0, 0xff, 3));
	check_par("PAN: S1E1R EL0 page", S1E1R(VA_MAP + 0x2000),
		  PAR_OK(pa(pages[2]), 0x44, 2));
	__asm__ volatile(".arch_extension pan\n msr pan, #0\n isb" ::
			     : "memory");
	check_par("no PAN: S1E1RP EL0 page", S1E1RP(VA_MAP + 0x2000),
		  PAR_OK(pa(pages[2]), 0x44, 2));
}

/* a walk to where nothing is: an External abort on the walk, taken at
 * EL2 from the AT (D8.14, AArch64.AT: PAR_EL1 UNKNOWN) */
static void at_ext_abort(void)
{
	uint64_t iss;

	gt_expect_exception();
	(void)S1E1R(VA_NOMEM + 0x10);
	gt_exc.armed = false;
	iss = gt_exc.esr & 0x1ffffff;
	/* ISS: CM (8) and WnR (6) set for an AT, S1PTW (7) clear, DFSC
	 * External abort on the walk at level 3; EA (9) is IMPLEMENTATION
	 * DEFINED: not compared */
	gt_check(gt_exc.taken && gt_exc.el == 2 && EC(gt_exc.esr) == 0x25 &&
		     (gt_exc.esr & BIT(25)) && (iss & ~BIT(9)) == 0x157 &&
		     gt_exc.far == VA_NOMEM + 0x10,
		 "S1E1R walk to no memory: synchronous External abort at EL2",
		 "taken %d EL%lu ESR 0x%lx FAR 0x%lx", gt_exc.taken,
		 (unsigned long)gt_exc.el, (unsigned long)gt_exc.esr,
		 (unsigned long)gt_exc.far);
}

/* ---- TLB maintenance ---- */

#define ALIAS_VA 0x80000000UL /* EL2: level-2 table, 2M blocks */
#define MARK_A 0x44000000UL
#define MARK_B 0x44200000UL
#define A_VAL 0xa1a1a1a1a1a1a1a1UL
#define B_VAL 0xb2b2b2b2b2b2b2b2UL

static uint64_t el2_l1[512] __attribute__((aligned(4096)));
static uint64_t el2_l2[512] __attribute__((aligned(4096)));

#define TLBI(op1, crn, crm, op2, x)                                            \
	__asm__ volatile("sys #" #op1 ", c" #crn ", c" #crm ", #" #op2         \
			 ", %0" ::"r"((uint64_t)(x))                           \
			 : "memory")

static bool has_xs(void)
{
	return ((RD(id_aa64isar1_el1) >> 56) & 0xf) != 0;
}

/* remap ALIAS_VA to target, the old entry possibly still in the TLB */
static void remap(uint64_t target)
{
	uint64_t attr = D_AF | D_ISH | D_ATTR(1) | D_BLOCK |
			(VHE ? BIT(54) : BIT(6)); /* XN / AP[1] RES1 */

	el2_l2[0] = target | attr;
	__asm__ volatile("dsb ishst" ::: "memory");
}

static uint64_t alias_read(void)
{
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	return *(volatile uint64_t *)ALIAS_VA;
}

static void tlbi_el2(void)
{
	uint64_t o_mair = RD(mair_el2), o_tcr = RD(tcr_el2);
	uint64_t o_ttbr = RD(ttbr0_el2), o_sctlr = RD(sctlr_el2);
	uint64_t ram = 0x40000000UL, tcr, a, b, c, d = B_VAL, e = A_VAL;
	uint64_t el2attr = VHE ? BIT(54) : BIT(6);

	*(volatile uint64_t *)MARK_A = A_VAL;
	*(volatile uint64_t *)MARK_B = B_VAL;
	dcache_clean((void *)MARK_A, 8);
	dcache_clean((void *)MARK_B, 8);
	for (unsigned i = 0; i < 512; i++)
		el2_l1[i] = el2_l2[i] = 0;
	/* 0-1 GiB Device, 1-2 GiB the RAM, 2 GiB: the alias table */
	el2_l1[0] = D_AF | D_ATTR(0) | D_BLOCK | el2attr | BIT(54) |
		    (VHE ? BIT(53) : 0);
	el2_l1[1] = ram | D_AF | D_ISH | D_ATTR(1) | D_BLOCK | el2attr;
	el2_l1[ALIAS_VA >> 30] = pa(el2_l2) | D_TABLE;
	el2_l2[0] = MARK_A | D_AF | D_ISH | D_ATTR(1) | D_BLOCK | el2attr;
	dcache_clean(el2_l1, sizeof(el2_l1));
	dcache_clean(el2_l2, sizeof(el2_l2));
	if (VHE) /* TCR_EL2 (E2H = 1): T0SZ 25, WB, ISH, EPD1, IPS 40 */
		tcr = 25 | (1 << 8) | (1 << 10) | (3 << 12) | BIT(23) |
		      (2UL << 32);
	else /* T0SZ 25, WB, ISH, PS 40 bits, RES1 23 and 31 */
		tcr = 25 | (1 << 8) | (1 << 10) | (3 << 12) | (2UL << 16) |
		      BIT(23) | BIT(31);
	WR(mair_el2, 0xff00UL); /* Attr0 Device-nGnRnE, Attr1 WB */
	WR(tcr_el2, tcr);
	WR(ttbr0_el2, pa(el2_l1));
	isb();
	__asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
	WR(sctlr_el2, o_sctlr | BIT(0) | BIT(2) | BIT(12));
	isb();

	a = alias_read(); /* cached in the TLB now */
	remap(MARK_B);
	TLBI(4, 8, 7, 1, ALIAS_VA >> 12); /* TLBI VAE2 */
	b = alias_read();
	remap(MARK_A);
	TLBI(4, 8, 3, 0, 0); /* TLBI ALLE2IS */
	c = alias_read();
	if (has_xs()) {
		remap(MARK_B);
		TLBI(4, 9, 7, 1, ALIAS_VA >> 12); /* TLBI VAE2NXS */
		d = alias_read();
		remap(MARK_A);
		TLBI(4, 9, 7, 0, 0); /* TLBI ALLE2NXS */
		e = alias_read();
	}

	/* MMU off again: what was written with it on (the stack too) is
	 * cleaned to memory first, with no memory access in between */
	__asm__ volatile("mov x9, %0\n"
			 "1: dc civac, x9\n"
			 "add x9, x9, %3\n"
			 "cmp x9, %1\n"
			 "b.lo 1b\n"
			 "dsb sy\n"
			 "msr sctlr_el2, %2\n"
			 "isb\n"
			 "ic iallu\n"
			 "dsb sy\n"
			 "isb"
			 :
			 : "r"((uintptr_t)__image_start & ~63UL),
			   "r"((uintptr_t)__image_end), "r"(o_sctlr), "r"(64UL)
			 : "x9", "memory", "cc");
	WR(mair_el2, o_mair);
	WR(tcr_el2, o_tcr);
	WR(ttbr0_el2, o_ttbr);
	isb();
	gt_check(a == A_VAL && b == B_VAL && c == A_VAL,
		 "EL2 mapping changed: TLBI VAE2, ALLE2IS make it seen",
		 "read 0x%lx, after VAE2 0x%lx, after ALLE2IS 0x%lx",
		 (unsigned long)a, (unsigned long)b, (unsigned long)c);
	gt_check(d == B_VAL && e == A_VAL,
		 "EL2 mapping changed: TLBI VAE2NXS, ALLE2NXS make it seen",
		 "after VAE2NXS 0x%lx, after ALLE2NXS 0x%lx", (unsigned long)d,
		 (unsigned long)e);
}

/* every EL1 TLBI and its nXS form, and the EL2 ones aimed at EL1&0, at
 * EL2: none may take an exception */
static void tlbi_no_undef(void)
{
	bool xs = has_xs();
	uint64_t isar0 = RD(id_aa64isar0_el1);
	bool os = ((isar0 >> 56) & 0xf) >= 1,
	     range = ((isar0 >> 56) & 0xf) >= 2;

	gt_expect_exception();
	TLBI(0, 8, 7, 0, 0); /* VMALLE1 */
	TLBI(0, 8, 3, 0, 0); /* VMALLE1IS */
	TLBI(0, 8, 7, 1, 0); /* VAE1 */
	TLBI(0, 8, 3, 1, 0); /* VAE1IS */
	TLBI(0, 8, 7, 2, 0); /* ASIDE1 */
	TLBI(0, 8, 3, 2, 0); /* ASIDE1IS */
	TLBI(0, 8, 7, 3, 0); /* VAAE1 */
	TLBI(0, 8, 3, 3, 0); /* VAAE1IS */
	TLBI(0, 8, 7, 5, 0); /* VALE1 */
	TLBI(0, 8, 3, 5, 0); /* VALE1IS */
	TLBI(0, 8, 7, 7, 0); /* VAALE1 */
	TLBI(0, 8, 3, 7, 0); /* VAALE1IS */
	TLBI(4, 8, 7, 4, 0); /* ALLE1 */
	TLBI(4, 8, 3, 4, 0); /* ALLE1IS */
	TLBI(4, 8, 7, 6, 0); /* VMALLS12E1 */
	TLBI(4, 8, 3, 6, 0); /* VMALLS12E1IS */
	TLBI(4, 8, 4, 1, 0); /* IPAS2E1 */
	TLBI(4, 8, 0, 1, 0); /* IPAS2E1IS */
	TLBI(4, 8, 4, 5, 0); /* IPAS2LE1 */
	TLBI(4, 8, 7, 5, 0); /* VALE2 */
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	gt_exc.armed = false;
	gt_check(!gt_exc.taken, "EL1 and EL2 TLBIs at EL2: no exception",
		 "ESR 0x%lx", (unsigned long)gt_exc.esr);
	if (os && range) {
		gt_expect_exception();
		TLBI(0, 8, 1, 0, 0); /* VMALLE1OS */
		TLBI(0, 8, 1, 1, 0); /* VAE1OS */
		TLBI(4, 8, 1, 0, 0); /* ALLE2OS */
		TLBI(4, 8, 1, 4, 0); /* ALLE1OS */
		/* ranges: TG = 4K, one page */
		TLBI(0, 8, 6, 1, BIT(46)); /* RVAE1 */
		TLBI(0, 8, 2, 3, BIT(46)); /* RVAAE1IS */
		TLBI(0, 8, 5, 7, BIT(46)); /* RVAALE1OS */
		TLBI(4, 8, 6, 1, BIT(46)); /* RVAE2 */
		TLBI(4, 8, 2, 5, BIT(46)); /* RVALE2IS */
		TLBI(4, 8, 4, 2, BIT(46)); /* RIPAS2E1 */
		__asm__ volatile("dsb ish\n isb" ::: "memory");
		gt_exc.armed = false;
		gt_check(!gt_exc.taken,
			 "outer-shareable and range TLBIs at EL2: no exception",
			 "ESR 0x%lx", (unsigned long)gt_exc.esr);
	}
	if (!xs) {
		gt_printf("note: no FEAT_XS: nXS forms not tested\n");
		return;
	}
	gt_expect_exception();
	TLBI(0, 9, 7, 0, 0); /* VMALLE1NXS */
	TLBI(0, 9, 3, 1, 0); /* VAE1ISNXS */
	TLBI(0, 9, 7, 3, 0); /* VAAE1NXS */
	TLBI(4, 9, 3, 4, 0); /* ALLE1ISNXS */
	TLBI(4, 9, 7, 6, 0); /* VMALLS12E1NXS */
	TLBI(4, 9, 4, 1, 0); /* IPAS2E1NXS */
	TLBI(4, 9, 3, 1, 0); /* VAE2ISNXS */
	TLBI(4, 9, 7, 0, 0); /* ALLE2NXS */
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	gt_exc.armed = false;
	gt_check(!gt_exc.taken, "TLBI nXS forms at EL2: no exception",
		 "ESR 0x%lx", (unsigned long)gt_exc.esr);
}

/* an IMPLEMENTATION DEFINED register no CPU here has (HCR_EL2.TIDCP
 * takes it to hypnest): UNDEFINED, every time, and hypnest's log says so
 * once */
static void impdef_undef(void)
{
	for (int i = 0; i < 2; i++) {
		uint64_t v;

		gt_expect_exception();
		__asm__ volatile("mrs %0, s3_0_c15_c0_0" : "=r"(v));
		gt_exc.armed = false;
		gt_check(gt_exc.taken && gt_exc.el == 2 && EC(gt_exc.esr) == 0,
			 "IMPLEMENTATION DEFINED S3_0_C15_C0_0: UNDEFINED",
			 "taken %d EL%lu ESR 0x%lx", gt_exc.taken,
			 (unsigned long)gt_exc.el, (unsigned long)gt_exc.esr);
	}
}

static void vel2_at_main(void)
{
	need_el2();
	hcr_set(HCR_BASE);
	build_tables();
	load_vel1();
	at_stage1();
	at_stage2();
	at_tge();
	at_pan();
	at_ext_abort();
	restore_vel1();
	tlbi_el2();
	tlbi_no_undef();
	impdef_undef();
	gt_done();
}

#endif
