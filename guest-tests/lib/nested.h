/* A small guest hypervisor (L1, at (virtual) EL2) that gives a payload at
 * its EL1 (L2) a stage 2 of its own -- HCR_EL2.VM = 1, VTTBR_EL2 with a
 * VMID, VTCR_EL2 4 KB granule, 39-bit IPA, start level 1 -- and a stage 1
 * (L2's VA = IPA + 1 GiB for the test windows, so FAR and HPFAR differ),
 * and checks what the architecture gives it, with HCR_EL2.E2H = 0
 * (nested_nvhe.c) or 1 (nested_vhe.c: L2's EL1 registers are then reached
 * as *_EL12 / *_EL02). Each case prints PASS/FAIL lines:
 *  1. L2's HVC reaches L1's lower-EL sync vector, EC 0x16 and the
 *     immediate; L1's ERET resumes L2 after it with L1's x0.
 *  2. L2 loads from IPAs L1 did not map (translation fault at level 1, 2
 *     and 3) and stores to one (level 3): EC 0x24, DFSC, FAR_EL2 = L2's
 *     VA, HPFAR_EL2 the IPA's page, ISV with SAS/SRT/SF/WnR; L1 maps the
 *     IPA (no TLBI: a faulting entry is never cached, D8.16 R.XCLRD,
 *     D8.17 I.WZCBG) and ERETs to
 *     the same instruction, which then reads/writes the page L1 mapped.
 *  3. L1 remaps an IPA from page A to page B (break-before-make, TLBI
 *     IPAS2E1IS, DSB, TLBI VMALLE1IS, DSB, ISB); L2 then reads page B.
 *     And a 1 GiB block L2 read in two 2 MiB parts replaced by a table
 *     with one TLBI IPAS2E1IS for one IPA in it: L2 reads the new pages
 *     in both parts.
 *  4. An L1 stage-2 entry to an L1 PA beyond L1's RAM (the DT's /memory
 *     end), and the last page of QEMU's 1 GiB when L1 has less: L2's load
 *     takes a synchronous External abort at L2's own EL1 (L1 sees
 *     nothing); entries to L1 RAM where hypnest sits physically (its load
 *     address 0x40200000, RAM base) read what L1 reads there itself;
 *     a stage-2 table of L1's at such a PA gives L1 an External abort on
 *     the walk (DFSC 0x17).
 *  5. Each trap control L1 sets takes the L2 action to L1, with its ESR,
 *     and with the control clear L1 sees nothing: HCR_EL2.TVM (MSR
 *     SCTLR_EL1), TID3 (MRS ID_AA64PFR0_EL1), TWI (WFI; woken by L2's
 *     virtual timer when not trapped), TSC (SMC with PSCI_SYSTEM_OFF in
 *     x0; not trapped: the ID registers show no EL3, where the Arm ARM
 *     makes an SMC at EL1 UNDEFINED with TSC = 0 (J1.1.2.44, C6.2.371),
 *     and under hypnest L2 takes that UNDEF at its own EL1 (L1's firmware
 *     is never L2's); QEMU virt's EL2 instead answers an SMC at EL1 as
 *     its PSCI firmware, an EL3 its ID registers do not show, so there
 *     the call is PSCI_VERSION and returns the firmware's answer),
 *     CPTR_EL2.TFP (E2H = 0) /
 *     FPEN (E2H = 1) (FMOV), IMO (L1's EL2 physical timer while L2 runs:
 *     with IMO at L1's lower-EL IRQ vector; without, L2 runs on with it
 *     pending in its ISR_EL1.I, and L1 takes it once it sets IMO).
 *  6. Two L1 vCPUs run L2 on the same VTTBR at once; each L2 vCPU stores
 *     to pages that fault in on its own vCPU, then reads the other's.
 *  7. 10,000 L2 HVCs answered by L1's ERET, twice; hypnest's trap count
 *     (HYPNEST_TRAP_COUNT by SMC from L1) printed per hypercall, "n/a"
 *     where the call does not exist (bare QEMU).
 *  8. (NESTED_VGIC images) A virtual interrupt L1 puts in ICH_LR0_EL2 (EOI
 * maintenance) is pending at L2, which acknowledges and EOIs it; L1 then reads
 * the list register invalid, ICH_ELRSR_EL2 / ICH_EISR_EL2 bit 0 and
 *     ICH_MISR_EL2.EOI (IHI 0069).
 *  9. With L1's CNTVOFF_EL2 set, L2's CNTVCT_EL0 is the count minus it, and
 *     L2's virtual timer (IMO) exits to L1 not before its CVAL on that
 *     count.
 * 11. (NESTED_WEDGE images) A wedged L2 on vCPU 0 (DAIF masked, spinning):
 *     L1's EL2 timer still takes vCPU 0 out of it, L1's vCPU 1 runs its
 *     own L2 meanwhile, L1 then leaves the wedged L2 (lib/nested_wedge.h).
 * The checks are the architecture's: both images pass in full at QEMU's
 * real EL2 (virtualization=on, -smp 2). Header-only (the Makefile links a
 * fixed library). */
#ifndef GT_NESTED_H
#define GT_NESTED_H
#ifndef VHE
#error "define VHE (0 or 1) before including nested.h"
#endif
#include "payload.h"

/* 1: the image of case 8 alone (nested_vgic_nvhe.c, nested_vgic_vhe.c),
 * the nested vGIC's own rows; 0: every other case */
#ifndef NESTED_VGIC
#define NESTED_VGIC 0
#endif
/* 1: the image of case 11 alone (nested_wedge_nvhe.c, nested_wedge_vhe.c) */
#ifndef NESTED_WEDGE
#define NESTED_WEDGE 0
#endif

/* L2's EL1 registers from EL2 (E2H = 1: *_EL12 / *_EL02 by encoding) */
#if VHE
#define FLAVOUR "vhe"
#define SCTLR_EL1 s3_5_c1_c0_0
#define CPACR_EL1 s3_5_c1_c0_2
#define TTBR0_EL1 s3_5_c2_c0_0
#define TCR_EL1 s3_5_c2_c0_2
#define MAIR_EL1 s3_5_c10_c2_0
#define VBAR_EL1 s3_5_c12_c0_0
#define CNTV_CTL s3_5_c14_c3_1
#define CNTV_CVAL s3_5_c14_c3_2
#else
#define FLAVOUR "nvhe"
#define SCTLR_EL1 sctlr_el1
#define CPACR_EL1 cpacr_el1
#define TTBR0_EL1 ttbr0_el1
#define TCR_EL1 tcr_el1
#define MAIR_EL1 mair_el1
#define VBAR_EL1 vbar_el1
#define CNTV_CTL cntv_ctl_el0
#define CNTV_CVAL cntv_cval_el0
#endif
#define CNTHP_CTL s3_4_c14_c2_1	 /* CNTHP_CTL_EL2 */
#define CNTHP_CVAL s3_4_c14_c2_2 /* CNTHP_CVAL_EL2 */

/* HCR_EL2 (D24.2.62) */
#define HCR_VM BIT(0)
#define HCR_IMO BIT(4)
#define HCR_TWI BIT(13)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TVM BIT(26)
#define HCR_BASE (HCR_RW | (VHE ? HCR_E2H : 0))
/* CPTR_EL2 (D24.2.38): TFP with E2H = 0, FPEN [21:20] with E2H = 1 (the
 * CPACR layout) */
#define CPTR_TFP BIT(10)
#define CPTR_FPEN (3UL << 20)

