/*
 * The EL2 registers that reset to UNKNOWN and that nothing else writes
 * before a guest runs, set on every CPU at boot (cpu_el2_init, called by
 * hyp/entry.S), and logged read back with log=debug (cpu_el2_log_state).
 */
#include "arch/sysreg.h"
#include "hyp/arch.h"
#include "hyp/cpu.h"
#include "hyp/features.h"
#include "hyp/gic.h"
#include "hyp/lib.h"
#include "hyp/log.h"

/*
 * Set on every CPU by el2_setup (hyp/entry.S), MMU still off. On hardware
 * these registers hold whatever reset or the firmware left: the
 * fine-grained trap registers and HCRX_EL2 reset to 0 only when EL2 is the
 * highest Exception level (D24.2.61-75: "Otherwise ... UNKNOWN"), the rest
 * are UNKNOWN at any Warm reset. QEMU resets them all to 0, so a stale value
 * shows only on hardware (harness/test_boot_state.py poisons them first).
 * Each CPU decides from its own ID registers. Registers of a missing
 * feature are UNDEFINED, so each row names the feature it needs.
 *
 * The boot protocol hypnest is started with (that of a Linux Image)
 * guarantees that EL3 does not trap these: SCR_EL3.HXEn for HCRX_EL2,
 * SCR_EL3.FGTEn and FGTEn2 for the fine-grained trap registers.
 *
 * Set by hyp/entry.S: SCTLR_EL2 (MMU off, little-endian) first of all,
 * then HCR_EL2 (RW only), CPTR_EL2, VBAR_EL2. Written before the first
 * entry to a guest by the per-level code and unused at EL2 before then:
 * MDCR_EL2, CNTHCTL_EL2, VPIDR_EL2, VMPIDR_EL2, VTCR_EL2, VTTBR_EL2,
 * VNCR_EL2 (docs/architecture.md, "EL2 state at boot").
 */
enum el2_need {
	NEED_ALWAYS,
	NEED_HCX,
	NEED_FGT,
	NEED_FGT_AMU,
	NEED_FGT2,
	NEED_VHE,
	NEED_RAS
};

/*
 * name, accessor (by encoding where older assemblers lack the name), the
 * feature it needs, the value written. Why each value:
 *
 * HCRX_EL2 0 (D24.2.63): every EL1&0 control at its restrictive setting:
 *   the instructions and registers of the features it gates (FEAT_MOPS,
 *   FPMR, GCS, SCTLR2, TCR2, D128, LS64, NMI, SME priority mapping, the
 *   SRMASK registers, PAuth_LR's PACM, 128-bit IMPLEMENTATION DEFINED
 *   registers) are UNDEFINED at EL1 and EL0 or trap to EL2, which answers
 *   UNDEF. None of them is offered to guests, except FEAT_LS64 on a CPU
 *   that has it: ID_AA64ISAR1_EL1 is passed through whole today, and its
 *   LD64B/ST64B* (EnALS, EnASR, EnAS0 = 0) get UNDEF; the ID register
 *   review (issue 10, item 16) is to hide it. The other bits (TMEA, FnXS,
 *   FGTnXS, CMOW, EnSDERR, EnSNERR) at 0 change nothing.
 * Fine-grained traps: 0 means "this control traps nothing" for every bit
 *   but the nXXX ones, where 0 traps. The nXXX bits all guard registers
 *   of features hypnest does not offer its guests, so 0 is both "no
 *   fine-grained trap hypnest does not want" and "a hidden feature's
 *   register is UNDEFINED, as on a CPU without it":
 *   HFGRTR_EL2/HFGWTR_EL2 (D24.2.73/75): nAMAIR2, nMAIR2 (FEAT_AIE),
 *     nPOR_EL1/EL0 (S1POE), nS2POR (S2POE), nPIR, nPIRE0 (S1PIE),
 *     nRCWMASK (THE), nSMPRI, nTPIDR2 (SME), nGCS_EL1/EL0 (GCS), nACCDATA
 *     (LS64_ACCDATA);
 *   HFGITR_EL2 (D24.2.71): nGCSEPP, nGCSSTR_EL1, nGCSPUSHM_EL1 (GCS),
 *     nBRBIALL, nBRBINJ (BRBE); ERET, SVC, TLBI, AT, DC, IC untrapped;
 *   HDFGRTR_EL2/HDFGWTR_EL2 (D24.2.67/69): nPMSNEVFR (SPE), nBRBDATA,
 *     nBRBCTL, nBRBIDR (BRBE); the debug and PMU registers are left to
 *     MDCR_EL2;
 *   HAFGRTR_EL2 (D24.2.61): no activity-monitor read trap;
 *   HFGRTR2/HFGWTR2_EL2 (D24.2.72/74): nPFAR, nERXGSR, nRCWSMASK and the
 *     SRMASK alias and mask registers; HFGITR2_EL2 (D24.2.70): nDCCIVAPS
 *     (PoPS); HDFGRTR2/HDFGWTR2_EL2 (D24.2.66/68): nMDSTEPOP (STEP2),
 *     nTRBMPAM, nTRCITECR, nPMSDSFR, the system PMU, PMU snapshot, ICNTR,
 *     IAR, ECR, ZR and UACR registers, nMDSELR (the breakpoint banks of
 *     Debugv8p9, beyond the 16 guests are told of: ID_AA64DFR1_EL1 reads
 *     0 to them): all trapped.
 * HSTR_EL2 0 (D24.2.77): no AArch32 CP15 access is trapped by CRn.
 * HACR_EL2 0 (D24.2.60): its fields are IMPLEMENTATION DEFINED; 0 is the
 *   conventional "no implementation-defined trap", and in any case a
 *   known value rather than a boot loader's.
 * VSESR_EL2 0 (D24.9.18, FEAT_RAS): the syndrome of a virtual SError
 *   the hardware takes when a guest hypervisor's HCR_EL2.VSE is passed to
 *   its vEL1 (nv/hcr.c): UNKNOWN at reset, 0 says "uncategorized", which
 *   is what a guest without FEAT_RAS (hidden) can expect.
 * CNTVOFF_EL2 0 (D24.10.30): with E2H = 0 it offsets CNTVCT_EL0 at EL2
 *   too; the per-level code sets the guest's before each entry.
 * CNTHP_CTL_EL2 0 (D24.10.3): hypnest's own EL2 physical timer, its
 *   vCPUs' alarm clock, off until an alarm is set (vcpu/virq.c takes
 *   "no alarm" to mean the timer is off, and never writes it then).
 * CNTHV_CTL_EL2 0 (D24.10.9): the EL2 virtual timer is never used by
 *   hypnest (E2H = 0); off, so its PPI does not fire.
 * CNTP_CTL_EL0, CNTV_CTL_EL0 0 (D24.10.16/25): the EL1 timers, which a
 *   vCPU owns, start disabled, as a vCPU's timers do at its reset.
 */
