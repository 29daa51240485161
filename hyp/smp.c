/* Bringing up the other CPUs through PSCI CPU_ON on the DT's conduit. A CPU
 * that does not start is reported and left out; the rest go on. */
#include "hyp/smp.h"
#include "hyp/cpu.h"
#include "hyp/dt.h"
#include "hyp/gic.h"
#include "hyp/log.h"
#include "hyp/mmu.h"
#include "hyp/platform.h"
#include "hyp/vm.h"

#define ONLINE_TIMEOUT_US 3000000 /* TCG is slow to start a vCPU */

extern char secondary_entry[];

void secondary_main(unsigned id);

void secondary_main(unsigned id)
{
	cpu_set_current(id);
	if (gic_init_cpu()) {
		log_err("cpu%u: no GIC CPU interface; staying offline", id);
		for (;;)
			__asm__ volatile("wfe");
	}
	/* say so before the boot CPU can see us online and move on */
	log_info("cpu%u online (mpidr 0x%lx)", id,
		 (unsigned long)percpu[id].mpidr);
	cpu_el2_log_state();
	__atomic_store_n(&percpu[id].online, true, __ATOMIC_RELEASE);
	/* wait for a guest; run its vCPU with our index, if it has one */
	while (!__atomic_load_n(&the_vm, __ATOMIC_ACQUIRE) ||
	       id >= the_vm->ncpus)
		gic_sleep();
	vm_run_cpu(the_vm, id);
}

static bool wait_online(unsigned id)
{
	uint64_t deadline = timer_now_us() + ONLINE_TIMEOUT_US;

	while (!__atomic_load_n(&percpu[id].online, __ATOMIC_ACQUIRE))
		if (timer_now_us() > deadline)
			return false;
	return true;
}

void smp_boot_secondaries(const struct dt_info *dt)
{
	uint64_t self = this_cpu()->mpidr;
	unsigned next = 1;

	if (dt->ncpus_ignored)
		log_warn(
		    "%u CPUs in the DT beyond the %u supported are ignored",
		    dt->ncpus_ignored, MAX_CPUS);
	for (unsigned i = 0; i < dt->ncpus; i++) {
		uint64_t mpidr = dt->cpu_mpidr[i];
		int64_t ret;
		if (mpidr == self)
			continue;
		if (dt->psci == DT_PSCI_NONE) {
			log_warn(
			    "no PSCI in the DT: cpu mpidr 0x%lx not started",
			    (unsigned long)mpidr);
			continue;
		}
		ret = smccc_call(PSCI_CPU_ON, mpidr, (uintptr_t)secondary_entry,
				 next);
		if (ret != PSCI_SUCCESS) {
			log_warn(
			    "cpu mpidr 0x%lx: PSCI CPU_ON failed: %ld (%s); "
			    "continuing without it",
			    (unsigned long)mpidr, (long)ret,
			    psci_strerror(ret));
			continue;
		}
		if (!wait_online(next)) {
			log_warn("cpu mpidr 0x%lx: started but not online "
				 "after %u ms; "
				 "continuing without it",
				 (unsigned long)mpidr,
				 ONLINE_TIMEOUT_US / 1000);
			continue;
		}
		next++;
	}
}