#define EC_WFX 0x01
#define EC_FP 0x07
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define ISS_COND_AARCH64 0x1e00000UL /* CV 1, COND 0b1110 (D24.2.46) */
/* ISS of EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1: read) */
#define SYS_ISS(op0, op1, crn, crm, op2, rt, rd)                               \
	(((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) |                   \
	 ((uint64_t)(op1) << 14) | ((uint64_t)(crn) << 10) |                   \
	 ((uint64_t)(rt) << 5) | ((uint64_t)(crm) << 1) | (uint64_t)(rd))
/* data abort ISS (D24.2.46): ISV, SAS, SRT, SF, WnR, DFSC */
#define DA_ISV BIT(24)
#define DA_SAS(s) ((uint64_t)(s) << 22)
#define DA_SRT(r) ((uint64_t)(r) << 16)
#define DA_SF BIT(15)
#define DA_WNR BIT(6)
#define DFSC_TRANS(l) (0x04UL + (l)) /* translation fault, level l */
#define DFSC_SEA 0x10UL		     /* synchronous External abort */

#define PPI_HPTIMER 26	     /* EL2 physical timer */
#define VEC_EL2_LOWER_IRQ 25 /* gt_irq_vector: EL2 table, 0x480 */
#define VEC_EL2_CUR_IRQ 21   /* EL2 table, current EL SPx, 0x280 */
#define VEC_EL1_CUR_SYNC 4   /* EL1 table, current EL SPx, 0x200 */

#define HVC_IMM 0x4e5
#define HVC_LOOP 0x77
#define HVC_ARG 0x1234UL
#define HVC_REPLY 0x5eedf00dUL
#define ID_MARKER 0x1d1d1d1d5a5a0001UL
#define SMC_MARKER 0x5c5c0002UL
#define STORE_VAL 0xc0ffee42U
#define FP_VAL 0x3ff0000012345678UL
#define LOOPS 10000

/* ---- memory: L1 physical addresses (L1's IPAs under hypnest) ---- */
#define RAM_BASE 0x40000000UL
#define GiB (1UL << 30)
#define MiB (1UL << 20)
#define HYP_LOAD 0x40200000UL /* hypnest's physical load address */
/* the pages L1 gives L2, page n = word k holds pat(n, k); inside the 256
 * MiB hypnest gives by default, past the image, below the DT */
#define BACK 0x4a000000UL
#define PAGE(n) (BACK + ((uint64_t)(n) << 12))
#define NPAGES 160
static inline uint64_t pat(uint64_t n, uint64_t k)
{
	return 0xb0b0000000000000UL | (n << 20) | k;
}

/* ---- L2's IPA space (VTCR: T0SZ 25, SL0 1) ----
 * IPA 0-1 GiB: a 1 GiB Device block, identity (the UART L2 reports on);
 * IPA 1-2 GiB: a level-2 table: 2 MiB blocks, identity, up to W3 (the
 *   image, stacks, tables and the pages above), then
 *   W3 (0x4c000000): a level-3 table, every entry invalid to start with;
 *   W2 (0x4e000000): invalid (a level-2 fault);
 *   WH (0x4e200000): case 4, a 2 MiB block to HYP_LOAD;
 * IPA 2-3 GiB, W1: invalid (a level-1 fault).
 * L2's VA: identity on 0-2 GiB, VA = IPA + 1 GiB on 2-4 GiB (an alias of
 * IPA 1-3 GiB), L2 reaches the windows through VA(). */
#define W1 0x80000000UL
#define W2 0x4e000000UL
#define W3 0x4c000000UL
#define WH 0x4e200000UL
#define VA(ipa) ((ipa) + GiB)
#define L2_IDX(ipa) (((ipa)-GiB) >> 21)
#define S2_VALID BIT(0)
#define S2_TABLE 3UL
#define S2_PAGE 3UL
/* stage-2 block/page attributes: MemAttr [5:2] Normal WB (0b1111) or
 * Device-nGnRE (0b0001), S2AP [7:6] RW, SH [9:8] Inner, AF */
#define S2_NORMAL ((0xfUL << 2) | (3UL << 6) | (3UL << 8) | BIT(10))
#define S2_DEVICE ((0x1UL << 2) | (3UL << 6) | BIT(10))
/* VTCR_EL2 (D24.2.224): T0SZ 25, SL0 1, IRGN0/ORGN0 WBWA, SH0 Inner, TG0
 * 4 KB, PS (filled in), RES1 bit 31 */
#define VTCR_BASE                                                              \
	(25UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | BIT(31))
#define VMID 5UL
/* L2's stage 1: MAIR attr 0 Normal Non-cacheable (as L1 sees its memory
 * with its EL2 MMU off, no cacheability mismatch), attr 1 Device-nGnRnE;
 * TCR_EL1: T0SZ 25, walks Non-cacheable, TG0 4 KB, EPD1, IPS (filled) */
#define MAIR_L2 0x0044UL
#define S1_BLOCK_NC (1UL | (0UL << 2) | BIT(10))
#define S1_BLOCK_DEV (1UL | (1UL << 2) | BIT(10))
#define TCR_L2 (25UL | BIT(23))
#define SCTLR_M BIT(0)

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static uint64_t s2_l3[512] __attribute__((aligned(4096)));
static uint64_t s1_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_w1[512] __attribute__((aligned(4096))); /* case 3b */
static uint64_t l2_stack[2][1024] __attribute__((aligned(16)));
static uint64_t ps_bits; /* VTCR.PS / TCR.IPS: 40 bits or less */
static uint64_t ram_end; /* from the DT's /memory */

/* ---- what L1 saw, per vCPU ---- */
struct ex {
	uint64_t vector, esr, far, hpfar, elr, spsr;
};
#define NREC 6
#define MAX_EXC 80
static volatile struct l1 {
	unsigned n, exits, irqs, phase2_faults;
	uint64_t hvcs;
	bool map;  /* map the faulting IPA and retry */
	bool skip; /* skip the instruction of a stage-2 abort */
	struct ex rec[NREC];
	uint32_t intid;
	uint64_t irq_vector, irq_spsr, irq_when, irq_ctl;
} l1s[2];

/* ---- what L2 does and saw ---- */
enum op {
	OP_HVC,
	OP_LOAD,
	OP_STORE,
	OP_PROBE,
	OP_SUM,
	OP_SCTLR,
	OP_ID,
	OP_WFI,
	OP_SMC,
	OP_FP,
	OP_SPIN,
	OP_LOOP,
	OP_SMP,
	OP_VIRQ,
	OP_VTIMER,
	OP_LOAD2,
};
static volatile struct l2 {
	uint64_t op, va, val, n;		  /* in */
	uint64_t insn, x0, x5, x6, isr, sum, bad; /* out */
	uint64_t exc_taken, exc_esr, exc_far, exc_vector, exc_el;
	bool after;
} l2c[2];
static volatile uint64_t smp_ready[2];

/* ---- the DT: RAM's end ---- */

static uint32_t be32(uintptr_t a)
{
	uint32_t v = *(volatile uint32_t *)a;

	return __builtin_bswap32(v);
}

static bool str_eq(uintptr_t a, const char *s)
{
	for (; *s; a++, s++)
		if (*(volatile char *)a != *s)
			return false;
	return *(volatile char *)a == 0;
}

static bool str_prefix(uintptr_t a, const char *s)
{
	for (; *s; a++, s++)
		if (*(volatile char *)a != *s)
			return false;
	return true;
}

static uint64_t cells(uintptr_t p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = (v << 32) | be32(p + 4 * i);
	return v;
}

/* the end of the first range of the first /memory node, 0 if none (FDT:
 * the Devicetree Specification, chapter 5) */
static uint64_t dt_ram_end(uintptr_t fdt)
{
	uintptr_t p, strs;
	unsigned depth = 0, ac = 2, sc = 1;
	bool in_mem = false;

	if (!fdt || be32(fdt) != 0xd00dfeedU)
		return 0;
	p = fdt + be32(fdt + 8);
	strs = fdt + be32(fdt + 12);
	for (unsigned steps = 0; steps < 100000; steps++) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) { /* BEGIN_NODE */
			depth++;
			in_mem = depth == 2 && str_prefix(p, "memory");
			while (*(volatile char *)p)
				p++;
			p = (p + 4) & ~3UL;
		} else if (tok == 2) { /* END_NODE */
			depth--;
			in_mem = false;
		} else if (tok == 3) { /* PROP */
			uint32_t len = be32(p), name = be32(p + 4);
			uintptr_t d = p + 8;

			if (depth == 1 && str_eq(strs + name, "#address-cells"))
				ac = be32(d);
			if (depth == 1 && str_eq(strs + name, "#size-cells"))
				sc = be32(d);
			if (in_mem && str_eq(strs + name, "reg") &&
			    len >= 4 * (ac + sc) && ac <= 2 && sc <= 2)
				return cells(d, ac) + cells(d + 4 * ac, sc);
			p = (d + len + 3) & ~3UL;
		} else if (tok != 4) { /* not NOP: END or junk */
			return 0;
		}
	}
	return 0;
}

/* ---- L2 (EL1h, its MMU on, VBAR_EL1 = gt_vectors) ---- */

static uint64_t l2_load(volatile struct l2 *c, uint64_t va)
{
	register uint64_t x1 __asm__("x1");
	register uint64_t x5 __asm__("x5") = 0;
	register uint64_t x6 __asm__("x6") = va;

	__asm__ volatile("adr x1, 1f\n 1: ldr x5, [x6]"
			 : "=&r"(x1), "+r"(x5)
			 : "r"(x6)
			 : "memory");
	c->insn = x1;
	return x5;
}

static void l2_store(volatile struct l2 *c, uint64_t va, uint32_t val)
{
	register uint64_t x1 __asm__("x1");
	register uint64_t x6 __asm__("x6") = va;
	register uint32_t w7 __asm__("w7") = val;

	__asm__ volatile("adr x1, 1f\n 1: str w7, [x6]"
			 : "=&r"(x1)
			 : "r"(x6), "r"(w7)
			 : "memory");
	c->insn = x1;
}

static uint64_t l2_sum(uint64_t va, uint64_t len)
{
	uint64_t s = 0;

	for (uint64_t a = va; a < va + len; a += 8)
		s = ((s << 7) | (s >> 57)) ^ mmio_read64(a);
	return s;
}

/* L2's half of case 6: store to its own pages (faulting in on its vCPU),
 * then, once the other one has done the same, read the other's */
static void l2_smp(volatile struct l2 *c, unsigned cpu)
{
	unsigned other = cpu ^ 1;
	uint64_t bad = 0;

	for (unsigned j = 0; j < c->n; j++)
		l2_store(c, VA(W3) + ((c->val + cpu * c->n + j) << 12),
			 (uint32_t)(0xa0000000U | (cpu << 16) | j));
	dsb_sy();
	smp_ready[cpu] = 1;
	dsb_sy();
	if (!WAIT_FOR(smp_ready[other], 5000)) {
		c->bad = ~0UL;
		return;
	}
	l1s[cpu].phase2_faults = 0;
	c->x0 = 1; /* phase 2 */
	for (unsigned j = 0; j < c->n; j++) {
		uint64_t v =
		    l2_load(c, VA(W3) + ((c->val + other * c->n + j) << 12));

		if ((uint32_t)v != (0xa0000000U | (other << 16) | j))
			bad++;
	}
	c->bad = bad;
}

