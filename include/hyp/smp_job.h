#ifndef HYP_SMP_JOB_H
#define HYP_SMP_JOB_H
/* Set-up work the boot CPU shares with the secondaries while they wait
 * for the guest (hyp/smp_job.c). */

/* fn(arg, part, nparts) on every online CPU at once, part 0..nparts-1,
 * from the boot CPU before the_vm is set; returns when all are done */
void smp_parallel(void (*fn)(void *arg, unsigned part, unsigned nparts),
		  void *arg);
/* a waiting secondary: run the posted job if it has not yet */
void job_run(unsigned id);

#endif
