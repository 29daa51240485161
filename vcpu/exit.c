/*
 * Synchronous exits from the guest, dispatched through one table indexed
 * by exception class (ESR_EL2.EC, Arm ARM D24.2.46). A class with no
 * handler gets an UNDEF injected and is logged once per vCPU: never a
 * hypervisor panic, but for a fault on the VNCR page (hypnest's own bug).
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/nv_l2.h"
#include "hyp/sysreg_table.h"
#include "hyp/sysreg_trap.h"
#include "hyp/trap.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

#define ESR_DABT_ISV BIT(24)

/* The trapped instruction, emulated, has completed: as for an instruction
 * executed without an exception, PSTATE.SS = 0 (D2.11.5), so a software
 * step in progress becomes active-pending and the step exception is taken
 * before the next instruction, not after it. */
void vcpu_skip_instr(struct vcpu *v)
{
	v->regs.pc += 4; /* AArch64: every trapped instruction is 32 bits */
	/* the instruction completed: a step is done (D2.11.5), and it was
	 * no branch, so the next one runs with BTYPE 0b00 (D8.4.5.3, Table
	 * D8-85: "any other instruction") */
	v->regs.pstate &= ~(NV_PSR_SS | NV_PSR_BTYPE);
}

/* ELR_EL2 already points after the HVC. A guest at virtual EL2 owns
 * HVC: from its vEL1 the call goes to its vEL2, at vEL2 to its own
 * vector (nv/exception.c); its PSCI is over SMC. */
static void handle_hvc(struct vcpu *v, uint64_t esr)
{
	if (!v->nv.enabled) {
		smccc_handle(v);
		return;
	}
	if (!nv_hvc_from_vel1(v, esr)) { /* its HCR_EL2.HCD: UNDEFINED */
		v->regs.pc -= 4;
		inject_undef(v);
	}
}

/* HCR_EL2.TSC: ELR_EL2 points at the SMC itself. An EL1 guest's PSCI is
 * over HVC (its DT says so) and an SMC has no firmware behind it. A guest
 * at virtual EL2 calls PSCI with SMC, as a hypervisor at EL2 does, unless
 * its own HCR_EL2.TSC sends its vEL1's SMCs to its vEL2. The firmware is
 * the guest's, never its own guest's (L2): with no EL3 (ID_AA64PFR0_EL1.EL3
 * is 0 for the guest) an SMC at EL1 that its EL2's HCR_EL2.TSC does not
 * trap is UNDEFINED (J1.1.2.44 AArch64.CheckForSMCUndefOrTrap, C6.2.371 SMC),
 * taken at L2's own EL1. */
static void handle_smc(struct vcpu *v, uint64_t esr)
{
	if (nv_smc_from_vel1(v, esr))
		return;
	if (!v->nv.enabled || nv_in_l2(v)) {
		inject_undef(v);
		return;
	}
	vcpu_skip_instr(v);
	smccc_handle(v);
}

/* EC 0x18: a guest at virtual EL2 first through nv/ (its EL2 registers
 * and the EL1 registers whose place they take), then the table; k is the
 * encoding's entry in the register table, looked up once for all of
 * them (vcpu_handle_sync) */
static void handle_sysreg(struct vcpu *v, uint64_t esr,
			  const struct sysreg_key *k)
{
	if (v->nv.enabled) {
		unsigned rt = SYSREG_ISS_RT(esr);
		bool read = SYSREG_ISS_IS_READ(esr);
		uint64_t val = (read || rt == 31) ? 0 : v->regs.x[rt];

		uint32_t enc = SYSREG_ISS_REG(esr);
		enum nv_access r = nv_policy_access(v, k, enc, !read, &val);

		if (r == NV_ACCESS_NOT_NV)
			r = nv_sysreg_access_key(v, k, enc, !read, &val);
		switch (r) {
		case NV_ACCESS_DONE:
			if (read && rt != 31)
				v->regs.x[rt] = val;
			vcpu_skip_instr(v);
			return;
		case NV_ACCESS_UNDEF:
			inject_undef(v);
			return;
		case NV_ACCESS_NOT_NV:
			break;
		}
	}
	if (sysreg_trap(v, esr, k))
		vcpu_skip_instr(v);
	else
		inject_undef(v);
}