/* case 8 at L2 (IMO = 1: its ICC_* are the virtual interface): the
 * interrupt pending (ISR_EL1.I, PSTATE.I still set), acknowledged and
 * EOId */
static void l2_virq(volatile struct l2 *c)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	c->isr = read_sysreg(isr_el1);
	c->x5 = gic_ack();
	if (c->x5 < INTID_SPURIOUS)
		gic_eoi((uint32_t)c->x5);
	c->x6 = read_sysreg(isr_el1);
}

/* case 9 at L2: its virtual count, and its virtual timer val ticks later,
 * then a spin until L1 has taken the interrupt (or a second) */
static void l2_vtimer(volatile struct l2 *c, uint64_t cpu)
{
	uint64_t vct = now(), end;

	c->x5 = vct;
	c->sum = vct + c->val;
	write_sysreg(cntv_cval_el0, vct + c->val);
	write_sysreg(cntv_ctl_el0, CNT_CTL_ENABLE);
	isb();
	end = now() + ms_to_ticks(1000);
	while (now() < end && !l1s[cpu].irqs)
		;
}

static __attribute__((noinline, noreturn)) void l2_main(uint64_t cpu)
{
	volatile struct l2 *c = &l2c[cpu];
	register uint64_t x0 __asm__("x0");
	register uint64_t x1 __asm__("x1");
	register uint64_t x5 __asm__("x5");
	register uint64_t x6 __asm__("x6");
	uint64_t end;

	switch (c->op) {
	case OP_HVC:
		x0 = c->val;
		__asm__ volatile("adr x1, 1f\n hvc #" STR(HVC_IMM) "\n 1:"
				 : "+r"(x0), "=&r"(x1)::"memory");
		c->insn = x1;
		c->x0 = x0;
		break;
	case OP_LOAD:
		c->x5 = l2_load(c, c->va);
		break;
	case OP_STORE:
		l2_store(c, c->va, (uint32_t)c->val);
		break;
	case OP_PROBE:
		gt_expect_exception();
		c->x5 = l2_load(c, c->va);
		c->exc_taken = gt_exc.taken;
		c->exc_esr = gt_exc.esr;
		c->exc_far = gt_exc.far;
		c->exc_vector = gt_exc.vector;
		c->exc_el = gt_exc.el;
		gt_exc.armed = false;
		break;
	case OP_SUM:
		c->sum = l2_sum(c->va, c->n);
		break;
	case OP_SCTLR:
		__asm__ volatile("mrs x5, sctlr_el1\n adr x1, 1f\n"
				 "1: msr sctlr_el1, x5\n isb"
				 : "=&r"(x1), "=&r"(x5)::"memory");
		c->insn = x1;
		c->x5 = x5;
		break;
	case OP_ID:
		x5 = 0;
		__asm__ volatile("adr x1, 1f\n 1: mrs x5, id_aa64pfr0_el1"
				 : "=&r"(x1), "+r"(x5)::"memory");
		c->insn = x1;
		c->x5 = x5;
		break;
	case OP_WFI:
		__asm__ volatile("adr x1, 1f\n dsb sy\n 1: wfi"
				 : "=&r"(x1)::"memory");
		c->insn = x1;
		break;
	case OP_SMC:		       /* val: the function ID */
		gt_expect_exception(); /* a call: before x0 is set */
		x0 = c->val;
		__asm__ volatile("adr x1, 1f\n 1: smc #0"
				 : "+r"(x0), "=&r"(x1)::"memory");
		c->insn = x1;
		c->x0 = x0;
		c->exc_taken = gt_exc.taken;
		c->exc_esr = gt_exc.esr;
		c->exc_vector = gt_exc.vector;
		c->exc_el = gt_exc.el;
		gt_exc.armed = false;
		break;
	case OP_FP:
		x5 = c->val;
		x6 = 0;
		__asm__ volatile("adr x1, 1f\n 1: fmov d0, x5\n fmov x6, d0"
				 : "=&r"(x1), "+r"(x6)
				 : "r"(x5)
				 : "memory");
		c->insn = x1;
		c->x6 = x6;
		break;
	case OP_SPIN: /* n: stop at L1's first interrupt; else at one
		       * pending at L2 (ISR_EL1.I): the interrupt's way to the
		       * PE takes a while, the longer the busier the host */
		end = now() + ms_to_ticks(c->val);
		while (now() < end && !(c->n && l1s[cpu].irqs) &&
		       !(!c->n && (read_sysreg(isr_el1) & BIT(7))))
			;
		c->isr = read_sysreg(isr_el1);
		c->x0 = l1s[cpu].irqs;
		break;
	case OP_LOOP:
		for (uint64_t i = 0; i < c->n; i++)
			__asm__ volatile("hvc #" STR(HVC_LOOP)::: "memory");
		break;
	case OP_SMP:
		l2_smp(c, (unsigned)cpu);
		break;
	case OP_VIRQ:
		l2_virq(c);
		break;
	case OP_LOAD2: /* n: the second VA */
		c->x5 = l2_load(c, c->va);
		c->x6 = l2_load(c, c->n);
		break;
	case OP_VTIMER:
		l2_vtimer(c, cpu);
		break;
	}
	c->after = true;
	payload_exit();
}

/* ---- L1 ---- */

static void s2_sync(void)
{
	__asm__ volatile("dsb ish\n isb" ::: "memory");
}

/* maps the IPA of a stage-2 fault as the windows have it: W1 a 1 GiB block
 * at RAM_BASE, W2 a 2 MiB block at BACK, W3 page j to PAGE(j) (j below
 * NPAGES); false for anything else */
static bool map_ipa(uint64_t ipa)
{
	if (ipa >= W1 && ipa < W1 + GiB) {
		s2_l1[2] = RAM_BASE | S2_NORMAL | S2_VALID;
	} else if (ipa >= W2 && ipa < W2 + 2 * MiB) {
		s2_l2[L2_IDX(W2)] = BACK | S2_NORMAL | S2_VALID;
	} else if (ipa >= W3 && ipa < W3 + NPAGES * 4096UL) {
		unsigned j = (unsigned)((ipa - W3) >> 12);

		/* already mapped (by the other vCPU): retry */
		if (!(s2_l3[j] & S2_VALID))
			s2_l3[j] = PAGE(j) | S2_NORMAL | S2_PAGE;
	} else {
		return false;
	}
	s2_sync();
	return true;
}

static uint64_t lower(uint64_t vector, uint64_t esr, uint64_t far, uint64_t elr,
		      struct gt_frame *f)
{
	volatile struct l1 *s = &l1s[cpu_index() & 1];
	volatile struct ex *r;
	unsigned rt = (esr >> 5) & 0x1f;

	if (vector == VEC_LOWER_SYNC && EC(esr) == EC_HVC64) {
		if (ISS(esr) == HVC_EXIT && f->x[0] == PAYLOAD_DONE) {
			s->exits++;
			return gt_lower_exit(f);
		}
		if (ISS(esr) == HVC_LOOP) {
			s->hvcs++;
			return elr;
		}
		if (f->x[0] == PSCI_SYSTEM_OFF) /* gt_done at L2 */
			gt_psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	/* every exception counted, the first NREC recorded; a runaway (a
	 * fault that a mapping does not cure) ends the run */
	if (s->n >= MAX_EXC)
		return give_up(f);
	r = &s->rec[s->n < NREC ? s->n : NREC - 1];
	s->n++;
	r->vector = vector;
	r->esr = esr;
	r->far = far;
	r->hpfar = read_sysreg(hpfar_el2);
	r->elr = elr;
	r->spsr = f->spsr;
	if (vector != VEC_LOWER_SYNC)
		return give_up(f);
	switch (EC(esr)) {
	case EC_HVC64:
		f->x[0] = HVC_REPLY;
		return elr;
	case EC_DABT_LOW:
		if (l2c[cpu_index() & 1].x0 == 1)
			s->phase2_faults++;
		if (s->map && map_ipa(((r->hpfar >> 4) << 12) | (far & 0xfff)))
			return elr;
		if (s->skip)
			return elr + 4;
		return give_up(f);
	case EC_SYS64:
		if ((esr & 1) && rt <= 18)
			f->x[rt] = ID_MARKER;
		return elr + 4;
	case EC_SMC64:
		f->x[0] = SMC_MARKER;
		return elr + 4;
	case EC_WFX:
	case EC_FP:
		return elr + 4;
	default:
		return give_up(f);
	}
}

/* L2's EL1 context and L1's stage 2 for it, on this vCPU */
static void l2_context(void)
{
	WR(VBAR_EL1, (uintptr_t)gt_vectors);
	WR(MAIR_EL1, MAIR_L2);
	WR(TCR_EL1, TCR_L2 | (ps_bits << 32));
	WR(TTBR0_EL1, (uintptr_t)s1_l1);
	WR(CPACR_EL1, CPTR_FPEN); /* L2's own FP/SIMD not trapped at EL1 */
	WR(SCTLR_EL1, SCTLR_EL1_RES1 | SCTLR_M);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_mpidr());
	write_sysreg(vtcr_el2, VTCR_BASE | (ps_bits << 16));
	write_sysreg(vttbr_el2, (VMID << 48) | (uintptr_t)s2_l1);
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n dsb ish\n isb" ::: "memory");
}

