/* arm64 implementations of include/hyp/arch.h and per-CPU data. */
#include "hyp/cpu.h"
#include "arch/sysreg.h"
#include "hyp/arch.h"
#include "hyp/features.h"
#include "hyp/log.h"
#include "hyp/platform.h"

struct percpu percpu[MAX_CPUS];
static struct cpu_features boot_features;

void cpu_set_current(unsigned id)
{
	percpu[id].id = id;
	percpu[id].mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffUL;
	write_sysreg(tpidr_el2, &percpu[id]);
}

struct percpu *this_cpu(void)
{
	return (struct percpu *)read_sysreg(tpidr_el2);
}

unsigned arch_cpu_id(void)
{
	struct percpu *p = this_cpu();

	return p ? p->id : 0;
}

void arch_table_barrier(void)
{
	dsb(ishst);
}

unsigned cpus_online(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		n += __atomic_load_n(&percpu[i].online, __ATOMIC_ACQUIRE);
	return n;
}

/* Semihosting SYS_EXIT hands QEMU the status. Without it (QEMU run
 * without -semihosting-config, hardware) the status can only be printed;
 * then PSCI SYSTEM_OFF powers the machine off (QEMU exits 0), and if
 * that fails this CPU stops here. */
void arch_exit(int status)
{
	int64_t r;

	if (semihost_available())
		semihost_exit(status);
	log_warn("no semihosting (its HLT #0xF000 is UNDEFINED): hypnest "
		 "cannot end QEMU with its exit status %d; QEMU needs "
		 "-semihosting-config enable=on,target=native for that",
		 status);
	log_warn("exit status %d: powering off by PSCI SYSTEM_OFF instead",
		 status);
	r = smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	log_err("PSCI SYSTEM_OFF failed (%s): cpu%u stops here, in WFI",
		psci_strerror(r), arch_cpu_id());
	for (;;)
		__asm__ volatile("wfi");
}

void cpu_read_id_regs(struct id_regs *raw)
{
	*raw = (struct id_regs){
		.pfr0 = read_sysreg(id_aa64pfr0_el1),
		.mmfr0 = read_sysreg(id_aa64mmfr0_el1),
		.mmfr1 = read_sysreg(id_aa64mmfr1_el1),
		.mmfr2 = read_sysreg(id_aa64mmfr2_el1),
		/* ID_AA64MMFR4_EL1 by encoding: older assemblers lack the
		 * name */
		.mmfr4 = read_sysreg(s3_0_c0_c7_4),
		.midr = read_sysreg(midr_el1),
	};
}

void features_init(void)
{
	struct id_regs raw;

	cpu_read_id_regs(&raw);
	features_decode(&raw, &boot_features);
}

const struct cpu_features *cpu_features(void)
{
	return &boot_features;
}

uint64_t timer_now_us(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	isb();
	return freq ? read_sysreg(cntpct_el0) /
			  (freq / 1000000 ? freq / 1000000 : 1)
		    : 0;
}

/* Per-CPU stacks, each slot one unmapped guard page then the stack
 * (hyp/mmu.c leaves the guard pages out of the EL2 tables). */
uint8_t hyp_stacks[MAX_CPUS][STACK_SLOT]
    __attribute__((aligned(PAGE_SIZE), section(".bss.stacks")));