/* EC 0x1A: ERET at virtual EL2 (HCR_EL2.NV traps it) */
static void handle_eret(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	if (v->nv.enabled && v->nv.in_vel2)
		nv_emulate_eret(v);
	else
		inject_undef(v);
}

/* The faulting IPA: HPFAR_EL2.FIPA holds IPA[51:12] (D24.2.76) */
static paddr_t fault_ipa(uint64_t far)
{
	uint64_t hpfar = read_sysreg(hpfar_el2);

	return ((hpfar & GENMASK(43, 4)) << 8) | (far & 0xfff);
}

/* Data abort ISS with ISV = 1 (D24.2.46): SAS[23:22] access size, SSE[21]
 * sign-extend, SRT[20:16] register, SF[15] 64-bit register, WnR[6] */
struct mmio_access {
	unsigned size, rt;
	bool write, sign_extend, sf;
};

static struct mmio_access decode_mmio(uint64_t esr)
{
	return (struct mmio_access){
		.size = 1U << FIELD(esr, 23, 22),
		.sign_extend = esr & BIT(21),
		.rt = (unsigned)FIELD(esr, 20, 16),
		.sf = esr & BIT(15),
		.write = esr & BIT(6),
	};
}

/* a load's value as the register receives it */
static uint64_t load_value(const struct mmio_access *a, uint64_t val)
{
	unsigned bits = a->size * 8;

	if (bits < 64)
		val &= (1UL << bits) - 1;
	if (a->sign_extend && bits < 64 && (val & (1UL << (bits - 1))))
		val |= ~0UL << bits;
	if (!a->sf)
		val &= 0xffffffffUL; /* a W register: upper half zero */
	return val;
}

/* ISS.DFSC/IFSC[5:0] 0b0001LL: a Translation fault at level LL (D24.2.46) */
static bool translation_fault(uint64_t esr)
{
	return (esr & 0x3c) == 0x04;
}

/* The guest's first use of a block of its RAM (vm/guest_ram.c): made
 * ready, and the access retried. Not for L2: its faults are on the
 * shadow of its stage 2, which makes the block ready itself (nv/l2.c). */
static bool ram_first_use(struct vcpu *v, uint64_t esr, paddr_t ipa)
{
	return !nv_in_l2(v) && translation_fault(esr) &&
	       v->vm->ops->ram_ptr(v->vm, ipa);
}

static void handle_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	paddr_t ipa = fault_ipa(far);
	struct mmio_access a = decode_mmio(esr);
	uint64_t val = 0;
	int r = VM_MMIO_NOT_MINE;

	if (ram_first_use(v, esr, ipa))
		return;
	/* L2's stage-2 fault: its shadow, or the guest hypervisor's abort;
	 * else the L1 address it reached, emulated as the guest's own */
	if (nv_in_l2(v) && nv_l2_abort(v, esr, far, ipa, &ipa) == NV_L2_RESUME)
		return;
	if (esr & ESR_DABT_ISV) {
		if (a.write && a.rt != 31) /* 31: XZR */
			val = v->regs.x[a.rt];
		r = v->vm->ops->mmio(v, ipa, a.write, a.size, &val);
	}
	if (r != VM_MMIO_HANDLED) {
		log_debug("vcpu%u: data abort at IPA 0x%lx (VA 0x%lx): %s; "
			  "external abort injected",
			  v->id, (unsigned long)ipa, (unsigned long)far,
			  r == VM_MMIO_BAD ? "access refused by the device"
					   : "not the guest's");
		inject_abort(v, false, far, esr);
		return;
	}
	if (!a.write && a.rt != 31)
		v->regs.x[a.rt] = load_value(&a, val);
	vcpu_skip_instr(v);
}