static void tables_setup(void)
{
	uint64_t pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	ps_bits = pa < 2 ? pa : 2;
	for (unsigned i = 0; i < 512; i++)
		s2_l1[i] = s2_l2[i] = s2_l3[i] = s1_l1[i] = 0;
	s2_l1[0] = 0 | S2_DEVICE | S2_VALID;
	s2_l1[1] = (uintptr_t)s2_l2 | S2_TABLE;
	for (unsigned i = 0; i < L2_IDX(W3); i++)
		s2_l2[i] = (GiB + ((uint64_t)i << 21)) | S2_NORMAL | S2_VALID;
	s2_l2[L2_IDX(W3)] = (uintptr_t)s2_l3 | S2_TABLE;
	s2_l2[L2_IDX(WH)] = HYP_LOAD | S2_NORMAL | S2_VALID;
	s1_l1[0] = 0 | S1_BLOCK_DEV;
	s1_l1[1] = GiB | S1_BLOCK_NC;
	s1_l1[2] = GiB | S1_BLOCK_NC;
	s1_l1[3] = 2 * GiB | S1_BLOCK_NC;
	for (unsigned n = 0; n < NPAGES; n++)
		for (unsigned k = 0; k < 512; k++)
			*(volatile uint64_t *)(PAGE(n) + 8 * k) = pat(n, k);
	dsb_sy();
}

static void l2_reset(unsigned cpu, enum op op, uint64_t va, uint64_t val,
		     uint64_t n)
{
	volatile struct l1 *s = &l1s[cpu];
	volatile struct l2 *c = &l2c[cpu];

	s->n = s->exits = s->irqs = s->phase2_faults = 0;
	s->hvcs = 0;
	s->map = s->skip = false;
	s->intid = 0;
	s->irq_vector = s->irq_spsr = s->irq_when = s->irq_ctl = 0;
	for (unsigned i = 0; i < NREC; i++) {
		volatile uint64_t *w = (volatile uint64_t *)&s->rec[i];

		for (unsigned j = 0; j < sizeof(struct ex) / 8; j++)
			w[j] = 0;
	}
	c->op = op;
	c->va = va;
	c->val = val;
	c->n = n;
	c->insn = c->x0 = c->x5 = c->x6 = c->isr = c->sum = c->bad = 0;
	c->exc_taken = c->exc_esr = c->exc_far = c->exc_vector = c->exc_el = 0;
	c->after = false;
}

/* runs L2 on this vCPU with HCR_EL2 = HCR_BASE | VM | hcr, HCR_BASE | VM
 * after; PAYLOAD_DONE if it got to its exit */
static uint64_t l2_go(unsigned cpu, uint64_t hcr)
{
	uint64_t ret;

	hcr_set(HCR_BASE | HCR_VM | hcr);
	ret = gt_run_lower((uintptr_t)l2_main, (uintptr_t)&l2_stack[cpu][1024],
			   cpu, SPSR_EL1H);
	/* VM stays set at EL2 (it does not apply there): an HCR_EL2 write
	 * that changes VM may flush the TLBs (QEMU's does), which would hide
	 * a missing invalidation from the remap case */
	hcr_set(HCR_BASE | HCR_VM);
	return ret;
}

/* case name: L2 runs op on vCPU 0; true if it ran to its exit */
static bool l2_run(const char *name, enum op op, uint64_t va, uint64_t val,
		   uint64_t n, uint64_t hcr, bool map)
{
	char what[160];
	uint64_t ret;

	l2_reset(0, op, va, val, n);
	l1s[0].map = map;
	gt_where = name;
	ret = l2_go(0, hcr);
	gt_where = NULL;
	hyp_snprintf(what, sizeof(what), "%s: L2 ran to its exit", name);
	gt_check(ret == PAYLOAD_DONE && l1s[0].exits == 1 && l2c[0].after, what,
		 "returned 0x%lx, exits %u, after %d, %u exceptions, first "
		 "vector %lu ESR 0x%lx ELR 0x%lx FAR 0x%lx",
		 (unsigned long)ret, l1s[0].exits, l2c[0].after, l1s[0].n,
		 (unsigned long)l1s[0].rec[0].vector,
		 (unsigned long)l1s[0].rec[0].esr,
		 (unsigned long)l1s[0].rec[0].elr,
		 (unsigned long)l1s[0].rec[0].far);
	return ret == PAYLOAD_DONE && l2c[0].after;
}

/* the first exception L1 took: lower-EL sync, ESR esr exactly, ELR elr,
 * from EL1h */
static void check_exit(const char *name, uint64_t esr, uint64_t elr)
{
	const volatile struct ex *r = &l1s[0].rec[0];
	char what[200];

	hyp_snprintf(what, sizeof(what),
		     "%s: at L1's lower-EL sync vector (0x400), ESR_EL2 0x%lx",
		     name, (unsigned long)esr);
	gt_check(l1s[0].n >= 1 && r->vector == VEC_LOWER_SYNC && r->esr == esr,
		 what, "%u exceptions, vector %lu ESR 0x%lx", l1s[0].n,
		 (unsigned long)r->vector, (unsigned long)r->esr);
	hyp_snprintf(what, sizeof(what),
		     "%s: ELR_EL2 0x%lx (L2's PC), SPSR_EL2.M EL1h", name,
		     (unsigned long)elr);
	gt_check(r->elr == elr && (r->spsr & 0x1f) == 5, what,
		 "ELR 0x%lx SPSR 0x%lx", (unsigned long)r->elr,
		 (unsigned long)r->spsr);
}

/* ---- 1. HVC ---- */

static void test_hvc(void)
{
	if (!l2_run("HVC", OP_HVC, 0, HVC_ARG, 0, 0, false))
		return;
	CHECK_EQ(l1s[0].n, 1, "HVC: one exception to L1 before the exit");
	check_exit("HVC", (EC_HVC64 << 26) | ESR_IL | HVC_IMM, l2c[0].insn);
	CHECK_EQ(l2c[0].x0, HVC_REPLY,
		 "HVC: L2 resumes after it with the x0 L1 put there");
}

/* ---- 2. stage-2 translation faults ---- */

static void abort_case(const char *name, bool store, uint64_t ipa,
		       unsigned level, uint64_t page)
{
	const volatile struct ex *r = &l1s[0].rec[0];
	uint64_t va = VA(ipa), iss, got;
	char what[200];

	iss = DA_ISV | DFSC_TRANS(level) |
	      (store ? DA_SAS(2) | DA_SRT(7) | DA_WNR
		     : DA_SAS(3) | DA_SRT(5) | DA_SF);
	if (!l2_run(name, store ? OP_STORE : OP_LOAD, va, STORE_VAL, 0, 0,
		    true))
		return;
	hyp_snprintf(what, sizeof(what),
		     "%s: one stage-2 abort to L1, then the retry", name);
	CHECK_EQ(l1s[0].n, 1, what);
	check_exit(name, ((uint64_t)EC_DABT_LOW << 26) | ESR_IL | iss,
		   l2c[0].insn);
	hyp_snprintf(what, sizeof(what), "%s: FAR_EL2 = L2's VA 0x%lx", name,
		     (unsigned long)va);
	CHECK_EQ(r->far, va, what);
	hyp_snprintf(what, sizeof(what),
		     "%s: HPFAR_EL2.FIPA = the IPA's page (0x%lx)", name,
		     (unsigned long)(ipa & ~0xfffUL));
	CHECK_EQ(r->hpfar, (ipa >> 12) << 4, what);
	if (store) {
		got = *(volatile uint64_t *)(page + (ipa & 0xfff));
		hyp_snprintf(what, sizeof(what),
			     "%s: the retried store landed in the page L1 "
			     "mapped",
			     name);
		CHECK_EQ(got,
			 (pat((page - BACK) >> 12, (ipa & 0xfff) / 8) &
			  ~0xffffffffUL) |
			     STORE_VAL,
			 what);
	} else {
		hyp_snprintf(what, sizeof(what),
			     "%s: the retried load read the page L1 mapped",
			     name);
		CHECK_EQ(l2c[0].x5, pat((page - BACK) >> 12, (ipa & 0xfff) / 8),
			 what);
	}
}

static void test_aborts(void)
{
	abort_case("load, level-1 fault", false, W1 + (BACK - RAM_BASE) + 0x18,
		   1, PAGE(0));
	abort_case("load, level-2 fault", false, W2 + 5 * 4096 + 0x20, 2,
		   PAGE(5));
	abort_case("load, level-3 fault", false, W3 + 1 * 4096 + 0x28, 3,
		   PAGE(1));
	abort_case("store, level-3 fault", true, W3 + 2 * 4096 + 0x30, 3,
		   PAGE(2));
}

/* ---- 3. remap with TLBI ---- */

