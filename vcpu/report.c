/*
 * The state of a stopped guest's vCPUs, for the report hypnest prints when
 * a guest ends other than by SYSTEM_OFF (a reset, a fatal SError: vm/vm.c
 * vm_crash). Each vCPU is printed on its own CPU: its EL1 (and, at vEL2,
 * part of its EL2) context is live in that CPU's registers (vcpu.h), so
 * only that CPU can read it. The reporting vCPU asks the others to park
 * (vm->stopping and a kick); each parks at its next exit and prints when
 * vm->report_turn names it and it takes that turn. One that does not take
 * its turn in time is reported as still running, without registers (they
 * are live in its CPU or being saved: no state to print).
 */
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

/* the exception-class part of an ESR, named (hyp/esr.c) */
static void print_syndrome(const char *tag, uint64_t esr, uint64_t elr,
			   uint64_t far, uint64_t spsr, uint64_t vbar)
{
	unsigned ec = (unsigned)ESR_EC(esr);

	log_raw("  %s: ESR 0x%08lx (EC 0x%02x %s) ELR 0x%016lx FAR 0x%016lx "
		"SPSR 0x%08lx VBAR 0x%016lx\n",
		tag, (unsigned long)esr, ec, esr_ec_name(ec),
		(unsigned long)elr, (unsigned long)far, (unsigned long)spsr,
		(unsigned long)vbar);
}

/* the guest's EL1 exception registers: with the vEL2 context loaded
 * (at vEL2, or at vEL0 in its EL2&0 host regime) and E2H = 1 the *_EL1
 * names reach its EL2 registers, the *_EL12 ones its EL1's (D8.13.2,
 * R JGGMV; docs/nv.md), as nv/sysreg_access.c locate() resolves them */
static void print_el1(struct vcpu *v)
{
	bool el12 = v->nv.enabled && v->nv.in_vel2 && nv_guest_e2h(v);

	print_syndrome(
	    "EL1",
	    vcpu_read_sys_reg(v, el12 ? SYSREG_ESR_EL12 : SYSREG_ESR_EL1),
	    vcpu_read_sys_reg(v, el12 ? SYSREG_ELR_EL12 : SYSREG_ELR_EL1),
	    vcpu_read_sys_reg(v, el12 ? SYSREG_FAR_EL12 : SYSREG_FAR_EL1),
	    vcpu_read_sys_reg(v, el12 ? SYSREG_SPSR_EL12 : SYSREG_SPSR_EL1),
	    vcpu_read_sys_reg(v, el12 ? SYSREG_VBAR_EL12 : SYSREG_VBAR_EL1));
}

static void print_vel2(struct vcpu *v)
{
	print_syndrome("vEL2", vcpu_read_sys_reg(v, SYSREG_ESR_EL2),
		       vcpu_read_sys_reg(v, SYSREG_ELR_EL2),
		       vcpu_read_sys_reg(v, SYSREG_FAR_EL2),
		       vcpu_read_sys_reg(v, SYSREG_SPSR_EL2),
		       vcpu_read_sys_reg(v, SYSREG_VBAR_EL2));
	log_raw("  vEL2: HCR_EL2 0x%016lx\n",
		(unsigned long)vcpu_read_sys_reg(v, SYSREG_HCR_EL2));
}

static const char *const kind_names[] = { "sync", "irq", "fiq", "serror" };

void vcpu_report(struct vcpu *v, unsigned kind)
{
	unsigned el = v->nv.enabled ? nv_vcpu_el(v) : (v->regs.pstate >> 2) & 3;
	uint64_t esr = read_sysreg(esr_el2);

	/* PSTATE as the guest sees it (EL2 at vEL2); the real SP_EL1 is
	 * its vEL2's SP there (it runs at EL1), else its EL1's */
	log_raw("vcpu%u: at %s (EL%u%c), PC 0x%016lx PSTATE 0x%08lx "
		"SP_EL0 0x%016lx SP_EL%u 0x%016lx\n",
		v->id, stats_level_names[nv_level(v)], el,
		(v->regs.pstate & 1) ? 'h' : 't', (unsigned long)v->regs.pc,
		(unsigned long)(v->nv.enabled ? nv_guest_pstate(v)
					      : v->regs.pstate),
		(unsigned long)read_sysreg(sp_el0),
		v->nv.enabled && v->nv.in_vel2 ? 2U : 1U,
		(unsigned long)read_sysreg(sp_el1));
	if (kind == EXIT_SYNC || kind == EXIT_SERROR)
		log_raw("  stopped at its %s exit: ESR_EL2 0x%08lx (EC 0x%02x "
			"%s)\n",
			kind_names[kind & 3], (unsigned long)esr,
			(unsigned)ESR_EC(esr),
			esr_ec_name((unsigned)ESR_EC(esr)));
	else
		log_raw("  stopped at its %s exit\n", kind_names[kind & 3]);
	vcpu_dump_gprs(v);
	print_el1(v);
	if (v->nv.enabled)
		print_vel2(v);
}

void vcpu_park(struct vcpu *v, unsigned kind)
{
	struct vm *vm = v->vm;

	/* take our turn (acquire: the reporter's lines before it are out);
	 * a turn the reporter withdrew (it waited REPORT_WAIT_US in vain,
	 * vm/vm.c report_one) is not ours any more: then park silently */
	for (;;) {
		unsigned turn = v->id + 1;

		if (__atomic_compare_exchange_n(
			&vm->report_turn, &turn, turn | REPORT_TAKEN, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
		wfe();
	}
	vcpu_report(v, kind);
	__atomic_store_n(&vm->report_done, v->id + 1, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	for (;;)
		wfe();
}
