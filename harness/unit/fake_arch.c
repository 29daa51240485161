/* include/hyp/arch.h for the host unit tests. */
#include <stdlib.h>

#include "hyp/arch.h"
#include "unit.h"

unsigned fake_cpu_id;

unsigned arch_cpu_id(void)
{
	return fake_cpu_id;
}

void arch_exit(int status)
{
	exit(status);
}

void arch_table_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