static void tlbi_ipa(uint64_t ipa)
{
	__asm__ volatile("dsb ishst\n tlbi ipas2e1is, %0\n dsb ish\n"
			 "tlbi vmalle1is\n dsb ish\n isb" ::"r"(ipa >> 12)
			 : "memory");
}

static void test_remap(void)
{
	uint64_t ipa = W3 + 3 * 4096 + 0x40;

	s2_l3[3] = PAGE(3) | S2_NORMAL | S2_PAGE;
	s2_sync();
	if (!l2_run("remap: page A", OP_LOAD, VA(ipa), 0, 0, 0, false))
		return;
	CHECK_EQ(l2c[0].x5, pat(3, 8), "remap: L2 reads page A");
	CHECK_EQ(l1s[0].n, 0, "remap: page A mapped, no exception to L1");
	/* break-before-make (D8.17.1): invalid, TLBI IPAS2E1IS for the
	 * stage-2-only entries, TLBI VMALLE1IS for the combined stage 1+2
	 * ones of this VMID (D8.17), then the new entry */
	s2_l3[3] = 0;
	tlbi_ipa(ipa);
	s2_l3[3] = PAGE(4) | S2_NORMAL | S2_PAGE;
	s2_sync();
	if (!l2_run("remap: page B", OP_LOAD, VA(ipa), 0, 0, 0, false))
		return;
	CHECK_EQ(l2c[0].x5, pat(4, 8),
		 "remap: after TLBI IPAS2E1IS + VMALLE1IS L2 reads page B");
	CHECK_EQ(l1s[0].n, 0, "remap: page B mapped, no exception to L1");
}

/* A 1 GiB block of L1's (W1, mapped by the level-1 fault case) read by L2
 * in two of its 2 MiB parts, then replaced by a level-2 table that maps
 * those parts elsewhere, with one TLBI IPAS2E1IS for the first part's IPA:
 * it removes the whole block however it was cached, splintered or not
 * (D8.17: "all entries containing that stage 2 information are
 * invalidated"), so L2 reads the new pages in both parts. */
#define BLK_A (W1 + (BACK - RAM_BASE) + 20 * 4096UL + 0x48)
#define BLK_B (BLK_A + 2 * MiB + 4096UL)
#define BLK_MARK_A 0x5a5a00000000000aUL
#define BLK_MARK_B 0x5a5a00000000000bUL

static void test_remap_block(void)
{
	const uint64_t pa_a_old = BLK_A - W1 + RAM_BASE,
		       pa_b_new = pa_a_old + 4096;
	const uint64_t pa_b_old = BLK_B - W1 + RAM_BASE;
	const uint64_t pa_a_new = pa_a_old + 2 * MiB;
	const volatile struct l2 *c = &l2c[0];

	*(volatile uint64_t *)pa_b_old = BLK_MARK_B;
	*(volatile uint64_t *)pa_a_new = BLK_MARK_A;
	dsb_sy();
	s2_l1[2] = RAM_BASE | S2_NORMAL | S2_VALID;
	s2_sync();
	if (!l2_run("block remap: 1 GiB block", OP_LOAD2, VA(BLK_A), 0,
		    VA(BLK_B), 0, false))
		return;
	gt_check(c->x5 == *(volatile uint64_t *)pa_a_old &&
		     c->x6 == BLK_MARK_B && l1s[0].n == 0,
		 "block remap: L2 reads both 2 MiB parts of L1's 1 GiB block",
		 "0x%lx 0x%lx, %u exceptions", (unsigned long)c->x5,
		 (unsigned long)c->x6, l1s[0].n);
	for (unsigned i = 0; i < 512; i++)
		s2_w1[i] = 0;
	s2_w1[((BLK_A - W1) >> 21)] =
	    ((pa_a_new & ~(2 * MiB - 1)) | S2_NORMAL | S2_VALID);
	s2_w1[((BLK_B - W1) >> 21)] =
	    ((pa_b_new & ~(2 * MiB - 1)) | S2_NORMAL | S2_VALID);
	s2_l1[2] = 0;
	tlbi_ipa(BLK_A);
	s2_l1[2] = (uintptr_t)s2_w1 | S2_TABLE;
	s2_sync();
	if (!l2_run("block remap: a table instead", OP_LOAD2, VA(BLK_A), 0,
		    VA(BLK_B), 0, false))
		return;
	gt_check(c->x5 == BLK_MARK_A &&
		     c->x6 == *(volatile uint64_t *)pa_b_new && l1s[0].n == 0,
		 "block remap: after one TLBI IPAS2E1IS in the block, L2 reads "
		 "the new pages in both parts",
		 "0x%lx 0x%lx (expected 0x%lx 0x%lx), %u exceptions",
		 (unsigned long)c->x5, (unsigned long)c->x6,
		 (unsigned long)BLK_MARK_A,
		 (unsigned long)*(volatile uint64_t *)pa_b_new, l1s[0].n);
	/* back to the block for what follows */
	s2_l1[2] = 0;
	tlbi_ipa(BLK_A);
	s2_l1[2] = RAM_BASE | S2_NORMAL | S2_VALID;
	s2_sync();
}

/* ---- 4. outside L1's RAM, and hypnest's memory ---- */

static unsigned probe_j = 200; /* W3 page of the next probe */

static void probe_outside(uint64_t pa)
{
	uint64_t ipa = W3 + ((uint64_t)probe_j << 12) + 0x8, va = VA(ipa);
	uint64_t esr = ((uint64_t)EC_DABT_CUR << 26) | ESR_IL | DFSC_SEA;
	const volatile struct l2 *c = &l2c[0];
	char name[160];

	s2_l3[probe_j++] = pa | S2_NORMAL | S2_PAGE;
	s2_sync();
	hyp_snprintf(name, sizeof(name), "L1 PA 0x%lx (beyond L1's RAM)",
		     (unsigned long)pa);
	if (!l2_run(name, OP_PROBE, va, 0, 0, 0, false))
		return;
	hyp_snprintf(name, sizeof(name),
		     "L1 PA 0x%lx: nothing reaches L1 (no stage-2 fault)",
		     (unsigned long)pa);
	CHECK_EQ(l1s[0].n, 0, name);
	hyp_snprintf(name, sizeof(name),
		     "L1 PA 0x%lx: L2 takes a synchronous External abort at "
		     "its EL1 (0x200), ESR_EL1 0x%lx, FAR_EL1 its VA",
		     (unsigned long)pa, (unsigned long)esr);
	gt_check(c->exc_taken && c->exc_el == 1 &&
		     c->exc_vector == VEC_EL1_CUR_SYNC && c->exc_esr == esr &&
		     c->exc_far == va,
		 name, "taken %lu at EL%lu vector %lu ESR 0x%lx FAR 0x%lx",
		 (unsigned long)c->exc_taken, (unsigned long)c->exc_el,
		 (unsigned long)c->exc_vector, (unsigned long)c->exc_esr,
		 (unsigned long)c->exc_far);
}

/* an L1 PA inside its RAM through a 4 KB L2 page: L2 reads what L1 reads */
static void probe_ram(uint64_t pa, uint64_t ipa, uint64_t len)
{
	char name[160];
	uint64_t want;

	hyp_snprintf(name, sizeof(name),
		     "L1 PA 0x%lx (L1's RAM): L2 reads what L1 reads there",
		     (unsigned long)pa);
	if (!l2_run(name, OP_SUM, VA(ipa), 0, len, 0, false))
		return;
	want = l2_sum(pa, len);
	gt_check(l1s[0].n == 0 && l2c[0].sum == want, name,
		 "%u exceptions, L2's sum 0x%lx, L1's 0x%lx", l1s[0].n,
		 (unsigned long)l2c[0].sum, (unsigned long)want);
}

/* L1's stage 2 with a level-3 table at L1 PA pa, beyond its RAM (WT, a
 * 2 MiB window): the walk of L2's access reads nothing there, and L1 gets
 * a synchronous External abort on a stage-2 walk, level 3 (DFSC 0x17;
 * HPFAR_EL2 UNKNOWN for it, D24.2.76) -- never what lies at that address
 * in hypnest's memory taken for descriptors */
#define WT 0x4e400000UL
#define DFSC_SEA_WALK(l) (0x14UL + (l))

