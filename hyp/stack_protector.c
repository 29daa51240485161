/*
 * Debian's libfdt is built with -fstack-protector-strong, so the image must
 * provide the guard and the failure hook. The guard is a fixed, non-zero
 * value: it catches overruns, not attackers (the DT is trusted input that
 * is checked with fdt_check_full before use).
 */
#include "hyp/arch.h"
#include "hyp/config.h"
#include "hyp/log.h"

uintptr_t __stack_chk_guard = 0x5eb0a7d1c0ffee15UL;

NORETURN void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	log_err("stack smashing detected: stopping");
	arch_exit(EXIT_PANIC);
}