#define EL2_BOOT_REGS(X)                                                       \
	X(HCRX_EL2, s3_4_c1_c2_2, NEED_HCX)                                    \
	X(HFGRTR_EL2, s3_4_c1_c1_4, NEED_FGT)                                  \
	X(HFGWTR_EL2, s3_4_c1_c1_5, NEED_FGT)                                  \
	X(HFGITR_EL2, s3_4_c1_c1_6, NEED_FGT)                                  \
	X(HDFGRTR_EL2, s3_4_c3_c1_4, NEED_FGT)                                 \
	X(HDFGWTR_EL2, s3_4_c3_c1_5, NEED_FGT)                                 \
	X(HAFGRTR_EL2, s3_4_c3_c1_6, NEED_FGT_AMU)                             \
	X(HFGRTR2_EL2, s3_4_c3_c1_2, NEED_FGT2)                                \
	X(HFGWTR2_EL2, s3_4_c3_c1_3, NEED_FGT2)                                \
	X(HFGITR2_EL2, s3_4_c3_c1_7, NEED_FGT2)                                \
	X(HDFGRTR2_EL2, s3_4_c3_c1_0, NEED_FGT2)                               \
	X(HDFGWTR2_EL2, s3_4_c3_c1_1, NEED_FGT2)                               \
	X(HSTR_EL2, hstr_el2, NEED_ALWAYS)                                     \
	X(HACR_EL2, hacr_el2, NEED_ALWAYS)                                     \
	X(CNTVOFF_EL2, cntvoff_el2, NEED_ALWAYS)                               \
	X(VSESR_EL2, s3_4_c5_c2_3, NEED_RAS)                                   \
	X(CNTHP_CTL_EL2, cnthp_ctl_el2, NEED_ALWAYS)                           \
	X(CNTHV_CTL_EL2, s3_4_c14_c3_1, NEED_VHE)                              \
	X(CNTP_CTL_EL0, cntp_ctl_el0, NEED_ALWAYS)                             \
	X(CNTV_CTL_EL0, cntv_ctl_el0, NEED_ALWAYS)

#define EL2_BOOT_ACCESSORS(name, acc, need)                                    \
	static uint64_t read_##name(void)                                      \
	{                                                                      \
		return read_sysreg(acc);                                       \
	}                                                                      \
	static void write_##name(uint64_t v)                                   \
	{                                                                      \
		write_sysreg(acc, v);                                          \
	}
EL2_BOOT_REGS(EL2_BOOT_ACCESSORS)
#undef EL2_BOOT_ACCESSORS

static const struct el2_boot_reg {
	const char *name;
	enum el2_need need;
	uint64_t (*read)(void);
	void (*write)(uint64_t v);
} el2_boot_regs[] = {
#define EL2_BOOT_ROW(n, acc, nd) { #n, nd, read_##n, write_##n },
	EL2_BOOT_REGS(EL2_BOOT_ROW)
#undef EL2_BOOT_ROW
};

/* every value is 0 (see above); the table says which exist */
#define EL2_BOOT_VALUE 0UL