static void probe_table_outside(uint64_t pa)
{
	uint64_t ipa = WT + 0x5000 + 0x10, va = VA(ipa);
	uint64_t esr =
	    ((uint64_t)EC_DABT_LOW << 26) | ESR_IL | DFSC_SEA_WALK(3);
	const volatile struct ex *r = &l1s[0].rec[0];
	char name[160];

	s2_l2[L2_IDX(WT)] = pa | S2_TABLE;
	s2_sync();
	hyp_snprintf(name, sizeof(name),
		     "stage-2 table at L1 PA 0x%lx (beyond L1's RAM)",
		     (unsigned long)pa);
	l2_reset(0, OP_LOAD, va, 0, 0);
	l1s[0].skip = true;
	gt_where = name;
	(void)l2_go(0, 0);
	gt_where = NULL;
	gt_printf("note: stage-2 table at L1 PA 0x%lx: ESR_EL2 0x%lx, "
		  "ID_AA64PFR0_EL1.RAS %lu\n",
		  (unsigned long)pa, (unsigned long)r->esr,
		  (unsigned long)(read_sysreg(id_aa64pfr0_el1) >> 28 & 0xf));
	/* ISV: 0 with FEAT_RAS, IMPLEMENTATION DEFINED without (D24.2.46);
	 * QEMU gives 1 and the access syndrome, with RAS in its ID
	 * registers: either is accepted, the syndrome checked when given */
	hyp_snprintf(name, sizeof(name),
		     "stage-2 table at L1 PA 0x%lx: External abort on the "
		     "walk at L1, DFSC 0x17, FAR_EL2 L2's VA; L2 goes on",
		     (unsigned long)pa);
	gt_check(l1s[0].n == 1 && r->vector == VEC_LOWER_SYNC &&
		     (r->esr == esr || r->esr == (esr | DA_ISV | DA_SAS(3) |
						  DA_SRT(5) | DA_SF)) &&
		     r->far == va && l2c[0].after && l1s[0].exits == 1,
		 name, "%u exceptions, vector %lu ESR 0x%lx FAR 0x%lx, L2 %s",
		 l1s[0].n, (unsigned long)r->vector, (unsigned long)r->esr,
		 (unsigned long)r->far,
		 l2c[0].after ? "ran to its exit" : "did not finish");
	s2_l2[L2_IDX(WT)] = 0;
	tlbi_ipa(ipa);
}

static void test_outside(void)
{
	const uint64_t top1g = RAM_BASE + GiB - 4096; /* hypnest's bitmap */
	uint64_t ram[] = { RAM_BASE, HYP_LOAD + 0x1000, top1g };

	CHECK(ram_end > RAM_BASE, "the DT names L1's RAM (/memory)");
	if (ram_end <= RAM_BASE)
		return;
	gt_printf("note: L1's RAM ends at 0x%lx\n", (unsigned long)ram_end);
	probe_ram(HYP_LOAD, WH, 16384); /* hypnest's image, through 2 MiB */
	for (unsigned i = 0; i < ARRAY_SIZE(ram); i++) {
		uint64_t ipa = W3 + ((uint64_t)probe_j << 12);

		if (ram[i] >= ram_end)
			continue;
		s2_l3[probe_j++] = ram[i] | S2_NORMAL | S2_PAGE;
		s2_sync();
		probe_ram(ram[i], ipa, 4096);
	}
	probe_outside(ram_end);
	probe_outside(ram_end + 0x1000);
	if (top1g >= ram_end + 0x2000)
		probe_outside(top1g);
	probe_outside(4 * GiB);
	probe_table_outside(ram_end);
	if (top1g >= ram_end + 0x2000)
		probe_table_outside(top1g);
}

/* ---- 5. trap controls ---- */

static uintptr_t gic_rd;

static void cptr_trap_fp(bool trap)
{
	uint64_t v = read_sysreg(cptr_el2);

#if VHE
	v = trap ? v & ~CPTR_FPEN : v | CPTR_FPEN;
#else
	v = trap ? v | CPTR_TFP : v & ~CPTR_TFP;
#endif
	write_sysreg(cptr_el2, v);
	isb();
}

/* L2's virtual timer ms from now (a WFI wake-up for L2, IMO = 0) */
static void vtimer(uint64_t ms)
{
	WR(CNTV_CTL, 0);
	isb();
	if (!ms || !gic_rd)
		return;
	WR(CNTV_CVAL, now() + ms_to_ticks(ms));
	WR(CNTV_CTL, CNT_CTL_ENABLE);
	isb();
}

static void vtimer_off(void)
{
	vtimer(0);
	if (gic_rd)
		mmio_write32(gic_rd + GICR_SGI + GICR_ICPENDR0,
			     BIT(PPI_VTIMER));
}

/* a trap control: the L2 action op, what sets it (HCR_EL2 bits; 0: CPTR_EL2's
 * FP control), the syndrome, how many exceptions it gives L1 when set */
struct trap {
	enum op op;
	uint64_t hcr, iss;
	unsigned ec, n;
};

/* hypnest's vendor calls answer (HYPNEST_TRAP_COUNT): not bare QEMU */
static bool on_hypnest(void)
{
	return gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0) != NOT_SUPPORTED;
}

/* case 5, TSC: what L2 calls by SMC. Trapped (set) SYSTEM_OFF reaches L1
 * only. Not trapped, SYSTEM_OFF under hypnest: UNDEFINED at L2's EL1, so
 * the run goes on; at QEMU's EL2 its PSCI firmware would power off, so
 * PSCI_VERSION there. */
static uint64_t smc_fid(bool set)
{
	return set || on_hypnest() ? PSCI_SYSTEM_OFF : PSCI_VERSION;
}

static void smc_check(const char *tname, bool set)
{
	const volatile struct l2 *c = &l2c[0];
	bool undef = !set && on_hypnest();
	char name[200];

	if (set)
		hyp_snprintf(name, sizeof(name),
			     "%s set: L2's x0 is what L1 put there, no "
			     "exception at L2's EL1",
			     tname);
	else if (undef)
		hyp_snprintf(name, sizeof(name),
			     "%s clear: UNDEFINED at L2's EL1 (0x200), ESR_EL1 "
			     "0x%lx, x0 kept (no EL3)",
			     tname, (unsigned long)ESR_IL);
	else
		hyp_snprintf(name, sizeof(name),
			     "%s clear: L2's x0 is the firmware's PSCI_VERSION",
			     tname);
	if (undef)
		gt_check(c->exc_taken && c->exc_el == 1 &&
			     c->exc_vector == VEC_EL1_CUR_SYNC &&
			     c->exc_esr == ESR_IL && c->x0 == PSCI_SYSTEM_OFF,
			 name, "taken %lu EL%lu vector %lu ESR 0x%lx x0 0x%lx",
			 (unsigned long)c->exc_taken, (unsigned long)c->exc_el,
			 (unsigned long)c->exc_vector,
			 (unsigned long)c->exc_esr, (unsigned long)c->x0);
	else
		gt_check(!c->exc_taken &&
			     c->x0 == (set ? SMC_MARKER
					   : gt_psci(PSCI_VERSION, 0, 0, 0)),
			 name, "taken %lu ESR 0x%lx x0 0x%lx",
			 (unsigned long)c->exc_taken, (unsigned long)c->exc_esr,
			 (unsigned long)c->x0);
}

/* tname: the name, an argument (a table of pointers would hold
 * link-time addresses, guest-tests/README.md) */
static void trap_run(const char *tname, const struct trap *t, bool set)
{
	const volatile struct l2 *c = &l2c[0];
	uint64_t val = t->op == OP_SMC ? smc_fid(set) : FP_VAL;
	char name[160];

	if (!t->hcr)
		cptr_trap_fp(set);
	if (t->op == OP_WFI)
		vtimer(set ? 1000 : 20);
	hyp_snprintf(name, sizeof(name), "%s %s", tname, set ? "set" : "clear");
	if (l2_run(name, t->op, 0, val, 0, set ? t->hcr : 0, false)) {
		if (set) {
			hyp_snprintf(name, sizeof(name),
				     "%s set: %u exception(s) to L1", tname,
				     t->n);
			CHECK_EQ(l1s[0].n, t->n, name);
			check_exit(tname,
				   ((uint64_t)t->ec << 26) | ESR_IL | t->iss,
				   c->insn);
		} else {
			hyp_snprintf(name, sizeof(name),
				     "%s clear: L1 sees nothing", tname);
			CHECK_EQ(l1s[0].n, 0, name);
		}
		switch (t->op) {
		case OP_ID:
			hyp_snprintf(name, sizeof(name), "%s %s: L2 reads %s",
				     tname, set ? "set" : "clear",
				     set ? "what L1 emulated"
					 : "ID_AA64PFR0_EL1 as L1 does");
			CHECK_EQ(c->x5,
				 set ? ID_MARKER : read_sysreg(id_aa64pfr0_el1),
				 name);
			break;
		case OP_SMC:
			smc_check(tname, set);
			break;
		case OP_FP:
			if (!set)
				CHECK_EQ(c->x6, FP_VAL,
					 "FP clear: FMOV ran at L2");
			break;
		default:
			break;
		}
	}
	if (t->op == OP_WFI)
		vtimer_off();
	if (!t->hcr)
		cptr_trap_fp(false);
}

static void trap_pair(const char *name, enum op op, uint64_t hcr, uint64_t iss,
		      unsigned ec, unsigned n)
{
	const struct trap t = { op, hcr, iss, ec, n };

	trap_run(name, &t, true);
	trap_run(name, &t, false);
}

static void test_traps(void)
{
	trap_pair("TVM: MSR SCTLR_EL1", OP_SCTLR, HCR_TVM,
		  SYS_ISS(3, 0, 1, 0, 0, 5, 0), EC_SYS64, 1);
	trap_pair("TID3: MRS ID_AA64PFR0_EL1", OP_ID, HCR_TID3,
		  SYS_ISS(3, 0, 0, 4, 0, 5, 1), EC_SYS64, 1);
	trap_pair("TWI: WFI", OP_WFI, HCR_TWI, ISS_COND_AARCH64, EC_WFX, 1);
	trap_pair("TSC: SMC", OP_SMC, HCR_TSC, 0, EC_SMC64, 1);
	trap_pair(VHE ? "CPTR_EL2.FPEN: FMOV" : "CPTR_EL2.TFP: FMOV", OP_FP, 0,
		  ISS_COND_AARCH64, EC_FP, 2);
}

