/*
 * The boot CPU's set-up work shared with the secondaries (include/hyp/
 * smp_job.h): they wait for the guest in hyp/smp.c, asleep in gic_sleep,
 * and run a posted job when kicked.
 */
#include "hyp/smp_job.h"
#include "arch/sysreg.h"
#include "hyp/config.h"
#include "hyp/cpu.h"
#include "hyp/gic.h"

/* The boot CPU's set-up work shared with the secondaries before the guest
 * exists (zeroing its RAM, vm/vm.c): one job at a time, run by the CPUs
 * online when it was posted (a late one stays out), each taking the part
 * of its rank among them. gen names the job; each CPU remembers the last
 * one it ran. */
static struct {
	void (*fn)(void *arg, unsigned part, unsigned nparts);
	void *arg;
	uint64_t cpus; /* the participants, by index */
	unsigned nparts;
	unsigned gen;
	unsigned done;
} job;
static unsigned job_ran[MAX_CPUS];

void job_run(unsigned id)
{
	/* acquire: the job's fields were written before its gen */
	unsigned gen = __atomic_load_n(&job.gen, __ATOMIC_ACQUIRE);
	unsigned rank;

	if (gen == job_ran[id])
		return;
	job_ran[id] = gen;
	if (!(job.cpus & BIT(id)))
		return;
	rank = (unsigned)__builtin_popcountll(job.cpus & (BIT(id) - 1));
	job.fn(job.arg, rank, job.nparts);
	__atomic_add_fetch(&job.done, 1, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}

void smp_parallel(void (*fn)(void *arg, unsigned part, unsigned nparts),
		  void *arg)
{
	uint64_t cpus = 0;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (__atomic_load_n(&percpu[i].online, __ATOMIC_ACQUIRE))
			cpus |= BIT(i);
	job.fn = fn;
	job.arg = arg;
	job.cpus = cpus;
	job.nparts = (unsigned)__builtin_popcountll(cpus);
	job.done = 0;
	__atomic_add_fetch(&job.gen, 1, __ATOMIC_RELEASE);
	gic_kick_others(); /* they sleep in gic_sleep */
	job_run(this_cpu()->id);
	/* acquire: their stores are seen once they say done */
	while (__atomic_load_n(&job.done, __ATOMIC_ACQUIRE) < job.nparts)
		wfe();
}