static bool el2_has(const struct cpu_features *f, enum el2_need need)
{
	switch (need) {
	case NEED_ALWAYS:
		return true;
	case NEED_HCX:
		return f->hcx;
	case NEED_FGT:
		return f->fgt >= 1;
	case NEED_FGT_AMU:
		return f->fgt >= 1 && f->amu;
	case NEED_FGT2:
		return f->fgt >= 2;
	case NEED_VHE:
		return f->vhe;
	case NEED_RAS:
		return f->ras;
	}
	return false;
}

static void this_cpu_features(struct cpu_features *f)
{
	struct id_regs raw;

	cpu_read_id_regs(&raw);
	features_decode(&raw, f);
}

/*
 * The virtual CPU interface (GIC architecture, Arm IHI 0069): its list
 * registers, active priorities and VMCR are the state a guest's interrupts
 * live in, and vcpu/virq.c fills only the list registers it uses and never
 * writes the active priorities, so what firmware or an earlier kernel left
 * there (a pending LR, an active priority that masks everything below it)
 * would reach the first guest. ICH_* need ICC_SRE_EL2.SRE; a GIC without
 * the system-register interface is reported later by gic_init_cpu().
 * Active priorities: every ICH_AP0R<n> before any ICH_AP1R<n> (IHI 0069
 * says another order is UNPREDICTABLE); as many of each as
 * ICH_VTR_EL2.PREbits implies (5 bits: 1, 6: 2, 7: 4).
 */
#define ICC_SRE_SRE BIT(0)

/* ICH_* are reachable: the GIC's system-register interface is enabled at
 * EL2 (set here if it was not) */
static bool ich_usable(const struct cpu_features *f)
{
	if (!f->gic_sysregs)
		return false;
	if (!(read_sysreg(icc_sre_el2) & ICC_SRE_SRE)) {
		write_sysreg(icc_sre_el2,
			     read_sysreg(icc_sre_el2) | ICC_SRE_SRE);
		isb();
	}
	return read_sysreg(icc_sre_el2) & ICC_SRE_SRE;
}

static void ich_boot_reset(const struct cpu_features *f)
{
	unsigned napr;

	if (!ich_usable(f))
		return;
	write_sysreg(ich_hcr_el2, 0);
	write_sysreg(ich_vmcr_el2, 0);
	napr = gic_nr_aprs();
	for (unsigned g = 0; g < 2; g++)
		for (unsigned n = 0; n < napr; n++)
			gic_write_apr(g, n, 0);
	for (unsigned i = 0; i < gic_nr_lrs(); i++)
		gic_write_lr(i, 0);
	isb();
}

void cpu_el2_init(void)
{
	struct cpu_features f;

	this_cpu_features(&f);
	for (unsigned i = 0; i < ARRAY_SIZE(el2_boot_regs); i++)
		if (el2_has(&f, el2_boot_regs[i].need))
			el2_boot_regs[i].write(EL2_BOOT_VALUE);
	isb();
	ich_boot_reset(&f);
}

/* One "NAME 0xVALUE" more on a log line, which goes out when full. */
struct state_line {
	char buf[200];
	size_t n;
};

static void state_flush(struct state_line *l)
{
	if (l->n)
		log_debug("cpu%u: EL2 boot state:%s", arch_cpu_id(), l->buf);
	l->n = 0;
	l->buf[0] = '\0';
}

static void state_add(struct state_line *l, const char *name, uint64_t v)
{
	char item[48];
	int len = hyp_snprintf(item, sizeof(item), " %s 0x%lx", name,
			       (unsigned long)v);

	if (l->n + (size_t)len >= sizeof(l->buf))
		state_flush(l);
	memcpy(l->buf + l->n, item, (size_t)len + 1);
	l->n += (size_t)len;
}

/* log=debug: the state cpu_el2_init set, read back from the registers */
void cpu_el2_log_state(void)
{
	struct cpu_features f;
	struct state_line l = { .n = 0 };
	char name[16];

	this_cpu_features(&f);
	for (unsigned i = 0; i < ARRAY_SIZE(el2_boot_regs); i++)
		if (el2_has(&f, el2_boot_regs[i].need))
			state_add(&l, el2_boot_regs[i].name,
				  el2_boot_regs[i].read());
	if (ich_usable(&f)) {
		state_add(&l, "ICH_HCR_EL2", read_sysreg(ich_hcr_el2));
		state_add(&l, "ICH_VMCR_EL2", read_sysreg(ich_vmcr_el2));
		for (unsigned g = 0; g < 2; g++)
			for (unsigned n = 0; n < gic_nr_aprs(); n++) {
				hyp_snprintf(name, sizeof(name),
					     "ICH_AP%uR%u_EL2", g, n);
				state_add(&l, name, gic_read_apr(g, n));
			}
		for (unsigned i = 0; i < gic_nr_lrs(); i++) {
			hyp_snprintf(name, sizeof(name), "ICH_LR%u_EL2", i);
			state_add(&l, name, gic_read_lr(i));
		}
	}
	state_flush(&l);
}