static void handle_iabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t l1_pa;

	if (ram_first_use(v, esr, fault_ipa(far)))
		return;
	/* nothing to execute outside RAM: the L1 address of an L2 fetch
	 * that reached none is an External abort for L2 too */
	if (nv_in_l2(v) &&
	    nv_l2_abort(v, esr, far, fault_ipa(far), &l1_pa) == NV_L2_RESUME)
		return;
	inject_abort(v, true, far, esr);
}

/* ISS.TI[1:0] (D24.2.46): 0 WFI, 1 WFE, 2 WFIT, 3 WFET. Only WFI traps
 * (HCR_EL2.TWI); WFIT is hidden (ID_AA64ISAR2_EL1.WFxT reads 0) and, as
 * a WFE would, returns at once, which both may do. */
static void handle_wfx(struct vcpu *v, uint64_t esr)
{
	vcpu_skip_instr(v);
	if ((esr & 3) == 0)
		virq_idle(v);
}

/*
 * EC 0x25 ("Data Abort from the current EL") from a lower EL: under NV2 a
 * guest's register access at vEL2 that was transformed into a load or
 * store to the VNCR page faulted there (D8.14.6.3: taken to EL2 as EC 0x25,
 * ESR_EL2.ISS.VNCR set, FAR_EL2 the address). That page is v->vncr, in
 * hypnest's own memory and always mapped at EL2: the fault is hypnest's
 * bug, never the guest's, and no UNDEF would be right. Stop, loudly.
 */
#define ESR_DABT_VNCR BIT(13)
#define ESR_DABT_WNR BIT(6)

static void handle_vncr_abort(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);

	log_err("*** hypervisor bug: vcpu%u's register access that NV2 "
		"redirected to the VNCR page faulted at EL2; hypnest must keep "
		"that page mapped",
		v->id);
	log_raw("  a %s at VNCR page offset 0x%03lx: %s%s\n",
		(esr & ESR_DABT_WNR) ? "write" : "read",
		(unsigned long)(far & 0xfff), esr_fsc_name(esr & 0x3f),
		(esr & ESR_DABT_VNCR) ? "" : " (ESR_EL2.VNCR clear)");
	log_raw("  VNCR_EL2 0x%016lx  FAR_EL2 0x%016lx  ESR_EL2 0x%08lx\n",
		(unsigned long)read_sysreg(s3_4_c2_c2_0), (unsigned long)far,
		(unsigned long)esr);
	vcpu_dump(v);
	hyp_panic_stop();
}

static const exit_handler_fn exit_handlers[EC_MAX + 1] = {
	[EC_WFX] = handle_wfx,
	[EC_HVC64] = handle_hvc,
	[EC_SMC64] = handle_smc,
	[EC_ERET] = handle_eret,
	[EC_DABT_LOW] = handle_dabt,
	[EC_IABT_LOW] = handle_iabt,
	[EC_DABT_CUR] = handle_vncr_abort,
};

static void handle_unknown(struct vcpu *v, uint64_t esr, unsigned ec)
{
	if (!(v->ec_logged & BIT(ec))) {
		v->ec_logged |= BIT(ec);
		log_warn("vcpu%u: unhandled exit EC 0x%02x (%s), ESR 0x%lx at "
			 "PC 0x%lx: UNDEF injected (logged once)",
			 v->id, ec, esr_ec_name(ec), (unsigned long)esr,
			 (unsigned long)v->regs.pc);
	}
	inject_undef(v);
}

/* EC 0x18's encoding is looked up in the register table once (one binary
 * search, sysreg_lookup), and its entry serves the forwarding rules' trap
 * groups, the offered EL2's policies, nv/'s map and the trap table */
void vcpu_handle_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)ESR_EC(esr);
	const struct sysreg_key *k = NULL;

	stats_sync(&v->stats, ec);
	stats_sync_what(&v->stats, ec, esr);
	if (ec == EC_SYS64)
		k = sysreg_lookup(SYSREG_ISS_REG(esr));
	if (nv_forward_key(v, esr, k))
		return;
	if (ec == EC_SYS64)
		handle_sysreg(v, esr, k);
	else if (exit_handlers[ec])
		exit_handlers[ec](v, esr);
	else
		handle_unknown(v, esr, ec);
}
