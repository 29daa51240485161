/*
 * Arm semihosting (Arm IHI 0056, "Semihosting for AArch32 and AArch64"):
 * HLT #0xF000 with the operation in w0 and a parameter pointer in x1.
 * hypnest uses it for two things only: messages before the console is
 * known (a broken or missing DT), and the exit status a test reads.
 * Without it (QEMU run without -semihosting-config) both are skipped:
 * arch_exit (hyp/cpu.c) then says so and powers off by PSCI instead.
 */
#include "hyp/lib.h"
#include "hyp/platform.h"
#include "hyp/trap.h"

#define SYS_WRITE0 0x04
#define SYS_ERRNO 0x13
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#ifdef CONFIG_SEMIHOSTING
/* Whether HLT #0xF000 answers: 0 not known yet, 1 yes, -1 it was UNDEFINED
 * (QEMU without -semihosting-config enable=on). Found by the first call,
 * which at EL2 the vectors resume when it is UNDEFINED (hyp/probe.S);
 * every call after a failed one is skipped. */
static int state;

static void semihost_call(uint64_t op, const void *arg)
{
	uint64_t ret;

	if (__atomic_load_n(&state, __ATOMIC_RELAXED) < 0)
		return;
	__atomic_store_n(&state,
			 hyp_probe_semihost(op, (uintptr_t)arg, &ret) ? -1 : 1,
			 __ATOMIC_RELAXED);
}

/* SYS_ERRNO, a call without effects, asks when nothing has yet */
bool semihost_available(void)
{
	if (!__atomic_load_n(&state, __ATOMIC_RELAXED))
		semihost_call(SYS_ERRNO, NULL);
	return __atomic_load_n(&state, __ATOMIC_RELAXED) > 0;
}

void semihost_write(const char *s, size_t len)
{
	char chunk[128];

	while (len) {
		size_t n = MIN(len, sizeof(chunk) - 1);
		memcpy(chunk, s, n);
		chunk[n] = '\0';
		semihost_call(SYS_WRITE0, chunk);
		s += n;
		len -= n;
	}
}

void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status };

	semihost_call(SYS_EXIT, block);
	for (;;)
		__asm__ volatile("wfi");
}
#else
bool semihost_available(void)
{
	return false;
}

void semihost_write(const char *s, size_t len)
{
	(void)s;
	(void)len;
}

void semihost_exit(int status)
{
	(void)status;
	for (;;)
		__asm__ volatile("wfi");
}
#endif