/* L1's interrupts: the EL2 physical timer, acknowledged at EL2 */
static void l1_irq(void)
{
	volatile struct l1 *s = &l1s[0];
	uint32_t intid = gic_ack();

	s->irq_vector = gt_irq_vector;
	s->irq_spsr = read_sysreg(spsr_el2);
	s->intid = intid;
	s->irq_when = read_sysreg(cntpct_el0);
	s->irq_ctl = RD(CNTV_CTL);
	if (intid == PPI_HPTIMER)
		WR(CNTHP_CTL, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	else if (intid == PPI_VTIMER)
		WR(CNTV_CTL, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	isb();
	if (intid < INTID_SPURIOUS)
		gic_eoi(intid);
	s->irqs++;
}

static void hptimer(uint64_t ms)
{
	WR(CNTHP_CTL, 0);
	isb();
	if (!ms)
		return;
	WR(CNTHP_CVAL, read_sysreg(cntpct_el0) + ms_to_ticks(ms));
	WR(CNTHP_CTL, CNT_CTL_ENABLE);
	isb();
}

static void test_imo(void)
{
	const volatile struct l1 *s = &l1s[0];

	if (!gic_rd)
		return;
	gt_set_irq_handler(l1_irq);
	hptimer(5);
	if (l2_run("IMO set: L1's EL2 timer while L2 spins", OP_SPIN, 0, 1000,
		   1, HCR_IMO, false)) {
		gt_check(s->irqs == 1 && s->irq_vector == VEC_EL2_LOWER_IRQ &&
			     s->intid == PPI_HPTIMER &&
			     (s->irq_spsr & 0x1f) == 5,
			 "IMO set: L2 exits to L1's lower-EL IRQ vector "
			 "(0x480), INTID 26, from EL1h",
			 "%u taken, vector %lu INTID %u SPSR 0x%lx", s->irqs,
			 (unsigned long)s->irq_vector, s->intid,
			 (unsigned long)s->irq_spsr);
		CHECK_EQ(s->n, 0, "IMO set: no other exception to L1");
	}
	hptimer(0);
	hptimer(5);
	if (l2_run("IMO clear: L1's EL2 timer while L2 spins", OP_SPIN, 0, 1000,
		   0, 0, false)) {
		CHECK_EQ(s->irqs + s->n, 0,
			 "IMO clear: L1 sees nothing while L2 runs");
		CHECK_EQ(l2c[0].isr & BIT(7), BIT(7),
			 "IMO clear: the interrupt is pending at L2 "
			 "(ISR_EL1.I)");
		/* now L1 routes it to itself and unmasks: taken at EL2 */
		hcr_set(HCR_BASE | HCR_IMO);
		irqs_on();
		WAIT_FOR(l1s[0].irqs, 100);
		irqs_off();
		hcr_set(HCR_BASE);
		gt_check(s->irqs == 1 && s->irq_vector == VEC_EL2_CUR_IRQ &&
			     s->intid == PPI_HPTIMER,
			 "IMO clear: L1 takes it at EL2 (0x280) once it sets "
			 "IMO and unmasks, INTID 26",
			 "%u taken, vector %lu INTID %u", s->irqs,
			 (unsigned long)s->irq_vector, s->intid);
	}
	hptimer(0);
	gt_set_irq_handler(NULL);
}

/* ---- 8. a list register ---- */

/* ICH_LR<n>_EL2 (IHI 0069 12.4.6): State [63:62] pending, Group [60] 1,
 * Priority [55:48], EOI [41] (maintenance on EOI, HW = 0), vINTID */
#define VINTID 42
#define LR_PENDING (1UL << 62)
#define LR_GROUP1 BIT(60)
#define LR_EOI BIT(41)
#define LR_STATE (3UL << 62)
#define LR_VALUE                                                               \
	(LR_PENDING | LR_GROUP1 | ((uint64_t)GT_PRIO << 48) | LR_EOI | VINTID)
#define ICH_HCR_EN BIT(0)
#define ICH_VMCR_VENG1 BIT(1)
#define ICH_VMCR_VPMR (0xffUL << 24)
#define MISR_EOI BIT(0)

/* eoi: the LR asks for a maintenance interrupt on EOI (EOI = 1): after
 * L2's EOI the LR is then in ICH_EISR_EL2 and ICH_MISR_EL2.EOI, and not
 * empty in ICH_ELRSR_EL2 until L1 clears it; without, it is empty
 * (IHI 0069 12.4: ELRSR bit n is State 0b00 and (HW 1 or EOI 0)) */
static void lr_case(bool eoi)
{
	const volatile struct l2 *c = &l2c[0];
	const char *tag = eoi ? "LR, EOI = 1" : "LR, EOI = 0";
	uint64_t lr, elrsr, eisr, misr;
	char name[160];

	write_sysreg(ich_vmcr_el2, ICH_VMCR_VPMR | ICH_VMCR_VENG1);
	write_sysreg(ich_lr0_el2, LR_VALUE & ~(eoi ? 0 : LR_EOI));
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	isb();
	hyp_snprintf(name, sizeof(name), "%s: vINTID 42 pending in ICH_LR0_EL2",
		     tag);
	if (l2_run(name, OP_VIRQ, 0, 0, 0, HCR_IMO, false)) {
		lr = read_sysreg(ich_lr0_el2);
		elrsr = read_sysreg(ich_elrsr_el2);
		eisr = read_sysreg(ich_eisr_el2);
		misr = read_sysreg(ich_misr_el2);
		hyp_snprintf(name, sizeof(name),
			     "%s: nothing reaches L1 while L2 takes it", tag);
		CHECK_EQ(l1s[0].n + l1s[0].irqs, 0, name);
		hyp_snprintf(name, sizeof(name),
			     "%s: pending at L2 (ISR_EL1.I) before it "
			     "acknowledges",
			     tag);
		CHECK_EQ(c->isr & BIT(7), BIT(7), name);
		hyp_snprintf(name, sizeof(name),
			     "%s: L2's ICC_IAR1_EL1 reads 42", tag);
		CHECK_EQ(c->x5, VINTID, name);
		hyp_snprintf(name, sizeof(name),
			     "%s: nothing pending at L2 after its EOI", tag);
		CHECK_EQ(c->x6 & BIT(7), 0, name);
		hyp_snprintf(name, sizeof(name),
			     "%s: L2's EOI shows at L1: ICH_LR0_EL2 State "
			     "invalid, %s",
			     tag,
			     eoi ? "ICH_EISR_EL2 bit 0, ICH_MISR_EL2.EOI, "
				   "not in ICH_ELRSR_EL2"
				 : "ICH_ELRSR_EL2 bit 0, not in ICH_EISR_EL2 "
				   "nor ICH_MISR_EL2.EOI");
		gt_check((lr & LR_STATE) == 0 && (elrsr & 1) == !eoi &&
			     (eisr & 1) == eoi && !!(misr & MISR_EOI) == eoi,
			 name, "LR 0x%lx ELRSR 0x%lx EISR 0x%lx MISR 0x%lx",
			 (unsigned long)lr, (unsigned long)elrsr,
			 (unsigned long)eisr, (unsigned long)misr);
	}
	write_sysreg(ich_hcr_el2, 0);
	write_sysreg(ich_lr0_el2, 0);
	write_sysreg(ich_vmcr_el2, 0);
	isb();
}

static void test_lr(void)
{
	lr_case(true);
	lr_case(false);
}

/* ---- 9. L2's virtual timer on L1's CNTVOFF_EL2 ---- */

static void test_cntvoff(void)
{
	const volatile struct l1 *s = &l1s[0];
	const volatile struct l2 *c = &l2c[0];
	uint64_t off, before, after;

	if (!gic_rd)
		return;
	off = read_sysreg(cntpct_el0) / 2 + 0x123456;
	write_sysreg(cntvoff_el2, off);
	WR(CNTV_CTL, 0);
	gt_set_irq_handler(l1_irq);
	isb();
	before = read_sysreg(cntpct_el0);
	if (l2_run("CNTVOFF: L2's virtual timer", OP_VTIMER, 0, ms_to_ticks(5),
		   0, HCR_IMO, false)) {
		after = read_sysreg(cntpct_el0);
		gt_check(c->x5 >= before - off && c->x5 <= after - off,
			 "CNTVOFF: L2's CNTVCT_EL0 is the count minus L1's "
			 "CNTVOFF_EL2",
			 "CNTVCT 0x%lx, count - offset 0x%lx..0x%lx",
			 (unsigned long)c->x5, (unsigned long)(before - off),
			 (unsigned long)(after - off));
		gt_check(s->irqs == 1 && s->intid == PPI_VTIMER &&
			     s->irq_vector == VEC_EL2_LOWER_IRQ,
			 "CNTVOFF: L2's timer interrupt exits to L1 (IMO, "
			 "0x480), INTID 27",
			 "%u taken, vector %lu INTID %u", s->irqs,
			 (unsigned long)s->irq_vector, s->intid);
		gt_check(s->irq_when - off >= c->sum &&
			     (s->irq_ctl & 7) ==
				 (CNT_CTL_ENABLE | CNT_CTL_ISTATUS),
			 "CNTVOFF: not before CVAL on L2's count, ISTATUS",
			 "taken at count 0x%lx - offset = 0x%lx, CVAL 0x%lx, "
			 "CNTV_CTL 0x%lx",
			 (unsigned long)s->irq_when,
			 (unsigned long)(s->irq_when - off),
			 (unsigned long)c->sum, (unsigned long)s->irq_ctl);
	}
	vtimer_off();
	gt_set_irq_handler(NULL);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

static void gic_setup(void)
{
	write_sysreg(cntvoff_el2, 0);
	WR(CNTV_CTL, 0);
	WR(CNTHP_CTL, 0);
	write_sysreg(icc_sre_el2, 0xf);
	isb();
	gic_rd = gic_setup_ppis(BIT(PPI_VTIMER) | BIT(PPI_HPTIMER),
				"GIC: GICD set up (ARE, Group 1 enabled)");
	if (gic_rd)
		CHECK_EQ(gic_cpuif_init() & 1, 1, "GIC: ICC_SRE_EL1.SRE = 1");
}

extern char _start[];
#include "nested_wedge.h"

/* ---- 6. two vCPUs, one stage 2 ---- */

#define SMP_PAGES 32
#define SMP_FIRST 64

static volatile uint64_t smp_done, smp_ret;

void gt_secondary(uint64_t context)
{
	(void)context;
	if (NESTED_WEDGE) {
		wedge_secondary();
		gt_psci(PSCI_CPU_OFF, 0, 0, 0);
	}
	hcr_set(HCR_BASE);
	l2_context();
	l2_reset(1, OP_SMP, 0, SMP_FIRST, SMP_PAGES);
	l1s[1].map = true;
	smp_ret = l2_go(1, 0);
	dsb_sy();
	smp_done = 1;
	dsb_sy();
	gt_psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

static void test_smp(void)
{
	uint64_t ret;
	bool done;

	smp_ready[0] = smp_ready[1] = 0;
	smp_done = 0;
	l2_reset(0, OP_SMP, 0, SMP_FIRST, SMP_PAGES);
	l2_reset(1, OP_SMP, 0, SMP_FIRST, SMP_PAGES);
	dsb_sy();
	if (gt_psci(PSCI_CPU_ON, 1, (uintptr_t)_start, 0) != 0) {
		CHECK(false, "SMP: CPU_ON of vCPU 1");
		return;
	}
	l1s[0].map = true;
	ret = l2_go(0, 0);
	done = WAIT_FOR(smp_done, 10000);
	gt_check(ret == PAYLOAD_DONE && done && smp_ret == PAYLOAD_DONE &&
		     l2c[0].after && l2c[1].after,
		 "SMP: both L2 vCPUs ran to their exit on one VTTBR",
		 "vCPU 0 0x%lx, vCPU 1 done %d 0x%lx, after %d %d",
		 (unsigned long)ret, done, (unsigned long)smp_ret, l2c[0].after,
		 l2c[1].after);
	gt_check(l2c[0].bad == 0 && l2c[1].bad == 0,
		 "SMP: each L2 vCPU reads what the other stored in the pages "
		 "the other faulted in",
		 "mismatches: vCPU 0 %lu, vCPU 1 %lu",
		 (unsigned long)l2c[0].bad, (unsigned long)l2c[1].bad);
	gt_check(
	    l1s[0].n - l1s[0].phase2_faults == SMP_PAGES &&
		l1s[1].n - l1s[1].phase2_faults == SMP_PAGES,
	    "SMP: each L1 vCPU mapped its L2 vCPU's pages (32 faults each)",
	    "vCPU 0 %u, vCPU 1 %u", l1s[0].n, l1s[1].n);
	gt_printf("note: SMP: stage-2 faults at L1 while reading the other's "
		  "pages: %u, %u\n",
		  l1s[0].phase2_faults, l1s[1].phase2_faults);
}

/* ---- 7. hypercalls, and hypnest's traps per hypercall ---- */

static void test_loop(unsigned round)
{
	uint64_t before, after, d, s2[2], pages[2];
	char name[80];

	s2[0] = gt_smc(HYPNEST_MEM_USE, 0, 0, 0);
	pages[0] = gt_smc(HYPNEST_MEM_USE, 1, 0, 0);
	before = gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	hyp_snprintf(name, sizeof(name), "%u L2 HVCs, round %u", LOOPS, round);
	if (!l2_run(name, OP_LOOP, 0, 0, LOOPS, 0, false))
		return;
	after = gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	hyp_snprintf(name, sizeof(name),
		     "%u L2 HVCs, round %u: each reached L1 once", LOOPS,
		     round);
	gt_check(l1s[0].hvcs == LOOPS && l1s[0].n == 0, name,
		 "%lu HVCs, %u other exceptions", (unsigned long)l1s[0].hvcs,
		 l1s[0].n);
	if (before == NOT_SUPPORTED || after == NOT_SUPPORTED) {
		gt_printf("traps per L2 hypercall: n/a\n");
		return;
	}
	d = (after - before) * 100 / LOOPS;
	gt_printf("traps per L2 hypercall: %lu.%02lu\n",
		  (unsigned long)(d / 100), (unsigned long)(d % 100));
	/* hypnest's memory use does not grow with the hypercalls (the first
	 * round may still fault in a page of L2's loop) */
	s2[1] = gt_smc(HYPNEST_MEM_USE, 0, 0, 0);
	pages[1] = gt_smc(HYPNEST_MEM_USE, 1, 0, 0);
	gt_printf("note: round %u: shadow table pages %lu -> %lu, hypnest "
		  "free pages %lu -> %lu\n",
		  round, (unsigned long)s2[0], (unsigned long)s2[1],
		  (unsigned long)pages[0], (unsigned long)pages[1]);
	if (round > 1)
		gt_check(s2[1] == s2[0] && pages[1] == pages[0] && s2[0] > 0,
			 "10,000 L2 HVCs: no growth in shadow tables or "
			 "hypnest's allocator",
			 "shadow %lu -> %lu, free %lu -> %lu",
			 (unsigned long)s2[0], (unsigned long)s2[1],
			 (unsigned long)pages[0], (unsigned long)pages[1]);
}

/* ---- 10. a TLBI storm (bad input): 10,000 of L1's stage-2 TLBIs by IPA
 * and VMID, each one trap at most, then L2 runs as before and hypnest's
 * memory has not grown ---- */
#define STORM 10000

static void test_tlbi_storm(void)
{
	uint64_t before, after, s2, free0, free1, d;

	free0 = gt_smc(HYPNEST_MEM_USE, 1, 0, 0);
	before = gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	for (uint64_t i = 0; i < STORM; i++) {
		if (i % 100 == 99)
			__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
		else
			__asm__ volatile(
			    "tlbi ipas2e1is, %0" ::"r"((W3 >> 12) + (i % 512))
			    : "memory");
	}
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	after = gt_smc(HYPNEST_TRAP_COUNT, 0xffff, 0, 0);
	if (!l2_run("TLBI storm: L2 runs after it", OP_LOOP, 0, 0, 100, 0,
		    false))
		return;
	gt_check(l1s[0].hvcs == 100 && l1s[0].n == 0,
		 "TLBI storm: L2's 100 HVCs reach L1 after it",
		 "%lu HVCs, %u other exceptions", (unsigned long)l1s[0].hvcs,
		 l1s[0].n);
	s2 = gt_smc(HYPNEST_MEM_USE, 0, 0, 0);
	free1 = gt_smc(HYPNEST_MEM_USE, 1, 0, 0);
	if (before == NOT_SUPPORTED || after == NOT_SUPPORTED) {
		gt_printf("traps per L1 TLBI: n/a\n");
		return;
	}
	d = (after - before) * 100 / STORM;
	gt_printf("traps per L1 TLBI: %lu.%02lu\n", (unsigned long)(d / 100),
		  (unsigned long)(d % 100));
	gt_check(
	    d <= 102 && free1 >= free0,
	    "TLBI storm: one trap per TLBI, hypnest's free pages not fewer",
	    "%lu.%02lu traps each; free %lu -> %lu, shadow pages %lu",
	    (unsigned long)(d / 100), (unsigned long)(d % 100),
	    (unsigned long)free0, (unsigned long)free1, (unsigned long)s2);
}

static void nested_main(uint64_t dtb)
{
	el2_start(HCR_BASE, lower);
	CHECK_EQ(read_sysreg(hcr_el2) & (HCR_E2H | HCR_RW), HCR_BASE,
		 "HCR_EL2.E2H = " STR(VHE));
	ram_end = dt_ram_end(dtb);
	tables_setup();
	l2_context();
	gic_setup();
	if (NESTED_WEDGE) {
		test_wedge();
	} else if (NESTED_VGIC) {
		test_lr();
	} else {
		test_hvc();
		test_aborts();
		test_remap();
		test_remap_block();
		test_outside();
		test_traps();
		test_imo();
		test_cntvoff();
		test_smp();
		test_loop(1);
		test_loop(2);
		test_tlbi_storm();
	}
	gt_set_lower_handler(NULL);
	hcr_set(HCR_BASE);
	gt_done();
}

#endif
